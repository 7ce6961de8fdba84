import { accountKey } from '../domain/campaign/plan-dispatch';
import { isIanaTimeZone } from '../domain/campaign/local-time';
import { dueZones, type LocalTimeSlot, zoneDueInFiring } from '../domain/campaign/zone-buckets';
import { ACCOUNT_ZONE, type AudienceQuery } from '../ports/audience-index';
import type { Occurrence, OccurrencePlan } from '../ports/occurrence-store';
import type { Campaign } from '../schemas/campaign';
import type { DispatchContinuation } from '../schemas/dispatcher-input';
import { audienceSources } from './audience-sources';
import type { DispatcherDeps, DispatchTuning } from './dispatcher-deps';

/** Segments are numbered in two digits in the store's keys. */
export const MAX_SEGMENTS = 64;

/** One segment per write shard of the audience index, at most `wanted` (and MAX_SEGMENTS). */
export const segmentCount = (shards: number, wanted: number): number => Math.max(1, Math.min(Math.floor(shards), Math.floor(wanted), MAX_SEGMENTS));

/**
 * How a firing splits its audience: how many segments over how many shards, and for a local-time
 * campaign the zone buckets due in this quarter hour per sending account (its own zone's bucket,
 * `_account`, when the account's zone is due). Decided once, stored on the occurrence: every worker
 * reads the same way, whatever changes meanwhile (an account's zone, the index's shards).
 */
export const planOccurrence = async (
  deps: Pick<DispatcherDeps, 'audience' | 'accounts'>,
  tuning: Pick<DispatchTuning, 'segments' | 'zoneBuckets'>,
  campaign: Campaign,
  firingAtMs: number,
): Promise<OccurrencePlan> => {
  const shards = Math.max(1, Math.floor(deps.audience.shards ?? 1));
  const plan: OccurrencePlan = { segments: segmentCount(shards, tuning.segments), shards };
  const schedule = campaign.schedule;
  if (schedule.kind !== 'local_time' || !tuning.zoneBuckets) return plan;
  const slot: LocalTimeSlot = { at: schedule.at, firingAtMs, ...(schedule.days === undefined ? {} : { days: schedule.days }) };
  const due = dueZones(slot);
  const zones: Record<string, string[]> = {};
  for (const source of audienceSources(campaign)) {
    const account = await deps.accounts.get(source);
    // An unknown account's contacts would all be skipped (account_unknown): its own bucket is not read.
    const accountDue = account !== undefined && isIanaTimeZone(account.timezone) && zoneDueInFiring(account.timezone, slot);
    zones[accountKey(source.channel, source.accountId)] = accountDue ? [...due, ACCOUNT_ZONE] : due;
  }
  // A quarter hour in which no zone is due (most of them, for one campaign time): nothing to fan out.
  const nothingDue = Object.values(zones).every((z) => z.length === 0);
  return { ...plan, ...(nothingDue ? { segments: 1 } : {}), zones };
};

/**
 * The index reads of one segment, in order. Each source (sending account, see audienceSources) is
 * read whole, or, for a local-time firing, by its due zone buckets: a topic audience's opt-in-zone
 * buckets (`topic_zone`) and contact-zone buckets (`zone`, whose contacts holding the topic's opt-in
 * with a zone of its own are left to the former), a tag or all audience's contact-zone buckets (the
 * planner keeps the tag's carriers). A segment of several reads its own shards of each: `s`,
 * `s + segments`, ...; a lone segment reads every shard behind one cursor.
 */
export const segmentReads = (campaign: Campaign, plan: OccurrencePlan | undefined, segment: number): AudienceQuery[] => {
  const sources = audienceSources(campaign);
  // An occurrence started before plans were stored reads as it always did.
  if (plan === undefined) return sources;
  const queries = plan.zones === undefined ? sources : sources.flatMap((source) => zoneQueries(source, plan.zones?.[accountKey(source.channel, source.accountId)] ?? []));
  if (plan.segments <= 1) return queries;
  const shards = Array.from({ length: plan.shards }, (_, shard) => shard).filter((shard) => shard % plan.segments === segment);
  return queries.flatMap((query) => shards.map((shard) => ({ ...query, shard })));
};

const zoneQueries = (source: AudienceQuery, zones: readonly string[]): AudienceQuery[] => {
  const { channel, accountId, segment } = source;
  if (segment.kind === 'topic') {
    const topic = segment.topic;
    return [
      ...zones.map((zone): AudienceQuery => ({ channel, accountId, segment: { kind: 'topic_zone', topic, zone } })),
      ...zones.map((zone): AudienceQuery => ({ channel, accountId, segment: { kind: 'zone', zone } })),
    ];
  }
  return zones.map((zone): AudienceQuery => ({ channel, accountId, segment: { kind: 'zone', zone } }));
};

/** Whether an occurrence is split over several workers, each with its own lease. */
export const fannedOut = (occurrence: Pick<Occurrence, 'plan'> | undefined): boolean => (occurrence?.plan?.segments ?? 1) > 1;

/**
 * The segments of a fanned-out occurrence no worker is on: paused, running with a lease that ran
 * out (its worker stopped without handing over), or not created yet (the firing stopped before).
 * A held segment's lease outlives its wake-up: its own continuation carries it on.
 */
export const stalledSegments = (occurrence: Occurrence, now: number): number[] => {
  if (!fannedOut(occurrence) || occurrence.status === 'done' || occurrence.status === 'stopped') return [];
  const stalled: number[] = [];
  for (let segment = 0; segment < (occurrence.plan?.segments ?? 1); segment += 1) {
    const found = occurrence.segments?.find((s) => s.segment === segment);
    if (found === undefined || found.status === 'paused' || (found.status === 'running' && (found.leaseUntil ?? 0) <= now)) stalled.push(segment);
  }
  return stalled;
};

/** The dispatch queue message that carries a worker's part of an occurrence on. */
export const continuationOf = (campaignId: string, occurrenceKey: string, segment: number | undefined, handoverToken?: string): DispatchContinuation => ({
  campaignId,
  occurrenceKey,
  ...(segment === undefined ? {} : { segment }),
  ...(handoverToken === undefined ? {} : { handoverToken }),
});
