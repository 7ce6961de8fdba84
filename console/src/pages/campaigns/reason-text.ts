/**
 * Skip and refusal reasons as a marketer reads them: the planner's, the dispatcher's and the policy
 * engine's codes (README "How a firing is dispatched", "Refusal reasons"). Pure, for the unit tests.
 */
const REASONS: Record<string, string> = {
  not_in_audience: 'Not in the audience (a filter left them out)',
  account_unknown: 'The sending account is not registered',
  duplicate: 'Listed twice (another of the person’s ids)',
  quiet_hours: 'In quiet hours on their clock',
  frequency_cap: 'Frequency cap: had enough marketing lately',
  missing_parameter: 'A template parameter had no value for them',
  recipient_cap: 'Over the campaign’s recipient cap',
  cost_cap: 'Over the campaign’s cost cap',
  too_late: 'Their local time had passed by more than 30 minutes',
  contact_missing: 'The contact is gone (erased or never stored)',
  already_sent: 'Already sent this message today',
  window_closed: 'Their 24 h window is closed: free text needs a template',
  window_closing: 'Their window was about to close',
  no_active_opt_in: 'No active opt-in for the topic',
  opt_in_stopped: 'They stopped the topic’s opt-in',
  no_marketing_consent: 'Imported without marketing consent',
  marketing_opted_out: 'They stopped marketing messages',
  marketing_limit_backoff: 'Meta’s per-person marketing limit: held for now',
  marketing_to_us_number: 'No marketing templates to US numbers',
  marketing_messages_unavailable: 'No marketing route to them on this account',
  marketing_api_required: 'Needs the Marketing Messages API (not onboarded)',
  recipient_country_restricted: 'Their country is restricted for this account',
  recipient_unreachable: 'Meta said they can’t be reached',
  recurring_notifications_discontinued: 'Recurring notifications are discontinued here',
  recurring_notification_cooldown: 'Their opt-in token’s cooldown',
  template_unknown: 'The template is not known for the account',
  template_not_approved: 'The template is not approved',
  template_paused: 'The template is paused by Meta',
  template_disabled: 'The template is disabled by Meta',
  template_archived: 'The template is archived',
  template_deleted: 'The template was deleted',
  template_category_mismatch: 'The template’s category does not match the campaign’s kind',
  content_not_supported: 'The route can’t carry this content',
  account_blocked: 'The account is blocked by Meta',
  account_restricted: 'The account is restricted by Meta',
  account_paused: 'Sends from the account are paused after an error',
  token_invalid: 'Meta rejected the account’s token',
  messaging_limit_reached: 'The number’s daily messaging limit was reached',
  auth_template_to_bsuid: 'Authentication templates need the phone number',
  campaign_deleted: 'The campaign was deleted while it ran',
};

/** The readable sentence for a reason code, when the console knows the code. */
export const knownReasonText = (code: string): string | undefined => REASONS[code];

/** A readable sentence for a reason code; an unknown code as itself, with its underscores as spaces. */
export const reasonText = (code: string): string => REASONS[code] ?? code.replace(/_/g, ' ');

/** The follow-up states (lambdas/domain/campaign/follow-up-state.ts) with their labels, in funnel order. */
export const FOLLOW_UP_STATES = [
  { state: 'not_delivered', label: 'Sent, not delivered' },
  { state: 'not_read', label: 'Delivered, not read' },
  { state: 'read_not_clicked', label: 'Read, not clicked' },
  { state: 'clicked_not_converted', label: 'Clicked, not converted' },
  { state: 'limited_by_meta', label: 'Limited by Meta (retry once the limit has passed)' },
  { state: 'failed', label: 'Failed' },
] as const;

export type FollowUpState = (typeof FOLLOW_UP_STATES)[number]['state'];
