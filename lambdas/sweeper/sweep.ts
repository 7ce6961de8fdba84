import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DEFAULT_SWEEP_SETTINGS, type SweepSettings } from '../domain/sweeper/sweep-settings';
import type { PendingEntry } from '../ports/pending-work';
import { mapLimit } from '../shared/map-limit';
import { sweepDeadLetters, sweepJobs } from './sweep-jobs';
import { sweepOccurrences } from './sweep-occurrences';
import { emptyReport, type SweeperDeps, type SweepReport } from './sweeper-deps';

/** Shards read at once: four Queries in flight keep a sweep's reads from bursting. */
const SHARD_CONCURRENCY = 4;
/** Entries per Query page; a page of jobs is one BatchGet and one SendMessageBatch per 10. */
const PAGE = 100;

/** The metric an alarm watches, one per kind of recovery: `requeued`, `marked_unknown`, `dead_lettered`, `occurrence_resumed`. */
export const STRANDED_WORK_METRIC = 'StrandedWorkRecovered';
/** Occurrences and segments found running with an expired lease, every sweep (0 included, so an alarm sees data). */
export const OCCURRENCES_STUCK_METRIC = 'OccurrencesStuck';

/**
 * The sweeper: finds work left behind by a crash (a killed local stack, a Lambda timeout, a message
 * lost or dead-lettered) through the pending-work index, one Query per shard for what is due more
 * than a grace ago, and finishes it. It never sends: it re-enqueues (the sender's claim still sends
 * at most once), ends jobs that can't be sent, and resumes occurrences through the dispatcher.
 */
export const createSweeper = (deps: SweeperDeps) => {
  const settings: SweepSettings = { ...DEFAULT_SWEEP_SETTINGS, ...deps.settings };

  const sweepShard = async (shard: number, now: number, report: SweepReport): Promise<void> => {
    let cursor: string | undefined;
    let read = 0;
    do {
      const page = await deps.pending.dueBefore(shard, now - settings.graceMs, cursor, Math.min(PAGE, settings.maxPerShard - read));
      read += page.entries.length;
      cursor = page.cursor;
      await handle(page.entries, now, report);
    } while (cursor !== undefined && read < settings.maxPerShard);
  };

  const handle = async (entries: readonly PendingEntry[], now: number, report: SweepReport): Promise<void> => {
    const jobs = entries.flatMap((e) => (e.kind === 'outbox' ? [e.outboxId] : []));
    const leases = entries.flatMap((e) => (e.kind === 'outbox' ? [] : [e]));
    await guarded(deps, report, 'jobs', () => sweepJobs(deps, jobs, now, settings, report));
    await guarded(deps, report, 'occurrences', () => sweepOccurrences(deps, leases, now, settings.graceMs, report));
  };

  return async (): Promise<SweepReport> => {
    const now = deps.clock();
    const report = emptyReport();
    await guarded(deps, report, 'dead letters', () => sweepDeadLetters(deps, now, settings, report));
    await mapLimit(
      Array.from({ length: deps.pending.shards }, (_, shard) => shard),
      SHARD_CONCURRENCY,
      (shard) => guarded(deps, report, 'shard', () => sweepShard(shard, now, report)),
    );
    publish(deps, report);
    return report;
  };
};

/** One part's failure (a throttle, a record that no longer parses) is logged and left to the next sweep; the rest goes on. */
const guarded = async (deps: SweeperDeps, report: SweepReport, part: string, run: () => Promise<void>): Promise<void> => {
  try {
    await run();
  } catch (error) {
    report.errors += 1;
    deps.logger.error('sweep step failed; the next sweep tries again', { part, errorName: (error as Error).name, errorMessage: (error as Error).message });
  }
};

const publish = (deps: SweeperDeps, report: SweepReport): void => {
  const recovered = { requeued: report.requeued, marked_unknown: report.markedUnknown, dead_lettered: report.deadLettered, occurrence_resumed: report.occurrencesResumed };
  const found = Object.values(recovered).some((n) => n > 0) || report.errors > 0;
  if (found) deps.logger.warn('stranded work recovered', { ...recovered, errors: report.errors });
  if (!deps.metrics) return;
  for (const [kind, count] of Object.entries(recovered)) {
    if (count === 0) continue;
    const single = deps.metrics.singleMetric();
    single.addDimension('kind', kind);
    single.addMetric(STRANDED_WORK_METRIC, MetricUnit.Count, count);
  }
  deps.metrics.addMetric(OCCURRENCES_STUCK_METRIC, MetricUnit.Count, report.occurrencesStuck);
};
