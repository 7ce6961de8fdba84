/**
 * The policy engine's decision in a marketer's words: a refusal's reason code as a sentence that
 * says what stops the message and what would let it through (README "Refusal reasons"), a route
 * and its pricing category as what the message is and what Meta charges. Pure: no DOM, so the unit
 * project tests it.
 */

const REASONS: Readonly<Record<string, string>> = {
  window_closed: 'This person hasn’t written in the last 24 hours (or never has), so a free-form message can’t reach them: send an approved template instead.',
  window_closing: 'The 24-hour window closes in a few seconds, too soon for this message to arrive in time: send an approved template instead.',
  human_agent_needs_human: 'Only a person (not automation) may reply this late: send it as written by a person.',
  human_agent_window_closed: 'This person last wrote more than 7 days ago, too long for a human agent reply: send an approved template instead.',
  human_agent_not_on_channel: 'WhatsApp has no late human agent replies: outside the 24-hour window only an approved template reaches this person.',
  tag_retired: 'Meta retired the message tag this update would need: send an approved template instead.',
  recurring_notifications_discontinued: 'Meta no longer offers recurring notifications for this business or person.',
  recurring_notification_cooldown: 'This person received a recurring notification too recently: wait until the next one is allowed.',
  marketing_messages_unavailable: 'Marketing messages can’t reach people on this account: Instagram has none, and a Page needs its country set.',
  no_active_opt_in: 'This person hasn’t opted in to marketing messages on this topic: ask them to opt in first.',
  opt_in_stopped: 'This person stopped the marketing messages they had opted in to.',
  no_marketing_consent: 'This contact only came from an import, without recorded consent to marketing: import their consent or ask them in the chat first.',
  marketing_opted_out: 'This person opted out of marketing messages: nothing promotional may be sent until they opt in again.',
  marketing_limit_backoff: 'Meta is holding marketing messages to this person for now: try again later.',
  marketing_to_us_number: 'Meta doesn’t deliver marketing templates to US phone numbers.',
  marketing_api_required: 'No way is open for marketing templates from this WhatsApp account right now: it needs the Marketing Messages API.',
  auth_template_to_bsuid: 'An authentication template needs the person’s phone number, and only their WhatsApp user id is known.',
  recipient_country_restricted: 'Meta restricted this account from messaging people in this person’s country for now.',
  template_unknown: 'This template isn’t known for the account: check its name and language, or sync the templates.',
  template_not_approved: 'This template isn’t approved by Meta (yet).',
  template_paused: 'Meta paused this template because of its quality: edit it or use another one.',
  template_disabled: 'Meta disabled this template: use another one.',
  template_archived: 'This template is archived: use another one.',
  template_deleted: 'This template was deleted: use another one.',
  template_category_mismatch: 'The template’s category doesn’t match the kind of message (a utility send needs a utility template, a marketing send a marketing one).',
  opt_in_request_outside_window: 'An opt-in request can only be sent while the 24-hour window is open.',
  opt_in_request_too_soon: 'This person was asked to opt in with this title less than a week ago.',
  account_blocked: 'The account is blocked by Meta, so it can’t send anything.',
  account_restricted: 'Meta restricted the account from sending for now.',
  token_invalid: 'Meta refused the account’s access token: renew it before sending.',
  account_paused: 'Sending from this account is paused for a few minutes after an error from Meta.',
  recipient_unreachable: 'Meta says this person can’t be reached until they write again.',
  content_not_supported: 'This kind of content can’t be sent to this person this way.',
  messaging_limit_reached: 'The WhatsApp account reached its daily limit of people it may start conversations with.',
};

const when = (iso: string): string => `${new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' })} UTC`;

/**
 * A refusal as one or two sentences: why, and when it may go (when waiting helps). An unknown
 * reason falls back to the engine's own sentence, which is always one a person can act on.
 */
export const refusalSentence = (refusal: { reason: string; detail: string; earliestAt?: string }): string => {
  const sentence = REASONS[refusal.reason] ?? refusal.detail;
  return refusal.earliestAt ? `${sentence} It can be sent from ${when(refusal.earliestAt)}.` : sentence;
};

const ROUTES: Readonly<Record<string, string>> = {
  'messenger.response': 'Messenger reply inside the 24-hour window',
  'messenger.update': 'Messenger update inside the 24-hour window',
  'messenger.human_agent': 'Messenger human agent reply (up to 7 days)',
  'messenger.utility_template': 'Messenger utility template',
  'messenger.marketing_message': 'Messenger marketing message',
  'messenger.recurring_notification': 'Messenger recurring notification',
  'messenger.opt_in_request': 'Messenger opt-in request',
  'instagram.response': 'Instagram reply inside the 24-hour window',
  'instagram.update': 'Instagram update inside the 24-hour window',
  'instagram.human_agent': 'Instagram human agent reply (up to 7 days)',
  'instagram.opt_in_request': 'Instagram opt-in request',
  'whatsapp.free_form': 'WhatsApp free-form message inside the 24-hour window',
  'whatsapp.template': 'WhatsApp template',
  'whatsapp.marketing_message': 'WhatsApp marketing template through the Marketing Messages API',
};

/** A route as what the message is; an unknown one as its code. */
export const routeWords = (route: string): string => ROUTES[route] ?? route;

const PRICING: Readonly<Record<string, string>> = {
  free: 'free',
  service: 'charged by Meta as a service message (a reply inside the customer service window)',
  utility: 'charged by Meta as a utility message',
  marketing: 'charged by Meta as a marketing message',
  marketing_lite: 'charged by Meta as a marketing message (Marketing Messages API)',
  authentication: 'charged by Meta as an authentication message',
  marketing_message: 'charged by Meta as a Messenger marketing message',
};

/** What Meta charges for the message, by the engine's pricing category. */
export const pricingWords = (pricing: string): string => PRICING[pricing] ?? pricing;
