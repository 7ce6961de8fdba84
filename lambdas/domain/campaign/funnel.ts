/**
 * What became of an occurrence's jobs, and how its counts outlive the outbox records they are read
 * from. Outbox records expire (TTL, lambdas/domain/retention.ts), so every complete count is kept on
 * the occurrence as a snapshot; once records are gone, the report answers the snapshot instead of
 * the shrunken count.
 */
export interface FunnelCounts {
  /** Jobs the occurrence created. */
  jobs: number;
  /** Still on their way: queued or claimed by a sender. */
  pending: number;
  /** Accepted by Meta (delivered and read ones included). */
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  /** Refused by the policy at send time, per reason. */
  skippedAtSend: Record<string, number>;
  /** Outcome unknown (timeout during the send): never resent. */
  unknown: number;
}

/** A complete count kept on the occurrence, with the time it was read. */
export interface FunnelSnapshot extends FunnelCounts {
  at: number;
}

/** A count read from the outbox records: `complete` is false when the time budget ran out first. */
export interface LiveFunnel extends FunnelCounts {
  complete: boolean;
}

/** The report: the live count, or the snapshot once records behind it have expired (`asOf` its time). */
export type ReportedFunnel = LiveFunnel & ({ source: 'records' } | { source: 'snapshot'; asOf: number });

const countsOf = (f: FunnelCounts): FunnelCounts => ({
  jobs: f.jobs,
  pending: f.pending,
  sent: f.sent,
  delivered: f.delivered,
  read: f.read,
  failed: f.failed,
  skippedAtSend: { ...f.skippedAtSend },
  unknown: f.unknown,
});

const sameCounts = (a: FunnelCounts, b: FunnelCounts): boolean => JSON.stringify(sortedCounts(a)) === JSON.stringify(sortedCounts(b));
const sortedCounts = (f: FunnelCounts) => ({ ...countsOf(f), skippedAtSend: Object.fromEntries(Object.entries(f.skippedAtSend).sort(([x], [y]) => x.localeCompare(y))) });

/**
 * The snapshot to store after a count, or undefined to leave the stored one be: only a complete count
 * of at least as many jobs as the stored snapshot (fewer means records expired: the snapshot knows
 * more), only one with jobs, and only when it says something new.
 */
export const snapshotToKeep = (live: LiveFunnel, stored: FunnelSnapshot | undefined, now: number): FunnelSnapshot | undefined => {
  if (!live.complete || live.jobs === 0) return undefined;
  if (stored !== undefined && (live.jobs < stored.jobs || sameCounts(live, stored))) return undefined;
  return { ...countsOf(live), at: now };
};

/** What the report shows: the snapshot when it counted more jobs than the records still hold, else the live count. */
export const reportedFunnel = (live: LiveFunnel, stored: FunnelSnapshot | undefined): ReportedFunnel =>
  stored !== undefined && stored.jobs > live.jobs
    ? { ...countsOf(stored), complete: true, source: 'snapshot', asOf: stored.at }
    : { ...countsOf(live), complete: live.complete, source: 'records' };
