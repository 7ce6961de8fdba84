/** Interface under test: parseScheduleExpression(text), EventBridge rate/cron and Scheduler at() expressions. */
import type { CronSchedule, Schedule } from '../../../../lambdas/domain/campaign/schedule';
import { parseScheduleExpression } from '../../../../lambdas/domain/campaign/schedule-expression';

const MINUTE = 60_000;

const parsed = (text: string): Schedule => {
  const result = parseScheduleExpression(text);
  if (!result.ok) throw new Error(`expected ${text} to parse, got: ${result.error}`);
  return result.schedule;
};

const cron = (text: string): CronSchedule => {
  const schedule = parsed(text);
  if (schedule.kind !== 'cron') throw new Error(`expected a cron schedule from ${text}`);
  return schedule;
};

const errorOf = (text: string): string => {
  const result = parseScheduleExpression(text);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result.error;
};

const range = (from: number, to: number, step = 1): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, index) => from + index * step);

describe('parseScheduleExpression', () => {
  describe('rate', () => {
    it.each([
      ['rate(1 minute)', MINUTE],
      ['rate(5 minutes)', 5 * MINUTE],
      ['rate(1 hour)', 60 * MINUTE],
      ['rate(12 hours)', 12 * 60 * MINUTE],
      ['rate(1 day)', 24 * 60 * MINUTE],
      ['rate(7 days)', 7 * 24 * 60 * MINUTE],
    ])('%s fires every %d ms', (text, everyMs) => {
      expect(parsed(text)).toEqual({ kind: 'rate', expression: text, everyMs });
    });

    it.each([
      ['rate(1 hours)', 'rate: a value of 1 takes "hour", not "hours"'],
      ['rate(5 minute)', 'rate: a value of 5 takes "minutes", not "minute"'],
      ['rate(0 minutes)', 'rate: the value must be a whole number above 0, got "0"'],
      ['rate(1.5 hours)', 'rate: the value must be a whole number above 0, got "1.5"'],
      ['rate(-5 minutes)', 'rate: the value must be a whole number above 0, got "-5"'],
      ['rate(2 weeks)', 'rate: the unit must be minute, minutes, hour, hours, day or days, got "weeks"'],
      ['rate(5 Minutes)', 'rate: the unit must be minute, minutes, hour, hours, day or days, got "Minutes"'],
      ['rate(5)', 'rate: expected "value unit", like rate(5 minutes), got "5"'],
    ])('refuses %s', (text, error) => {
      expect(errorOf(text)).toBe(error);
    });
  });

  describe('cron', () => {
    it('expands cron(0 10 * * ? *) to every day at 10:00 UTC', () => {
      expect(cron('cron(0 10 * * ? *)')).toEqual({
        kind: 'cron',
        expression: 'cron(0 10 * * ? *)',
        minutes: [0],
        hours: [10],
        days: { kind: 'daysOfMonth', days: range(1, 31) },
        months: range(1, 12),
        years: range(1970, 2199),
      });
    });

    it('reads increments, ranges, lists and names', () => {
      expect(cron('cron(0/15 * * * ? *)').minutes).toEqual([0, 15, 30, 45]);
      expect(cron('cron(1/10 * * * ? *)').minutes).toEqual([1, 11, 21, 31, 41, 51]);
      expect(cron('cron(*/20 * * * ? *)').minutes).toEqual([0, 20, 40]);
      expect(cron('cron(10-40/10 * * * ? *)').minutes).toEqual([10, 20, 30, 40]);
      expect(cron('cron(0 10,15 * * ? *)').hours).toEqual([10, 15]);
      expect(cron('cron(0 18 ? * MON-FRI *)').days).toEqual({ kind: 'weekdays', weekdays: [2, 3, 4, 5, 6] });
      expect(cron('cron(0 18 ? * SUN,7 *)').days).toEqual({ kind: 'weekdays', weekdays: [1, 7] });
      expect(cron('cron(0 9 * JAN,MAR-MAY ? *)').months).toEqual([1, 3, 4, 5]);
      expect(cron('cron(0 9 1/10 * ? *)').days).toEqual({ kind: 'daysOfMonth', days: [1, 11, 21, 31] });
      expect(cron('cron(0 9 * * ? 2026/100)').years).toEqual([2026, 2126]);
      expect(cron('cron(15 10 ? * 6L 2026-2027)').years).toEqual([2026, 2027]);
    });

    it('reads L, W and # as day rules', () => {
      expect(cron('cron(0 9 L * ? *)').days).toEqual({ kind: 'lastDayOfMonth' });
      expect(cron('cron(0 9 15W * ? *)').days).toEqual({ kind: 'nearestWeekday', day: 15 });
      expect(cron('cron(0 9 ? * L *)').days).toEqual({ kind: 'weekdays', weekdays: [7] });
      expect(cron('cron(15 10 ? * 6L 2026-2027)').days).toEqual({ kind: 'lastWeekday', weekday: 6 });
      expect(cron('cron(0 9 ? * FRIL *)').days).toEqual({ kind: 'lastWeekday', weekday: 6 });
      expect(cron('cron(0 9 ? * 3#2 *)').days).toEqual({ kind: 'nthWeekday', weekday: 3, nth: 2 });
      expect(cron('cron(0 9 ? * TUE#5 *)').days).toEqual({ kind: 'nthWeekday', weekday: 3, nth: 5 });
    });

    it('takes day-of-month "*" with day-of-week "?", and the other way round', () => {
      expect(cron('cron(0 * * * ? *)').days).toEqual({ kind: 'daysOfMonth', days: range(1, 31) });
      expect(cron('cron(0 * ? * * *)').days).toEqual({ kind: 'weekdays', weekdays: range(1, 7) });
    });

    it('tolerates extra white space between fields', () => {
      expect(cron('  cron(0  10 * *\t? *) ').expression).toBe('cron(0  10 * *\t? *)');
    });

    it.each([
      ['cron(0 10 * * MON *)', 'cron: Day-of-month and Day-of-week are both set: one of them must be "?", as in cron(0 10 * * ? *)'],
      ['cron(0 10 * * * *)', 'cron: Day-of-month and Day-of-week are both set: one of them must be "?", as in cron(0 10 * * ? *)'],
      ['cron(0 10 ? * ? *)', 'cron: Day-of-month and Day-of-week are both "?": one of them must say which days run'],
      ['cron(0 10 * * ?)', 'cron: expected 6 fields (Minutes Hours Day-of-month Month Day-of-week Year), got 5'],
      ['cron(0 10 * * ? * *)', 'cron: expected 6 fields (Minutes Hours Day-of-month Month Day-of-week Year), got 7'],
      ['cron(60 10 * * ? *)', 'cron Minutes: 60 is out of range 0-59'],
      ['cron(0 24 * * ? *)', 'cron Hours: 24 is out of range 0-23'],
      ['cron(0 22-2 * * ? *)', 'cron Hours: range 22-2 must go from low to high'],
      ['cron(0 10 0 * ? *)', 'cron Day-of-month: 0 is out of range 1-31'],
      ['cron(0 10 1-32 * ? *)', 'cron Day-of-month: 32 is out of range 1-31'],
      ['cron(0 10 * 13 ? *)', 'cron Month: 13 is out of range 1-12'],
      ['cron(0 10 * jan ? *)', 'cron Month: "jan" is not a value (use 1-12 or JAN-DEC, in capitals)'],
      ['cron(0 10 ? * 8 *)', 'cron Day-of-week: 8 is out of range 1-7'],
      ['cron(0 10 ? * FRI-MON *)', 'cron Day-of-week: range FRI-MON must go from low to high'],
      ['cron(0 10 * * ? 1969)', 'cron Year: 1969 is out of range 1970-2199'],
      ['cron(0 10 * * ? 2026-2200)', 'cron Year: 2200 is out of range 1970-2199'],
      ['cron(0/60 * * * ? *)', 'cron Minutes: increment 60 must be between 1 and 59'],
      ['cron(0/0 * * * ? *)', 'cron Minutes: increment 0 must be between 1 and 59'],
      ['cron(*-5 * * * ? *)', 'cron Minutes: "*-5" is not a range: "*" already means every value'],
      ['cron(? 10 * * ? *)', 'cron Minutes: "?" stands alone, and only in Day-of-month or Day-of-week'],
      ['cron(0 10 ?,1 * ? *)', 'cron Day-of-month: "?" stands alone, and only in Day-of-month or Day-of-week'],
      ['cron(0 10 1,,2 * ? *)', 'cron Day-of-month: "" is not a value, range or increment'],
      ['cron(0 10 ? * MON/2 *)', 'cron Day-of-week: "/" is not allowed in Day-of-week'],
      ['cron(0 10 ? * 3#1,6#3 *)', 'cron Day-of-week: "3#1,6#3" has a "#" in a list: "#" takes one expression, like 3#2'],
      ['cron(0 10 ? * 3#6 *)', 'cron Day-of-week: 3#6 asks for occurrence 6, but a month has 1 to 5'],
      ['cron(0 10 ? * 3#0 *)', 'cron Day-of-week: 3#0 asks for occurrence 0, but a month has 1 to 5'],
      ['cron(0 10 ? * 8#1 *)', 'cron Day-of-week: 8 is out of range 1-7'],
      ['cron(0 10 ? * 1,5L *)', 'cron Day-of-week: "1,5L" misuses L, which stands alone: L (Saturday) or a weekday with L (5L)'],
      ['cron(0 10 32W * ? *)', 'cron Day-of-month: 32 is out of range 1-31'],
      ['cron(0 10 LW * ? *)', 'cron Day-of-month: "LW" misuses L or W, which stand alone: L (last day) or a day with W (15W)'],
      ['cron(0 10 1,L * ? *)', 'cron Day-of-month: "1,L" misuses L or W, which stand alone: L (last day) or a day with W (15W)'],
      ['cron(0 10 3#2 * ? *)', 'cron Day-of-month: "3#2" is not a value, range or increment'],
    ])('refuses %s', (text, error) => {
      expect(errorOf(text)).toBe(error);
    });
  });

  describe('at', () => {
    it('reads at(yyyy-mm-ddThh:mm:ss) as UTC', () => {
      expect(parsed('at(2026-06-01T09:30:15)')).toEqual({
        kind: 'once',
        expression: 'at(2026-06-01T09:30:15)',
        atMs: Date.UTC(2026, 5, 1, 9, 30, 15),
      });
    });

    it.each([
      ['at(2026-02-30T10:00:00)', 'at: 2026-02-30T10:00:00 is not a real date and time'],
      ['at(2026-06-01T24:00:00)', 'at: 2026-06-01T24:00:00 is not a real date and time'],
      ['at(2026-06-01T10:00:60)', 'at: 2026-06-01T10:00:60 is not a real date and time'],
      ['at(2026-06-01T10:00)', 'at: expected yyyy-mm-ddThh:mm:ss, got "2026-06-01T10:00"'],
      ['at(2026-06-01T10:00:00Z)', 'at: expected yyyy-mm-ddThh:mm:ss, got "2026-06-01T10:00:00Z"'],
    ])('refuses %s', (text, error) => {
      expect(errorOf(text)).toBe(error);
    });
  });

  it.each(['every 5 minutes', 'cron 0 10 * * ? *', 'RATE(5 minutes)', ''])('refuses "%s", which is no expression', (text) => {
    expect(errorOf(text)).toBe(`"${text}" is not rate(value unit), cron(6 fields) or at(yyyy-mm-ddThh:mm:ss)`);
  });
});
