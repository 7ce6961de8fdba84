import type { BusinessHours } from '../../schemas/automation-config';
import { WEEKDAYS } from '../../schemas/automation-config';
import { addDays, type ClockTime, formatLocalDate, instantOfWallTime, type LocalDate, localDateAt } from '../campaign/zoned-time';

/**
 * Whether an account is open at an instant, read in its IANA zone. Each weekly interval is turned
 * into the instants its wall times fall on that day (instantOfWallTime: a repeated time counts from
 * its first occurrence, a skipped one from the jump), so DST days open and close when the clock on
 * the wall says. Intervals are half-open ([from, to)): at 18:00 a shop open until 18:00 is closed.
 * `24:00` is the next day's 00:00, so 22:00–24:00 and the next day's 00:00–06:00 meet without a gap.
 *
 * A closed period runs from the last closing before the instant to the next opening after it; its
 * start is its identity (stable however often, and under whichever clock reading within the period,
 * it is asked). A holiday is a whole local day without intervals, so Friday's closing, a holiday
 * Monday and Tuesday's opening make one closed period.
 */
export type OpeningState = { open: true } | ({ open: false } & ClosedPeriod);

export interface ClosedPeriod {
  /** When the period began (the last closing), or undefined when nothing opened within HORIZON_DAYS before. */
  since?: number;
  /** When it ends (the next opening), or undefined when nothing opens within HORIZON_DAYS after. */
  reopensAt?: number;
}

/** Far enough to cross a year of holidays around one open week (the schema allows 366 holidays). */
const HORIZON_DAYS = 400;

export const openingAt = (hours: BusinessHours, timeZone: string, at: number): OpeningState => {
  const holidays = new Set(hours.holidays.map((h) => h.date));
  const today = localDateAt(at, timeZone);
  const intervals = (date: LocalDate): Array<[number, number]> => intervalsOn(hours, holidays, timeZone, date);
  // A day's intervals lie within that day, so today's hold `at`, or yesterday's where a clock set back at midnight repeats its last hour.
  if ([addDays(today, -1), today].some((date) => intervals(date).some(([from, to]) => from <= at && at < to))) return { open: true };
  let since: number | undefined;
  for (let back = 0; back <= HORIZON_DAYS && since === undefined; back += 1) {
    const ends = intervals(addDays(today, -back)).map(([, to]) => to).filter((to) => to <= at);
    if (ends.length > 0) since = Math.max(...ends);
  }
  let reopensAt: number | undefined;
  for (let ahead = 0; ahead <= HORIZON_DAYS && reopensAt === undefined; ahead += 1) {
    const starts = intervals(addDays(today, ahead)).map(([from]) => from).filter((from) => from > at);
    if (starts.length > 0) reopensAt = Math.min(...starts);
  }
  return { open: false, ...(since === undefined ? {} : { since }), ...(reopensAt === undefined ? {} : { reopensAt }) };
};

/** The day's open intervals as instants; none on a holiday, and none that DST leaves empty (02:00–03:00 on a spring-forward night). */
const intervalsOn = (hours: BusinessHours, holidays: ReadonlySet<string>, timeZone: string, date: LocalDate): Array<[number, number]> => {
  if (holidays.has(formatLocalDate(date))) return [];
  const weekday = WEEKDAYS[(new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7];
  const listed = weekday === undefined ? undefined : hours.weekly[weekday];
  return (listed ?? []).flatMap(({ from, to }): Array<[number, number]> => {
    const opens = instantOn(date, from, timeZone);
    const closes = instantOn(date, to, timeZone);
    return opens < closes ? [[opens, closes]] : [];
  });
};

const instantOn = (date: LocalDate, clock: string, timeZone: string): number => {
  if (clock === '24:00') return instantOfWallTime(addDays(date, 1), MIDNIGHT, timeZone);
  const time: ClockTime = { hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) };
  return instantOfWallTime(date, time, timeZone);
};

const MIDNIGHT: ClockTime = { hour: 0, minute: 0 };
