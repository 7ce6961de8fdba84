import * as z from 'zod';

/**
 * An account's conversation automation, as stored and as accepted by
 * `PUT /admin/accounts/{channel}/{accountId}/automation` (README "Automation"). Everything is off
 * until configured, except the keywords (STOP / START always answer; an account may add words) and
 * the handoff keywords. Every automated message is a billed service message on WhatsApp since
 * 2026-10-01 (meta-and-peers-2026h2.md §2.1), so each answering rule has a once-per guardrail.
 */

/** A language as texts are keyed: ISO 639-1, lower case (`de`); a contact's `locale` `de_DE` picks it. */
export const LanguageSchema = z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 language code such as de');

/** A text that is still a message when `{firstName}` is dropped (a contact without a name). */
function saysSomething(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.replaceAll('{firstName}', ''));
}

/** One text per language; the contact's language, else the account's default, else the first by language code (texts.ts). */
export const TextsSchema = z
  .record(LanguageSchema, z.string().trim().min(1).max(1000).refine(saysSomething, 'needs words besides {firstName}: without a name the text would be empty'), {
    // zod's own words, 'Invalid key in record', name no fix; the admin API passes these on.
    error: (issue) => (issue.code === 'invalid_key' ? 'not a language: an ISO 639-1 code such as de' : undefined),
  })
  .refine((texts) => Object.keys(texts).length > 0, 'at least one language');

const ClockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day HH:MM (00:00–24:00)');

const Interval = z
  .object({ from: ClockTime, to: ClockTime })
  .refine(({ from, to }) => from < to, 'from must be before to (a period over midnight is two: 22:00–24:00 and 00:00–06:00)');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);

const IsoDate = z.iso.date();

/** Opening hours in the account's time zone (`Account.timezone`); a day not listed is closed. */
export const BusinessHoursSchema = z.object({
  weekly: z.partialRecord(WeekdaySchema, z.array(Interval).max(6)),
  /** Whole days closed in the account's zone, e.g. public holidays. */
  holidays: z.array(z.object({ date: IsoDate, name: z.string().min(1).max(100).optional() })).max(366).default([]),
});

/** Words an account adds to the built-in keywords (whole-message match, as STOP). */
const Words = z.array(z.string().trim().min(1).max(40)).max(50).default([]);

/**
 * Opt-in wording that offers something in return for subscribing (a discount, a coupon, a gift, a
 * prize), in the languages the keywords cover. A house rule rather than a Meta one (Meta's Messenger
 * docs read say nothing either way, messenger-platform.md §4.3): consent bought with a reward is not
 * freely given, so afterchat refuses to store a title or consent prompt that offers one. It can't
 * tell "deals" (what the person will receive) from a reward by meaning, so money-off figures are
 * refused too; describe the content instead ("Weekly deals", "New arrivals").
 */
const REWARD_WORDING =
  /\d\s*%|%\s*\d|(?<!\p{L})(coupons?|vouchers?|discounts?|promo codes?|gift cards?|gifts?|prizes?|rewards?|cashback|giveaways?|win|free|korting(scode)?|cadeau|gutscheine?|rabatt(code)?|geschenk|gratis|réduction|bon d'achat|descuentos?|cupón|cupones|regalos?|sconto|buono|omaggio|descontos?|cupom|brinde)(?!\p{L})/iu;

const NoReward = (what: string) =>
  z.string().trim().min(1).refine((text) => !REWARD_WORDING.test(text), `${what} may not offer a reward for opting in (discount, coupon, gift, free, % off)`);

/** Words that ask for the opt-in, matched as STOP is: the whole message, case and accents folded. */
const TriggerWords = z.array(z.string().trim().min(1).max(40)).max(20).default([]);

/**
 * Messenger's and Instagram's marketing-message opt-in request (`notification_messages` template),
 * sent by rule after one of `keywords` or after a business event whose detail-type is in
 * `afterEvents`. The policy engine decides as for any send: inside the window only, one per title
 * per week, the channel's caps; the rule never goes around it. There is no reward field, by design,
 * and an unknown field (a `reward`, a `coupon`) is refused rather than dropped.
 */
export const MessengerOptInRequestSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** What the person will receive (Meta: ≤ 65 characters); a repeat of the same title is refused for a week. */
    title: NoReward('The title').pipe(z.string().max(65)),
    /** Comes back in Meta's `messaging_optins` webhook, naming the topic (e.g. `topic:deals`). */
    payload: z.string().trim().min(1).max(1000),
    imageUrl: z.url({ protocol: /^https$/ }).optional(),
    keywords: TriggerWords,
    /** Business-bus detail-types (e.g. `order.shipped`) after which the person is asked. */
    afterEvents: z.array(z.string().min(1).max(128)).max(20).default([]),
  })
  .refine((c) => c.keywords.length + c.afterEvents.length > 0, 'name at least one keyword or business event that asks for the opt-in');

/**
 * WhatsApp consent, captured when the person taps the business's consent button (`payload`, the
 * button's id or payload) or writes one of `keywords`; stored with `promptText` as the text shown.
 */
export const WhatsAppConsentSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    topic: z.string().trim().min(1).max(100),
    /** The consent prompt exactly as the business shows it with its button (e.g. "Can we send you our offers?"). */
    promptText: NoReward('The consent prompt').pipe(z.string().max(1024)),
    payload: z.string().trim().min(1).max(40).default('AFTERCHAT_CONSENT'),
    keywords: TriggerWords,
    /** The one confirmation; absent: the built-in text in the person's language. */
    confirmation: TextsSchema.optional(),
  });

export const OptInRequestConfigSchema = z.object({ messenger: MessengerOptInRequestSchema.optional(), whatsapp: WhatsAppConsentSchema.optional() });
export type MessengerOptInRequest = z.infer<typeof MessengerOptInRequestSchema>;
export type WhatsAppConsentConfig = z.infer<typeof WhatsAppConsentSchema>;

export const AutomationConfigSchema = z.object({
  /** The language of the texts for a contact without a `locale` attribute, or one no text is written in. */
  defaultLanguage: LanguageSchema.default('en'),
  /** Absent: always open, so the away message never sends. */
  businessHours: BusinessHoursSchema.optional(),
  /** First message of a new conversation (README: first ever, or after `quietGapHours` without one). `{firstName}` is replaced. */
  greeting: z
    .object({ enabled: z.boolean().default(true), quietGapHours: z.number().int().min(1).max(2160).default(24), texts: TextsSchema })
    .optional(),
  /** Outside business hours, at most once per person per closed period. */
  away: z.object({ enabled: z.boolean().default(true), texts: TextsSchema }).optional(),
  /** What nothing else answered, at most once per person per `periodHours`. */
  defaultReply: z.object({ enabled: z.boolean().default(true), periodHours: z.number().int().min(1).max(2160).default(24), texts: TextsSchema }).optional(),
  /** Extra whole-message keywords; STOP / START and the handoff words can't be switched off. */
  keywords: z.object({ stop: Words, start: Words, handoff: Words }).prefault({}),
  /** Human handoff: who may ask for a human, and when the conversation returns to automation. */
  handoff: z
    .object({
      /** Hours after the handoff (or the agent's last reply) when automation speaks again. */
      timeoutHours: z.number().int().min(1).max(720).default(24),
      /** What the person is told when they ask for a human; absent: the built-in text. */
      texts: TextsSchema.optional(),
      /**
       * Messenger and Instagram only: the app the thread is passed to (Conversation Routing
       * `pass_thread_control`) on a handoff, and taken back from when automation resumes. Absent: no
       * thread control, for a Page whose inbox answers alongside afterchat anyway. WhatsApp has no
       * target-app handover; its `standby` / `messaging_handovers` already silence automation.
       */
      threadControl: z.object({ targetAppId: z.string().regex(/^\d{1,32}$/, 'a numeric Meta app id') }).optional(),
    })
    .prefault({}),
  /** Marketing opt-in requests (Messenger, Instagram) and consent capture (WhatsApp); off when absent. */
  optInRequest: OptInRequestConfigSchema.optional(),
});

export type AutomationConfig = z.infer<typeof AutomationConfigSchema>;
export type AutomationConfigInput = z.input<typeof AutomationConfigSchema>;
export type Texts = z.infer<typeof TextsSchema>;
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** An account that never configured automation: keywords and handoff only. */
export const DEFAULT_AUTOMATION_CONFIG: AutomationConfig = AutomationConfigSchema.parse({});
