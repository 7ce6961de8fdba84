import type { DispatchAccount } from '../domain/campaign/plan-dispatch';
import type { StoredCampaign } from '../ports/campaign-store';
import type { Campaign } from '../schemas/campaign';
import type { Occurrence, OccurrenceStatus } from '../ports/occurrence-store';
import { loadDispatchAccounts } from './dispatch-accounts';
import { dispatchPage } from './dispatch-page';
import { DEFAULT_TUNING, type DispatcherDeps } from './dispatcher-deps';

export type RunOutcome = 'done' | 'paused' | 'stopped' | 'handed_over' | 'lease_lost';

/** How long the invocation has left, in ms: Lambda's `getRemainingTimeInMillis`. */
export type RemainingTime = () => number;

/**
 * Works through an occurrence page by page while holding its lease, saving progress after each
 * page. Stops when the audience is exhausted, when the campaign is paused or deleted, or hands the
 * lease to a continuation message before the invocation runs out of time.
 */
export const runOccurrence = async (
  deps: DispatcherDeps,
  lease: { occurrence: Occurrence; leaseToken: string },
  remainingMs: RemainingTime,
): Promise<RunOutcome> => {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const { campaignId, occurrenceKey } = lease.occurrence;
  const group = `${campaignId}#${occurrenceKey}`;
  let occurrence = lease.occurrence;
  let accounts: Record<string, DispatchAccount> | undefined;
  for (;;) {
    const now = deps.clock();
    // Read again before every page: pausing or deleting a campaign stops its running occurrence.
    const stored = await deps.campaigns.get(campaignId);
    const halt = haltOf(stored);
    if (halt !== undefined || stored === undefined) {
      const status = halt?.status ?? 'stopped';
      await deps.occurrences.savePage(campaignId, occurrenceKey, lease.leaseToken, { ...progressOf(occurrence), status, stopReason: halt?.reason, now, leaseUntil: 0 });
      deps.logger.info('occurrence halted', { campaignId, occurrenceKey, status, reason: halt?.reason });
      return status === 'paused' ? 'paused' : 'stopped';
    }
    if (remainingMs() < tuning.handOverWithMs) {
      await deps.continuations.continueLater({ campaignId, occurrenceKey, handoverToken: lease.leaseToken });
      deps.logger.info('occurrence handed over to a continuation', { campaignId, occurrenceKey, pages: occurrence.pages });
      return 'handed_over';
    }
    // The definition the firing started with: an edit mid-run applies from the next firing.
    const campaign = occurrence.campaign;
    accounts ??= await loadDispatchAccounts(deps, campaign, now);
    const { update, done } = await dispatchPage(deps, tuning, { campaign, occurrence, accounts, group, now });
    // The lease runs from the save, not from the page's start: a slow page must not hand it away.
    const savedAt = deps.clock();
    const saved = await deps.occurrences.savePage(campaignId, occurrenceKey, lease.leaseToken, { ...update, now: savedAt, leaseUntil: done ? 0 : savedAt + tuning.leaseMs });
    if (!saved) {
      // Another worker took over (our lease expired): it carries on from the last saved page.
      deps.logger.warn('occurrence lease lost; another worker continues it', { campaignId, occurrenceKey });
      return 'lease_lost';
    }
    occurrence = { ...occurrence, ...update, updatedAt: savedAt };
    if (done) {
      await finishCampaign(deps, campaign, savedAt);
      deps.logger.info('occurrence done', { campaignId, occurrenceKey, pages: update.pages, counts: update.counts, costByCurrency: update.costByCurrency });
      return 'done';
    }
  }
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

const progressOf = (o: Occurrence) => ({ pages: o.pages, counts: o.counts, costByCurrency: o.costByCurrency, ...(o.cursor === undefined ? {} : { cursor: o.cursor }) });
