import type { DayRule } from './schedule';

const SATURDAY = 7;
const SUNDAY = 1;

/** The days (1-31, ascending) of `month` (1-12) in `year` that a cron day rule fires on. */
export const daysFiring = (rule: DayRule, year: number, month: number): number[] => {
  const last = lastDayOf(year, month);
  switch (rule.kind) {
    case 'daysOfMonth':
      return rule.days.filter((day) => day <= last);
    case 'lastDayOfMonth':
      return [last];
    case 'nearestWeekday':
      // A month without the day (31W in April) has no nearest weekday to it, as a plain 31 never fires there.
      return rule.day > last ? [] : [nearestWeekday(year, month, rule.day, last)];
    case 'weekdays':
      return allDays(last).filter((day) => rule.weekdays.includes(weekdayOf(year, month, day)));
    case 'lastWeekday':
      return [last - ((weekdayOf(year, month, last) - rule.weekday + 7) % 7)];
    case 'nthWeekday': {
      const first = 1 + ((rule.weekday - weekdayOf(year, month, 1) + 7) % 7);
      const day = first + 7 * (rule.nth - 1);
      return day > last ? [] : [day];
    }
  }
};

/**
 * Quartz's W, which EventBridge's "3W specifies the weekday closest to the third day of the month"
 * follows: Saturday moves to Friday and Sunday to Monday, unless that leaves the month, in which case
 * it moves the other way (1W on a Saturday is Monday the 3rd).
 */
const nearestWeekday = (year: number, month: number, day: number, last: number): number => {
  const weekday = weekdayOf(year, month, day);
  if (weekday === SATURDAY) return day === 1 ? 3 : day - 1;
  if (weekday === SUNDAY) return day === last ? day - 2 : day + 1;
  return day;
};

/** 1 = Sunday ... 7 = Saturday, EventBridge's numbering. */
const weekdayOf = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

const lastDayOf = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const allDays = (last: number): number[] => Array.from({ length: last }, (_, index) => index + 1);
