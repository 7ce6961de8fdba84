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

/** At most one segment per write shard of the audience index, at most `wanted` (and MAX_SEGMENTS). */
export const segmentCount = (shards: number, wanted: number): number => Math.max(1, Math.min(Math.floor(shards), Math.floor(wanted), MAX_SEGMENTS));

/**
 * How a firing splits its audience: how many segments over how many shards, and for a local-time
 * campaign the zone buckets due in this quarter hour per sending account (its own zone's bucket,
 * `_account`, when the account's zone is due). Decided once, stored on the occurrence: every worker
 * reads the same way, whatever changes meanwhile (an account's zone, the index's shards).
 */
export const planOccurrence = async (
  deps: Pick<DispatcherDeps, 'audience' | 'accounts'>,
  tuning: Pick<DispatchTuning, 'segments' | 'zoneBuckets' | 'entriesPerSegment'>,
  campaign: Campaign,
  firingAtMs: number,
): Promise<OccurrencePlan> => {
  const shards = Math.max(1, Math.floor(deps.audience.shards ?? 1));
  const plan: OccurrencePlan = { segments: segmentCount(shards, tuning.segments), shards };
  // A follow-up reads its occurrence's outbox group, whose shards are the records', not the recipients': one worker, no zone buckets.
  if (campaign.followUp !== undefined) return { ...plan, segments: 1 };
  const schedule = campaign.schedule;
  if (schedule.kind !== 'local_time' || !tuning.zoneBuckets) return { ...plan, segments: await sizedSegments(deps, tuning, plan, audienceSources(campaign)) };
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
  if (nothingDue) return { ...plan, segments: 1, zones };
  const reads = audienceSources(campaign).flatMap((source) => zoneQueries(source, zones[accountKey(source.channel, source.accountId)] ?? []));
  return { ...plan, segments: await sizedSegments(deps, tuning, plan, reads), zones };
};

/**
 * As many segments as the audience needs, at most the plan's: a worker per `entriesPerSegment`
 * index entries, estimated from one shard of each read (shards are filled evenly by a hash). A
 * small audience isn't spread over dozens of workers, leases and messages; a shard holding a full
 * probe means a big one. `entriesPerSegment` of 1 or less skips the probe.
 */
const sizedSegments = async (
  deps: Pick<DispatcherDeps, 'audience'>,
  tuning: Pick<DispatchTuning, 'entriesPerSegment'>,
  plan: OccurrencePlan,
  reads: readonly AudienceQuery[],
): Promise<number> => {
  if (plan.segments <= 1 || tuning.entriesPerSegment <= 1) return plan.segments;
  const probe = Math.min(PROBE_LIMIT, Math.ceil(tuning.entriesPerSegment / plan.shards) * plan.segments);
  let sampled = 0;
  for (const read of reads) {
    const page = await deps.audience.page({ ...read, shard: 0 }, undefined, probe);
    if (page.cursor !== undefined) return plan.segments;
    sampled += page.userIds.length;
  }
  return Math.max(1, Math.min(plan.segments, Math.ceil((sampled * plan.shards) / tuning.entriesPerSegment)));
};

/** Entries read from one shard to size an audience: past this many, it gets every segment. */
const PROBE_LIMIT = 1000;

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
