import { continuationOf } from '../campaign/segments';
import { isStuck } from '../domain/sweeper/stranded-occurrence';
import type { PendingEntry } from '../ports/pending-work';
import type { SweeperDeps, SweepReport } from './sweeper-deps';

type LeaseEntry = Exclude<PendingEntry, { kind: 'outbox' }>;

/**
 * Overdue occurrences and segments: each still running with a lease that ran out more than a grace
 * ago gets a continuation on the dispatch queue, as a crashed worker's own check would queue. The
 * continuation takes the expired lease over (only one taker wins) and carries on from the last
 * saved page; a page re-run creates no second job.
 */
export const sweepOccurrences = async (deps: SweeperDeps, entries: readonly LeaseEntry[], now: number, graceMs: number, report: SweepReport): Promise<void> => {
  for (const entry of entries) {
    const occurrence = await deps.occurrences.get(entry.campaignId, entry.occurrenceKey);
    const view = entry.kind === 'occurrence' ? occurrence : occurrence?.segments?.find((s) => s.segment === entry.segment);
    if (!isStuck(view, now, graceMs)) continue;
    report.occurrencesStuck += 1;
    const segment = entry.kind === 'segment' ? entry.segment : undefined;
    await deps.continuations.continueLater(continuationOf(entry.campaignId, entry.occurrenceKey, segment));
    report.occurrencesResumed += 1;
    deps.logger.warn('stuck occurrence resumed', { campaignId: entry.campaignId, occurrenceKey: entry.occurrenceKey, segment, leaseUntil: view?.leaseUntil });
  }
};
