import { addDays, clockTimeOrThrow, formatLocalDate, instantOfWallTime, localDateAt, offsetAt, wallClockMs, wallDate } from './zoned-time';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Local-time campaigns ("at 09:00 in each contact's zone") run on a quarter-hour UTC rule, not an
 * hourly one. Every UTC offset in use is a whole number of quarter hours (Asia/Kolkata +05:30,
 * Asia/Kathmandu +05:45, Australia/Lord_Howe +10:30/+11:00, Pacific/Chatham +12:45/+13:45), so a
 * quarter-hour target falls exactly on a firing in every zone; an hourly rule would send Kolkata's
 * 09:00 at 08:30. A target between quarters (09:10) is due in the firing before it, at most 14:59
 * early, which the sender can hold with an SQS DelaySeconds of `atMs - firingAtMs` (SQS allows up
 * to 900 s, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
 */
export const LOCAL_TIME_FIRING_EXPRESSION = 'cron(0/15 * * * ? *)';
export const LOCAL_TIME_FIRING_INTERVAL_MS = 15 * MINUTE_MS;

export interface LocalTimeFiring {
  /** `HH:MM` on the contact's wall clock. */
  localTime: string;
  /** The contact's IANA zone. */
  timeZone: string;
  /**
   * The firing's scheduled instant on the firing grid: the scheduled event's `time` floored to the
   * interval, never the invocation's clock. Firings must tile time, no gap and no overlap, for the
   * once-a-day promise to hold.
   */
  firingAtMs: number;
  /** The firing period, at most an hour: LOCAL_TIME_FIRING_INTERVAL_MS. */
  firingIntervalMs: number;
}

export interface LocalTimeTarget {
  /** When the contact's clock first reads `localTime` (or, if it skips it, the first instant after). */
  atMs: number;
  /** The contact's day this send is for, 'YYYY-MM-DD': the occurrence key. */
  localDate: string;
}

/**
 * The contact's target in this firing, if it falls in [firingAtMs, firingAtMs + firingIntervalMs).
 * Each local day has one target instant (the first occurrence of a repeated time, the DST jump for a
 * skipped one), and contiguous firings partition time, so every local day is due in exactly one firing.
 * Key the send by `localDate`, not by the date at `firingAtMs`: the firing holding a 00:10 target
 * can fall on the eve (23:30 in Asia/Kolkata with an hourly rule).
 */
export const targetInFiring = (firing: LocalTimeFiring): LocalTimeTarget | undefined => {
  const { timeZone, firingAtMs, firingIntervalMs } = firing;
  const time = clockTimeOrThrow(firing.localTime, 'localTime');
  // An hour-long window can only hold the target of the firing's local date or of a day either side.
  if (!(firingIntervalMs > 0 && firingIntervalMs <= HOUR_MS)) {
    throw new RangeError(`firingIntervalMs must be above 0 and at most an hour, got ${firingIntervalMs}`);
  }
  // Usually one offset holds from just before the window to its end (a skipped time's target, the
  // jump, would sit right at its start). The window is then one stretch of wall time, and only a day
  // whose wall time lands in it needs resolving: two reads of the zone's clock per firing, not seven.
  const offsetMs = offsetAt(firingAtMs - 1000, timeZone);
  const steady = offsetAt(firingAtMs + firingIntervalMs, timeZone) === offsetMs;
  const today = steady ? wallDate(firingAtMs + offsetMs) : localDateAt(firingAtMs, timeZone);
  const days = [addDays(today, -1), today, addDays(today, 1)];
  const inWindow = (atMs: number): boolean => atMs >= firingAtMs && atMs < firingAtMs + firingIntervalMs;
  for (const date of steady ? days.filter((day) => inWindow(wallClockMs(day, time) - offsetMs)) : days) {
    const atMs = instantOfWallTime(date, time, timeZone);
    if (inWindow(atMs)) return { atMs, localDate: formatLocalDate(date) };
  }
  return undefined;
};

/** Whether the contact is due in this firing of a local-time campaign. */
export const dueInFiring = (firing: LocalTimeFiring): boolean => targetInFiring(firing) !== undefined;

/** The zone's calendar date at `ms`, 'YYYY-MM-DD'. */
export const localDate = (ms: number, timeZone: string): string => formatLocalDate(localDateAt(ms, timeZone));

/**
 * Whether `text` names an IANA zone ("Europe/Berlin", "UTC", links such as "Asia/Calcutta") that this
 * runtime's Intl knows. Offsets like "+05:30" are refused: a fixed offset has no DST and says nothing
 * of where the contact is.
 */
export const isIanaTimeZone = (text: string): boolean => {
  // Building a formatter costs about 0.1 ms: the planner asks for every contact of every page.
  const known = ianaAnswers.get(text);
  if (known !== undefined) return known;
  let answer = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(text);
  if (answer) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: text });
    } catch {
      answer = false;
    }
  }
  // Zone names are few; a flood of distinct junk must not grow the cache without bound.
  if (ianaAnswers.size >= MAX_REMEMBERED_ZONES) ianaAnswers.clear();
  ianaAnswers.set(text, answer);
  return answer;
};

const MAX_REMEMBERED_ZONES = 10_000;
const ianaAnswers = new Map<string, boolean>();
