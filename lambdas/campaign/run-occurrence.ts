import type { StoredCampaign } from '../ports/campaign-store';
import type { CapAmounts, Occurrence, OccurrenceHold, OccurrenceSegment, OccurrenceStatus, PageUpdate } from '../ports/occurrence-store';
import type { Campaign } from '../schemas/campaign';
import { mapLimit } from '../shared/map-limit';
import { dispatchPage, type Progress } from './dispatch-page';
import { DEFAULT_TUNING, type DispatcherDeps, type DispatchTuning } from './dispatcher-deps';
import { continuationOf, segmentReads, stalledSegments } from './segments';

/** `held`: the next page's account is paused; a continuation carries on when the pause ends. */
export type RunOutcome = 'done' | 'paused' | 'stopped' | 'handed_over' | 'lease_lost' | 'held';

/** SQS's longest delivery delay: a longer account pause is held again when the continuation wakes. */
const LONGEST_HOLD_MS = 900_000;

const NOTHING: CapAmounts = { recipients: 0, costUnits: 0 };

/** How long the invocation has left, in ms: Lambda's `getRemainingTimeInMillis`. */
export type RemainingTime = () => number;

/**
 * A worker's lease on its part of an occurrence: the whole occurrence (one segment: progress and
 * lease on the occurrence itself, as before segments), or one segment of a fanned-out one.
 */
export interface WorkLease {
  /** The definition, plan and reservations the occurrence holds. */
  occurrence: Occurrence;
  segment?: number;
  progress: Progress;
  leaseToken: string;
}

/** A lease on a whole occurrence, from `acquire`. */
export const occurrenceLease = (lease: { occurrence: Occurrence; leaseToken: string }): WorkLease => ({
  occurrence: lease.occurrence,
  progress: progressOf(lease.occurrence),
  leaseToken: lease.leaseToken,
});

/** A lease on one segment, from `acquireSegment`. */
export const segmentLease = (lease: { occurrence: Occurrence; segment: OccurrenceSegment; leaseToken: string }): WorkLease => ({
  occurrence: lease.occurrence,
  segment: lease.segment.segment,
  progress: progressOf(lease.segment),
  leaseToken: lease.leaseToken,
});

/**
 * Works through an occurrence, or one segment of it, page by page while holding its lease, saving
 * progress after each page. Stops when its reads are exhausted, when the campaign is paused or
 * deleted, or hands the lease to a continuation message before the invocation runs out of time.
 * When the next page's account is paused, it holds: a continuation carries on when the pause ends.
 */
export const runOccurrence = async (deps: DispatcherDeps, lease: WorkLease, remainingMs: RemainingTime): Promise<RunOutcome> => {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const { campaignId, occurrenceKey } = lease.occurrence;
  const log = { campaignId, occurrenceKey, ...(lease.segment === undefined ? {} : { segment: lease.segment }) };
  // The definition the firing started with: an edit mid-run applies from the next firing.
  const campaign = lease.occurrence.campaign;
  const reads = segmentReads(campaign, lease.occurrence.plan, lease.segment ?? 0);
  const save = (update: PageUpdate) =>
    lease.segment === undefined
      ? deps.occurrences.savePage(campaignId, occurrenceKey, lease.leaseToken, update)
      : deps.occurrences.saveSegmentPage({ campaignId, occurrenceKey, segment: lease.segment }, lease.leaseToken, update);
  let progress = lease.progress;
  let reserved = lease.occurrence.reserved ?? NOTHING;
  for (;;) {
    const now = deps.clock();
    // Read again before every page: pausing or deleting a campaign stops its running occurrence.
    const stored = await deps.campaigns.get(campaignId);
    const halt = haltOf(stored);
    if (halt !== undefined || stored === undefined) {
      const status = halt?.status ?? 'stopped';
      await save({ ...saved(progress), status, stopReason: halt?.reason, now, leaseUntil: 0 });
      deps.logger.info('occurrence halted', { ...log, status, reason: halt?.reason });
      return status === 'paused' ? 'paused' : 'stopped';
    }
    if (remainingMs() < tuning.handOverWithMs) {
      await deps.continuations.continueLater(continuationOf(campaignId, occurrenceKey, lease.segment, lease.leaseToken));
      deps.logger.info('occurrence handed over to a continuation', { ...log, pages: progress.pages });
      return 'handed_over';
    }
    const page = await dispatchPage(deps, tuning, {
      occurrence: lease.occurrence,
      ...(lease.segment === undefined ? {} : { segment: lease.segment }),
      progress,
      reads,
      group: `${campaignId}#${occurrenceKey}`,
      reserved,
      now,
    });
    if (page.kind === 'held') return hold(deps, tuning, lease, { ...progress, cursor: page.cursor }, page.held, save);
    const { update, done } = page;
    if (page.reserved !== undefined) reserved = page.reserved;
    // The lease runs from the save, not from the page's start: a slow page must not hand it away.
    const savedAt = deps.clock();
    if (!(await save({ ...update, now: savedAt, leaseUntil: done ? 0 : savedAt + tuning.leaseMs }))) {
      // Another worker took over (our lease expired): it carries on from the last saved page.
      deps.logger.warn('occurrence lease lost; another worker continues it', log);
      return 'lease_lost';
    }
    progress = { pages: update.pages, counts: update.counts, costByCurrency: update.costByCurrency, ...(update.cursor === undefined ? {} : { cursor: update.cursor }), ...(update.unused === undefined ? {} : { unused: update.unused }) };
    if (done) {
      await finish(deps, tuning, lease, progress, campaign, savedAt);
      deps.logger.info(lease.segment === undefined ? 'occurrence done' : 'segment done', { ...log, pages: update.pages, counts: update.counts, costByCurrency: update.costByCurrency });
      return 'done';
    }
  }
};

/**
 * A worker's part is done. One worker: the occurrence is. A segment: gives back what its last
 * grant left unused (a crash before this leaves it unused: the caps then stop short of their limit,
 * never past it), and whichever segment finishes last sees every other finished and finishes a
 * one-off campaign; on the way it wakes a sibling whose worker stopped without handing over.
 */
const finish = async (deps: DispatcherDeps, tuning: DispatchTuning, lease: WorkLease, progress: Progress, campaign: Campaign, now: number): Promise<void> => {
  if (lease.segment === undefined) {
    await finishCampaign(deps, campaign, now);
    return;
  }
  const { campaignId, occurrenceKey } = lease.occurrence;
  if (progress.unused !== undefined) {
    await deps.occurrences.reserve({ campaignId, occurrenceKey, segment: lease.segment, page: progress.pages, take: NOTHING, limits: {}, release: progress.unused });
  }
  // Read after our own save: of segments finishing together, the last to save sees all finished.
  const view = await deps.occurrences.get(campaignId, occurrenceKey);
  if (view?.status === 'done') await finishCampaign(deps, campaign, now);
  else if (view !== undefined) {
    const stalled = stalledSegments(view, now).filter((s) => view.segments?.some((found) => found.segment === s && found.status === 'running'));
    await mapLimit(stalled, tuning.concurrency, (segment) => deps.continuations.continueLater(continuationOf(campaignId, occurrenceKey, segment)));
  }
};

/**
 * Planning now would skip every contact of the page (the policy engine refuses them all until the
 * pause ends), so the worker waits instead. It keeps its lease until it wakes, saved with the hold,
 * and queues a continuation carrying the lease for that moment: only that message (or, if it is
 * lost, whoever finds the lease expired after it) carries on, and it reads the account again.
 */
const hold = async (
  deps: DispatcherDeps,
  tuning: DispatchTuning,
  lease: WorkLease,
  progress: Progress,
  held: OccurrenceHold,
  save: (update: PageUpdate) => Promise<boolean>,
): Promise<RunOutcome> => {
  const { campaignId, occurrenceKey } = lease.occurrence;
  const log = { campaignId, occurrenceKey, ...(lease.segment === undefined ? {} : { segment: lease.segment }) };
  const now = deps.clock();
  const wakeAt = Math.min(held.until, now + LONGEST_HOLD_MS);
  // Past the wake-up: a duplicate firing meanwhile queues a check instead of taking over.
  if (!(await save({ ...saved(progress), status: 'running', held, now, leaseUntil: wakeAt + tuning.leaseMs }))) {
    deps.logger.warn('occurrence lease lost; another worker continues it', log);
    return 'lease_lost';
  }
  await deps.continuations.continueLater(continuationOf(campaignId, occurrenceKey, lease.segment, lease.leaseToken), { delaySeconds: Math.ceil((wakeAt - now) / 1000) });
  deps.logger.info('occurrence held: its account is paused', { ...log, account: held.account, reason: held.reason, until: new Date(held.until).toISOString() });
  return 'held';
};

const haltOf = (stored: StoredCampaign | undefined): { status: OccurrenceStatus; reason?: string } | undefined => {
  if (stored === undefined) return { status: 'stopped', reason: 'campaign_deleted' };
  switch (stored.campaign.status) {
    case 'paused':
      return { status: 'paused' };
    case 'draft':
      return { status: 'stopped', reason: 'campaign_unscheduled' };
    default:
      return undefined;
  }
};

/** A one-off campaign is done after its only occurrence; its rule would never fire again, so it goes. Safe to repeat. */
export const finishCampaign = async (deps: DispatcherDeps, campaign: Campaign, now: number): Promise<void> => {
  if (campaign.schedule.kind !== 'once') return;
  // The rule first: until the status says done, a retried firing comes back here and finishes the job.
  await deps.scheduler.remove(campaign.id);
  await deps.campaigns.setStatus(campaign.id, 'done', now, { from: ['scheduled', 'running'] });
};

const progressOf = (o: Pick<Occurrence, 'pages' | 'cursor' | 'counts' | 'costByCurrency'> & { unused?: Progress['unused'] }): Progress => ({
  pages: o.pages,
  counts: o.counts,
  costByCurrency: o.costByCurrency,
  ...(o.cursor === undefined ? {} : { cursor: o.cursor }),
  ...(o.unused === undefined ? {} : { unused: o.unused }),
});

/** The progress a save without a page keeps (a halt, a hold). */
const saved = (p: Progress) => progressOf(p);
