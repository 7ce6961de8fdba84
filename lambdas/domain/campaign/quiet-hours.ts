import { addDays, clockTimeOrThrow, instantOfWallTime, localDateAt } from './zoned-time';

export interface QuietHoursCheck {
  /** `HH:MM` on the contact's wall clock when quiet hours begin. */
  start: string;
  /** `HH:MM` when they end; before `start` means they run past midnight (21:00-08:00). Equal to `start`: none. */
  end: string;
  timeZone: string;
  atMs: number;
}

/**
 * When `atMs` is in the contact's quiet hours, the instant they end; otherwise undefined.
 *
 * Each night's quiet hours are the instants from when the clock first reads `start` to when it first
 * reads `end` (a skipped time counts as the DST jump). Working in instants, not by comparing wall
 * times, keeps DST honest: the night the clocks go back is an hour longer, the night they go forward
 * an hour shorter, and a repeated hour after `end` does not start a second quiet period.
 */
export const quietUntil = (check: QuietHoursCheck): number | undefined => {
  const { timeZone, atMs } = check;
  const start = clockTimeOrThrow(check.start, 'start');
  const end = clockTimeOrThrow(check.end, 'end');
  const startMinute = start.hour * 60 + start.minute;
  const endMinute = end.hour * 60 + end.minute;
  if (startMinute === endMinute) return undefined;
  const endsNextDay = endMinute < startMinute;
  const today = localDateAt(atMs, timeZone);
  // The period holding atMs began on the local date at atMs or, past midnight, the day before; the
  // day after covers a DST jump across midnight, where a date's wall time and its instant part ways.
  for (const day of [addDays(today, -1), today, addDays(today, 1)]) {
    const from = instantOfWallTime(day, start, timeZone);
    const until = instantOfWallTime(endsNextDay ? addDays(day, 1) : day, end, timeZone);
    if (atMs >= from && atMs < until) return until;
  }
  return undefined;
};
