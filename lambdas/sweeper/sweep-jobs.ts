import { deadLetteredJobAction, strandedJobAction, type JobAction } from '../domain/sweeper/stranded-job';
import type { SweepSettings } from '../domain/sweeper/sweep-settings';
import type { OutboxRecord } from '../ports/outbox';
import { mapLimit } from '../shared/map-limit';
import type { SweeperDeps, SweepReport } from './sweeper-deps';

/** Writes in flight at once while finishing a page of jobs. */
const CONCURRENCY = 8;

/**
 * Overdue jobs of one page of the pending-work index: every one to put back on the send queue goes
 * in one batch first (a crash after it loses nothing: the copies are claimed once), then each is
 * postponed (re-enqueued, or its live claim awaited), or ended, conditional on the record still
 * being as read.
 */
export const sweepJobs = async (deps: SweeperDeps, outboxIds: readonly string[], now: number, settings: SweepSettings, report: SweepReport): Promise<void> => {
  if (outboxIds.length === 0) return;
  const records = await deps.outbox.getMany(outboxIds);
  const planned = records.map((record) => ({ record, action: strandedJobAction(record, now, settings) }));
  const requeue = planned.filter((p) => p.action.action === 'requeue').map((p) => p.record.outboxId);
  if (requeue.length > 0) await deps.queue.enqueue(requeue);
  await mapLimit(planned, CONCURRENCY, async ({ record, action }) => {
    if (action.action === 'requeue') {
      await deps.outbox.postponeStranded(record, action.nextDueAt);
      report.requeued += 1;
    } else if (action.action === 'postpone') {
      await deps.outbox.postponeClaimed(record, action.dueAt);
    } else if (action.action === 'end' && (await end(deps, record, action, now))) {
      report.markedUnknown += 1;
    }
  });
};

/**
 * Jobs in the send queue's DLQ: each is ended, and its message deleted once the job has ended (by
 * this sweep or before). A message that names no job stays for an operator; so does one whose job
 * moved on while it was read (the next sweep reads it again).
 */
export const sweepDeadLetters = async (deps: SweeperDeps, now: number, settings: SweepSettings, report: SweepReport): Promise<void> => {
  const { deadLetters } = deps;
  if (deadLetters === undefined) return;
  const letters = await deadLetters.receive(settings.maxDeadLetters);
  const jobs = letters.filter((l) => l.outboxId !== undefined);
  if (letters.length > jobs.length) deps.logger.warn('dead letters that name no job left in the queue', { count: letters.length - jobs.length });
  if (jobs.length === 0) return;
  const records = new Map((await deps.outbox.getMany(jobs.map((l) => l.outboxId as string))).map((r) => [r.outboxId, r]));
  const done: string[] = [];
  await mapLimit(jobs, CONCURRENCY, async (letter) => {
    const record = records.get(letter.outboxId as string);
    const action: JobAction = record === undefined ? { action: 'none' } : deadLetteredJobAction(record);
    if (action.action === 'end' && record !== undefined) {
      if (!(await end(deps, record, action, now))) return;
      report.deadLettered += 1;
    }
    done.push(letter.receipt);
  });
  await deadLetters.remove(done);
};

const end = async (deps: SweeperDeps, record: OutboxRecord, action: Extract<JobAction, { action: 'end' }>, now: number): Promise<boolean> => {
  const ended = await deps.outbox.endStranded(record, now, { status: action.status, reason: action.reason });
  if (ended) deps.logger.info('stranded job ended', { outboxId: record.outboxId, status: action.status, reason: action.reason });
  return ended;
};
