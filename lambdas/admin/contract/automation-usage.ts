import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { AccountPath } from './params';
import type { RouteTable } from './route-contract';

/** The longest range one report reads: a quarter, so an answer stays small whatever the account sends. */
export const USAGE_MAX_DAYS = 92;

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const day = (what: string) => z.iso.date({ error: 'a date, YYYY-MM-DD' }).optional().meta({ description: what, example: '2026-12-01' });

const UsageQuery = z
  .object({
    from: day('The first local day, inclusive (default: six days before `to`)'),
    to: day('The last local day, inclusive (default: today in the account’s time zone)'),
  })
  .superRefine((q, ctx) => {
    // A malformed date already has its issue.
    if (q.from === undefined || q.to === undefined || !ISO_DATE.test(q.from) || !ISO_DATE.test(q.to)) return;
    const days = (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
    else if (days > USAGE_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${USAGE_MAX_DAYS} days before \`to\`` });
  });

const Amounts = z.record(z.string(), z.number()).meta({ description: 'Per currency (never converted or summed together), e.g. `{"EUR": 0.0912}`; empty when nothing priced costs money' });

const PriceLine = z.object({
  pricing: z.string().meta({ description: 'The policy engine’s pricing category: `free` (Messenger and Instagram replies), `service` (WhatsApp non-template messages), …' }),
  market: z.string().meta({ description: 'The recipient’s market (calling code), or `default` when unknown' }),
  sends: z.number(),
  pricePerMessage: z.number().nullable().meta({ description: 'null: no known price (in no total)' }),
  currency: z.string().nullable(),
  amount: z.number().nullable(),
  priceRow: z
    .object({
      id: z.string(),
      effectiveFrom: z.iso.date().meta({ description: 'The price’s date: the first day its row applies' }),
      confirmed: z.boolean().meta({ description: 'False: a third party’s figure or an assumption, not Meta’s' }),
    })
    .nullable()
    .meta({ description: 'The price-table row used; null for the policy engine’s `free`' }),
});

const RuleDay = z.object({
  day: z.iso.date(),
  rule: z.string().meta({ description: 'keyword, handoff, opt_in_request, away, greeting or default_reply' }),
  sends: z.number().meta({ description: 'Automated sends the policy engine allowed, each counted once' }),
  refused: z.number().meta({ description: 'Automated sends it refused: nothing went out' }),
  estimatedCost: Amounts,
  unpriced: z.number().meta({ description: 'Sends with no known price' }),
  lines: z.array(PriceLine),
});

const PriceRowView = z.object({
  id: z.string(),
  effectiveFrom: z.iso.date(),
  effectiveUntil: z.iso.date().nullable(),
  pricePerMessage: z.number().nullable(),
  currency: z.string().nullable(),
  confirmed: z.boolean(),
  source: z.string(),
  note: z.string(),
});

const AutomationUsage = z
  .object({
    channel: ChannelSchema,
    accountId: z.string(),
    timeZone: z.string().meta({ description: 'The account’s zone: the days are its local days' }),
    from: z.iso.date(),
    to: z.iso.date(),
    days: z.array(RuleDay).meta({ description: 'One entry per day and rule that sent or was refused anything, by day then rule' }),
    totals: z.object({ sends: z.number(), refused: z.number(), estimatedCost: Amounts, unpriced: z.number() }),
    prices: z.array(PriceRowView).meta({ description: 'The dated price-table rows the lines used, with their sources' }),
    disclaimer: z.string(),
  })
  .meta({ id: 'AutomationUsage' });

export const automationUsageContract = {
  'GET /admin/accounts/{channel}/{accountId}/automation/usage': {
    operationId: 'getAutomationUsage',
    summary: 'What automation sent per local day and rule, and what it cost at the dated price table',
    description:
      'Each automated send is counted once, when automation creates its outbox job, with the policy engine’s pricing category; the days are priced when read, at the rates in force at each local day’s noon, so a corrected price applies to the days it covers.',
    path: AccountPath,
    query: UsageQuery,
    responses: { 200: AutomationUsage },
    errors: { 404: 'the account is not registered', 503: 'automation usage is not configured' },
  },
} as const satisfies RouteTable;
