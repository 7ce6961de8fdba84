/** Interface under test: whether an account is open at an instant, and which closed period it is in (business-hours.ts). */
import fc from 'fast-check';
import { openingAt } from '../../../../lambdas/domain/automation/business-hours';
import { type BusinessHours, BusinessHoursSchema } from '../../../../lambdas/schemas/automation-config';

const BERLIN = 'Europe/Berlin';
const at = (iso: string) => Date.parse(iso);
const hours = (input: unknown): BusinessHours => BusinessHoursSchema.parse(input);
const OFFICE: Record<string, Array<{ from: string; to: string }>> = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ from: '09:00', to: '18:00' }]]));
const office = (holidays: string[] = []) => hours({ weekly: OFFICE, holidays: holidays.map((date) => ({ date })) });

describe('business hours on an ordinary week (Europe/Berlin, Mon–Fri 09:00–18:00, CET = UTC+1)', () => {
  it('is open from the opening minute up to, not including, the closing minute', () => {
    expect(openingAt(office(), BERLIN, at('2026-12-09T08:00:00Z'))).toEqual({ open: true });
    expect(openingAt(office(), BERLIN, at('2026-12-09T16:59:59Z'))).toEqual({ open: true });
    expect(openingAt(office(), BERLIN, at('2026-12-09T17:00:00Z'))).toEqual({ open: false, since: at('2026-12-09T17:00:00Z'), reopensAt: at('2026-12-10T08:00:00Z') });
    expect(openingAt(office(), BERLIN, at('2026-12-09T07:59:59Z'))).toEqual({ open: false, since: at('2026-12-08T17:00:00Z'), reopensAt: at('2026-12-09T08:00:00Z') });
  });

  it('a weekend is one closed period, the same however often and whenever in it it is asked', () => {
    const weekend = { open: false, since: at('2026-12-11T17:00:00Z'), reopensAt: at('2026-12-14T08:00:00Z') };
    for (const instant of ['2026-12-11T17:00:00Z', '2026-12-12T21:00:00Z', '2026-12-13T23:30:00Z', '2026-12-14T07:59:00Z']) {
      expect(openingAt(office(), BERLIN, at(instant))).toEqual(weekend);
    }
    expect(openingAt(office(), BERLIN, at('2026-12-14T21:00:00Z'))).toEqual({ open: false, since: at('2026-12-14T17:00:00Z'), reopensAt: at('2026-12-15T08:00:00Z') });
  });

  it('a holiday Monday joins the weekend: one period from Friday closing to Tuesday opening', () => {
    const long = { open: false, since: at('2026-12-11T17:00:00Z'), reopensAt: at('2026-12-15T08:00:00Z') };
    expect(openingAt(office(['2026-12-14']), BERLIN, at('2026-12-12T21:00:00Z'))).toEqual(long);
    expect(openingAt(office(['2026-12-14']), BERLIN, at('2026-12-14T10:00:00Z'))).toEqual(long);
  });

  it('a holiday Saturday between open days: one period from Friday closing to Monday opening', () => {
    const sixDays = hours({
      weekly: { ...OFFICE, sat: [{ from: '10:00', to: '14:00' }] },
      holidays: [{ date: '2026-12-26', name: 'Zweiter Weihnachtstag' }],
    });
    expect(openingAt(sixDays, BERLIN, at('2026-12-19T10:00:00Z'))).toEqual({ open: true });
    const holidayWeekend = { open: false, since: at('2026-12-25T17:00:00Z'), reopensAt: at('2026-12-28T08:00:00Z') };
    expect(openingAt(sixDays, BERLIN, at('2026-12-26T10:00:00Z'))).toEqual(holidayWeekend);
    expect(openingAt(sixDays, BERLIN, at('2026-12-27T20:00:00Z'))).toEqual(holidayWeekend);
  });

  it('holidays are whole days of the account\'s zone, not of UTC', () => {
    // 16:00 UTC on Sunday the 13th is already 01:00 on Monday the 14th in Tokyo: the holiday, closed.
    const tokyo = hours({ weekly: { mon: [{ from: '00:00', to: '24:00' }] }, holidays: [{ date: '2026-12-14' }] });
    expect(openingAt(tokyo, 'Asia/Tokyo', at('2026-12-13T16:00:00Z')).open).toBe(false);
    expect(openingAt(tokyo, 'Asia/Tokyo', at('2026-12-20T16:00:00Z')).open).toBe(true);
  });
});

describe('over midnight: a period written as two intervals', () => {
  const bar = hours({ weekly: { fri: [{ from: '20:00', to: '24:00' }], sat: [{ from: '00:00', to: '03:00' }, { from: '20:00', to: '24:00' }], sun: [{ from: '00:00', to: '03:00' }] } });

  it('is open across midnight without a closed moment at 24:00', () => {
    expect(openingAt(bar, BERLIN, at('2026-12-11T22:59:59Z')).open).toBe(true);
    expect(openingAt(bar, BERLIN, at('2026-12-11T23:00:00Z')).open).toBe(true);
    expect(openingAt(bar, BERLIN, at('2026-12-12T01:59:59Z')).open).toBe(true);
  });

  it('closes at 03:00 until the evening, and after Sunday night until next Friday', () => {
    expect(openingAt(bar, BERLIN, at('2026-12-12T02:00:00Z'))).toEqual({ open: false, since: at('2026-12-12T02:00:00Z'), reopensAt: at('2026-12-12T19:00:00Z') });
    expect(openingAt(bar, BERLIN, at('2026-12-16T12:00:00Z'))).toEqual({ open: false, since: at('2026-12-13T02:00:00Z'), reopensAt: at('2026-12-18T19:00:00Z') });
  });
});

describe('DST switch days: hours follow the wall clock', () => {
  it('spring forward (Berlin, Sunday 2026-03-29 02:00 -> 03:00): Sunday opens at 09:00 CEST, an hour earlier in UTC', () => {
    const daily = hours({ weekly: Object.fromEntries(['sat', 'sun'].map((day) => [day, [{ from: '09:00', to: '18:00' }]])) });
    expect(openingAt(daily, BERLIN, at('2026-03-28T20:00:00Z'))).toEqual({ open: false, since: at('2026-03-28T17:00:00Z'), reopensAt: at('2026-03-29T07:00:00Z') });
    expect(openingAt(daily, BERLIN, at('2026-03-29T07:00:00Z')).open).toBe(true);
    expect(openingAt(daily, BERLIN, at('2026-03-29T16:00:00Z'))).toEqual({ open: false, since: at('2026-03-29T16:00:00Z'), reopensAt: at('2026-04-04T07:00:00Z') });
  });

  it('spring forward: an interval inside the skipped hour never opens', () => {
    const skipped = hours({ weekly: { sun: [{ from: '02:00', to: '03:00' }] } });
    expect(openingAt(skipped, BERLIN, at('2026-03-29T01:00:00Z'))).toEqual({ open: false, since: at('2026-03-22T02:00:00Z'), reopensAt: at('2026-04-05T00:00:00Z') });
  });

  it('fall back (Berlin, Sunday 2026-10-25 03:00 -> 02:00): a night to 03:00 lasts an hour longer, the repeated hour open twice', () => {
    const bar = hours({ weekly: { sat: [{ from: '22:00', to: '24:00' }], sun: [{ from: '00:00', to: '03:00' }] } });
    // 22:00 CEST is 20:00 UTC; 03:00 CET is 02:00 UTC.
    expect(openingAt(bar, BERLIN, at('2026-10-24T20:00:00Z')).open).toBe(true);
    expect(openingAt(bar, BERLIN, at('2026-10-25T00:30:00Z')).open).toBe(true);
    expect(openingAt(bar, BERLIN, at('2026-10-25T01:30:00Z')).open).toBe(true);
    expect(openingAt(bar, BERLIN, at('2026-10-25T02:00:00Z'))).toEqual({ open: false, since: at('2026-10-25T02:00:00Z'), reopensAt: at('2026-10-31T21:00:00Z') });
  });

  it('a weekend over a US switch (New York, 2026-03-08): closes at 18:00 EST, reopens at 09:00 EDT', () => {
    expect(openingAt(office(), 'America/New_York', at('2026-03-08T12:00:00Z'))).toEqual({ open: false, since: at('2026-03-06T23:00:00Z'), reopensAt: at('2026-03-09T13:00:00Z') });
  });

  it('a half-hour zone (Asia/Kolkata, UTC+05:30)', () => {
    expect(openingAt(office(), 'Asia/Kolkata', at('2026-12-09T03:29:00Z')).open).toBe(false);
    expect(openingAt(office(), 'Asia/Kolkata', at('2026-12-09T03:30:00Z')).open).toBe(true);
  });
});

describe('never open', () => {
  it('a week without hours is one closed period without a start or an end', () => {
    expect(openingAt(hours({ weekly: {} }), BERLIN, at('2026-12-09T10:00:00Z'))).toEqual({ open: false });
  });

  it('a year of holidays: the period still starts at the last closing and ends at the first opening after them', () => {
    const dates = Array.from({ length: 300 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
    const closedYear = office(dates);
    expect(openingAt(closedYear, BERLIN, at('2027-06-01T10:00:00Z'))).toEqual({ open: false, since: at('2026-12-31T17:00:00Z'), reopensAt: at('2027-10-28T07:00:00Z') });
  });
});

describe('closed periods tile the time between openings', () => {
  const bar = hours({
    weekly: { ...OFFICE, fri: [{ from: '09:00', to: '13:00' }, { from: '20:00', to: '24:00' }], sat: [{ from: '00:00', to: '02:30' }] },
    holidays: [{ date: '2026-03-30' }, { date: '2026-10-26' }],
  });
  const YEAR = [at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z')] as const;

  it.each([BERLIN, 'America/New_York', 'Australia/Lord_Howe'])('in %s: open just before a period starts and when it ends, and closed with the same identity anywhere inside it', (zone) => {
    fc.assert(
      fc.property(fc.integer({ min: YEAR[0], max: YEAR[1] }), fc.double({ min: 0, max: 1, noNaN: true }), (instant, fraction) => {
        const state = openingAt(bar, zone, instant);
        if (state.open) return;
        const { since, reopensAt } = state as { since: number; reopensAt: number };
        expect(openingAt(bar, zone, since - 1).open).toBe(true);
        expect(openingAt(bar, zone, reopensAt).open).toBe(true);
        expect(openingAt(bar, zone, since + Math.floor((reopensAt - since - 1) * fraction))).toEqual({ open: false, since, reopensAt });
      }),
      { numRuns: 300 },
    );
  });
});
