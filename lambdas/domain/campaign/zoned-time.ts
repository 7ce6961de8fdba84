/**
 * Wall clocks in IANA time zones with nothing but `Intl.DateTimeFormat`: the offset at an instant is
 * what the zone's clock shows minus UTC, and a wall time becomes an instant by instantOfWallTime.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A calendar date in some zone; month 1-12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** An `HH:MM` time of day, 00:00-23:59. */
export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
}

export const parseClockTime = (text: string): ClockTime | undefined => {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(text);
  return match === null ? undefined : { hour: Number(match[1]), minute: Number(match[2]) };
};

/** Like parseClockTime, for inputs a caller should have validated already. */
export const clockTimeOrThrow = (text: string, what: string): ClockTime => {
  const time = parseClockTime(text);
  if (time === undefined) throw new RangeError(`${what} must be HH:MM (00:00-23:59), got "${text}"`);
  return time;
};

// One formatter per zone: building one costs far more than formatting with it.
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/**
 * What the zone's clock shows at `ms`, written as if it were a UTC instant (so plain arithmetic
 * works on it). `format` and a digit scan beat `formatToParts` threefold, and en-US always writes
 * month, day, year, hour, minute, second in that order.
 */
const wallAsUtc = (ms: number, timeZone: string): number => {
  const digits = formatterFor(timeZone).format(ms).match(/[0-9]+/g)?.map(Number) ?? [];
  const [month = NaN, day = NaN, year = NaN, hour = NaN, minute = NaN, second = NaN] = digits;
  return Date.UTC(year, month - 1, day, hour, minute, second);
};

/** The zone's UTC offset at `ms`, in ms (Asia/Kolkata: 19 800 000). */
export const offsetAt = (ms: number, timeZone: string): number => wallAsUtc(ms, timeZone) - (ms - mod(ms, 1000));

/** The date part of a wall time written as a UTC instant. */
export const wallDate = (wallMs: number): LocalDate => {
  const clock = new Date(wallMs);
  return { year: clock.getUTCFullYear(), month: clock.getUTCMonth() + 1, day: clock.getUTCDate() };
};

/** The zone's calendar date at `ms`. */
export const localDateAt = (ms: number, timeZone: string): LocalDate => wallDate(wallAsUtc(ms, timeZone));

/** `time` on `date` written as if it were a UTC instant, the form offsets apply to. */
export const wallClockMs = (date: LocalDate, time: ClockTime): number => Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);

export const addDays = (date: LocalDate, days: number): LocalDate => {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
};

export const formatLocalDate = (date: LocalDate): string =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/**
 * The instant the zone's clock first reads `time` on `date`, or a later time of that day.
 * - Repeated (DST ends): the first occurrence, as RFC 5545 §3.3.5 reads such a local time.
 * - Skipped (DST starts): the first instant after it, the jump itself (02:30 on 2026-03-29 in
 *   Europe/Berlin is 03:00 CEST). RFC 5545 and Temporal's "compatible" would say 03:30, half an
 *   hour later than the clock allows.
 * As Temporal's DisambiguatePossibleEpochNanoseconds does, the offsets a day before and a day after
 * bracket the one transition that can be near.
 */
export const instantOfWallTime = (date: LocalDate, time: ClockTime, timeZone: string): number => {
  const wall = wallClockMs(date, time);
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  if (before === after) return wall - before;
  // With the larger offset the instant is earlier, so trying it first yields the first occurrence.
  const candidates = [wall - Math.max(before, after), wall - Math.min(before, after)];
  const existing = candidates.find((at) => offsetAt(at, timeZone) === wall - at);
  return existing ?? transitionBetween(wall - after, wall - before, before, timeZone);
};

/** The first second in (from, to] whose offset is no longer `offsetBefore`: the zone's clock jumps there. */
const transitionBetween = (from: number, to: number, offsetBefore: number, timeZone: string): number => {
  let low = from;
  let high = to;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(middle, timeZone) === offsetBefore) low = middle;
    else high = middle;
  }
  return high;
};

const mod = (value: number, divisor: number): number => ((value % divisor) + divisor) % divisor;
