import type { CampaignSchedule } from '../../schemas/campaign';
import { LOCAL_TIME_FIRING_INTERVAL_MS } from './local-time';

const MINUTE_MS = 60_000;

/**
 * The firing a scheduled event belongs to, on the schedule's grid: EventBridge puts the scheduled
 * minute in `time` (rules have minute precision), and local-time firings must tile the quarter-hour
 * grid exactly, so a late or retried delivery keys the same occurrence as the first.
 */
export const firingSlotMs = (schedule: CampaignSchedule, firingAtMs: number): number => {
  const grid = schedule.kind === 'local_time' ? LOCAL_TIME_FIRING_INTERVAL_MS : MINUTE_MS;
  return Math.floor(firingAtMs / grid) * grid;
};

/** The occurrence's key: its slot as ISO-8601 UTC, so occurrences sort by time. */
export const occurrenceKeyOf = (schedule: CampaignSchedule, firingAtMs: number): string =>
  new Date(firingSlotMs(schedule, firingAtMs)).toISOString();
