/** Interface under test: quietUntil({ start, end, timeZone, atMs }), when a contact's quiet hours end. */
import fc from 'fast-check';
import { quietUntil } from '../../../../lambdas/domain/campaign/quiet-hours';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string): number => Date.parse(iso);

const night = (timeZone: string, iso: string): number | undefined => quietUntil({ start: '21:00', end: '08:00', timeZone, atMs: at(iso) });

describe('quietUntil', () => {
  describe('21:00-08:00 in Europe/Berlin, across midnight', () => {
    it('is quiet from 21:00 to 08:00 the next morning', () => {
      // Summer: CEST, UTC+2.
      expect(night('Europe/Berlin', '2026-06-01T19:00:00Z')).toBe(at('2026-06-02T06:00:00Z'));
      expect(night('Europe/Berlin', '2026-06-01T22:00:00Z')).toBe(at('2026-06-02T06:00:00Z'));
      expect(night('Europe/Berlin', '2026-06-02T05:59:59.999Z')).toBe(at('2026-06-02T06:00:00Z'));
    });

    it('is not quiet before 21:00 nor from 08:00', () => {
      expect(night('Europe/Berlin', '2026-06-01T18:59:59.999Z')).toBeUndefined();
      expect(night('Europe/Berlin', '2026-06-02T06:00:00Z')).toBeUndefined();
      expect(night('Europe/Berlin', '2026-06-02T12:00:00Z')).toBeUndefined();
    });

    it('ends at 08:00 CEST the night the clocks go forward, an hour sooner', () => {
      expect(night('Europe/Berlin', '2026-03-28T20:00:00Z')).toBe(at('2026-03-29T06:00:00Z'));
      expect(night('Europe/Berlin', '2026-03-29T00:59:59Z')).toBe(at('2026-03-29T06:00:00Z'));
      expect(night('Europe/Berlin', '2026-03-29T01:00:00Z')).toBe(at('2026-03-29T06:00:00Z'));
    });

    it('ends at 08:00 CET the night the clocks go back, an hour later', () => {
      expect(night('Europe/Berlin', '2026-10-24T19:00:00Z')).toBe(at('2026-10-25T07:00:00Z'));
      expect(night('Europe/Berlin', '2026-10-25T06:30:00Z')).toBe(at('2026-10-25T07:00:00Z'));
      expect(night('Europe/Berlin', '2026-10-25T07:00:00Z')).toBeUndefined();
    });
  });

  describe('an end the clock skips or repeats', () => {
    const until0230 = (iso: string): number | undefined =>
      quietUntil({ start: '21:00', end: '02:30', timeZone: 'Europe/Berlin', atMs: at(iso) });

    it('ends at the jump when the end is skipped: 02:30 on 2026-03-29 is 03:00 CEST', () => {
      expect(until0230('2026-03-29T00:30:00Z')).toBe(at('2026-03-29T01:00:00Z'));
      expect(until0230('2026-03-29T01:00:00Z')).toBeUndefined();
    });

    it('ends at the first 02:30 when it is repeated, and the second pass through 02:00-02:30 stays open', () => {
      expect(until0230('2026-10-25T00:15:00Z')).toBe(at('2026-10-25T00:30:00Z'));
      expect(until0230('2026-10-25T01:15:00Z')).toBeUndefined();
    });

    it('starts at the first occurrence of a repeated start and holds through the second', () => {
      const from0230 = (iso: string) => quietUntil({ start: '02:30', end: '06:00', timeZone: 'Europe/Berlin', atMs: at(iso) });
      expect(from0230('2026-10-25T00:15:00Z')).toBeUndefined();
      expect(from0230('2026-10-25T00:45:00Z')).toBe(at('2026-10-25T05:00:00Z'));
      expect(from0230('2026-10-25T01:15:00Z')).toBe(at('2026-10-25T05:00:00Z'));
    });
  });

  it('follows half-hour zones: 22:00-07:00 in Asia/Kolkata', () => {
    expect(quietUntil({ start: '22:00', end: '07:00', timeZone: 'Asia/Kolkata', atMs: at('2026-06-01T17:00:00Z') })).toBe(at('2026-06-02T01:30:00Z'));
    expect(quietUntil({ start: '22:00', end: '07:00', timeZone: 'Asia/Kolkata', atMs: at('2026-06-01T16:29:00Z') })).toBeUndefined();
  });

  it('takes quiet hours within one day, and none when start equals end', () => {
    const lunch = (iso: string) => quietUntil({ start: '12:00', end: '14:00', timeZone: 'UTC', atMs: at(iso) });
    expect(lunch('2026-06-01T12:00:00Z')).toBe(at('2026-06-01T14:00:00Z'));
    expect(lunch('2026-06-01T11:59:59Z')).toBeUndefined();
    expect(lunch('2026-06-01T14:00:00Z')).toBeUndefined();
    expect(quietUntil({ start: '09:00', end: '09:00', timeZone: 'UTC', atMs: at('2026-06-01T09:00:00Z') })).toBeUndefined();
  });

  it('refuses times that are not HH:MM', () => {
    expect(() => quietUntil({ start: '21h', end: '08:00', timeZone: 'UTC', atMs: 0 })).toThrow('start must be HH:MM (00:00-23:59), got "21h"');
    expect(() => quietUntil({ start: '21:00', end: '8:00', timeZone: 'UTC', atMs: 0 })).toThrow('end must be HH:MM (00:00-23:59), got "8:00"');
  });

  describe('property', () => {
    const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
    const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 3 })).map(([h, q]) => `${String(h).padStart(2, '0')}:${String(q * 15).padStart(2, '0')}`);
    const instant = fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') });

    it('quiet hours end after atMs, within a day, and the same end holds all the way there', () => {
      fc.assert(
        fc.property(fc.constantFrom(...ZONES), clock, clock, instant, fc.double({ min: 0, max: 1, noNaN: true }), (timeZone, start, end, atMs, fraction) => {
          const until = quietUntil({ start, end, timeZone, atMs });
          if (until === undefined) return;
          expect(until).toBeGreaterThan(atMs);
          expect(until - atMs).toBeLessThanOrEqual(25 * HOUR);
          const later = atMs + Math.floor((until - atMs) * fraction);
          expect(quietUntil({ start, end, timeZone, atMs: Math.min(later, until - 1) })).toBe(until);
        }),
        { numRuns: 300 },
      );
    });

    it('in UTC, quiet exactly when the clock is between start and end', () => {
      fc.assert(
        fc.property(clock, clock, instant, (start, end, atMs) => {
          const minuteOf = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
          const now = Math.floor((atMs % (24 * HOUR)) / MINUTE);
          const [from, to] = [minuteOf(start), minuteOf(end)];
          const quiet = from < to ? now >= from && now < to : from > to && (now >= from || now < to);
          expect(quietUntil({ start, end, timeZone: 'UTC', atMs }) !== undefined).toBe(quiet);
        }),
        { numRuns: 300 },
      );
    });
  });
});
