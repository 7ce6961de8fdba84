import type { MilestoneEvent, StatusReport } from './funnel-milestones';
import type { OutboxRecord } from './outbox';

/** A status write that landed on its outbox record, and the record as it was just before it (undefined: there was none). */
export interface LandedStatus {
  report: StatusReport;
  before: OutboxRecord | undefined;
}

/** A milestone counted, with the record (as before the write) it was counted for. */
export interface CountedMilestone {
  event: MilestoneEvent;
  record: OutboxRecord;
}

/**
 * The status webhooks' funnel. A status's write flags its milestones on the outbox record where
 * absent (status-flags.ts) and returns the record it replaced, so the flags it set first are known
 * without a read. In AWS the state table's stream counts them (`StreamFunnel`) and the webhook only
 * names them (for its metrics and events); the local stack, which has no stream, counts them here,
 * after the writes: at most once there, as a crash between a write and its count loses that count.
 */
export interface StatusFunnel {
  /** The milestones `landed` statuses flagged first (counted, where this funnel counts: one counter write per counter item for the whole batch). */
  countStatuses(landed: readonly LandedStatus[]): Promise<CountedMilestone[]>;
}

/** A write of a send's outbox record, as the state table's stream carries it: the record before and after. */
export interface OutboxChange {
  /** The stream record's sequence number: a decimal string, increasing within a shard. */
  sequence: string;
  before: OutboxRecord;
  after: OutboxRecord;
}

/** A milestone a write of an outbox record reached first, at the write's place in its stream shard. */
export interface SequencedMilestone extends CountedMilestone {
  sequence: OutboxChange['sequence'];
}

/**
 * The funnel counted off the state table's stream (lambdas/handlers/funnel-stream.ts): exactly once
 * per milestone, as the stream carries each flag's first write once and a replayed batch (a retry,
 * or its halves) counts nothing twice.
 */
export interface StreamFunnel {
  /**
   * Counts `counted`, one stream shard's milestones in the shard's order: one counter write per
   * counter item, which skips whatever that item already counted from this shard.
   */
  countSequenced(shardId: string, counted: readonly SequencedMilestone[]): Promise<void>;
}
