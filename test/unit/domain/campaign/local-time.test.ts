/** Interface under test: dueInFiring / targetInFiring (local-time campaigns), localDate and isIanaTimeZone. */
import fc from 'fast-check';
import {
  LOCAL_TIME_FIRING_EXPRESSION,
  LOCAL_TIME_FIRING_INTERVAL_MS,
  dueInFiring,
  isIanaTimeZone,
  localDate,
  targetInFiring,
} from '../../../../lambdas/domain/campaign/local-time';
import { nextFireTimes } from '../../../../lambdas/domain/campaign/next-fire-times';
import { parseScheduleExpression } from '../../../../lambdas/domain/campaign/schedule-expression';

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);

/** The firing of the given length that holds `ms` on a grid from the epoch, as EventBridge's UTC rule lays them. */
const firingHolding = (ms: number, intervalMs: number): number => ms - (ms % intervalMs);

const target = (localTime: string, timeZone: string, firingAtMs: number, firingIntervalMs = QUARTER) =>
  targetInFiring({ localTime, timeZone, firingAtMs, firingIntervalMs });

// Independent of the code under test: the zone's wall clock read with formatToParts, as a UTC-like number.
const wallReaders = new Map<string, Intl.DateTimeFormat>();
const wall = (ms: number, timeZone: string): number => {
  let reader = wallReaders.get(timeZone);
  if (reader === undefined) {
    reader = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    wallReaders.set(timeZone, reader);
  }
  const parts = reader.formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
};

/** The first minute at which the zone's clock reads `localTime` on `date` or later: what "send once, at 02:30 local" means. */
const firstReaching = (date: string, localTime: string, timeZone: string, from: number): number => {
  const wanted = Date.parse(`${date}T${localTime}:00Z`);
  let quarter = firingHolding(from, QUARTER);
  while (wall(quarter, timeZone) < wanted) quarter += QUARTER;
  let minute = quarter - QUARTER;
  while (wall(minute, timeZone) < wanted) minute += MINUTE;
  return minute;
};

describe('targetInFiring / dueInFiring', () => {
  describe('DST in Europe/Berlin', () => {
    it('sends 02:30 on the spring-forward day, which the clock skips, at the jump: 03:00 CEST', () => {
      expect(target('02:30', 'Europe/Berlin', at('2026-03-29T01:00:00Z'))).toEqual({ atMs: at('2026-03-29T01:00:00Z'), localDate: '2026-03-29' });
      expect(dueInFiring({ localTime: '02:30', timeZone: 'Europe/Berlin', firingAtMs: at('2026-03-29T00:45:00Z'), firingIntervalMs: QUARTER })).toBe(false);
      expect(dueInFiring({ localTime: '02:30', timeZone: 'Europe/Berlin', firingAtMs: at('2026-03-29T01:15:00Z'), firingIntervalMs: QUARTER })).toBe(false);
    });

    it('sends 02:30 on the fall-back day, which the clock shows twice, once: the first time (CEST)', () => {
      expect(target('02:30', 'Europe/Berlin', at('2026-10-25T00:30:00Z'))).toEqual({ atMs: at('2026-10-25T00:30:00Z'), localDate: '2026-10-25' });
      expect(target('02:30', 'Europe/Berlin', at('2026-10-25T01:30:00Z'))).toBeUndefined();
    });

    it('keeps ordinary times on both days', () => {
      expect(target('09:00', 'Europe/Berlin', at('2026-03-29T07:00:00Z'))?.atMs).toBe(at('2026-03-29T07:00:00Z'));
      expect(target('09:00', 'Europe/Berlin', at('2026-10-25T08:00:00Z'))?.atMs).toBe(at('2026-10-25T08:00:00Z'));
    });
  });

  describe('DST in America/New_York', () => {
    it('skipped 02:30 goes at 03:00 EDT, repeated 01:30 goes at the EDT one', () => {
      expect(target('02:30', 'America/New_York', at('2026-03-08T07:00:00Z'))?.atMs).toBe(at('2026-03-08T07:00:00Z'));
      expect(target('01:30', 'America/New_York', at('2026-11-01T05:30:00Z'))?.atMs).toBe(at('2026-11-01T05:30:00Z'));
      expect(target('01:30', 'America/New_York', at('2026-11-01T06:30:00Z'))).toBeUndefined();
    });
  });

  describe('Australia/Lord_Howe, whose clocks move by 30 minutes', () => {
    it('skipped 02:15 (02:00 goes to 02:30 on 2026-10-04) goes at the jump', () => {
      expect(target('02:15', 'Australia/Lord_Howe', at('2026-10-03T15:30:00Z'))).toEqual({ atMs: at('2026-10-03T15:30:00Z'), localDate: '2026-10-04' });
    });

    it('repeated 01:45 (02:00 goes back to 01:30 on 2026-04-05) goes the first time, at +11:00', () => {
      expect(target('01:45', 'Australia/Lord_Howe', at('2026-04-04T14:45:00Z'))).toEqual({ atMs: at('2026-04-04T14:45:00Z'), localDate: '2026-04-05' });
      expect(target('01:45', 'Australia/Lord_Howe', at('2026-04-04T15:15:00Z'))).toBeUndefined();
    });
  });

  describe('half-hour and 45-minute zones', () => {
    it('Asia/Kolkata (+05:30): 09:00 is 03:30 UTC, exactly on a quarter-hour firing', () => {
      expect(target('09:00', 'Asia/Kolkata', at('2026-06-01T03:30:00Z'))?.atMs).toBe(at('2026-06-01T03:30:00Z'));
    });

    it('Asia/Kathmandu (+05:45): 09:00 is 03:15 UTC', () => {
      expect(target('09:00', 'Asia/Kathmandu', at('2026-06-01T03:15:00Z'))?.atMs).toBe(at('2026-06-01T03:15:00Z'));
    });

    it('an hourly firing would pick Kolkata 09:00 up half an hour early, which is why the rule runs every 15 minutes', () => {
      expect(target('09:00', 'Asia/Kolkata', at('2026-06-01T03:00:00Z'), HOUR)?.atMs).toBe(at('2026-06-01T03:30:00Z'));
    });

    it("keys the send by the contact's day, which a firing on the eve may hold", () => {
      // 18:00 UTC is 23:30 in Kolkata on 1 June; 00:10 on 2 June is 18:40 UTC, inside the hour.
      expect(localDate(at('2026-06-01T18:00:00Z'), 'Asia/Kolkata')).toBe('2026-06-01');
      expect(target('00:10', 'Asia/Kolkata', at('2026-06-01T18:00:00Z'), HOUR)).toEqual({ atMs: at('2026-06-01T18:40:00Z'), localDate: '2026-06-02' });
    });
  });

  it('finds a time between quarters in the firing before it, less than 15 minutes early', () => {
    expect(target('09:10', 'Europe/Berlin', at('2026-06-01T07:00:00Z'))?.atMs).toBe(at('2026-06-01T07:10:00Z'));
    expect(target('09:10', 'Europe/Berlin', at('2026-06-01T07:15:00Z'))).toBeUndefined();
  });

  it('refuses a time that is not HH:MM and a firing interval outside (0, 1 h]', () => {
    const firingAtMs = at('2026-06-01T07:00:00Z');
    expect(() => target('9:00', 'Europe/Berlin', firingAtMs)).toThrow('localTime must be HH:MM (00:00-23:59), got "9:00"');
    expect(() => target('24:00', 'Europe/Berlin', firingAtMs)).toThrow(RangeError);
    expect(() => target('09:00', 'Europe/Berlin', firingAtMs, 0)).toThrow('firingIntervalMs must be above 0 and at most an hour, got 0');
    expect(() => target('09:00', 'Europe/Berlin', firingAtMs, 2 * HOUR)).toThrow(RangeError);
    expect(() => target('09:00', 'Mars/Olympus_Mons', firingAtMs)).toThrow(RangeError);
  });

  it('runs on a rule whose firings are LOCAL_TIME_FIRING_INTERVAL_MS apart', () => {
    const parsed = parseScheduleExpression(LOCAL_TIME_FIRING_EXPRESSION);
    if (!parsed.ok) throw new Error(parsed.error);
    const times = nextFireTimes(parsed.schedule, at('2026-06-01T00:00:00Z'), 97);
    expect(times.slice(1).map((time, index) => time - (times[index] ?? 0))).toEqual(Array(96).fill(LOCAL_TIME_FIRING_INTERVAL_MS));
  });

  describe('property: every contact is picked exactly once per local day', () => {
    // Whole, half-hour and 45-minute offsets, 1 h and 30 min DST shifts, DST at midnight (Santiago).
    const ZONES = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'America/Santiago',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ];
    // One time per zone where its clocks skip or repeat in 2026 (or a day edge where they don't).
    const EDGE_TIMES: Record<string, string> = {
      UTC: '00:00',
      'Europe/Berlin': '02:30',
      'America/New_York': '01:30',
      'America/Santiago': '00:00',
      'Asia/Kolkata': '00:10',
      'Asia/Kathmandu': '23:45',
      'Australia/Lord_Howe': '01:45',
      'Pacific/Chatham': '03:00',
    };

    it.each(ZONES)('%s: hourly firings through 2026 pick each local day once, when the clock first reaches the time', (timeZone) => {
      const localTime = EDGE_TIMES[timeZone] ?? '';
      const picked: Record<string, number[]> = {};
      const outsideTheirFiring: number[] = [];
      for (let firingAtMs = at('2025-12-30T00:00:00Z'); firingAtMs < at('2027-01-03T00:00:00Z'); firingAtMs += HOUR) {
        const found = target(localTime, timeZone, firingAtMs, HOUR);
        if (found === undefined) continue;
        if (found.atMs < firingAtMs || found.atMs >= firingAtMs + HOUR) outsideTheirFiring.push(firingAtMs);
        (picked[found.localDate] ??= []).push(found.atMs);
      }
      const expected: Record<string, number[]> = {};
      let from = at('2025-12-31T00:00:00Z');
      for (let day = at('2026-01-01T00:00:00Z'); day < at('2027-01-01T00:00:00Z'); day += DAY) {
        const date = new Date(day).toISOString().slice(0, 10);
        const first = firstReaching(date, localTime, timeZone, from);
        expected[date] = [first];
        // Consecutive days' targets are at least 23 hours apart here (DST moves clocks by an hour at most).
        from = first + 20 * HOUR;
      }
      expect(outsideTheirFiring).toEqual([]);
      expect(Object.fromEntries(Object.entries(picked).filter(([date]) => date.startsWith('2026-')))).toEqual(expected);
    });

    it('quarter-hour firings around any day of 2026 pick the contact once, exactly when its clock first reaches the time', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ZONES),
          fc.integer({ min: 0, max: 364 }),
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          (timeZone, dayOfYear, hour, minute) => {
            const localTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
            const date = new Date(at('2026-01-01T00:00:00Z') + dayOfYear * DAY).toISOString().slice(0, 10);
            const hits: { firingAtMs: number; atMs: number }[] = [];
            for (let firingAtMs = at(`${date}T00:00:00Z`) - 2 * DAY; firingAtMs < at(`${date}T00:00:00Z`) + 2 * DAY; firingAtMs += QUARTER) {
              const found = target(localTime, timeZone, firingAtMs);
              if (found?.localDate === date) hits.push({ firingAtMs, atMs: found.atMs });
            }
            const expected = firstReaching(date, localTime, timeZone, at(`${date}T00:00:00Z`) - DAY);
            expect(hits).toEqual([{ firingAtMs: firingHolding(expected, QUARTER), atMs: expected }]);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});

describe('localDate', () => {
  it("gives the zone's calendar date", () => {
    const ms = at('2026-03-29T22:30:00Z');
    expect(localDate(ms, 'UTC')).toBe('2026-03-29');
    expect(localDate(ms, 'Asia/Kolkata')).toBe('2026-03-30');
    expect(localDate(ms, 'America/Los_Angeles')).toBe('2026-03-29');
    expect(localDate(at('2026-01-01T10:59:59Z'), 'Pacific/Kiritimati')).toBe('2026-01-02');
  });
});

describe('isIanaTimeZone', () => {
  it.each(['Europe/Berlin', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+5', 'Asia/Calcutta'])(
    'takes %s',
    (zone) => {
      expect(isIanaTimeZone(zone)).toBe(true);
    },
  );

  it.each(['+05:30', 'GMT+5:30', 'Mars/Olympus_Mons', '', 'Europe/Berlin ', 'Europe//Berlin', '../etc/passwd'])('refuses "%s"', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });
});
