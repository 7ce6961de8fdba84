import { accountKey, type DispatchAccount } from '../domain/campaign/plan-dispatch';
import type { AudienceQuery } from '../ports/audience-index';
import type { StoredCampaign } from '../ports/campaign-store';
import type { Campaign } from '../schemas/campaign';
import type { Occurrence, OccurrenceHold, OccurrenceStatus } from '../ports/occurrence-store';
import { audienceSources, decodePosition } from './audience-sources';
import { loadDispatchAccount } from './dispatch-accounts';
import { dispatchPage } from './dispatch-page';
import { DEFAULT_TUNING, type DispatcherDeps, type DispatchTuning } from './dispatcher-deps';

/** `held`: the next page's account is paused; a continuation carries on when the pause ends. */
export type RunOutcome = 'done' | 'paused' | 'stopped' | 'handed_over' | 'lease_lost' | 'held';

/** SQS's longest delivery delay: a longer account pause is held again when the continuation wakes. */
const LONGEST_HOLD_MS = 900_000;

/** How long the invocation has left, in ms: Lambda's `getRemainingTimeInMillis`. */
export type RemainingTime = () => number;

/**
 * Works through an occurrence page by page while holding its lease, saving progress after each
 * page. Stops when the audience is exhausted, when the campaign is paused or deleted, or hands the
 * lease to a continuation message before the invocation runs out of time. When the next page's
 * account is paused, it holds: a continuation carries on when the pause ends.
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
    // Read again before every page, like the campaign: an account paused mid-run holds the next page.
    const source = audienceSources(campaign)[decodePosition(occurrence.cursor).source];
    const accounts = source === undefined ? {} : await pageAccounts(deps, source, now);
    const held = source === undefined ? undefined : holdOf(source, accounts);
    if (held !== undefined) return hold(deps, tuning, lease.leaseToken, occurrence, held);
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

/** The page's contacts all belong to its source's account: only that account's policy is read. */
const pageAccounts = async (deps: DispatcherDeps, source: AudienceQuery, now: number): Promise<Record<string, DispatchAccount>> => {
  const account = await loadDispatchAccount(deps, source, now);
  return account === undefined ? {} : { [accountKey(source.channel, source.accountId)]: account };
};

/** Meta refused a send for the whole account (the error table's flag_account rows), and the pause still lasts. */
const holdOf = (source: AudienceQuery, accounts: Record<string, DispatchAccount>): OccurrenceHold | undefined => {
  const key = accountKey(source.channel, source.accountId);
  const pause = accounts[key]?.state.sendingPause;
  return pause === undefined ? undefined : { until: pause.until, reason: pause.reason, account: key };
};

/**
 * Planning now would skip every contact of the page (the policy engine refuses them all until the
 * pause ends), so the occurrence waits instead. It keeps its lease until it wakes, saved with the
 * hold, and queues a continuation carrying the lease for that moment: only that message (or, if it
 * is lost, whoever finds the lease expired after it) carries on, and it reads the account again.
 */
const hold = async (
  deps: DispatcherDeps,
  tuning: DispatchTuning,
  leaseToken: string,
  occurrence: Occurrence,
  held: OccurrenceHold,
): Promise<RunOutcome> => {
  const { campaignId, occurrenceKey } = occurrence;
  const now = deps.clock();
  const wakeAt = Math.min(held.until, now + LONGEST_HOLD_MS);
  const saved = await deps.occurrences.savePage(campaignId, occurrenceKey, leaseToken, {
    ...progressOf(occurrence),
    status: 'running',
    held,
    now,
    // Past the wake-up: a duplicate firing meanwhile queues a check instead of taking over.
    leaseUntil: wakeAt + tuning.leaseMs,
  });
  if (!saved) {
    deps.logger.warn('occurrence lease lost; another worker continues it', { campaignId, occurrenceKey });
    return 'lease_lost';
  }
  await deps.continuations.continueLater({ campaignId, occurrenceKey, handoverToken: leaseToken }, { delaySeconds: Math.ceil((wakeAt - now) / 1000) });
  deps.logger.info('occurrence held: its account is paused', { campaignId, occurrenceKey, account: held.account, reason: held.reason, until: new Date(held.until).toISOString() });
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

const progressOf = (o: Occurrence) => ({ pages: o.pages, counts: o.counts, costByCurrency: o.costByCurrency, ...(o.cursor === undefined ? {} : { cursor: o.cursor }) });
