import { HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS } from '../conversation-window';
import type { ContentType, PolicyRule } from './policy-rule-types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const EU = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
] as const;
/** The rest of the EEA: GDPR applies there too. */
const EEA_NOT_EU = ['IS', 'LI', 'NO'] as const;
/** ISO's code for the United Kingdom is GB; 'UK' is ISO-reserved for it and is what people type. */
const UNITED_KINGDOM = ['GB', 'UK'] as const;

/** Where legacy recurring notifications survive 2026-02-10 (Meta: "AU, EU, JP, KR, UK"). */
const RECURRING_NOTIFICATION_COUNTRIES = [...EU, ...UNITED_KINGDOM, 'AU', 'JP', 'KR'];

const FREE_FORM: readonly ContentType[] = ['text', 'template', 'interactive'];

/**
 * Meta's messaging rules as dated data. The engine only looks rows up by topic, channel and time:
 * moving a date, changing a country list or a cooldown is an edit here, never in the engine.
 */
export const POLICY_RULES: readonly PolicyRule[] = [
  {
    id: 'account.blocked',
    topic: 'account.blocked',
    source: 'messenger-platform.md §2.10; whatsapp-cloud-api.md §6 (368)',
  },
  {
    id: 'account.token_invalid',
    topic: 'account.token_invalid',
    source: 'messenger-platform.md §6 (190); whatsapp-cloud-api.md §6 (0, 190)',
  },
  {
    id: 'whatsapp.business_initiated_restriction',
    topic: 'account.business_initiated_restriction',
    channels: ['whatsapp'],
    params: { includesTemplatesInsideWindow: true },
    source: 'whatsapp-cloud-api.md §1.6 (ACCOUNT_RESTRICTION)',
    note: 'The reference infers [INF] that RESTRICTED_BIZ_INITIATED_MESSAGING stops all template sends; conservative: templates inside the window wait too.',
  },
  {
    id: 'contact.unreachable',
    topic: 'contact.unreachable',
    source: 'messenger-platform.md §6 (551, 1545041, 2018108); whatsapp-cloud-api.md §6 (131026)',
  },
  {
    id: 'messenger.content',
    topic: 'content.channel',
    channels: ['messenger'],
    params: { contentTypes: ['text', 'template', 'opt_in_request'] },
    source: 'messenger-platform.md §3.3, §3.5',
  },
  {
    id: 'instagram.content',
    topic: 'content.channel',
    channels: ['instagram'],
    params: { contentTypes: ['text', 'opt_in_request'] },
    source: 'messenger-platform.md §3.3 (utility templates are Page-only), §7',
  },
  {
    id: 'whatsapp.content',
    topic: 'content.channel',
    channels: ['whatsapp'],
    params: { contentTypes: ['text', 'template', 'interactive'] },
    source: 'whatsapp-cloud-api.md §4.1, §4.2, §5.5',
  },
  {
    id: 'content.kind',
    topic: 'content.kind',
    params: {
      contentByKind: {
        reply: FREE_FORM,
        proactive_update: FREE_FORM,
        marketing: FREE_FORM,
        utility: FREE_FORM,
        opt_in_request: ['opt_in_request'],
        human_agent_reply: ['text'],
      },
    },
    source: 'messenger-platform.md §3.4 (HUMAN_AGENT: human-written replies), §3.5',
  },
  {
    id: 'messenger.window.standard',
    topic: 'window.standard',
    channels: ['messenger'],
    params: { windowMs: STANDARD_WINDOW_MS, openers: ['message', 'postback', 'reaction', 'referral', 'ad_referral'] },
    source: 'messenger-platform.md §3.3, §4.1',
    note: 'Ad-started threads "may last up to 7 days" (Sep 2026) but the length is not in the payload: kept at 24 h.',
  },
  {
    id: 'instagram.window.standard',
    topic: 'window.standard',
    channels: ['instagram'],
    params: { windowMs: STANDARD_WINDOW_MS, openers: ['message', 'postback', 'reaction', 'referral', 'ad_referral'] },
    source: 'messenger-platform.md §4.1, §7',
    note: 'Ad-started threads "may last up to 7 days" (Sep 2026) but the length is not in the payload: kept at 24 h.',
  },
  {
    id: 'whatsapp.window.standard',
    topic: 'window.standard',
    channels: ['whatsapp'],
    params: { windowMs: STANDARD_WINDOW_MS, openers: ['message', 'postback', 'referral', 'ad_referral'] },
    source: 'whatsapp-cloud-api.md §5.1, §9 (5)',
    note: 'Whether a reaction opens the WhatsApp window is unconfirmed: conservatively it does not (the window runs from the last message).',
  },
  {
    id: 'human_agent',
    topic: 'human_agent',
    channels: ['messenger', 'instagram'],
    params: { windowMs: HUMAN_AGENT_WINDOW_MS },
    source: 'messenger-platform.md §3.4, §4.2, §7',
  },
  {
    id: 'messenger.tags.retired',
    topic: 'tags.retired',
    effectiveFrom: '2026-04-27',
    channels: ['messenger', 'instagram'],
    params: { tags: ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'] },
    source: 'messenger-platform.md §0, §3.4',
    note: 'The FAQ says 2026-01-12, the changelog error 100 from 2026-04-27; afterchat never sends these tags at any date, so only the explanation changes here.',
  },
  {
    id: 'messenger.utility_template',
    topic: 'utility_template',
    channels: ['messenger'],
    params: { category: 'UTILITY' },
    source: 'messenger-platform.md §3.3, §4.2, §9 (3)',
    note: 'That utility templates may go outside the 24 h window is [INF] (strongly implied, not quoted).',
  },
  {
    id: 'template.status',
    topic: 'template.status',
    channels: ['messenger', 'whatsapp'],
    params: { sendable: 'APPROVED', refusalByStatus: { PAUSED: 'template_paused', DISABLED: 'template_disabled' } },
    source: 'whatsapp-cloud-api.md §5.4; messenger-platform.md §3.3',
  },
  {
    id: 'whatsapp.template.category',
    topic: 'template.category',
    channels: ['whatsapp'],
    params: { requiredByKind: { utility: ['UTILITY'], marketing: ['MARKETING'] }, assumeWhenUnknown: 'MARKETING' },
    source: 'whatsapp-cloud-api.md §5.3',
    note: 'A template of unknown category is treated as MARKETING (the strictest gates, the highest price).',
  },
  {
    id: 'marketing.consent',
    topic: 'marketing.consent',
    source: 'messenger-platform.md §2.5, §5 (opt-out, 2300034); whatsapp-cloud-api.md §5.6',
    note: 'House rule: nothing marketing reaches an opted-out person, not even inside the window where Meta would allow promotion.',
  },
  {
    id: 'marketing.per_user_limit',
    topic: 'marketing.per_user_limit',
    source: 'whatsapp-cloud-api.md §5.7 (131049); messenger-platform.md §5 (2300042-2300044)',
    note: 'Meta pauses only paid or template marketing; afterchat also holds in-window promotion meanwhile, since a Messenger stop is recorded as an endless pause.',
  },
  {
    id: 'whatsapp.marketing.us_numbers',
    topic: 'marketing.us_numbers',
    effectiveFrom: '2025-04-01',
    channels: ['whatsapp'],
    params: { blockedWaIdPrefixes: ['1'] },
    source: 'whatsapp-cloud-api.md §0, §5.7',
    note: 'Meta blocks US numbers (+1 with a US area code); without an area-code table every +1 (NANP) number is refused.',
  },
  {
    id: 'messenger.marketing_message_api',
    topic: 'marketing_message_api',
    effectiveFrom: '2025-07-01',
    channels: ['messenger'],
    params: {
      businessCountries: ['AU', 'BR', 'CL', 'CO', 'HK', 'IN', 'ID', 'IL', 'MY', 'MX', 'NZ', 'PE', 'PH', 'SA', 'SG', 'TW', 'TH', 'AE', 'US', 'VN'],
      excludedRecipientCountries: [...EU, ...EEA_NOT_EU, ...UNITED_KINGDOM, 'JP', 'KR', 'AU'],
      minGapMs: DAY_MS,
      pricing: 'marketing_message',
    },
    source: 'messenger-platform.md §0, §5, §7, §9 (5)',
    note: 'Minimum gap per token: the send page says 12 h, the FAQ one per day: 24 h. Messenger does not tell the recipient country: unknown counts as allowed. EEA added to the excluded EU. Instagram has no Marketing Message API [INF].',
  },
  {
    id: 'messenger.recurring_notification.daily',
    topic: 'recurring_notification',
    effectiveUntil: '2025-09-01',
    channels: ['messenger'],
    params: { businessCountries: 'everywhere', cooldownMs: DAY_MS, pricing: 'free' },
    source: 'messenger-platform.md §0, §4.4',
    note: 'Instagram legacy opt-ins fall under the same shutdown [INF]: afterchat sends none on Instagram.',
  },
  {
    id: 'messenger.recurring_notification.48h',
    topic: 'recurring_notification',
    effectiveFrom: '2025-09-01',
    effectiveUntil: '2026-02-10',
    channels: ['messenger'],
    params: { businessCountries: 'everywhere', cooldownMs: 2 * DAY_MS, pricing: 'free' },
    source: 'messenger-platform.md §0, §4.2, §4.4',
    note: 'FAQ calls the product "deprecated" from 2026-01-12; it keeps working until the 2026-02-10 discontinuation, the hard cut-off used here.',
  },
  {
    id: 'messenger.recurring_notification.regional',
    topic: 'recurring_notification',
    effectiveFrom: '2026-02-10',
    channels: ['messenger'],
    params: { businessCountries: RECURRING_NOTIFICATION_COUNTRIES, cooldownMs: 2 * DAY_MS, pricing: 'free' },
    source: 'messenger-platform.md §0, §4.2, §9 (6)',
    note: 'Meta names "EU", not the EEA: IS/LI/NO are left out. No end date is known for the excepted countries.',
  },
  {
    id: 'messenger.opt_in_request',
    topic: 'opt_in_request',
    channels: ['messenger'],
    params: { perTitleCooldownMs: 7 * DAY_MS, caps: [] },
    source: 'messenger-platform.md §3.5, §4.3',
  },
  {
    id: 'instagram.opt_in_request',
    topic: 'opt_in_request',
    channels: ['instagram'],
    params: {
      perTitleCooldownMs: 7 * DAY_MS,
      caps: [
        { periodMs: DAY_MS, max: 5 },
        { periodMs: 7 * DAY_MS, max: 10 },
      ],
    },
    source: 'messenger-platform.md §4.3',
    note: 'Instagram counts a duplicate by title and image; counting by title alone is stricter.',
  },
  {
    id: 'messenger.pricing',
    topic: 'pricing',
    channels: ['messenger', 'instagram'],
    params: { freeForm: 'free', utilityInWindow: 'utility', utilityOutsideWindow: 'utility' },
    source: 'messenger-platform.md §3.3, §5',
    note: 'The reference says nothing about utility-template prices on Messenger: not claimed free.',
  },
  {
    id: 'whatsapp.pricing.service_conversations',
    topic: 'pricing',
    effectiveUntil: '2024-11-01',
    channels: ['whatsapp'],
    params: { freeForm: 'service', utilityInWindow: 'utility', utilityOutsideWindow: 'utility' },
    source: 'whatsapp-cloud-api.md §0, §5.8',
    note: 'Only 1,000 service conversations a month were free then: counted as service.',
  },
  {
    id: 'whatsapp.pricing.free_service',
    topic: 'pricing',
    effectiveFrom: '2024-11-01',
    effectiveUntil: '2025-07-01',
    channels: ['whatsapp'],
    params: { freeForm: 'free', utilityInWindow: 'utility', utilityOutsideWindow: 'utility' },
    source: 'whatsapp-cloud-api.md §0, §5.8',
  },
  {
    id: 'whatsapp.pricing.per_message',
    topic: 'pricing',
    effectiveFrom: '2025-07-01',
    effectiveUntil: '2026-10-01',
    channels: ['whatsapp'],
    params: { freeForm: 'free', utilityInWindow: 'free', utilityOutsideWindow: 'utility' },
    source: 'whatsapp-cloud-api.md §0, §5.8',
    note: 'Free entry point windows (72 h from the business reply to an ad) are not modelled: the reply time is not known, so nothing is claimed free on that ground.',
  },
  {
    id: 'whatsapp.pricing.billable_service',
    topic: 'pricing',
    effectiveFrom: '2026-10-01',
    channels: ['whatsapp'],
    params: { freeForm: 'service', utilityInWindow: 'utility', utilityOutsideWindow: 'utility' },
    source: 'whatsapp-cloud-api.md §0, §5.8, §9 (2)',
    note: 'The size of the per-number free tier for service messages is unknown: counted as billable.',
  },
];
