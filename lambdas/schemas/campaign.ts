/**
 * A campaign: who gets what, from which accounts, when. This schema is the single truth: the admin
 * API validates with it, the dispatcher reads stored campaigns with it, and the types below are
 * inferred from it.
 */
import * as z from 'zod';
import { LEDGER_RETENTION_HOURS } from '../domain/campaign/frequency-cap';
import { parseScheduleExpression } from '../domain/campaign/schedule-expression';
import { FOLLOW_UP_STATES } from '../domain/campaign/follow-up-state';
import { ChannelSchema } from './account';
import { CampaignIdSchema, MetaIdSchema, OccurrenceKeySchema, TemplateNameSchema } from './ids';
import { AttributeNameSchema, attributeNameIssue, TagSchema, userKeyedRecord } from './user-keys';

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

const ClockTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour time HH:MM, e.g. 09:30');

const AccountRefSchema = z.object({
  channel: ChannelSchema,
  accountId: MetaIdSchema,
});

/** Who an audience holds: a campaign's, and the admin contact search's (lambdas/domain/audience/audience-filter.ts). */
export const AudienceSchema = z.object({
  /** Messenger/Instagram opt-in topic: only contacts holding a token for it. */
  topic: z.string().min(1).max(200).optional(),
  /** With `topic`: only tokens in this state (absent: either; a campaign's policy engine refuses a stopped one). */
  optInStatus: z.enum(['active', 'stopped']).optional(),
  /** The contact must carry every one of these tags. */
  tags: z.array(TagSchema).max(50).optional(),
  /** Exact matches on the contact's attributes (names as a profile's; a prototype-less map). */
  attributes: userKeyedRecord(z.string().max(1024), { keyIssue: attributeNameIssue, maxEntries: 50, tooMany: 'at most 50 attributes' }).optional(),
  /** Only contacts who wrote within this many days. */
  lastInboundWithinDays: z.number().int().min(1).optional(),
  channel: ChannelSchema.optional(),
  /** true: only contacts who stopped marketing (Meta's stop or a STOP keyword); false: only those who didn't. */
  marketingOptOut: z.boolean().optional(),
  /** true: only contacts whose 24 h window is open now; false: only those whose window is closed. */
  windowOpen: z.boolean().optional(),
});

const MAX_TEMPLATE_LANGUAGES = 50;

/** A key of a campaign's per-language templates: a language (`de`) or a language and region (`pt_BR`), as Meta names template languages. */
const localeKeyIssue = (key: string): string | undefined =>
  /^[a-z]{2,3}(_[A-Z]{2})?$/.test(key) ? undefined : 'a language such as de, or a language and region such as pt_BR';

/** One template parameter, filled per contact from `fromAttribute`, else from the fixed `value`. */
const TemplateParameterSourceSchema = z
  .object({
    /** Named-parameter templates carry the name; positional ones don't. */
    name: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a template parameter name such as first_name').optional(),
    fromAttribute: AttributeNameSchema.optional(),
    value: z.string().max(1024).optional(),
  })
  .refine((p) => p.fromAttribute !== undefined || p.value !== undefined, {
    message: 'a parameter needs fromAttribute, value, or both (value is the fallback)',
  });

const ContentSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('template'),
      name: TemplateNameSchema,
      language: z
        .string({ error: (issue) => (issue.input === undefined ? 'template content needs a language, e.g. en_US or de' : undefined) })
        .min(2)
        .max(15),
      parameters: z
        .array(TemplateParameterSourceSchema)
        .max(20)
        // Meta accepts a template's parameters either all by name or all by position.
        .refine((ps) => ps.every((p) => p.name !== undefined) || ps.every((p) => p.name === undefined), {
          message: 'parameters must be all named or all positional',
        })
        .optional(),
      languages: userKeyedRecord(
        z
          .object({
            language: z.string().min(2).max(15).meta({ description: 'The template language Meta knows it in, e.g. de or pt_BR' }),
            name: TemplateNameSchema.optional().meta({ description: 'Another template than `name`, when the language has its own' }),
          })
          .strict(),
        { keyIssue: localeKeyIssue, maxEntries: MAX_TEMPLATE_LANGUAGES, tooMany: `at most ${MAX_TEMPLATE_LANGUAGES} languages` },
      )
        .optional()
        .meta({
          description:
            'The template per language: a contact whose profile attribute `locale` is a key (`pt_BR`), else whose language is one (`de` for `de_AT`), gets that entry; anyone else `name` in `language`. The parameters are the same in every language.',
        }),
    }),
    /** Free-form: the dispatcher only sends it to contacts inside their 24 h window. */
    z.object({ type: z.literal('text'), text: z.string().min(1).max(4096) }),
    /** Messenger Marketing Message API: the campaign message id from `act_<id>/message_campaign`. */
    z.object({
      type: z.literal('marketing_message'),
      campaignMessageId: z.string().regex(/^\d{1,32}$/, 'the numeric campaign message id'),
      text: z.string().min(1).max(2000),
    }),
  ],
  { error: "must be 'template', 'text' or 'marketing_message'" },
);

const ScheduleSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('once'),
      at: z.iso
        .datetime({ offset: true, error: 'an ISO-8601 instant with a zone, e.g. 2026-11-27T09:00:00Z' })
        .refine(isWholeMinute, 'must fall on a whole minute: EventBridge schedules have minute precision'),
    }),
    z.object({
      kind: z.literal('recurring'),
      expression: z
        .string()
        .trim()
        .superRefine((expression, ctx) => {
          // The same parser the dispatcher computes firing times with, so what validates is what runs.
          const parsed = parseScheduleExpression(expression);
          if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
          // at(...) belongs to EventBridge Scheduler; a rule takes only cron(...) and rate(...).
          else if (parsed.schedule.kind === 'once') ctx.addIssue({ code: 'custom', message: "a one-off date is schedule kind 'once', not at(...)" });
        }),
    }),
    /** At this wall-clock time in each contact's time zone. */
    z.object({
      kind: z.literal('local_time'),
      at: ClockTimeSchema,
      days: z
        .array(z.enum(DAYS))
        .min(1)
        .refine((days) => new Set(days).size === days.length, 'lists a day twice')
        .optional(),
    }),
  ],
  { error: "must be 'once', 'recurring' or 'local_time'" },
);

const UtmValueSchema = z.string().min(1).max(100);

/** Click tracking (README "Clicks"): present, the campaign's links go through the redirect `GET /r/{token}`. */
const TrackingSchema = z
  .object({
    /** Added to every tracked target that doesn't set them already. */
    utm: z.object({ source: UtmValueSchema.optional(), medium: UtmValueSchema.optional(), campaign: UtmValueSchema.optional() }).strict().optional(),
    /**
     * WhatsApp template URL buttons whose URL in the template is `<redirect base URL>{{1}}`: afterchat
     * fills the button's parameter with the tracking token of `url`.
     */
    buttons: z
      .array(z.object({ index: z.number().int().min(0).max(9), url: z.url({ protocol: /^https?$/, error: 'an http(s) address' }).max(2000) }).strict())
      .max(10)
      .refine((bs) => new Set(bs.map((b) => b.index)).size === bs.length, 'lists a button index twice')
      .optional(),
  })
  .strict();

/** The occurrence whose recipients a follow-up campaign sends to, and in which funnel state. */
export const FollowUpSchema = z
  .object({
    campaignId: CampaignIdSchema,
    occurrenceKey: OccurrenceKeySchema,
    state: z.enum(FOLLOW_UP_STATES),
  })
  .strict();

export const CampaignSchema = z
  .object({
    id: CampaignIdSchema,
    name: z.string().min(1).max(200),
    accounts: z
      .array(AccountRefSchema)
      .min(1, 'a campaign needs at least one account')
      .max(100, 'at most 100 accounts')
      .refine((as) => new Set(as.map((a) => `${a.channel}/${a.accountId}`)).size === as.length, 'lists an account twice'),
    audience: AudienceSchema,
    content: ContentSchema,
    kind: z.enum(['marketing', 'utility']),
    schedule: ScheduleSchema,
    /** No sends in this span of the contact's local time; it may wrap midnight (21:00–08:00). */
    quietHours: z
      .object({ start: ClockTimeSchema, end: ClockTimeSchema })
      .refine((q) => q.start !== q.end, 'start and end are equal: the span would be empty or the whole day')
      .optional(),
    /** Per contact, counted across all campaigns: at most `max` sends in any `perHours` hours. */
    frequencyCap: z
      .object({
        max: z.number().int().min(1),
        // The marketing ledger keeps 30 days of sends; a longer window would forget some.
        perHours: z.number().int().min(1).max(LEDGER_RETENTION_HOURS, `at most ${LEDGER_RETENTION_HOURS} hours (30 days), as long as the marketing ledger remembers`),
      })
      .optional(),
    caps: z
      .object({ maxRecipients: z.number().int().min(1).optional(), maxCostEur: z.number().min(0.01).max(1_000_000_000).optional() })
      .optional(),
    status: z.enum(['draft', 'scheduled', 'running', 'paused', 'done']),
    tracking: TrackingSchema.optional(),
    /**
     * A follow-up's audience: the recipients of another campaign's occurrence in one funnel state
     * (README "Follow-ups"), instead of the accounts' contacts; `audience` filters them further.
     * Set by `POST /admin/campaigns/{id}/occurrences/{occurrenceKey}/follow-up`, fixed from then on.
     */
    followUp: FollowUpSchema.optional(),
  })
  .superRefine((campaign, ctx) => {
    if (campaign.tracking?.buttons !== undefined && (campaign.content.type !== 'template' || campaign.accounts.some((a) => a.channel !== 'whatsapp'))) {
      ctx.addIssue({ code: 'custom', path: ['tracking', 'buttons'], message: 'URL buttons are tracked on WhatsApp template content only' });
    }
    if (campaign.content.type === 'marketing_message') {
      campaign.accounts.forEach((account, i) => {
        if (account.channel !== 'messenger') {
          ctx.addIssue({
            code: 'custom',
            path: ['accounts', i, 'channel'],
            message: `marketing_message content goes through Messenger's Marketing Message API; ${account.channel} accounts can't send it`,
          });
        }
      });
      if (campaign.kind !== 'marketing') {
        ctx.addIssue({ code: 'custom', path: ['kind'], message: "marketing_message content is marketing: set kind to 'marketing'" });
      }
    }
    const channel = campaign.audience.channel;
    if (channel && campaign.accounts.length > 0 && !campaign.accounts.some((a) => a.channel === channel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['audience', 'channel'],
        message: `no account of the campaign is on ${channel}, so this audience would be empty`,
      });
    }
  });

export type Campaign = z.infer<typeof CampaignSchema>;
export type CampaignContent = z.infer<typeof ContentSchema>;
export type CampaignSchedule = z.infer<typeof ScheduleSchema>;
export type CampaignAudience = z.infer<typeof AudienceSchema>;
export type TemplateParameterSource = z.infer<typeof TemplateParameterSourceSchema>;
export type CampaignTracking = z.infer<typeof TrackingSchema>;
export type CampaignFollowUp = z.infer<typeof FollowUpSchema>;

function isWholeMinute(at: string): boolean {
  const instant = new Date(at);
  return instant.getUTCSeconds() === 0 && instant.getUTCMilliseconds() === 0;
}
