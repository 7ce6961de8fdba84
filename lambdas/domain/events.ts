/**
 * Normalised webhook events: what a Meta webhook means for afterchat's state, independent of the
 * channel's wire format. Schemas in `lambdas/schemas` parse Meta's payloads; normalisers in
 * `lambdas/normalise` turn them into these; `state-changes.ts` turns these into state writes.
 */

export type Channel = 'messenger' | 'instagram' | 'whatsapp';

/** The business account a webhook concerns: Page id, Instagram account id, WhatsApp phone_number_id or WABA id. */
export interface AccountRef {
  channel: Channel;
  accountId: string;
}

/** One person as seen by one business account: PSID, IGSID, or WhatsApp wa_id / BSUID. */
export interface ContactRef extends AccountRef {
  userId: string;
}

/** What opened (or re-opened) the conversation window. */
export type WindowOpener = 'message' | 'postback' | 'reaction' | 'referral' | 'ad_referral' | 'plugin_optin';

export type MessageStatusValue = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

interface EventBase {
  /**
   * Globally unique, deterministic identity of the event (same on every re-delivery), e.g.
   * `messenger#<pageId>#mid#<mid>` or `whatsapp#<phoneNumberId>#status#<wamid>#delivered`.
   * Built only from ids Meta sends; free text is hashed (see `event-key.ts`).
   */
  eventKey: string;
  /** Meta's own time for the event, ms since epoch; never the time we received it. */
  occurredAt: number;
  /** Delivered on the `standby` array (this app does not own the thread). */
  standby?: boolean;
}

/** A person did something that opens the window: message, postback, reaction, referral, ad referral. */
export interface InboundEvent extends EventBase {
  type: 'inbound';
  contact: ContactRef;
  opener: WindowOpener;
  /** mid / wamid of the inbound message, when it is one. */
  messageId?: string;
  /** Present when the person came from an ad (Click-to-Messenger / Click-to-Direct / Click-to-WhatsApp). */
  adReferral?: { adId?: string; source?: string; ctwaClid?: string };
  /** WhatsApp identities seen on the event (both may be known; either may be empty in 2026 payloads). */
  identities?: WhatsAppIdentities;
  /**
   * What the person wrote or tapped, when automation could act on it (automation/said.ts): a text
   * short enough to be a keyword, a quick-reply, postback or button payload. Never stored: only
   * handed to automation.
   */
  said?: Said;
  /**
   * The message a tapped button, quick reply or list row answers (WhatsApp `context.id`, Messenger
   * `reply_to.mid`), when Meta names it: a tap on afterchat's message counts as its click (README "Clicks").
   */
  answers?: string;
}

export interface Said {
  text?: string;
  payload?: string;
}

export interface WhatsAppIdentities {
  waId?: string;
  bsuid?: string;
}

/** The business sent something (Messenger/Instagram echo, a WhatsApp echo). Never opens a window. */
export interface EchoEvent extends EventBase {
  type: 'echo';
  contact: ContactRef;
  messageId: string;
  appId?: string;
  metadata?: string;
  /**
   * Where it was sent from when the webhook field says: a marketing message (Messenger
   * `marketing_message_echoes`), or the WhatsApp Business app on a coexistence number
   * (`smb_message_echoes`). Absent: a Send API message, afterchat's own or another tool's.
   */
  origin?: 'marketing_message' | 'business_app';
}

/** Status of one outbound message (WhatsApp statuses, Messenger delivery mids, IG seen, MM API). */
export interface MessageStatusEvent extends EventBase {
  type: 'message_status';
  messageId: string;
  status: MessageStatusValue;
  contact?: ContactRef;
  /**
   * Meta's error on a `failed` status. WhatsApp gives a code; the Marketing Message API's
   * `delivery_failed` gives only a message, kept as the title.
   */
  error?: { code?: number; title?: string };
  /** The account the message was sent from (WhatsApp phone_number_id), when the report names it. */
  account?: AccountRef;
  /** WhatsApp: the business account (WABA) the number belongs to, which holds its templates. */
  businessAccountId?: string;
  /**
   * The template the message used. Meta's status doesn't say; the webhook looks it up in the outbox
   * for a failure that concerns the template (132015...), so the template's pause is recorded too.
   */
  template?: { name: string; language: string };
  pricing?: { category?: string; type?: string; pricingModel?: string; billable?: boolean };
  /** Messenger `metadata` / WhatsApp `biz_opaque_callback_data`, to correlate with the outbox. */
  callbackData?: string;
  identities?: WhatsAppIdentities;
}

/** Messenger delivery/read watermark: everything sent before `watermark` (ms) was delivered/read. */
export interface WatermarkEvent extends EventBase {
  type: 'watermark';
  contact: ContactRef;
  kind: 'delivered' | 'read';
  watermark: number;
}

/** Messenger/Instagram marketing-message opt-in, stop or resume, keyed by its token. */
export interface OptInEvent extends EventBase {
  type: 'opt_in';
  contact: ContactRef;
  token: string;
  change: 'opt_in' | 'stop' | 'resume';
  title?: string;
  payload?: string;
  timezone?: string;
  /** Legacy recurring-notification frequency (DAILY/WEEKLY/MONTHLY) on pre-2023 tokens. */
  frequency?: string;
  /** ms since epoch; tokens created after 2023-08-10 do not expire. */
  tokenExpiresAt?: number;
  userTokenStatus?: string;
}

/**
 * WhatsApp `system` messages `user_changed_number` / `user_changed_user_id`: the person now has a new
 * phone number and/or business-scoped user id. `contact` is the person under their new key; the
 * previous ids are linked to it so a send to them reaches the same person.
 */
export interface IdentityChangeEvent extends EventBase {
  type: 'identity_change';
  contact: ContactRef;
  change: 'number' | 'user_id';
  current: WhatsAppIdentities & { parentBsuid?: string };
  previous: WhatsAppIdentities & { parentBsuid?: string };
}

/** WhatsApp `user_preferences`: the person stopped or resumed marketing messages. */
export interface MarketingPreferenceEvent extends EventBase {
  type: 'marketing_preference';
  contact: ContactRef;
  value: 'stop' | 'resume';
  category: string;
  identities?: WhatsAppIdentities;
}

/** A template's review status changed (WhatsApp `message_template_status_update`). */
export interface TemplateStatusEvent extends EventBase {
  type: 'template_status';
  account: AccountRef;
  templateId?: string;
  name: string;
  language: string;
  status: string;
  reason?: string;
  category?: string;
}

export interface TemplateQualityEvent extends EventBase {
  type: 'template_quality';
  account: AccountRef;
  templateId?: string;
  name: string;
  language: string;
  quality: string;
  previousQuality?: string;
}

export interface TemplateCategoryEvent extends EventBase {
  type: 'template_category';
  account: AccountRef;
  templateId?: string;
  name: string;
  language: string;
  /** The category now in force (`new_category`). */
  category: string;
  previousCategory?: string;
  /** Sent about 24 h before Meta re-categorises. */
  correctCategory?: string;
}

/** Messenger/Instagram `policy_enforcement`: warning, block or unblock of a Page. */
export interface PagePolicyEvent extends EventBase {
  type: 'page_policy';
  account: AccountRef;
  action: 'warning' | 'block' | 'unblock';
  reason?: string;
}

/** WhatsApp `phone_number_quality_update` (entry id is the WABA). */
export interface PhoneQualityEvent extends EventBase {
  type: 'phone_quality';
  account: AccountRef;
  displayPhoneNumber?: string;
  event: string;
  messagingLimit?: string;
}

/** WhatsApp `account_update` (restrictions, violations, bans, pricing tiers...). */
export interface AccountUpdateEvent extends EventBase {
  type: 'account_update';
  account: AccountRef;
  event: string;
  restrictions?: { type: string; expiresAt?: number }[];
  violationType?: string;
  banState?: string;
}

/** Who answers a thread: afterchat's app, another app, or Meta Business Agent (WhatsApp). */
export type ThreadHolder = 'this_app' | 'other_app' | 'meta_business_agent';

/** Handover / Conversation Routing: who controls the thread. */
export interface ThreadControlEvent extends EventBase {
  type: 'thread_control';
  contact: ContactRef;
  action: 'pass' | 'take' | 'request' | 'release';
  newOwnerAppId?: string;
  previousOwnerAppId?: string;
  /** Who holds the thread after this event, when the event says (pass to us, take from us). */
  holder?: ThreadHolder;
  /** WhatsApp Conversation Routing roles (`ai_agent`, `escalation`, `customer_service`...). */
  newOwnerRole?: string;
  previousOwnerRole?: string;
}

/**
 * An error Meta reported about the account rather than one message (WhatsApp value-level
 * `errors[]`): it names no person, so only account-wide outcomes apply.
 */
export interface AccountErrorEvent extends EventBase {
  type: 'account_error';
  account: AccountRef;
  code: number;
  title?: string;
}

/** A known event that changes no state (edits, response feedback, app roles, deletions...). */
/**
 * A person followed a link of a Marketing Message API message (`marketing_message_clicks`): Meta
 * tracks those links itself. Names the send by its tracking id, else by the campaign message.
 */
export interface MarketingClickEvent extends EventBase {
  type: 'marketing_click';
  contact: ContactRef;
  messageId?: string;
  campaignMessageId?: string;
}

export interface NotedEvent extends EventBase {
  type: 'noted';
  account: AccountRef;
  what: string;
}

export type WebhookEvent =
  | InboundEvent
  | MarketingClickEvent
  | EchoEvent
  | MessageStatusEvent
  | WatermarkEvent
  | OptInEvent
  | MarketingPreferenceEvent
  | IdentityChangeEvent
  | TemplateStatusEvent
  | TemplateQualityEvent
  | TemplateCategoryEvent
  | PagePolicyEvent
  | PhoneQualityEvent
  | AccountUpdateEvent
  | ThreadControlEvent
  | AccountErrorEvent
  | NotedEvent;

/** An item the schemas did not recognise: logged and skipped, never fails the batch. */
export interface SkippedItem {
  /** Where in the body, e.g. `entry[0].messaging[3]` or `entry[1].changes[0]`. */
  path: string;
  /** Short reason: the zod issue summary or "unknown field <x>". Never contains payload values. */
  reason: string;
}

export interface NormalisedBatch {
  events: WebhookEvent[];
  skipped: SkippedItem[];
}
