import type { Channel } from '../events';
import type { ErrorOutcome, MarketingDoor } from './error-classification';

/** One row of Meta's error table with afterchat's action for it. */
export interface ErrorRow {
  channels: readonly Channel[];
  code: number;
  /** Absent: any subcode (a row with the subcode wins over it). */
  subcode?: number;
  outcome: ErrorOutcome;
  note: string;
  source: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const ALL: readonly Channel[] = ['messenger', 'instagram', 'whatsapp'];
const INBOX: readonly Channel[] = ['messenger', 'instagram'];
const MESSENGER: readonly Channel[] = ['messenger'];
const WHATSAPP: readonly Channel[] = ['whatsapp'];

const M = 'messenger-platform.md §6';
const MM = 'messenger-platform.md §5, §6';
const W = 'whatsapp-cloud-api.md §6';
const WMM = 'whatsapp-cloud-api.md §6, §7';

const retry = (reason: string, retryAfterMs: number, scope: 'job' | 'recipient' | 'account'): ErrorOutcome => ({ action: 'retry', reason, retryAfterMs, scope });
const drop = (reason: string): ErrorOutcome => ({ action: 'drop', reason });
const stop = (reason: string, marketingOnly: boolean, forMs?: number): ErrorOutcome =>
  forMs === undefined ? { action: 'stop_contact', reason, marketingOnly } : { action: 'stop_contact', reason, marketingOnly, forMs };
const pauseTemplate = (reason: string): ErrorOutcome => ({ action: 'pause_template', reason });
const flag = (reason: string): ErrorOutcome => ({ action: 'flag_account', reason });
/** The door stays shut a day (Meta's onboarding and WABA settings change by hand); the job goes again at once. */
const reroute = (reason: string, door: MarketingDoor): ErrorOutcome => ({ action: 'reroute', reason, door, forMs: DAY_MS, retryAfterMs: 1_000 });

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Rows for several codes that mean the same. */
const each = (codes: readonly number[], row: (code: number) => ErrorRow): ErrorRow[] => codes.map(row);

/**
 * Meta's error codes and what a sender does about them. Retry delays are base values: the sender
 * backs off exponentially and gives up after its attempt limit, so no row retries forever.
 */
export const ERROR_TABLE: readonly ErrorRow[] = [
  // Transient: try again.
  { channels: ALL, code: 1, outcome: retry('transient_error', 30_000, 'job'), note: 'Unknown or unexpected error; bounded retries.', source: `${M}; ${W}` },
  { channels: ALL, code: 2, outcome: retry('service_unavailable', 30_000, 'job'), note: 'Temporary downtime or overload.', source: `${M}; ${W}` },
  { channels: ALL, code: 4, outcome: retry('app_rate_limit', MINUTE_MS, 'account'), note: 'App call limit: slow the whole app down.', source: `${M} (rate limits); ${W}` },
  { channels: INBOX, code: 17, outcome: retry('user_rate_limit', MINUTE_MS, 'account'), note: 'User request limit.', source: `${M} (rate limits)` },
  { channels: INBOX, code: 32, outcome: retry('page_rate_limit', MINUTE_MS, 'account'), note: 'Pages API limit (user token).', source: `${M} (rate limits)` },
  { channels: INBOX, code: 613, outcome: retry('rate_limit', MINUTE_MS, 'account'), note: 'Custom rate limit: back off per Page.', source: M },
  { channels: INBOX, code: 80001, outcome: retry('page_rate_limit', MINUTE_MS, 'account'), note: 'Pages API limit (Page or system token).', source: `${M} (rate limits)` },
  {
    channels: INBOX,
    code: 80006,
    outcome: retry('messenger_rate_limit', 5 * MINUTE_MS, 'account'),
    note: 'Messenger business-use-case limit; the regain time is in a header the failure does not carry, so minutes.',
    source: `${M} (rate limits)`,
  },
  { channels: WHATSAPP, code: 80007, outcome: retry('waba_rate_limit', MINUTE_MS, 'account'), note: 'WABA rate limit.', source: W },
  { channels: WHATSAPP, code: 130429, outcome: retry('throughput_limit', 2_000, 'account'), note: 'Messages per second of the number reached.', source: `${W}; whatsapp-cloud-api.md §5.10` },
  {
    channels: WHATSAPP,
    code: 131056,
    outcome: retry('pair_rate_limit', 6_000, 'recipient'),
    note: 'One message per 6 s to one person; Meta advises 4^X s, the sender doubles from 6 s. Other recipients are unaffected.',
    source: `${W}; whatsapp-cloud-api.md §5.10`,
  },
  { channels: WHATSAPP, code: 131000, outcome: retry('unknown_error', 30_000, 'job'), note: 'Unknown error; bounded retries then dead letter.', source: W },
  { channels: WHATSAPP, code: 131016, outcome: retry('service_unavailable', 30_000, 'job'), note: 'Service temporarily unavailable.', source: W },
  { channels: WHATSAPP, code: 131057, outcome: retry('maintenance', MINUTE_MS, 'account'), note: 'Account in maintenance (throughput upgrade): at least 60 s.', source: W },
  { channels: WHATSAPP, code: 2494100, outcome: retry('maintenance', 5 * MINUTE_MS, 'account'), note: 'Account in maintenance (migration): minutes.', source: W },
  { channels: WHATSAPP, code: 134101, outcome: retry('template_syncing', 10 * MINUTE_MS, 'job'), note: 'Marketing Messages API: template still syncing, up to 10 min.', source: WMM },
  { channels: WHATSAPP, code: 132069, outcome: retry('flow_throttled', HOUR_MS, 'job'), note: 'Flow throttled (10 messages per hour).', source: W },
  { channels: INBOX, code: 2018321, outcome: retry('thread_in_automated_flow', 10 * MINUTE_MS, 'recipient'), note: "Meta's automated Q&A holds the thread.", source: M },
  ...each([2300055, 2300061, 2300062], (code) => ({
    channels: MESSENGER,
    code,
    outcome: retry('marketing_api_try_later', 30 * MINUTE_MS, 'job'),
    note: 'Marketing Message API: "try again in about 30 minutes".',
    source: MM,
  })),

  // The request itself is wrong or unsupported: drop it.
  { channels: ALL, code: 100, outcome: drop('invalid_parameter'), note: 'Invalid parameter, invalid or expired opt-in token, or (since 2026-04-27) a retired tag.', source: `${M}; ${W}` },
  { channels: INBOX, code: 100, subcode: 2018001, outcome: drop('no_matching_user'), note: 'No such person for this Page.', source: M },
  { channels: INBOX, code: 100, subcode: 33, outcome: drop('object_not_found'), note: 'Object missing or not permitted.', source: M },
  ...each([2018008, 2018047, 2018109, 2018294], (subcode) => ({
    channels: INBOX,
    code: 100,
    subcode,
    outcome: drop('media_error'),
    note: 'Media fetch, upload, size or timeout: fix the media.',
    source: M,
  })),
  ...each([2534014, 2534015, 2534025, 2534037], (subcode) => ({
    channels: INBOX,
    code: 100,
    subcode,
    outcome: drop('instagram_request_invalid'),
    note: 'Instagram: no such user, invalid data, invalid private-reply comment, or not the thread owner.',
    source: M,
  })),
  { channels: INBOX, code: 9, subcode: 2018352, outcome: drop('opt_in_request_limit'), note: 'Too many opt-in requests to this person.', source: `${M}; messenger-platform.md §4.3` },
  { channels: INBOX, code: 10, subcode: 1404170, outcome: drop('opt_in_requests_restricted'), note: 'The Page may not send opt-in requests for now; other sends are unaffected.', source: M },
  { channels: INBOX, code: 10, subcode: 2018065, outcome: drop('window_closed'), note: 'Outside the window, needs News Messaging.', source: M },
  { channels: INBOX, code: 10, subcode: 2018336, outcome: drop('thread_impact'), note: 'User thread impact: investigate, no retry.', source: M },
  { channels: INBOX, code: 613, subcode: 1893016, outcome: drop('opt_in_request_duplicate'), note: 'Same opt-in title within a week.', source: `${M}; messenger-platform.md §4.3` },
  {
    channels: INBOX,
    code: 613,
    subcode: 2018338,
    outcome: drop('tag_rate_warning'),
    note: 'Meta warns about tagged sends to this person; dropping instead of resending lowers that rate.',
    source: `${M}; messenger-platform.md §3.4`,
  },
  { channels: INBOX, code: 2018300, outcome: drop('thread_owned_by_other_app'), note: 'Another app controls the thread (Conversation Routing).', source: M },
  { channels: INBOX, code: 9000001, outcome: drop('message_deleted'), note: 'The message was deleted.', source: M },
  { channels: MESSENGER, code: 2300005, outcome: drop('marketing_token_page_mismatch'), note: 'Subscription token belongs to another Page.', source: MM },
  ...each([2300030, 2300031, 2300032], (code) => ({
    channels: MESSENGER,
    code,
    outcome: drop('marketing_region_unavailable'),
    note: 'Marketing Message API not available for this region.',
    source: MM,
  })),
  ...each([131008, 131009, 132000, 132005, 132008, 132012, 132018, 135000], (code) => ({
    channels: WHATSAPP,
    code,
    outcome: drop('invalid_request'),
    note: 'Missing, invalid or mismatched parameters (131009 from the Marketing Messages API may also mean an ad sync in progress).',
    source: W,
  })),
  { channels: WHATSAPP, code: 131051, outcome: drop('unsupported_message_type'), note: 'Unsupported message type.', source: W },
  { channels: WHATSAPP, code: 131053, outcome: drop('media_upload_failed'), note: 'Media could not be uploaded: check type and size.', source: W },
  { channels: WHATSAPP, code: 131030, outcome: drop('recipient_not_allowed'), note: 'Recipient not in the test allow-list.', source: W },
  { channels: WHATSAPP, code: 131062, outcome: drop('auth_template_to_bsuid'), note: 'Authentication templates need the phone number, not the BSUID.', source: W },
  ...each([131055, 134100], (code) => ({
    channels: WHATSAPP,
    code,
    outcome: drop('marketing_endpoint_mismatch'),
    note: 'The Marketing Messages API takes only MARKETING templates: afterchat thought this one was (or its category is unknown, counted as MARKETING). Sync the template; the job is not resent.',
    source: WMM,
  })),
  { channels: WHATSAPP, code: 130472, outcome: drop('meta_experiment'), note: 'Person in a Meta experiment: not sent, not held against quality.', source: W },
  {
    channels: WHATSAPP,
    code: 130497,
    outcome: { action: 'restrict_country', reason: 'recipient_country_restricted', forMs: DAY_MS },
    note: 'The account may not message this country: the country (from the number) is held for the account; other countries are unaffected. Meta gives no duration: tried again after 24 h.',
    source: W,
  },
  { channels: WHATSAPP, code: 132068, outcome: drop('flow_blocked'), note: 'The flow is blocked.', source: W },
  { channels: WHATSAPP, code: 137000, outcome: drop('identity_changed'), note: "The person's identity key changed: verify before sending again.", source: W },
  // The window is closed: Meta saw it before afterchat did.
  { channels: WHATSAPP, code: 131047, outcome: drop('window_closed'), note: 'More than 24 h since the person wrote: a template is needed.', source: `${W}; whatsapp-cloud-api.md §5.1` },
  { channels: INBOX, code: 10, subcode: 2018278, outcome: drop('window_closed'), note: 'Sent outside the allowed window.', source: M },
  { channels: INBOX, code: 10, subcode: 2534022, outcome: drop('window_closed'), note: 'Sent outside the allowed window (Instagram).', source: M },

  // The person can't or won't receive: stop sending to them.
  { channels: INBOX, code: 551, outcome: stop('recipient_unavailable', false, 30 * DAY_MS), note: 'The person blocked the Page or cannot receive; a new message from them lifts it.', source: M },
  { channels: INBOX, code: 551, subcode: 1545041, outcome: stop('recipient_unavailable', false, 30 * DAY_MS), note: '"This person isn\'t available right now."', source: M },
  {
    channels: INBOX,
    code: 200,
    subcode: 1545041,
    outcome: stop('recipient_unavailable', false, 30 * DAY_MS),
    note: 'Labelled "window closed" on the send page and "person isn\'t available" in the error table: unavailable either way.',
    source: M,
  },
  { channels: INBOX, code: 10, subcode: 2018108, outcome: stop('recipient_unavailable', false, 7 * DAY_MS), note: 'Cannot receive "right now": try much later.', source: M },
  { channels: WHATSAPP, code: 131026, outcome: stop('undeliverable', false, 7 * DAY_MS), note: 'Not on WhatsApp, terms not accepted or an old app: may change.', source: W },
  { channels: WHATSAPP, code: 131021, outcome: stop('sender_is_recipient', false), note: 'The business number itself.', source: W },
  { channels: WHATSAPP, code: 130403, outcome: stop('business_blocked_user', false), note: 'The business blocked this person; only an operator unblocks.', source: W },
  { channels: WHATSAPP, code: 131050, outcome: stop('marketing_opted_out', true), note: 'The person stopped marketing messages; utility is unaffected.', source: `${W}; whatsapp-cloud-api.md §5.6` },
  {
    channels: WHATSAPP,
    code: 131049,
    outcome: stop('marketing_limit', true, DAY_MS),
    note: 'Per-person marketing limit (or a US number): retrying within 24 h can block delivery longer.',
    source: `${W}; whatsapp-cloud-api.md §5.7`,
  },
  { channels: INBOX, code: 10, subcode: 1893015, outcome: stop('opt_in_stopped', true), note: 'The person stopped this notification topic.', source: `${M}; messenger-platform.md §4.4` },
  {
    channels: INBOX,
    code: 4,
    subcode: 2018354,
    outcome: stop('recurring_notification_cooldown', true, 2 * DAY_MS),
    note: "Sent before the token's minimum delay (48 h since 2025-09-01).",
    source: `${M}; messenger-platform.md §4.4`,
  },
  { channels: MESSENGER, code: 2300034, outcome: stop('marketing_opted_out', true), note: 'Opted out of marketing messages; Meta sends no opt-out webhook.', source: MM },
  ...each([2300004, 2300037], (code) => ({
    channels: MESSENGER,
    code,
    outcome: stop('marketing_token_invalid', true),
    note: 'Subscription token invalid or expired.',
    source: MM,
  })),
  { channels: MESSENGER, code: 2300036, outcome: stop('marketing_recipient_unavailable', true, DAY_MS), note: 'Recipient cannot receive marketing messages now.', source: MM },
  { channels: MESSENGER, code: 2300035, outcome: stop('marketing_min_delay', true, DAY_MS), note: 'Minimum delay between marketing messages not reached.', source: MM },
  { channels: MESSENGER, code: 2300052, outcome: stop('marketing_gap_control', true, DAY_MS), note: 'Gap control between marketing messages.', source: MM },
  ...each([2300042, 2300043, 2300044], (code) => ({
    channels: MESSENGER,
    code,
    outcome: stop('marketing_frequency_cap', true, DAY_MS),
    note: 'Weekly/daily load caps or minimum organic threads (since 2026-04-10): do not retry this person soon.',
    source: MM,
  })),

  // The template can't be used.
  { channels: WHATSAPP, code: 132015, outcome: pauseTemplate('template_paused'), note: 'Paused for low quality, or held messages failed by pacing.', source: `${W}; whatsapp-cloud-api.md §5.4` },
  { channels: WHATSAPP, code: 132016, outcome: pauseTemplate('template_disabled'), note: 'Disabled for good: a new template is needed.', source: `${W}; whatsapp-cloud-api.md §5.4` },
  { channels: WHATSAPP, code: 132001, outcome: pauseTemplate('template_not_found'), note: 'No approved template of that name in that language.', source: W },
  { channels: WHATSAPP, code: 132007, outcome: pauseTemplate('template_policy_violation'), note: 'Template content violates policy.', source: W },

  // The account can't send: stop and alert.
  { channels: ALL, code: 190, outcome: flag('token_invalid'), note: 'Access token expired or invalidated: re-authorise.', source: `${M}; ${W}` },
  { channels: ALL, code: 10, outcome: flag('permission_denied'), note: 'Permission not granted or removed.', source: `${M}; ${W}` },
  { channels: ALL, code: 200, outcome: flag('permission_missing'), note: 'App not reviewed or permission missing.', source: `${M}; ${W}` },
  ...each(range(201, 299), (code) => ({
    channels: WHATSAPP,
    code,
    outcome: flag('permission_missing'),
    note: 'API permission errors (WhatsApp lists 200-299 as one class).',
    source: W,
  })),
  {
    channels: ALL,
    code: 368,
    outcome: flag('policy_block'),
    note: 'Temporarily blocked for policy violations (a Graph-wide code, listed for WhatsApp).',
    source: W,
  },
  { channels: INBOX, code: 10, subcode: 1893063, outcome: flag('page_restricted'), note: 'The Page may not send messages for now (added Jun 2026).', source: M },
  { channels: INBOX, code: 10, subcode: 2534077, outcome: flag('instagram_link_unverified'), note: 'Instagram account, Page and user link cannot be verified.', source: M },
  { channels: INBOX, code: 200, subcode: 2534041, outcome: flag('instagram_api_access_disabled'), note: 'The Instagram owner disabled API access to messages.', source: M },
  { channels: INBOX, code: 100, subcode: 2534013, outcome: flag('instagram_page_not_linked'), note: 'The Page is not linked to the Instagram account.', source: M },
  { channels: INBOX, code: 100, subcode: 2534029, outcome: flag('instagram_messaging_blocked'), note: 'The business is blocked from Instagram messaging.', source: M },
  { channels: INBOX, code: 2, subcode: 2018344, outcome: flag('terms_not_accepted'), note: 'Custom-labels terms not accepted.', source: M },
  { channels: INBOX, code: 2022, outcome: flag('commerce_messages_disabled'), note: 'Commerce messages disabled for policy reasons.', source: M },
  ...each([2300013, 2300019, 2300066, 2300067], (code) => ({
    channels: MESSENGER,
    code,
    outcome: flag('marketing_terms_not_accepted'),
    note: 'Marketing Message API terms not accepted by the app, Page or ad account.',
    source: MM,
  })),
  ...each([2300053, 2300054, 2300056, 2300057, 2300058, 2300059], (code) => ({
    channels: MESSENGER,
    code,
    outcome: flag('marketing_budget_or_payment'),
    note: 'Campaign budget, spend limit or payment problem.',
    source: MM,
  })),
  { channels: WHATSAPP, code: 0, outcome: flag('auth_failed'), note: 'Could not authenticate: rotate the system-user token.', source: W },
  { channels: WHATSAPP, code: 3, outcome: flag('capability_missing'), note: 'Capability or permission issue.', source: W },
  { channels: WHATSAPP, code: 33, outcome: flag('phone_number_deleted'), note: 'The business phone number was deleted.', source: W },
  { channels: WHATSAPP, code: 131005, outcome: flag('permission_denied'), note: 'Permission not granted or removed.', source: W },
  { channels: WHATSAPP, code: 131031, outcome: flag('account_locked'), note: 'Account locked (policy or two-step PIN).', source: W },
  { channels: WHATSAPP, code: 131037, outcome: flag('display_name_missing'), note: 'No approved display name.', source: W },
  { channels: WHATSAPP, code: 131042, outcome: flag('payment_issue'), note: 'Payment method problem.', source: W },
  { channels: WHATSAPP, code: 131044, outcome: flag('payment_issue'), note: 'Payment issue (calling).', source: W },
  { channels: WHATSAPP, code: 131045, outcome: flag('registration_error'), note: 'Phone number registration error.', source: W },
  { channels: WHATSAPP, code: 131048, outcome: flag('spam_rate_limited'), note: 'Too many blocks or reports: pause and check quality.', source: `${W}; whatsapp-cloud-api.md §5.12` },
  { channels: WHATSAPP, code: 131064, outcome: flag('template_classification_violation'), note: 'Messaging limited for template-category abuse.', source: `${W}; whatsapp-cloud-api.md §5.3` },
  { channels: WHATSAPP, code: 133010, outcome: flag('phone_not_registered'), note: 'The number is not registered on the platform.', source: W },
  ...each([133000, 133001, 133002, 133003, 133004, 133005, 133006, 133007, 133008, 133009, 133015, 133016], (code) => ({
    channels: WHATSAPP,
    code,
    outcome: flag('registration_error'),
    note: 'Registration, deregistration or PIN problem.',
    source: W,
  })),
  { channels: WHATSAPP, code: 134011, outcome: flag('payments_terms_pending'), note: 'Payments terms not accepted.', source: W },

  // One of WhatsApp's two marketing doors is shut for the account: close it for a day and send again through the other.
  {
    channels: WHATSAPP,
    code: 134102,
    outcome: reroute('marketing_api_not_eligible', 'marketing_messages_api'),
    note: "Marketing Messages API: not onboarded or not eligible (HTTP 500). The reference says HALT (MM API) and fall back to Cloud API: the account's marketingMessagesOnboarded flag is not trusted for 24 h and the job is sent again, through /messages while Meta takes marketing there (until 2027-10-13, reported), else refused marketing_api_required. Other sends are unaffected.",
    source: `${WMM} (134102: check the WABA's marketing_messages_lite_api_status = ONBOARDED)`,
  },
  {
    channels: WHATSAPP,
    code: 131063,
    outcome: reroute('cloud_api_marketing_disabled', 'cloud_api_marketing'),
    note: 'Marketing templates disabled on Cloud API (disable_marketing_messages_on_cloud_api, or Meta ended marketing on /messages): they stop going to /messages for 24 h and the job is sent again, through /marketing_messages when the account is onboarded, else refused marketing_api_required.',
    source: `${WMM} (131063: "send via /marketing_messages")`,
  },
];
