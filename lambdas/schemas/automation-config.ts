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

/** One text per language; the contact's language, else the account's default, else the first listed. */
export const TextsSchema = z
  .record(LanguageSchema, z.string().trim().min(1).max(1000))
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
    })
    .prefault({}),
});

export type AutomationConfig = z.infer<typeof AutomationConfigSchema>;
export type AutomationConfigInput = z.input<typeof AutomationConfigSchema>;
export type Texts = z.infer<typeof TextsSchema>;
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** An account that never configured automation: keywords and handoff only. */
export const DEFAULT_AUTOMATION_CONFIG: AutomationConfig = AutomationConfigSchema.parse({});
