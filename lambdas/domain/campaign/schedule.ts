/**
 * A parsed EventBridge schedule expression. Every instant is UTC epoch milliseconds: EventBridge
 * rules evaluate cron in UTC (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)
 * and `at(...)` is read as UTC too, EventBridge Scheduler's default time zone.
 */
export type Schedule = RateSchedule | CronSchedule | OnceSchedule;

/** `rate(value unit)`: every `everyMs`, phased from when the schedule starts. */
export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly everyMs: number;
}

/** `at(yyyy-mm-ddThh:mm:ss)`: EventBridge Scheduler's one-time schedule. */
export interface OnceSchedule {
  readonly kind: 'once';
  readonly expression: string;
  readonly atMs: number;
}

/** `cron(...)` with each field expanded to its sorted values; months are 1-12. */
export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: DayRule;
  readonly months: readonly number[];
  readonly years: readonly number[];
}

/**
 * Which days of a month fire. Exactly one of Day-of-month and Day-of-week sets them (the other is
 * "?"), so one rule says it all. Weekdays are EventBridge's: 1 = Sunday ... 7 = Saturday.
 */
export type DayRule =
  | { readonly kind: 'daysOfMonth'; readonly days: readonly number[] }
  /** Day-of-month `L`. */
  | { readonly kind: 'lastDayOfMonth' }
  /** Day-of-month `15W`: the Monday-Friday closest to the 15th, never leaving the month. */
  | { readonly kind: 'nearestWeekday'; readonly day: number }
  | { readonly kind: 'weekdays'; readonly weekdays: readonly number[] }
  /** Day-of-week `5L`: the last Thursday of the month. */
  | { readonly kind: 'lastWeekday'; readonly weekday: number }
  /** Day-of-week `3#2`: the second Tuesday of the month. */
  | { readonly kind: 'nthWeekday'; readonly weekday: number; readonly nth: number };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });
