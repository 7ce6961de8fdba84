/** Interface under test: nextFireTimes(schedule, afterMs, count, startMs?), when a parsed schedule fires. */
import fc from 'fast-check';
import { nextFireTimes } from '../../../../lambdas/domain/campaign/next-fire-times';
import type { Schedule } from '../../../../lambdas/domain/campaign/schedule';
import { parseScheduleExpression } from '../../../../lambdas/domain/campaign/schedule-expression';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const schedule = (text: string): Schedule => {
  const result = parseScheduleExpression(text);
  if (!result.ok) throw new Error(`expected ${text} to parse, got: ${result.error}`);
  return result.schedule;
};

const fires = (text: string, after: string, count: number): string[] =>
  nextFireTimes(schedule(text), Date.parse(after), count).map((ms) => new Date(ms).toISOString().slice(0, 16));

describe('nextFireTimes', () => {
  describe('cron', () => {
    it('cron(0 10 * * ? *): every day at 10:00 UTC, strictly after the given instant', () => {
      expect(fires('cron(0 10 * * ? *)', '2026-05-17T12:00:00Z', 3)).toEqual(['2026-05-18T10:00', '2026-05-19T10:00', '2026-05-20T10:00']);
      expect(fires('cron(0 10 * * ? *)', '2026-05-17T10:00:00Z', 1)).toEqual(['2026-05-18T10:00']);
      expect(fires('cron(0 10 * * ? *)', '2026-05-17T09:59:59.999Z', 1)).toEqual(['2026-05-17T10:00']);
    });

    it('cron(15 10 ? * 6L 2026-2027): the last Friday of each month, until 2027 ends', () => {
      expect(fires('cron(15 10 ? * 6L 2026-2027)', '2026-01-01T00:00:00Z', 3)).toEqual(['2026-01-30T10:15', '2026-02-27T10:15', '2026-03-27T10:15']);
      expect(fires('cron(15 10 ? * 6L 2026-2027)', '2027-12-01T00:00:00Z', 3)).toEqual(['2027-12-31T10:15']);
      expect(fires('cron(15 10 ? * 6L 2026-2027)', '2025-12-31T00:00:00Z', 1)).toEqual(['2026-01-30T10:15']);
    });

    it('cron(0 18 ? * MON-FRI *): weekdays only', () => {
      // 2026-01-02 is a Friday.
      expect(fires('cron(0 18 ? * MON-FRI *)', '2026-01-02T18:00:00Z', 3)).toEqual(['2026-01-05T18:00', '2026-01-06T18:00', '2026-01-07T18:00']);
    });

    it('cron(0/15 * * * ? *): every quarter hour, across midnight and the year end', () => {
      expect(fires('cron(0/15 * * * ? *)', '2026-12-31T23:37:00Z', 3)).toEqual(['2026-12-31T23:45', '2027-01-01T00:00', '2027-01-01T00:15']);
    });

    it('cron(0 9 L * ? *): the last day of each month, 29 February in a leap year', () => {
      expect(fires('cron(0 9 L * ? *)', '2026-01-01T00:00:00Z', 4)).toEqual(['2026-01-31T09:00', '2026-02-28T09:00', '2026-03-31T09:00', '2026-04-30T09:00']);
      expect(fires('cron(0 9 L 2 ? *)', '2027-03-01T00:00:00Z', 1)).toEqual(['2028-02-29T09:00']);
    });

    it('cron(0 9 15W * ? *): the weekday nearest the 15th', () => {
      // 15 February and 15 March 2026 are Sundays (so Monday), 15 August a Saturday (so Friday).
      expect(fires('cron(0 9 15W * ? *)', '2026-01-16T00:00:00Z', 2)).toEqual(['2026-02-16T09:00', '2026-03-16T09:00']);
      expect(fires('cron(0 9 15W * ? *)', '2026-08-01T00:00:00Z', 1)).toEqual(['2026-08-14T09:00']);
    });

    it('W never leaves the month, and skips months without the day', () => {
      // 1 August 2026 is a Saturday: Friday would be July, so Monday the 3rd.
      expect(fires('cron(0 9 1W * ? *)', '2026-07-02T00:00:00Z', 1)).toEqual(['2026-08-03T09:00']);
      // 31 May 2026 is a Sunday: Monday would be June, so Friday the 29th; April has no 31st.
      expect(fires('cron(0 9 31W * ? *)', '2026-03-31T10:00:00Z', 2)).toEqual(['2026-05-29T09:00', '2026-07-31T09:00']);
    });

    it('cron(0 9 ? * 3#2 *): the second Tuesday', () => {
      expect(fires('cron(0 9 ? * 3#2 *)', '2026-01-01T00:00:00Z', 3)).toEqual(['2026-01-13T09:00', '2026-02-10T09:00', '2026-03-10T09:00']);
    });

    it('skips months without a fifth such weekday', () => {
      expect(fires('cron(0 9 ? * THU#5 *)', '2026-01-01T00:00:00Z', 3)).toEqual(['2026-01-29T09:00', '2026-04-30T09:00', '2026-07-30T09:00']);
    });

    it('stops where the years end, and finds nothing for a date that never comes', () => {
      expect(fires('cron(59 23 31 DEC ? 2199)', '2199-12-31T23:59:00Z', 5)).toEqual([]);
      expect(fires('cron(0 0 30 FEB ? *)', '1970-01-01T00:00:00Z', 5)).toEqual([]);
    });
  });

  describe('rate', () => {
    const hourly = schedule('rate(1 hour)');
    const after = Date.UTC(2026, 0, 1, 5, 0);

    it('fires one period after the start, by default now', () => {
      expect(nextFireTimes(hourly, after, 2)).toEqual([after + HOUR, after + 2 * HOUR]);
    });

    it('keeps the phase of the start it was given', () => {
      const startMs = Date.UTC(2026, 0, 1, 0, 20);
      expect(nextFireTimes(hourly, after, 2, startMs)).toEqual([Date.UTC(2026, 0, 1, 5, 20), Date.UTC(2026, 0, 1, 6, 20)]);
      expect(nextFireTimes(hourly, Date.UTC(2026, 0, 1, 5, 20), 1, startMs)).toEqual([Date.UTC(2026, 0, 1, 6, 20)]);
    });

    it('fires first at a start still to come', () => {
      const startMs = after + 10 * MINUTE;
      expect(nextFireTimes(schedule('rate(5 minutes)'), after, 3, startMs)).toEqual([startMs, startMs + 5 * MINUTE, startMs + 10 * MINUTE]);
    });
  });

  describe('once', () => {
    const once = schedule('at(2026-06-01T09:00:00)');
    const at = Date.UTC(2026, 5, 1, 9);

    it('fires once, if still to come', () => {
      expect(nextFireTimes(once, at - 1, 3)).toEqual([at]);
      expect(nextFireTimes(once, at, 3)).toEqual([]);
    });
  });

  it('gives nothing for a count of 0 and refuses a count that is no count', () => {
    expect(nextFireTimes(schedule('at(2026-06-01T09:00:00)'), 0, 0)).toEqual([]);
    expect(nextFireTimes(schedule('cron(0 10 * * ? *)'), 0, 0)).toEqual([]);
    expect(() => nextFireTimes(schedule('rate(1 day)'), 0, -1)).toThrow(RangeError);
    expect(() => nextFireTimes(schedule('rate(1 day)'), 0, 1.5)).toThrow(RangeError);
  });

  describe('property: a cron schedule fires at exactly the minutes its fields allow', () => {
    // Each generated field carries its text and an independent judge of the values it allows.
    interface Field {
      text: string;
      allows: (value: number) => boolean;
    }

    const name = (names: readonly string[] | undefined, min: number) => (value: number, useName: boolean) =>
      useName && names !== undefined ? (names[value - min] ?? '') : String(value);

    const fieldOf = (min: number, max: number, increments: boolean, names?: readonly string[]): fc.Arbitrary<Field> => {
      const render = name(names, min);
      const value = fc.integer({ min, max });
      const step = fc.integer({ min: 1, max: max - min });
      const items: fc.Arbitrary<Field>[] = [
        fc.tuple(value, fc.boolean()).map(([v, useName]) => ({ text: render(v, useName), allows: (x: number) => x === v })),
        fc.tuple(value, value, fc.boolean()).map(([a, b, useName]) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          return { text: `${render(low, useName)}-${render(high, useName)}`, allows: (x: number) => x >= low && x <= high };
        }),
      ];
      if (increments) {
        items.push(
          fc.tuple(value, step).map(([from, by]) => ({ text: `${from}/${by}`, allows: (x: number) => x >= from && (x - from) % by === 0 })),
          step.map((by) => ({ text: `*/${by}`, allows: (x: number) => (x - min) % by === 0 })),
        );
      }
      const list = fc.array(fc.oneof(...items), { minLength: 1, maxLength: 3 }).map((parts) => ({
        text: parts.map((part) => part.text).join(','),
        allows: (x: number) => parts.some((part) => part.allows(x)),
      }));
      return fc.oneof(fc.constant({ text: '*', allows: () => true }), list);
    };

    const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
    const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

    // A day judge sees the UTC midnight of the day.
    interface DayField {
      dayOfMonth: string;
      dayOfWeek: string;
      allows: (midnight: Date) => boolean;
    }
    const weekdayOf = (date: Date): number => date.getUTCDay() + 1;
    const isLastOfMonth = (date: Date): boolean => new Date(date.getTime() + DAY).getUTCDate() === 1;
    const inSameMonth = (date: Date, days: number): boolean => new Date(date.getTime() + days * DAY).getUTCMonth() === date.getUTCMonth();
    const monthOf = (date: Date): Date[] =>
      Array.from({ length: 63 }, (_, index) => new Date(date.getTime() + (index - 31) * DAY)).filter(
        (other) => other.getUTCMonth() === date.getUTCMonth(),
      );
    // The Monday-Friday of the month closest to the target day, if the month has that day.
    const nearestWeekday = (date: Date, target: number): boolean => {
      if (Math.abs(date.getUTCDate() - target) > 2) return false;
      const month = monthOf(date);
      if (!month.some((other) => other.getUTCDate() === target)) return false;
      const weekdays = month.filter((other) => weekdayOf(other) >= 2 && weekdayOf(other) <= 6).map((other) => other.getUTCDate());
      const best = weekdays.reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
      return date.getUTCDate() === best;
    };

    const dayFields: fc.Arbitrary<DayField> = fc.oneof(
      fieldOf(1, 31, true).map((field) => ({ dayOfMonth: field.text, dayOfWeek: '?', allows: (d: Date) => field.allows(d.getUTCDate()) })),
      fieldOf(1, 7, false, WEEKDAYS).map((field) => ({ dayOfMonth: '?', dayOfWeek: field.text, allows: (d: Date) => field.allows(weekdayOf(d)) })),
      fc.constant({ dayOfMonth: 'L', dayOfWeek: '?', allows: isLastOfMonth }),
      fc.constant({ dayOfMonth: '?', dayOfWeek: 'L', allows: (d: Date) => weekdayOf(d) === 7 }),
      // Month edges are where W turns around, so they come up more often.
      fc.oneof(fc.constantFrom(1, 2, 28, 29, 30, 31), fc.integer({ min: 1, max: 31 })).map((day) => ({
        dayOfMonth: `${day}W`,
        dayOfWeek: '?',
        allows: (d: Date) => nearestWeekday(d, day),
      })),
      fc.integer({ min: 1, max: 7 }).map((weekday) => ({
        dayOfMonth: '?',
        dayOfWeek: `${weekday}L`,
        allows: (d: Date) => weekdayOf(d) === weekday && !inSameMonth(d, 7),
      })),
      fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 })).map(([weekday, nth]) => ({
        dayOfMonth: '?',
        dayOfWeek: `${weekday}#${nth}`,
        allows: (d: Date) => weekdayOf(d) === weekday && Math.ceil(d.getUTCDate() / 7) === nth,
      })),
    );

    const years: fc.Arbitrary<Field> = fc.oneof(
      fc.constant({ text: '*', allows: () => true }),
      fc.tuple(fc.integer({ min: 2025, max: 2029 }), fc.integer({ min: 0, max: 3 })).map(([from, length]) => ({
        text: `${from}-${from + length}`,
        allows: (year: number) => year >= from && year <= from + length,
      })),
    );

    const COUNT = 40;
    const HORIZON_END = Date.UTC(2034, 0, 1);
    const valuesOf = (field: Field, min: number, max: number): number[] =>
      Array.from({ length: max - min + 1 }, (_, index) => min + index).filter((value) => field.allows(value));

    it('matches a day-by-day scan: strictly increasing, every time allowed, none missed', () => {
      fc.assert(
        fc.property(
          fieldOf(0, 59, true),
          fieldOf(0, 23, true),
          dayFields,
          fieldOf(1, 12, true, MONTHS),
          years,
          fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
          (minute, hour, days, month, year, afterMs) => {
            const text = `cron(${minute.text} ${hour.text} ${days.dayOfMonth} ${month.text} ${days.dayOfWeek} ${year.text})`;
            const minutes = valuesOf(minute, 0, 59);
            const hours = valuesOf(hour, 0, 23);
            const expected: number[] = [];
            for (let midnight = afterMs - (afterMs % DAY); midnight < HORIZON_END && expected.length < COUNT; midnight += DAY) {
              const date = new Date(midnight);
              if (!year.allows(date.getUTCFullYear()) || !month.allows(date.getUTCMonth() + 1) || !days.allows(date)) continue;
              for (const h of hours) for (const m of minutes) if (midnight + h * HOUR + m * MINUTE > afterMs) expected.push(midnight + h * HOUR + m * MINUTE);
            }
            const actual = nextFireTimes(schedule(text), afterMs, COUNT);
            expect(actual.every((at, index) => at > afterMs && (index === 0 || at > (actual[index - 1] ?? at)))).toBe(true);
            expect(actual.filter((at) => at < HORIZON_END)).toEqual(expected.slice(0, COUNT));
          },
        ),
        { numRuns: 600 },
      );
    });
  });
});
