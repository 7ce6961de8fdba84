import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { AccountPath } from './params';
import type { RouteTable } from './route-contract';

/** The longest range one report reads: a quarter, as the automation usage report. */
export const MEASUREMENT_MAX_DAYS = 92;
/** The SLA when the query names none: 15 minutes, the badge's response time. */
export const DEFAULT_SLA_SECONDS = 900;

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const day = (what: string) => z.iso.date({ error: 'a date, YYYY-MM-DD' }).optional().meta({ description: what, example: '2026-12-01' });

const range = {
  from: day('The first local day, inclusive (default: six days before `to`)'),
  to: day('The last local day, inclusive (default: today in the account’s time zone)'),
};

const checkRange = (q: { from?: string; to?: string }, ctx: z.RefinementCtx): void => {
  if (q.from === undefined || q.to === undefined || !ISO_DATE.test(q.from) || !ISO_DATE.test(q.to)) return;
  const days = (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
  else if (days > MEASUREMENT_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${MEASUREMENT_MAX_DAYS} days before \`to\`` });
};

const ResponsivenessQuery = z
  .object({
    ...range,
    slaSeconds: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .optional()
      .meta({ description: `The SLA: a turn answered within this many whole seconds meets it (default ${DEFAULT_SLA_SECONDS})`, example: 300 }),
  })
  .superRefine(checkRange);

const Buckets = z
  .object({
    under_30s: z.number(),
    '30s_to_2m': z.number(),
    '2m_to_5m': z.number(),
    '5m_to_10m': z.number(),
    '10m_to_30m': z.number(),
    '30m_to_1h': z.number(),
    over_1h: z.number().meta({ description: 'An hour or more' }),
  })
  .meta({ description: 'Answered turns by first-response time; each bucket from its lower bound up to the next one’s' });

const Figures = {
  conversations: z.number().meta({ description: 'Conversation turns opened: a person’s first message after the business’s last human reply' }),
  answered: z.number().meta({ description: 'Turns a human answered (automation’s replies never count)' }),
  waiting: z.number().meta({ description: 'Turns opened and not answered (yet)' }),
  responseRate: z.number().nullable().meta({ description: 'answered / conversations; null without conversations' }),
  medianSeconds: z.number().nullable().meta({ description: 'Median first-response time, whole seconds (exact up to an hour, to the minute up to a day)' }),
  meanSeconds: z.number().nullable().meta({ description: 'Mean first-response time, seconds (exact to the ms)' }),
  buckets: Buckets,
  withinSla: z.object({
    seconds: z.number(),
    answered: z.number().meta({ description: 'Turns answered within the SLA' }),
    share: z.number().nullable().meta({ description: 'answered within the SLA / conversations (an unanswered turn misses it)' }),
  }),
};

const Responsiveness = z
  .object({
    channel: ChannelSchema,
    accountId: z.string(),
    timeZone: z.string().meta({ description: 'The account’s zone: the days are its local days; a turn counts on the day it opened' }),
    from: z.iso.date(),
    to: z.iso.date(),
    ...Figures,
    days: z.array(z.object({ day: z.iso.date(), ...Figures })).meta({ description: 'Each local day with a conversation, in order' }),
    veryResponsive: z
      .object({
        from: z.iso.date(),
        to: z.iso.date(),
        responseRate: z.number().nullable(),
        responseTimeSeconds: z.number().nullable().meta({ description: 'Meta’s “response time”: the mean of the fastest 90 % of first-response times' }),
        meets: z.boolean().meta({ description: 'Response rate ≥ 90 % and response time ≤ 15 min' }),
      })
      .meta({ description: 'Messenger’s “Very responsive to messages” badge, judged on the 7 local days up to `to` (afterchat’s human replies only)' }),
  })
  .meta({ id: 'Responsiveness' });

const GrowthFigures = {
  newContacts: z.number().meta({ description: 'People whose first message to the account came that day' }),
  optIns: z.record(z.string(), z.number()).meta({ description: 'Opt-ins by topic (`marketing`: a START keyword or a WhatsApp `user_preferences` resume)' }),
  optOuts: z.record(z.string(), z.number()).meta({ description: 'Opt-outs by source: `keyword` (STOP), `user_preferences`, `messenger_stop`' }),
  net: z.number().meta({ description: 'Opt-ins − opt-outs' }),
};

const Growth = z
  .object({
    channel: ChannelSchema,
    accountId: z.string(),
    timeZone: z.string(),
    from: z.iso.date(),
    to: z.iso.date(),
    ...GrowthFigures,
    days: z.array(z.object({ day: z.iso.date(), ...GrowthFigures })).meta({ description: 'Each local day with anything counted, in order' }),
  })
  .meta({ id: 'AudienceGrowth' });

export const accountMeasurementContract = {
  'GET /admin/accounts/{channel}/{accountId}/responsiveness': {
    operationId: 'getResponsiveness',
    summary: 'Response rate and first-response times of human replies per local day, the share within an SLA, and the Messenger badge verdict',
    description:
      'Counted as events arrive, exact under redelivery and reordering: a person’s message opens a conversation turn, the first human reply (POST /admin/sends with author `human`, a Page inbox or WhatsApp Business app echo) answers it. Automation’s replies are excluded.',
    path: AccountPath,
    query: ResponsivenessQuery,
    responses: { 200: Responsiveness },
    errors: { 404: 'the account is not registered', 503: 'measurement is not configured' },
  },
  'GET /admin/accounts/{channel}/{accountId}/growth': {
    operationId: 'getAudienceGrowth',
    summary: 'New contacts, opt-ins by topic, opt-outs by source and net per local day',
    path: AccountPath,
    query: z.object(range).superRefine(checkRange),
    responses: { 200: Growth },
    errors: { 404: 'the account is not registered', 503: 'measurement is not configured' },
  },
} as const satisfies RouteTable;
