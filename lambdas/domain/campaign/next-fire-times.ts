import { daysFiring } from './cron-days';
import type { CronSchedule, Schedule } from './schedule';

/**
 * The next `count` instants (UTC ms, ascending) strictly after `afterMs` at which `schedule` fires;
 * fewer when it runs out (a once schedule, a cron whose years end).
 *
 * A rate fires at `startMs + k * everyMs`: EventBridge starts a rate schedule when the rule is created
 * (Scheduler: at its StartDate), so its phase comes from there, not from the clock. `startMs` defaults
 * to `afterMs`, as for a schedule created now: its first fire is one period later.
 */
export const nextFireTimes = (schedule: Schedule, afterMs: number, count: number, startMs: number = afterMs): number[] => {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number of fire times, got ${count}`);
  switch (schedule.kind) {
    case 'once':
      return schedule.atMs > afterMs ? [schedule.atMs].slice(0, count) : [];
    case 'rate': {
      const first = startMs > afterMs ? 0 : Math.floor((afterMs - startMs) / schedule.everyMs) + 1;
      return Array.from({ length: count }, (_, index) => startMs + (first + index) * schedule.everyMs);
    }
    case 'cron':
      return take(cronFireTimes(schedule, afterMs), count);
  }
};

const take = (times: Iterable<number>, count: number): number[] => {
  const taken: number[] = [];
  if (count === 0) return taken;
  for (const time of times) {
    taken.push(time);
    if (taken.length === count) break;
  }
  return taken;
};

/** Walks the fields year by year, month by month, skipping whole months and days already past. */
function* cronFireTimes(cron: CronSchedule, afterMs: number): Generator<number> {
  for (const year of cron.years) {
    if (Date.UTC(year + 1, 0, 1) <= afterMs) continue;
    for (const month of cron.months) {
      // Date.UTC months count from 0, so (year, month, 1) is the first instant of the next month.
      if (Date.UTC(year, month, 1) <= afterMs) continue;
      for (const day of daysFiring(cron.days, year, month)) {
        if (Date.UTC(year, month - 1, day + 1) <= afterMs) continue;
        for (const hour of cron.hours) {
          for (const minute of cron.minutes) {
            const at = Date.UTC(year, month - 1, day, hour, minute);
            if (at > afterMs) yield at;
          }
        }
      }
    }
  }
}
