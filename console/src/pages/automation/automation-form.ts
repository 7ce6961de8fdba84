/**
 * The automation settings as a form holds them, and back. Pure: no DOM, no API client (types from
 * the generated schema only), so the unit project tests it.
 */
import type { components } from '../../api/schema';

type Config = components['schemas']['AutomationConfig'];
type StoredConfig = components['schemas']['AutomationConfigOutput'];

export const WEEKDAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;
export type Weekday = (typeof WEEKDAYS)[number][0];

export interface TextRow {
  language: string;
  text: string;
}

/** The settings as the form holds them: text a person types (hours as `09:00–12:00, 13:00–18:00`, words comma-separated). */
export interface AutomationForm {
  defaultLanguage: string;
  hoursOn: boolean;
  weekly: Record<Weekday, string>;
  /** One per line: `2026-12-25 Christmas`. */
  holidays: string;
  greeting: { on: boolean; quietGapHours: string; texts: TextRow[] };
  away: { on: boolean; texts: TextRow[] };
  defaultReply: { on: boolean; periodHours: string; texts: TextRow[] };
  keywords: { stop: string; start: string; handoff: string };
  handoff: { timeoutHours: string; texts: TextRow[]; targetAppId: string };
}

/** Field → what is wrong with it, keyed as the API's `detail[].path` names the field (`greeting.texts`). */
export type FieldErrors = Record<string, string>;

/** The fields an API error can point at; a deeper path (`greeting.texts.de`) belongs to the field above it. */
export const FIELDS = [
  'defaultLanguage',
  ...WEEKDAYS.map(([day]) => `businessHours.weekly.${day}`),
  'businessHours.holidays',
  'greeting.quietGapHours',
  'greeting.texts',
  'away.texts',
  'defaultReply.periodHours',
  'defaultReply.texts',
  'keywords.stop',
  'keywords.start',
  'keywords.handoff',
  'handoff.timeoutHours',
  'handoff.texts',
  'handoff.threadControl.targetAppId',
] as const;

/** The form field an API issue's path is about, or `''` for the form as a whole. */
export const fieldOf = (path: string): string => FIELDS.filter((f) => path === f || path.startsWith(`${f}.`)).sort((a, b) => b.length - a.length)[0] ?? '';

const rows = (texts: Record<string, string> | undefined): TextRow[] => Object.entries(texts ?? {}).map(([language, text]) => ({ language, text }));
const words = (list: readonly string[] | undefined) => (list ?? []).join(', ');

export const formOf = (config: StoredConfig): AutomationForm => ({
  defaultLanguage: config.defaultLanguage,
  hoursOn: config.businessHours !== undefined,
  weekly: Object.fromEntries(WEEKDAYS.map(([day]) => [day, (config.businessHours?.weekly[day] ?? []).map((i) => `${i.from}–${i.to}`).join(', ')])) as Record<Weekday, string>,
  holidays: (config.businessHours?.holidays ?? []).map((h) => (h.name ? `${h.date} ${h.name}` : h.date)).join('\n'),
  greeting: { on: config.greeting?.enabled ?? false, quietGapHours: String(config.greeting?.quietGapHours ?? 24), texts: rows(config.greeting?.texts) },
  away: { on: config.away?.enabled ?? false, texts: rows(config.away?.texts) },
  defaultReply: { on: config.defaultReply?.enabled ?? false, periodHours: String(config.defaultReply?.periodHours ?? 24), texts: rows(config.defaultReply?.texts) },
  keywords: { stop: words(config.keywords.stop), start: words(config.keywords.start), handoff: words(config.keywords.handoff) },
  handoff: { timeoutHours: String(config.handoff.timeoutHours), texts: rows(config.handoff.texts), targetAppId: config.handoff.threadControl?.targetAppId ?? '' },
});

const LANGUAGE = /^[a-z]{2}$/;
const INTERVAL = /^(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$/;
const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const HOLIDAY = /^(\d{4}-\d{2}-\d{2})(?:\s+(.+))?$/;

/**
 * The configuration the form describes, or what is obviously wrong field by field. The API checks
 * the rest (a text that is only `{firstName}`, a reward in an opt-in) and its answer is shown the
 * same way. `keep` carries what this form doesn't edit (opt-in requests), so saving keeps it.
 */
export const configOf = (form: AutomationForm, keep: Pick<Config, 'optInRequest'>): { config?: Config; errors: FieldErrors } => {
  const errors: FieldErrors = {};
  const wholeHours = (field: string, value: string, max: number): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < 1 || n > max) errors[field] = `a whole number of hours, 1 to ${max}`;
    return n;
  };
  const texts = (field: string, list: TextRow[], required: boolean): Record<string, string> | undefined => {
    const filled = list.filter((r) => r.language.trim() !== '' || r.text.trim() !== '');
    if (filled.length === 0) {
      if (required) errors[field] = 'write the text in at least one language';
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const r of filled) {
      const language = r.language.trim();
      if (!LANGUAGE.test(language)) errors[field] = `“${language}” is not a language: an ISO 639-1 code such as de`;
      else if (language in out) errors[field] = `${language} is there twice`;
      else if (r.text.trim() === '') errors[field] = `the ${language} text is empty`;
      out[language] = r.text.trim();
    }
    return out;
  };
  const list = (value: string) =>
    value
      .split(',')
      .map((w) => w.trim())
      .filter((w) => w !== '');

  if (!LANGUAGE.test(form.defaultLanguage.trim())) errors.defaultLanguage = 'an ISO 639-1 code such as de';

  let businessHours: Config['businessHours'];
  if (form.hoursOn) {
    const weekly: NonNullable<Config['businessHours']>['weekly'] = {};
    for (const [day] of WEEKDAYS) {
      const field = `businessHours.weekly.${day}`;
      const parts = form.weekly[day]
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      const intervals = parts.map((p) => INTERVAL.exec(p));
      const bad = parts.find((_p, i) => {
        const m = intervals[i];
        return !m || !CLOCK.test(m[1] ?? '') || !CLOCK.test(m[2] ?? '');
      });
      if (bad !== undefined) errors[field] = `“${bad}” is not a period: write it as 09:00–17:00 (00:00 to 24:00)`;
      else if (intervals.some((m) => (m?.[1] ?? '') >= (m?.[2] ?? ''))) errors[field] = 'a period must end after it starts (over midnight: 22:00–24:00, 00:00–06:00)';
      else if (parts.length > 0) weekly[day] = intervals.map((m) => ({ from: m?.[1] ?? '', to: m?.[2] ?? '' }));
    }
    const holidays = form.holidays
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((line) => {
        const m = HOLIDAY.exec(line);
        if (!m || Number.isNaN(Date.parse(m[1] ?? ''))) errors['businessHours.holidays'] = `“${line}” is not a day: write it as 2026-12-25 Christmas`;
        return m?.[2] ? { date: m[1] ?? '', name: m[2] } : { date: m?.[1] ?? line };
      });
    businessHours = { weekly, holidays };
  }

  const section = <T extends object>(on: boolean, field: string, list: TextRow[], rest: T) => {
    const t = texts(field, list, on);
    return on || t ? { enabled: on, ...rest, texts: t ?? {} } : undefined;
  };
  const greeting = section(form.greeting.on, 'greeting.texts', form.greeting.texts, { quietGapHours: wholeHours('greeting.quietGapHours', form.greeting.quietGapHours, 2160) });
  const away = section(form.away.on, 'away.texts', form.away.texts, {});
  const defaultReply = section(form.defaultReply.on, 'defaultReply.texts', form.defaultReply.texts, { periodHours: wholeHours('defaultReply.periodHours', form.defaultReply.periodHours, 2160) });
  const handoffTexts = texts('handoff.texts', form.handoff.texts, false);
  const timeoutHours = wholeHours('handoff.timeoutHours', form.handoff.timeoutHours, 720);
  const targetAppId = form.handoff.targetAppId.trim();
  if (targetAppId !== '' && !/^\d{1,32}$/.test(targetAppId)) errors['handoff.threadControl.targetAppId'] = 'a numeric Meta app id';

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    config: {
      defaultLanguage: form.defaultLanguage.trim(),
      ...(businessHours ? { businessHours } : {}),
      ...(greeting ? { greeting } : {}),
      ...(away ? { away } : {}),
      ...(defaultReply ? { defaultReply } : {}),
      keywords: { stop: list(form.keywords.stop), start: list(form.keywords.start), handoff: list(form.keywords.handoff) },
      handoff: {
        timeoutHours,
        ...(handoffTexts ? { texts: handoffTexts } : {}),
        ...(targetAppId ? { threadControl: { targetAppId } } : {}),
      },
      ...(keep.optInRequest ? { optInRequest: keep.optInRequest } : {}),
    },
  };
};
