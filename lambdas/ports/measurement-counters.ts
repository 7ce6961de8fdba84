import type { Contribution, DayCounts } from '../domain/measurement/day-counters';
import type { AccountRef } from '../domain/events';

/** An account's per-local-day counters: responsiveness and audience growth (README "Responsiveness", "Audience growth"). */
export interface MeasurementCounters {
  /** Adds the contribution's deltas to its day once: true when this call added them, false when its key was added before. */
  add(account: AccountRef, contribution: Contribution): Promise<boolean>;
  /** The account's counters on its local days `fromDay`..`toDay` (inclusive), by day; days with nothing counted are absent. */
  days(account: AccountRef, fromDay: string, toDay: string): Promise<DayCounts[]>;
}
