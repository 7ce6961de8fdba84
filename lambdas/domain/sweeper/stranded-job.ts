import type { OutboxStatus } from '../send/outbox';

/** What the sweeper reads of a job. */
export interface JobView {
  status: OutboxStatus;
  /** The claim's deadline; absent on a claim of the previous release (the index lists that one at its deadline). */
  claimUntil?: number;
  /** Set once the send step began: from then on the message may have reached Meta. */
  sendingAt?: number;
  /** Earlier re-enqueues by the sweeper. */
  sweeps?: number;
}

export type JobAction =
  /** Nothing to do: the job finished meanwhile. */
  | { action: 'none' }
  /** A sender's claim on it is still live: look again at `dueAt`, its deadline. */
  | { action: 'postpone'; dueAt: number }
  /** Put it back on the send queue (its message was lost, or its sender died before calling Meta), and look again at `nextDueAt`. */
  | { action: 'requeue'; nextDueAt: number }
  /** End it: `unknown` when it may have reached Meta, `failed` when it cannot have. */
  | { action: 'end'; status: 'failed' | 'unknown'; reason: string };

const pending = (status: OutboxStatus): boolean => status === 'queued' || status === 'claimed';

/**
 * An overdue job (queued or claimed past its due time and the grace). A claim doesn't move the due
 * time, so a claimed job is judged by its claim's deadline: while that plus the grace hasn't passed,
 * its sender may still be at work, and the job is only looked at again then. One that never reached
 * Meta goes back on the queue: the sender's claim sends it at most once, whatever copies exist. One
 * whose send step began is never resent: it may have gone out, so it ends `unknown`, and a status
 * webhook naming its outbox id can still show it delivered.
 */
export const strandedJobAction = (job: JobView, now: number, settings: { graceMs: number; maxBackoffMs: number }): JobAction => {
  if (!pending(job.status)) return { action: 'none' };
  // The same bound as the index query's: a deadline the query wouldn't have found yet is live.
  if (job.status === 'claimed' && job.claimUntil !== undefined && job.claimUntil >= now - settings.graceMs) return { action: 'postpone', dueAt: job.claimUntil };
  if (job.status === 'claimed' && job.sendingAt !== undefined) return { action: 'end', status: 'unknown', reason: 'sender_stopped_during_send' };
  // The n-th re-enqueue is looked at again 2^n graces later (the query adds one grace to the due time).
  const n = (job.sweeps ?? 0) + 1;
  const wait = Math.min(settings.graceMs * 2 ** n, Math.max(settings.maxBackoffMs, settings.graceMs * 2));
  return { action: 'requeue', nextDueAt: now + wait - settings.graceMs };
};

/**
 * A job whose message reached the dead-letter queue: every delivery failed, and nothing will deliver
 * it again. It ends `failed` if it never began its send step, `unknown` if it did (a send may have
 * gone out before the failure), and stays as it is if it already ended.
 */
export const deadLetteredJobAction = (job: JobView): JobAction => {
  if (!pending(job.status)) return { action: 'none' };
  if (job.status === 'claimed' && job.sendingAt !== undefined) return { action: 'end', status: 'unknown', reason: 'dead_lettered_during_send' };
  return { action: 'end', status: 'failed', reason: 'dead_lettered' };
};
