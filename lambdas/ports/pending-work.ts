/**
 * Pending work by due time: jobs still queued or claimed, occurrences and segments still running.
 * A record is listed only while its work is pending, at the time it is due (a job's `notBefore` or
 * creation, claimed or not, or where the sweeper postponed it; a lease's expiry), so a sweeper finds
 * what is overdue without reading anything else. A claim doesn't move its job's entry: the sweeper
 * reads the claim's deadline from the job.
 */
export type PendingEntry =
  | { kind: 'outbox'; dueAt: number; outboxId: string }
  | { kind: 'occurrence'; dueAt: number; campaignId: string; occurrenceKey: string }
  | { kind: 'segment'; dueAt: number; campaignId: string; occurrenceKey: string; segment: number };

export type PendingKind = PendingEntry['kind'];

export interface PendingWork {
  /** How many shards the listing is spread over: a sweep reads each of them. */
  readonly shards: number;
  /**
   * One page of a shard's entries due strictly before `before` (epoch ms), oldest first: pass
   * `cursor` back for the next page; absent on the last one.
   */
  dueBefore(shard: number, before: number, cursor: string | undefined, limit: number): Promise<{ entries: PendingEntry[]; cursor?: string }>;
}
