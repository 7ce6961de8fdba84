import { LOCAL_TIME_FIRING_INTERVAL_MS, isIanaTimeZone, targetInFiring } from './local-time';
import { TZDATA_ZONE_NAMES } from './zone-names';

/** Indexed by `Date#getUTCDay()`, in the schema's spelling. */
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/**
 * Local-time campaigns read only the contacts who are due. The audience index keeps each contact in
 * the bucket of their own zone (a topic's opt-in zone has buckets of its own), and a firing reads the
 * buckets of the zones whose wall clock reaches the campaign's time in its quarter hour. The planner
 * still checks each contact (plan-dispatch's `targetInFiring`): the buckets only narrow the reads.
 */
export interface LocalTimeSlot {
  /** `HH:MM`, the campaign's wall-clock time. */
  at: string;
  /** The campaign's weekdays, if it names some. */
  days?: readonly string[];
  /** The firing's quarter hour (its occurrence key's instant). */
  firingAtMs: number;
}

const canonicalNames = new Map<string, string>();

/** The runtime's canonical name of a zone (`europe/berlin` → `Europe/Berlin`, `Asia/Kolkata` → its link's target). */
const canonicalOf = (zone: string): string => {
  let canonical = canonicalNames.get(zone);
  if (canonical === undefined) {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    canonicalNames.set(zone, canonical);
  }
  return canonical;
};

let names: readonly string[] | undefined;

/**
 * Every bucket a contact's zone may be filed under: the canonical names of tzdata's zones and links
 * (a link such as Asia/Calcutta may be what a contact carries) and of the runtime's own zones.
 */
const bucketNames = (): readonly string[] => {
  if (names === undefined) {
    const runtime = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    names = [...new Set([...TZDATA_ZONE_NAMES, ...runtime, 'UTC'].filter(isIanaTimeZone).map(canonicalOf))].sort();
  }
  return names;
};

/**
 * The zone bucket of a contact's own zone: its canonical name as the runtime's Intl resolves it,
 * as the DynamoDB audience index files it (keys.ts `canonicalZone`). Undefined when the planner would
 * not use the zone (absent, unknown, or a bare offset such as `+05:30`, which it replaces with the
 * account's): such a contact belongs in the account-zone bucket, due when the account's zone is.
 */
export const zoneBucketOf = (zone: string | undefined): string | undefined => (zone === undefined || !isIanaTimeZone(zone) ? undefined : canonicalOf(zone));

/** Whether contacts in `zone` have the campaign's time in this firing, on one of its days. */
export const zoneDueInFiring = (zone: string, slot: LocalTimeSlot): boolean => {
  const target = targetInFiring({ localTime: slot.at, timeZone: zone, firingAtMs: slot.firingAtMs, firingIntervalMs: LOCAL_TIME_FIRING_INTERVAL_MS });
  if (target === undefined) return false;
  return slot.days === undefined || slot.days.includes(WEEKDAYS[new Date(`${target.localDate}T00:00:00Z`).getUTCDay()] ?? '');
};

/**
 * The zone buckets whose contacts are due in this firing, by canonical name (one bucket holds a zone
 * and its links): every whole, half and three-quarter hour offset is a quarter hour, so each zone is
 * due in exactly one firing of its local day (DST days too: targetInFiring's one target per day).
 */
export const dueZones = (slot: LocalTimeSlot): string[] => bucketNames().filter((zone) => zoneDueInFiring(zone, slot));
