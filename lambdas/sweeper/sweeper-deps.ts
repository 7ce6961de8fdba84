import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Clock } from '../domain/clock';
import type { SweepSettings } from '../domain/sweeper/sweep-settings';
import type { DeadLetters } from '../ports/dead-letters';
import type { DispatchQueue } from '../ports/dispatch-queue';
import type { OccurrenceStore } from '../ports/occurrence-store';
import type { Outbox } from '../ports/outbox';
import type { PendingWork } from '../ports/pending-work';
import type { SendQueue } from '../ports/send-queue';

export interface SweeperDeps {
  pending: PendingWork;
  outbox: Outbox;
  occurrences: OccurrenceStore;
  /** Where re-enqueued jobs go: the send queue. */
  queue: SendQueue;
  /** Where resumed occurrences go: the dispatch queue. */
  continuations: DispatchQueue;
  /** The send queue's DLQ; without it dead letters are left alone. */
  deadLetters?: DeadLetters;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  settings?: Partial<SweepSettings>;
}

/** What one sweep found and did, by kind of recovery (the `StrandedWorkRecovered` metric's `kind`). */
export interface SweepReport {
  /** Jobs that never reached Meta, put back on the send queue. */
  requeued: number;
  /** Jobs whose send step began and never finished, ended `unknown`. */
  markedUnknown: number;
  /** Dead-lettered jobs ended (`failed`, or `unknown` when their send step had begun). */
  deadLettered: number;
  /** Occurrences and segments still running with an expired lease, found... */
  occurrencesStuck: number;
  /** ...and handed to a continuation. */
  occurrencesResumed: number;
  /** Entries that could not be handled this time (logged; the next sweep tries again). */
  errors: number;
}

export const emptyReport = (): SweepReport => ({ requeued: 0, markedUnknown: 0, deadLettered: 0, occurrencesStuck: 0, occurrencesResumed: 0, errors: 0 });
