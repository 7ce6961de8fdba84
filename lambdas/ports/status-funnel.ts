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
 * without a read; the counts follow the writes. At most once: a crash (or a failed counter write)
 * between a status's write and its count loses that count, as Meta's retry finds the flags set.
 */
export interface StatusFunnel {
  /** Counts the milestones `landed` statuses flagged first: one counter write per counter item for the whole batch. */
  countStatuses(landed: readonly LandedStatus[]): Promise<CountedMilestone[]>;
}
