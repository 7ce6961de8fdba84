/** Interface under test: capAllows({ sentAtMs, max, windowMs, atMs }), the per-contact marketing cap across campaigns. */
import fc from 'fast-check';
import { capAllows } from '../../../../lambdas/domain/campaign/frequency-cap';

const HOUR = 3_600_000;
const WINDOW = 48 * HOUR;
const atMs = Date.UTC(2026, 5, 1, 12);

describe('capAllows', () => {
  describe('1 per 48 h', () => {
    const oneIn48h = (sentAtMs: number[], now = atMs) => capAllows({ sentAtMs, max: 1, windowMs: WINDOW, atMs: now });

    it('allows a contact never sent to', () => {
      expect(oneIn48h([])).toEqual({ ok: true });
    });

    it('holds a contact sent to 1 ms short of 48 h ago until the 48 h are up', () => {
      const sentAt = atMs - WINDOW + 1;
      expect(oneIn48h([sentAt])).toEqual({ ok: false, earliestAtMs: sentAt + WINDOW });
    });

    it('allows again at exactly 48 h', () => {
      expect(oneIn48h([atMs - WINDOW])).toEqual({ ok: true });
    });

    it('counts a send recorded at the same instant, or later than the check', () => {
      expect(oneIn48h([atMs])).toEqual({ ok: false, earliestAtMs: atMs + WINDOW });
      expect(oneIn48h([atMs + HOUR])).toEqual({ ok: false, earliestAtMs: atMs + HOUR + WINDOW });
    });
  });

  describe('2 per 48 h', () => {
    const twoIn48h = (sentAtMs: number[]) => capAllows({ sentAtMs, max: 2, windowMs: WINDOW, atMs });

    it('allows a second send in the window', () => {
      expect(twoIn48h([atMs - HOUR, atMs - 100 * HOUR])).toEqual({ ok: true });
    });

    it('waits, with sends in any order, for the older of the two newest to age out', () => {
      const sends = [atMs - HOUR, atMs - 30 * HOUR, atMs - 10 * HOUR];
      expect(twoIn48h(sends)).toEqual({ ok: false, earliestAtMs: atMs - 10 * HOUR + WINDOW });
    });

    it('counts two sends at the same instant twice', () => {
      expect(twoIn48h([atMs - HOUR, atMs - HOUR])).toEqual({ ok: false, earliestAtMs: atMs - HOUR + WINDOW });
    });
  });

  it('refuses a cap that is no cap', () => {
    expect(() => capAllows({ sentAtMs: [], max: 0, windowMs: WINDOW, atMs })).toThrow('max must be a whole number above 0, got 0');
    expect(() => capAllows({ sentAtMs: [], max: 1.5, windowMs: WINDOW, atMs })).toThrow(RangeError);
    expect(() => capAllows({ sentAtMs: [], max: 1, windowMs: 0, atMs })).toThrow('windowMs must be above 0, got 0');
  });

  it('property: refused until earliestAtMs, allowed from it, and allowed means fewer than max in the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: atMs - 4 * WINDOW, max: atMs }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        (sentAtMs, max) => {
          const decision = capAllows({ sentAtMs, max, windowMs: WINDOW, atMs });
          const inWindow = (now: number) => sentAtMs.filter((sentAt) => now - sentAt < WINDOW).length;
          if (decision.ok) {
            expect(inWindow(atMs)).toBeLessThan(max);
            return;
          }
          expect(decision.earliestAtMs).toBeGreaterThan(atMs);
          expect(inWindow(decision.earliestAtMs - 1)).toBeGreaterThanOrEqual(max);
          expect(inWindow(decision.earliestAtMs)).toBeLessThan(max);
          expect(capAllows({ sentAtMs, max, windowMs: WINDOW, atMs: decision.earliestAtMs })).toEqual({ ok: true });
        },
      ),
      { numRuns: 500 },
    );
  });
});
