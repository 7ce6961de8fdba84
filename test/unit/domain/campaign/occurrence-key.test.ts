/** Interface under test: occurrenceKeyOf(schedule, firingAtMs) and firingSlotMs, which map every delivery of a firing to one occurrence. */
import fc from 'fast-check';
import { LOCAL_TIME_FIRING_INTERVAL_MS } from '../../../../lambdas/domain/campaign/local-time';
import { firingSlotMs, occurrenceKeyOf } from '../../../../lambdas/domain/campaign/occurrence-key';
import type { CampaignSchedule } from '../../../../lambdas/schemas/campaign';

const at = (iso: string): number => Date.parse(iso);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

const once: CampaignSchedule = { kind: 'once', at: '2026-11-27T09:00:00Z' };
const recurring: CampaignSchedule = { kind: 'recurring', expression: 'cron(0 10 ? * MON *)' };
const localTime: CampaignSchedule = { kind: 'local_time', at: '09:00' };

describe('occurrenceKeyOf: once and recurring schedules', () => {
  it.each([
    ['once', once],
    ['recurring', recurring],
  ])('keys a %s firing by its scheduled minute, as ISO-8601 UTC', (_kind, schedule) => {
    expect(occurrenceKeyOf(schedule, at('2026-11-27T09:00:00Z'))).toBe('2026-11-27T09:00:00.000Z');
  });

  it.each([
    ['once', once],
    ['recurring', recurring],
  ])('keys a %s retry delivered 37 s late as the same occurrence', (_kind, schedule) => {
    const firing = at('2026-11-27T09:00:00Z');
    expect(occurrenceKeyOf(schedule, firing + 37 * SECOND)).toBe(occurrenceKeyOf(schedule, firing));
    expect(occurrenceKeyOf(schedule, firing + MINUTE - 1)).toBe(occurrenceKeyOf(schedule, firing));
  });

  it('keys the next minute as another occurrence: a rate(1 minute) campaign fires once a minute', () => {
    const firing = at('2026-11-27T09:00:00Z');
    expect(occurrenceKeyOf(recurring, firing + MINUTE)).toBe('2026-11-27T09:01:00.000Z');
  });

  it('reads a firing time with an offset as the same instant', () => {
    expect(occurrenceKeyOf(once, at('2026-11-27T10:00:00+01:00'))).toBe('2026-11-27T09:00:00.000Z');
  });
});

describe('occurrenceKeyOf: local-time schedules', () => {
  it('keys firings on the 15-minute grid', () => {
    expect(LOCAL_TIME_FIRING_INTERVAL_MS).toBe(15 * MINUTE);
    expect(occurrenceKeyOf(localTime, at('2026-05-18T07:15:00Z'))).toBe('2026-05-18T07:15:00.000Z');
    expect(occurrenceKeyOf(localTime, at('2026-05-18T07:30:00Z'))).toBe('2026-05-18T07:30:00.000Z');
  });

  it('keys a late or retried delivery as its quarter hour, up to the next one', () => {
    const firing = at('2026-05-18T07:15:00Z');
    expect(occurrenceKeyOf(localTime, firing + 37 * SECOND)).toBe('2026-05-18T07:15:00.000Z');
    expect(occurrenceKeyOf(localTime, firing + 15 * MINUTE - 1)).toBe('2026-05-18T07:15:00.000Z');
    expect(occurrenceKeyOf(localTime, firing + 15 * MINUTE)).toBe('2026-05-18T07:30:00.000Z');
  });

  it('keys a 07:01 delivery as 07:00 where a once schedule keys it 07:01', () => {
    const late = at('2026-05-18T07:01:00Z');
    expect(occurrenceKeyOf(localTime, late)).toBe('2026-05-18T07:00:00.000Z');
    expect(occurrenceKeyOf(once, late)).toBe('2026-05-18T07:01:00.000Z');
  });
});

describe('firingSlotMs', () => {
  it('property: the slot is on the grid, at or before the firing, less than one grid step before it, and the key is its ISO form', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(once, recurring, localTime),
        fc.integer({ min: at('2025-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') }),
        (schedule, firingAtMs) => {
          const grid = schedule.kind === 'local_time' ? 15 * MINUTE : MINUTE;
          const slot = firingSlotMs(schedule, firingAtMs);
          expect(slot % grid).toBe(0);
          expect(slot).toBeLessThanOrEqual(firingAtMs);
          expect(firingAtMs - slot).toBeLessThan(grid);
          expect(occurrenceKeyOf(schedule, firingAtMs)).toBe(new Date(slot).toISOString());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: keys sort as their firings do', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2025-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') }),
        fc.integer({ min: at('2025-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') }),
        (a, b) => {
          const [ka, kb] = [occurrenceKeyOf(recurring, a), occurrenceKeyOf(recurring, b)];
          if (a < b) expect(ka <= kb).toBe(true);
        },
      ),
    );
  });
});
