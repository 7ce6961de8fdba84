import { HUMAN_AGENT_WINDOW_MS, STANDARD_WINDOW_MS } from '../conversation-window';
import type { ContentType, PolicyRule, TemplateStatusRow } from './policy-rule-types';

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

const WA_DOCS = 'developers.facebook.com/documentation/business-messaging/whatsapp';
const ACCT = `${WA_DOCS}/webhooks/reference/account_update (Updated Apr 20 2026)`;
const TSU = `${WA_DOCS}/webhooks/reference/message_template_status_update (Updated Apr 13 2026)`;
const TPL = `${WA_DOCS}/templates/overview (Updated May 5 2026)`;
const PAUSE = `${WA_DOCS}/templates/template-pausing (Updated Oct 22 2025)`;
const ARCH = `${WA_DOCS}/templates/template-archival (Updated Apr 17 2026)`;
const MGMT = `${WA_DOCS}/templates/template-management (Updated Apr 13 2026)`;
const MM_ROUTING = `${WA_DOCS}/marketing-messages/route-template-messages/ (2026-09-21)`;
const STRICT_BECAUSE =
  "product_policy STRICT, not CLOUD_API_FALLBACK: the outbox must say which door and price a message took, and Meta's fallback would change both unseen (and after 2027-10-13 would fall back to a closed door); a refusal (134102) is instead seen, recorded, and the job sent again through /messages by afterchat's own rule.";
/** Template fundamentals' general rule, for statuses Meta describes without saying whether they send. */
const ONLY_APPROVED = `"Templates must have a status of APPROVED before they can be sent in template messages. If it is rejected, or if its status changes to any other value, it cannot be sent in template messages." (${TPL})`;

const notApproved = (quote: string, conservative?: string): TemplateStatusRow => ({
  sendable: false,
  refusal: 'template_not_approved',
  remedy: 'wait for Meta to approve it, or sync the templates',
  quote,
  ...(conservative === undefined ? {} : { conservative }),
});

/** Template review statuses as Meta's webhook names them (the admin view shows the stored one). */
const TEMPLATE_STATUSES: Record<string, TemplateStatusRow> = {
  APPROVED: { sendable: true, quote: `"Indicates the template has been approved and can now be sent in template messages." (${TSU})` },
  REINSTATED: {
    sendable: true,
    quote: `"Indicates the template is no longer flagged or disabled and can be sent in template messages again." (${TSU})`,
  },
  PAUSED: {
    sendable: false,
    refusal: 'template_paused',
    remedy: 'Meta unpauses it after 3 or 6 hours, or edit it',
    quote: `"When a message template is paused (status of Paused) it can't be sent to customers" (${PAUSE}); error 132015.`,
  },
  DISABLED: {
    sendable: false,
    refusal: 'template_disabled',
    remedy: 'create a new template',
    quote: `"Message templates with this status cannot be sent to customers." (${TPL}); error 132016 "permanently disabled".`,
  },
  REJECTED: notApproved(ONLY_APPROVED),
  PENDING: notApproved(`"Indicates the template is undergoing template review." (${TSU}); ${ONLY_APPROVED}`),
  IN_APPEAL: notApproved(`"Indicates the template is in the appeal process." (${TSU}); ${ONLY_APPROVED}`),
  FLAGGED: notApproved(
    `"Indicates the template has received negative feedback and is at risk of being disabled." (${TSU}); ${ONLY_APPROVED}`,
    'Meta does not say whether a flagged template still sends; Template fundamentals says any status but APPROVED does not, so afterchat holds it until REINSTATED or APPROVED.',
  ),
  LIMIT_EXCEEDED: notApproved(
    `"Indicates the WhatsApp Business Account template is at its template limit." (${TSU}); ${ONLY_APPROVED}`,
    'The status describes the account’s template count; Meta does not say whether the template sends, so the general rule applies.',
  ),
  LOCKED: notApproved(
    `"Indicates the template has been locked and cannot be edited." (${TSU}); ${ONLY_APPROVED}`,
    'Meta only says a locked template cannot be edited; the general rule holds it until a sync shows APPROVED.',
  ),
  UNARCHIVED: notApproved(
    `"…unarchived and restored to its previous status." (${TSU}; ${ARCH})`,
    'The webhook does not say which status the template returns to: held until a sync or an APPROVED event says it sends.',
  ),
  ARCHIVED: {
    sendable: false,
    refusal: 'template_archived',
    remedy: 'unarchive it in WhatsApp Manager',
    quote: `"Archived templates cannot be sent in template messages and are scheduled for deletion after 28 days." (${ARCH})`,
  },
  PENDING_DELETION: {
    sendable: false,
    refusal: 'template_deleted',
    remedy: 'create a new template',
    quote: `"Indicates template has been deleted via WhatsApp Manager." (${TSU}); messages already sent are still delivered for 30 days (${MGMT}).`,
  },
  DELETED: {
    sendable: false,
    refusal: 'template_deleted',
    remedy: 'create a new template',
    quote: `"Indicates the template has been deleted." (${TSU}); "Once deleted, the template cannot be recovered." (${ARCH})`,
  },
};

/** Any status Meta adds later (or the SDKs' UNKNOWN): not sendable until proven otherwise. */
const OTHER_TEMPLATE_STATUS = notApproved(ONLY_APPROVED, 'A status afterchat does not know is held, by the general rule.');

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
    id: 'account.sending_pause',
    topic: 'account.sending_pause',
    params: { tokenReasons: ['token_invalid', 'auth_failed'] },
    source: 'messenger-platform.md §6 (190, 10/1893063); whatsapp-cloud-api.md §6 (0, 190, 131031, 131048, 131064...)',
    note: 'Every error-table row whose action is flag_account pauses the account for 15 minutes, then sends are tried again; token errors are named as such so an operator knows what to fix.',
  },
  {
    id: 'whatsapp.business_initiated_restriction',
    topic: 'account.business_initiated_restriction',
    channels: ['whatsapp'],
    params: { includesTemplatesInsideWindow: true },
    source: `whatsapp-cloud-api.md §1.6 (ACCOUNT_RESTRICTION); Meta: ${ACCT}: RESTRICTED_BIZ_INITIATED_MESSAGING "Business cannot initiate conversations with customers."`,
    note: 'Conservative: templates inside the window wait too, since Meta does not say a template answer in the window is not "initiating".',
  },
  {
    id: 'whatsapp.customer_initiated_restriction',
    topic: 'account.customer_initiated_restriction',
    channels: ['whatsapp'],
    source: `whatsapp-cloud-api.md §1.6; Meta: ${ACCT}: RESTRICTED_CUSTOMER_INITIATED_MESSAGING "Business cannot respond to customer-initiated messages."`,
    note: 'Every send inside the window answers the person, templates included: all of them wait until the restriction expires.',
  },
  {
    id: 'whatsapp.country_restriction',
    topic: 'account.country_restriction',
    channels: ['whatsapp'],
    source: 'whatsapp-cloud-api.md §6 (130497: "WABA restricted from messaging users in certain countries", HALT for that country)',
    note: 'Meta names no duration: the country is held 24 h after each 130497, then tried again. The country comes from the number (libphonenumber-js); a person known only by a BSUID is not held.',
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
    params: { windowMs: STANDARD_WINDOW_MS, openers: ['message', 'postback', 'reaction', 'referral', 'ad_referral', 'plugin_optin'] },
    source: 'messenger-platform.md §3.3, §4.1 ("messages via Send-to-Messenger / checkbox plugin"; update from "plugin optin (not marketing optin)")',
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
    id: 'window.closing',
    topic: 'window.closing',
    params: { marginMs: 30_000 },
    source: 'whatsapp-cloud-api.md §5.1 ("keep a 60-120 s safety margin" [INF]); messenger-platform.md §4.1',
    note: "Deliberately conservative: a free-form send decided this close to the window's end is refused (window_closing) so pacing and the Graph call (10 s timeout) can't carry it past Meta's edge. The default covers a 20 s pacing wait plus the call; the stack setting windowClosingMarginSeconds overrides it.",
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
    params: { statuses: TEMPLATE_STATUSES, otherwise: OTHER_TEMPLATE_STATUS },
    source: `whatsapp-cloud-api.md §1.6, §5.4; messenger-platform.md §3.3; Meta: ${TSU}; ${TPL}; ${PAUSE}; ${ARCH}; ${MGMT}`,
    note: 'Meta names every status the message_template_status_update webhook sends; sendability is quoted per status. Messenger utility templates share the table (Meta documents APPROVED as the sendable state there too).',
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
    note: 'WhatsApp: "every delivered marketing template counts, except those sent inside a customer service window that the user opened" (§5.7), so a 131049 back-off holds marketing templates outside the window only. Messenger: afterchat also holds in-window promotion meanwhile, since a Messenger stop is recorded as an endless pause.',
  },
  {
    id: 'whatsapp.marketing.us_numbers',
    topic: 'marketing.us_numbers',
    effectiveFrom: '2025-04-01',
    channels: ['whatsapp'],
    params: { callingCode: '1', blockedCountries: ['US', 'PR', 'VI', 'GU', 'AS', 'MP'], blockUnknownAreaCodes: true },
    source: 'whatsapp-cloud-api.md §0, §5.7 (M-PUL: "+1 country calling code and US area code"); area codes from libphonenumber-js metadata',
    note: 'Canada and the Caribbean nations keep marketing. Conservative: US territories (their area codes are US-administered) and +1 numbers whose area code matches no country are refused too.',
  },
  {
    id: 'whatsapp.authentication_recipient',
    topic: 'template.authentication_recipient',
    channels: ['whatsapp'],
    source: 'whatsapp-cloud-api.md §6 (131062: "Auth templates cannot be sent to a BSUID")',
  },
  {
    id: 'whatsapp.marketing_template_route.cloud_api',
    topic: 'marketing_template_route',
    effectiveUntil: '2026-09-21',
    channels: ['whatsapp'],
    params: { marketingMessagesApi: false, cloudApi: true, productPolicy: 'STRICT' },
    source: 'whatsapp-cloud-api.md §4.1, §7',
    note: 'Before Meta asked partners to route by category, the Marketing Messages API was optional: afterchat sent every template through /messages.',
  },
  {
    id: 'whatsapp.marketing_template_route.by_category',
    topic: 'marketing_template_route',
    effectiveFrom: '2026-09-21',
    effectiveUntil: '2027-10-13',
    channels: ['whatsapp'],
    params: { marketingMessagesApi: true, cloudApi: true, productPolicy: 'STRICT' },
    source: `meta-and-peers-2026h2.md §0 (2), §2.2; whatsapp-cloud-api.md §7; Meta: ${MM_ROUTING}: MARKETING templates to /<PHONE_NUMBER_ID>/marketing_messages, all else to /messages, by each template's latest completed template_category_update`,
    note: `Only accounts registered with marketingMessagesOnboarded use /marketing_messages (the operator's word; Meta's MM_LITE_TERMS_SIGNED is recorded, not trusted alone); the others keep /messages. ${STRICT_BECAUSE}`,
  },
  {
    id: 'whatsapp.marketing_template_route.cloud_api_sunset',
    topic: 'marketing_template_route',
    effectiveFrom: '2027-10-13',
    channels: ['whatsapp'],
    params: { marketingMessagesApi: true, cloudApi: false, productPolicy: 'STRICT' },
    source: `meta-and-peers-2026h2.md §0 (2), §2.2 [3P]: github.com/orgs/chatwoot/discussions/16330, citing a Meta roadmap notice not found in the references; ${MM_ROUTING} points the same way`,
    note: `UNCONFIRMED [3P]: the end of marketing templates on Cloud API /messages. From this date a MARKETING template of an account not onboarded is refused marketing_api_required instead of going to /messages; move the date (or delete the row) when Meta confirms. ${STRICT_BECAUSE}`,
  },
  {
    id: 'whatsapp.bsuid_recipient_field',
    topic: 'bsuid_recipient',
    channels: ['whatsapp'],
    params: { field: 'recipient' },
    source:
      'The references disagree. whatsapp-cloud-api.md §4.1, §9 (1) (M-BSUID, Meta\'s BSUID page excerpt: `to` takes a phone number or a BSUID) vs meta-and-peers-2026h2.md §2.3 (Secreto31126/whatsapp-api-js src/index.ts @1ef1b00 lines 263-273, ChatbotX #965 "a BSUID in `to` is silently dropped", open-chat-studio #3322, Chatwoot #15537: the BSUID in a separate top-level `recipient`, `to` only for a phone number)',
    note: 'Unconfirmed on the live Messages reference: the majority (and conservative) view, `recipient`, is the default, since a BSUID in `to` is reported to be accepted and never delivered, while a wrong `recipient` at least fails loudly. Set field to `to` if Meta confirms its BSUID page. A person whose phone number is known is addressed by it, in `to`.',
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
