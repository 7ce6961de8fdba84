import type { Channel, WindowOpener } from '../events';
import type { PricingCategory, RefusalReason } from './policy-types';
import type { SendContent, SendKind } from './send-intent';

/** ISO 3166-1 alpha-2 country codes, or every country. */
export type Region = 'everywhere' | readonly string[];

export type ContentType = SendContent['type'];

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/**
 * One dated row of Meta's rules. Rows of the same topic are alternatives over time (and channel):
 * the engine uses the row in effect at the send time, so a date or a country list changes in data only.
 */
interface RuleRow<T extends string> {
  /** Unique; reported as `Decision.rule` on every decision the row makes. */
  id: string;
  /** What the engine looks the row up by. A topic with no row in effect means "no such door". */
  topic: T;
  /** First instant the row applies (ISO date = 00:00 UTC that day); absent = since ever. */
  effectiveFrom?: string;
  /** First instant the row no longer applies (exclusive); absent = still applies. */
  effectiveUntil?: string;
  /** Channels the row applies to; absent = all. */
  channels?: readonly Channel[];
  /** The reference file and section the row comes from. */
  source: string;
  /** Why a value was chosen where the reference is unsure or silent. */
  note?: string;
}

type Rule<T extends string, P = undefined> = P extends undefined ? RuleRow<T> : RuleRow<T> & { params: P };

/** Whether Meta sends a template in one review status, with the line of Meta's docs that says so. */
export interface TemplateStatusRow {
  sendable: boolean;
  /** The refusal when not sendable. */
  refusal?: RefusalReason;
  /** What the operator can do, for the refusal's sentence. */
  remedy?: string;
  /** Meta's words, quoted, with the page they are on. */
  quote: string;
  /** Set where Meta is silent and afterchat chose the safe side. */
  conservative?: string;
}

/** The Marketing Messages API's `product_policy`: fall back to Cloud API when MM API can't take the message, or not. */
export type MarketingProductPolicy = 'CLOUD_API_FALLBACK' | 'STRICT';

/** Where a send to a person known only by a BSUID puts the BSUID: `to`, or a separate top-level `recipient`. */
export type BsuidRecipientField = 'recipient' | 'to';

/** Which WhatsApp doors take MARKETING templates: the Marketing Messages API, Cloud API `/messages`. */
export interface MarketingTemplateRoute {
  /** Route MARKETING templates of onboarded accounts to `/{phone_number_id}/marketing_messages`. */
  marketingMessagesApi: boolean;
  /** Cloud API `/messages` still takes MARKETING templates (for accounts not onboarded). */
  cloudApi: boolean;
  /** The `product_policy` sent with every Marketing Messages API call. */
  productPolicy: MarketingProductPolicy;
}

export interface FrequencyCap {
  periodMs: number;
  max: number;
}

export type PolicyRule =
  | Rule<'account.blocked'>
  | Rule<'account.sending_pause', { tokenReasons: readonly string[] }>
  | Rule<'account.business_initiated_restriction', { includesTemplatesInsideWindow: boolean }>
  | Rule<'account.customer_initiated_restriction'>
  | Rule<'account.country_restriction'>
  | Rule<'contact.unreachable'>
  | Rule<'content.channel', { contentTypes: readonly ContentType[] }>
  | Rule<'content.kind', { contentByKind: Readonly<Record<SendKind, readonly ContentType[]>> }>
  | Rule<'window.standard', { windowMs: number; openers: readonly WindowOpener[] }>
  | Rule<'window.closing', { marginMs: number }>
  | Rule<'human_agent', { windowMs: number }>
  | Rule<'tags.retired', { tags: readonly string[] }>
  | Rule<'utility_template', { category: string }>
  | Rule<'template.status', { statuses: Readonly<Record<string, TemplateStatusRow>>; otherwise: TemplateStatusRow }>
  | Rule<
      'template.category',
      { requiredByKind: Readonly<Partial<Record<SendKind, readonly TemplateCategory[]>>>; assumeWhenUnknown: TemplateCategory }
    >
  | Rule<'marketing.consent'>
  | Rule<'marketing.per_user_limit'>
  | Rule<'marketing.us_numbers', { callingCode: string; blockedCountries: readonly string[]; blockUnknownAreaCodes: boolean }>
  | Rule<'template.authentication_recipient'>
  | Rule<'marketing_template_route', MarketingTemplateRoute>
  | Rule<'bsuid_recipient', { field: BsuidRecipientField }>
  | Rule<
      'marketing_message_api',
      { businessCountries: Region; excludedRecipientCountries: readonly string[]; minGapMs: number; pricing: PricingCategory }
    >
  | Rule<'recurring_notification', { businessCountries: Region; cooldownMs: number; pricing: PricingCategory }>
  | Rule<'opt_in_request', { perTitleCooldownMs: number; caps: readonly FrequencyCap[] }>
  | Rule<'pricing', { freeForm: PricingCategory; utilityInWindow: PricingCategory; utilityOutsideWindow: PricingCategory }>;

export type Topic = PolicyRule['topic'];
export type RuleOf<T extends Topic> = Extract<PolicyRule, { topic: T }>;
