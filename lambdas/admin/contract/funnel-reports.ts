import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { CampaignPath, OccurrencePath } from './params';
import type { RouteTable } from './route-contract';

/** The longest range one report reads: a quarter, as the other reports. */
export const FUNNEL_MAX_DAYS = 92;

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const range = {
  from: z.iso.date({ error: 'a date, YYYY-MM-DD' }).meta({ description: 'The first UTC day of the sends, inclusive', example: '2026-12-01' }),
  to: z.iso.date({ error: 'a date, YYYY-MM-DD' }).meta({ description: 'The last UTC day of the sends, inclusive', example: '2026-12-07' }),
};

const checkRange = (q: { from: string; to: string }, ctx: z.RefinementCtx): void => {
  if (!ISO_DATE.test(q.from) || !ISO_DATE.test(q.to)) return;
  const days = (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
  else if (days > FUNNEL_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${FUNNEL_MAX_DAYS} days before \`to\`` });
};

const Rate = z.number().nullable().meta({ description: 'A share from 0 to 1, 4 decimals; null when its denominator is 0' });
const PerCurrency = z.record(z.string(), z.number().nullable()).meta({ description: 'Per currency (never converted); null when its denominator is 0' });
const CodeCount = z.object({
  code: z.number().meta({ description: 'Meta’s error code' }),
  count: z.number(),
  title: z.string().nullable().meta({ description: 'Meta’s title for it, whole, as a status webhook gave it' }),
});

export const FunnelReportSchema = z
  .object({
    sent: z.number().meta({ description: 'Messages Meta accepted (see `sentBasis`)' }),
    sentBasis: z.enum(['sender', 'reported']).meta({ description: '`reported`: the messages Meta reported an outcome for (delivered, read, failed, limited)' }),
    delivered: z.number(),
    read: z.number(),
    clicked: z.number().meta({ description: 'Messages with at least one click through a tracking link, a button postback or marketing_message_clicks' }),
    replied: z.number().meta({ description: 'Messages the person answered within 72 h of the delivery, once each' }),
    converted: z.number().meta({ description: 'Messages an order.placed was attributed to (last touch)' }),
    optedOut: z.number().meta({ description: 'Messages followed by a STOP or a WhatsApp marketing opt-out within 72 h of the delivery' }),
    limited: z.object({ total: z.number(), byCode: z.array(CodeCount) }).meta({ description: 'Meta’s marketing limits (131049, Messenger’s marketing message limits): not the message’s fault' }),
    failed: z.object({ total: z.number(), byCode: z.array(CodeCount) }),
    rates: z.object({
      deliveryRate: Rate.meta({ description: 'delivered / sent' }),
      readRate: Rate.meta({ description: 'read / delivered' }),
      clickThroughRate: Rate.meta({ description: 'clicked / delivered' }),
      replyRate: Rate.meta({ description: 'replied / delivered' }),
      conversionRate: Rate.meta({ description: 'converted / delivered' }),
      optOutRate: Rate.meta({ description: 'opted out / delivered' }),
    }),
    money: z.object({
      estimated: z.record(z.string(), z.number()).nullable().meta({ description: 'The estimate before the send, per currency; null when the scope keeps none' }),
      billed: z.object({
        messages: z.number().meta({ description: 'Messages Meta reported billable when delivered' }),
        notBillable: z.number(),
        cost: z.object({
          totalsByCurrency: z.record(z.string(), z.number()),
          lines: z.array(z.object({ channel: ChannelSchema, category: z.string(), market: z.string(), count: z.number(), pricePerMessage: z.number().nullable(), currency: z.string().nullable(), amount: z.number().nullable(), rowId: z.string().nullable() })),
          unpriced: z.number(),
          asOf: z.string(),
          disclaimer: z.string(),
        }),
      }),
      revenue: z.record(z.string(), z.number()).meta({ description: 'The value of every order attributed to the messages, per currency: a message that led to two orders adds both (it counts once in `converted`)' }),
      costPerDelivered: PerCurrency,
      costPerClick: PerCurrency,
      costPerConversion: PerCurrency,
      roas: PerCurrency.meta({ description: 'Revenue / billed cost, per currency' }),
    }),
    caveats: z.array(z.string()).meta({ description: 'What the numbers can’t say (Meta’s webhooks carry no amount; Instagram has no delivered; Messenger reads are watermarks)' }),
  })
  .meta({ id: 'FunnelReport' });

const Audience = z.object({
  audience: z.number().meta({ description: 'Audience index entries read' }),
  enqueued: z.number(),
  skipped: z.record(z.string(), z.number()).meta({ description: 'Per reason, at planning' }),
});

const errors = { 404: 'campaign or occurrence not found', 503: 'funnel reports are not configured' };

const OrderRevenue = z.record(z.string(), z.number()).meta({ description: 'Per ISO 4217 currency, in major units (never converted)' });
const Unattributed = z
  .object({
    orders: z.number(),
    revenue: OrderRevenue,
    days: z.array(z.object({ day: z.iso.date(), orders: z.number(), revenue: OrderRevenue })).meta({ description: 'The days with any, oldest first' }),
  })
  .meta({
    description:
      'The account’s orders (`order.placed`) placed on these UTC days (their `occurredAt`) that no message led to: no read or click of the person’s within the attribution window. Not in `report`, which counts messages',
  });

export const funnelReportContract = {
  'GET /admin/campaigns/{campaignId}/report': {
    operationId: 'getCampaignReport',
    summary: 'The funnel of a campaign across its occurrences, from its counters (no scan)',
    path: CampaignPath,
    responses: { 200: z.object({ campaignId: z.string(), occurrences: z.number().meta({ description: 'Recent occurrences whose audience counts are summed' }), audience: Audience, report: FunnelReportSchema }) },
    errors,
  },
  'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/report': {
    operationId: 'getOccurrenceReport',
    summary: 'The funnel of one campaign occurrence, from its counters (no scan: answers at once for any size)',
    path: OccurrencePath,
    responses: { 200: z.object({ campaignId: z.string(), occurrenceKey: z.string(), audience: Audience, report: FunnelReportSchema }) },
    errors,
  },
  'GET /admin/reports/sends': {
    operationId: 'getSendsReport',
    summary: 'The funnel of an account’s one-off sends (POST /admin/sends) by the UTC day they were made',
    query: z.object({ channel: ChannelSchema, accountId: z.string().min(1).max(64), ...range }).superRefine(checkRange),
    responses: { 200: z.object({ channel: ChannelSchema, accountId: z.string(), from: z.iso.date(), to: z.iso.date(), report: FunnelReportSchema, unattributed: Unattributed }) },
    errors: { 503: errors[503] },
  },
  'GET /admin/reports/triggers/{detailType}': {
    operationId: 'getTriggerReport',
    summary: 'The funnel of the sends a business event’s detail-type asked for, by the UTC day they were made',
    path: z.object({ detailType: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'a detail-type: letters, digits, dots, dashes, underscores') }),
    query: z.object(range).superRefine(checkRange),
    responses: { 200: z.object({ detailType: z.string(), from: z.iso.date(), to: z.iso.date(), report: FunnelReportSchema }) },
    errors: { 503: errors[503] },
  },
} as const satisfies RouteTable;
