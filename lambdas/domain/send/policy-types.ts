import type { Channel, WindowOpener } from '../events';

/** What the policy engine knows about the recipient, built from stored state (see send/state adapter). */
export interface ContactPolicyState {
  lastInboundAt?: number;
  /** Last time the person wrote (not reacted): HUMAN_AGENT's 7 days run from here. */
  lastMessageAt?: number;
  openedBy?: WindowOpener;
  /** Last message that came from an ad (CTM/CTD/CTWA): free-entry-point windows. */
  lastAdReferralAt?: number;
  /** WhatsApp `user_preferences` stop, or 131050 seen on a send. */
  marketingOptOut?: boolean;
  /** The person wrote a STOP keyword to this account (automation, keywords.ts), until they write START. */
  keywordOptOut?: { keyword: string; at?: number };
  /** Messenger/Instagram marketing opt-in tokens. */
  optIns: OptInPolicyState[];
  /** WhatsApp per-user marketing limit (131049): no marketing before this time. */
  marketingPausedUntil?: number;
  /** The person can't be reached (551, 2018108, 131026...): no sends before this time. */
  unreachableUntil?: number;
  /** Last opt-in request sent per title (Messenger: one per title per week). */
  optInRequestsAt?: Record<string, number>;
  /** WhatsApp phone number (wa_id) when known: +1 numbers get no marketing templates. */
  waId?: string;
  /** ISO 3166-1 alpha-2 country of the person when known (CRM import): Messenger marketing regions. */
  country?: string;
  /**
   * A WhatsApp contact only a CSV import knows of: the import created it, the person never wrote,
   * and no express consent is recorded. Marketing to them needs a consent (domain/import/sendable.ts).
   */
  importedWithoutConsent?: boolean;
}

export interface OptInPolicyState {
  token: string;
  topic?: string;
  title?: string;
  status: 'active' | 'stopped';
  optedInAt?: number;
  /** Last marketing message sent on this token (legacy recurring notifications: 1 per 48 h). */
  lastSentAt?: number;
}

export interface TemplatePolicyState {
  /** Meta's review status: APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ... */
  status: string;
  /** MARKETING, UTILITY, AUTHENTICATION (WhatsApp) or UTILITY (Messenger). */
  category?: string;
}

/** What the policy engine knows about the sending account. */
export interface AccountPolicyState {
  channel: Channel;
  accountId: string;
  /** ISO 3166-1 alpha-2 country of the business (region rules of Messenger marketing products). */
  country?: string;
  /** Messenger/Instagram `policy_enforcement` block, or a WhatsApp Business Account disabled, deleted or offboarded. */
  blocked?: boolean;
  /** What Meta said, for the refusal's sentence (e.g. `DISABLED_UPDATE: DISABLE`). */
  blockReason?: string;
  /**
   * Meta refused a send for a reason of the whole account (a token it rejected, a Page restricted
   * for now, a locked number...): nothing goes out until `until`. `reason` is the error table's.
   */
  sendingPause?: { until: number; reason: string; code?: number };
  /** WhatsApp ACCOUNT_RESTRICTION on business-initiated messaging, until this time. */
  businessInitiatedRestrictedUntil?: number;
  /** Countries Meta refused for this WhatsApp account (130497), each until it is tried again. */
  restrictedCountries?: Readonly<Record<string, number>>;
  /** WhatsApp ACCOUNT_RESTRICTION on answering customer-initiated messages (replies in the window), until this time. */
  customerInitiatedRestrictedUntil?: number;
  /** Known templates by `<name>#<language>` (WhatsApp: of the phone number's WABA). */
  templates: Record<string, TemplatePolicyState>;
  /**
   * WhatsApp: the operator says the WABA is onboarded to the Marketing Messages API (account
   * registration `marketingMessagesOnboarded`); MARKETING templates then go to `/marketing_messages`.
   */
  marketingMessagesOnboarded?: boolean;
  /** WhatsApp: Meta refused the Marketing Messages API for this account (134102): the flag is not trusted until then. */
  marketingMessagesPausedUntil?: number;
  /** WhatsApp: Meta refused marketing templates on Cloud API `/messages` for this account (131063) until then. */
  cloudApiMarketingClosedUntil?: number;
  /** Messages per second Meta allows the account (registration `throughputPerSecond`); absent: the channel's default. Pacing only. */
  throughputPerSecond?: number;
  /** WhatsApp: the business portfolio the number's messaging limit is shared in (registration `businessPortfolioId`). Pacing only. */
  businessPortfolioId?: string;
  /** WhatsApp: the portfolio's latest `max_daily_conversations_per_business` (`TIER_2K`...) Meta reported. Pacing only. */
  messagingLimitTier?: string;
}

/** Every door afterchat can send through. */
export type RouteName =
  | 'messenger.response'
  | 'messenger.update'
  | 'messenger.human_agent'
  | 'messenger.utility_template'
  | 'messenger.marketing_message'
  | 'messenger.recurring_notification'
  | 'messenger.opt_in_request'
  | 'instagram.response'
  | 'instagram.update'
  | 'instagram.human_agent'
  | 'instagram.opt_in_request'
  | 'whatsapp.free_form'
  | 'whatsapp.template'
  | 'whatsapp.marketing_message';

/**
 * What Meta is expected to charge for the send (WhatsApp categories; Messenger marketing messages are
 * paid). `marketing_lite` is a WhatsApp MARKETING template sent through the Marketing Messages API,
 * named as Meta's status webhooks name it (`pricing.category`).
 */
export type PricingCategory = 'free' | 'service' | 'utility' | 'marketing' | 'marketing_lite' | 'authentication' | 'marketing_message';

export type Decision =
  | {
      outcome: 'allow';
      route: RouteName;
      pricing: PricingCategory;
      /** Id of the rule that allowed it, e.g. `messenger.window.standard`. */
      rule: string;
    }
  | {
      outcome: 'refuse';
      /** Stable reason code, documented in the README. */
      reason: RefusalReason;
      /** One sentence a human can act on. */
      detail: string;
      /** When waiting helps: the earliest time (ms) the same intent would be allowed. */
      earliestAt?: number;
      rule: string;
    };

export type RefusalReason =
  | 'window_closed'
  | 'window_closing'
  | 'human_agent_needs_human'
  | 'human_agent_window_closed'
  | 'human_agent_not_on_channel'
  | 'tag_retired'
  | 'recurring_notifications_discontinued'
  | 'recurring_notification_cooldown'
  | 'marketing_messages_unavailable'
  | 'no_active_opt_in'
  | 'no_marketing_consent'
  | 'opt_in_stopped'
  | 'marketing_opted_out'
  | 'marketing_limit_backoff'
  | 'marketing_to_us_number'
  | 'marketing_api_required'
  | 'auth_template_to_bsuid'
  | 'recipient_country_restricted'
  | 'template_unknown'
  | 'template_not_approved'
  | 'template_paused'
  | 'template_disabled'
  | 'template_archived'
  | 'template_deleted'
  | 'template_category_mismatch'
  | 'opt_in_request_outside_window'
  | 'opt_in_request_too_soon'
  | 'account_blocked'
  | 'account_restricted'
  | 'token_invalid'
  | 'account_paused'
  | 'recipient_unreachable'
  | 'content_not_supported'
  /** Shown by a preview (the policy engine never decides it): the sender's limiter refuses the send itself. */
  | 'messaging_limit_reached';
