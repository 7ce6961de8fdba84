import { createOptInAfterEvent } from '../automation/opt-in-after-event';
import { businessEventSendKey } from '../domain/campaign/business-event-key';
import { occurrenceKeyOf } from '../domain/campaign/occurrence-key';
import type { SendIntent } from '../domain/send/send-intent';
import type { LeaseResult, Occurrence, SegmentLeaseResult, SegmentRef } from '../ports/occurrence-store';
import type { BusinessEvent } from '../schemas/business-event';
import type { CampaignFiringInput, DispatchContinuation } from '../schemas/dispatcher-input';
import { createSendRequests } from '../send/send-requests';
import { mapLimit } from '../shared/map-limit';
import { DEFAULT_TUNING, type DispatcherDeps } from './dispatcher-deps';
import { finishCampaign, occurrenceLease, type RemainingTime, type RunOutcome, runOccurrence, segmentLease } from './run-occurrence';
import { continuationOf, fannedOut, planOccurrence, stalledSegments } from './segments';

export type DispatchOutcome =
  | RunOutcome
  /** The campaign is gone, or not scheduled: a rule outlived it, or fired during a pause. */
  | 'not_active'
  /** Someone else holds the occurrence (or every segment of it); a check is queued in case they crashed. */
  | 'in_progress'
  /** The occurrence already finished: a repeated firing, a no-op. */
  | 'already_done';

/** Segments' leases taken and continuations sent at once when a firing fans out. */
const FAN_OUT_CONCURRENCY = 16;

/** The dispatcher: campaign firings, their continuations, and business events. */
export const createDispatcher = (deps: DispatcherDeps) => {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const sends = createSendRequests(deps);
  const optInAfterEvent = deps.automationConfigs
    ? createOptInAfterEvent({
        configs: deps.automationConfigs,
        store: deps.store,
        sends,
        ...(deps.automationUsage === undefined ? {} : { usage: { store: deps.automationUsage, accounts: deps.accounts } }),
        clock: deps.clock,
        logger: deps.logger,
        metrics: deps.metrics,
      })
    : undefined;

  /**
   * A rule fired. Every delivery of the same firing maps to the same occurrence, which runs once. A
   * big audience fans out: the first delivery creates the occurrence and its segments, runs the first
   * segment itself and hands each other one, lease and all, to a continuation message of its own.
   */
  const onFiring = async (firing: CampaignFiringInput, remainingMs: RemainingTime): Promise<DispatchOutcome> => {
    const { campaignId } = firing;
    const stored = await deps.campaigns.get(campaignId);
    const status = stored?.campaign.status;
    if (stored === undefined || (status !== 'scheduled' && status !== 'running')) {
      deps.logger.warn('firing for a campaign that is not scheduled; ignored', { campaignId, status: status ?? 'missing' });
      return 'not_active';
    }
    const occurrenceKey = occurrenceKeyOf(stored.campaign.schedule, Date.parse(firing.firingAt));
    const firingAt = Date.parse(occurrenceKey);
    const plan = await planOccurrence(deps, tuning, stored.campaign, firingAt);
    const now = deps.clock();
    let occurrence: Occurrence | undefined;
    if (plan.segments > 1) {
      const started = await deps.occurrences.start({ campaignId, occurrenceKey, firingAt, now, campaign: stored.campaign, plan });
      occurrence = started.occurrence;
      if (started.created) deps.logger.info('occurrence started', { campaignId, occurrenceKey, segments: plan.segments, zones: zoneCount(plan.zones) });
    }
    // One worker (or an occurrence a worker of that kind created): the lease is the occurrence's own.
    if (!fannedOut(occurrence)) {
      const lease = await deps.occurrences.acquire({ campaignId, occurrenceKey, firingAt, now, leaseMs: tuning.leaseMs, create: stored.campaign, plan });
      if (!lease.acquired) {
        if (fannedOut(lease.occurrence)) return fanOut(lease.occurrence as Occurrence, remainingMs);
        const outcome = await busy({ campaignId, occurrenceKey }, lease, now);
        // A worker that stopped between the last page and finishing a one-off campaign left it running.
        if (outcome === 'already_done' && lease.occurrence?.status === 'done') await finishCampaign(deps, stored.campaign, now);
        return outcome;
      }
      if (status === 'scheduled') await deps.campaigns.setStatus(campaignId, 'running', now, { from: ['scheduled'] });
      deps.logger.info('occurrence started', { campaignId, occurrenceKey });
      return runOccurrence(deps, occurrenceLease(lease), remainingMs);
    }
    if (status === 'scheduled') await deps.campaigns.setStatus(campaignId, 'running', now, { from: ['scheduled'] });
    return fanOut(occurrence as Occurrence, remainingMs);
  };

  /**
   * Takes every segment's lease that is free (all of them, on the first delivery of a firing), runs
   * the first one here and hands the others to continuations; segments someone holds get a check for
   * when their lease runs out. A repeated firing thereby restarts segments whose worker stopped.
   */
  const fanOut = async (occurrence: Occurrence, remainingMs: RemainingTime): Promise<DispatchOutcome> => {
    const { campaignId, occurrenceKey } = occurrence;
    if (occurrence.status === 'done' || occurrence.status === 'stopped') {
      if (occurrence.status === 'done') await finishCampaign(deps, occurrence.campaign, deps.clock());
      return 'already_done';
    }
    const now = deps.clock();
    const segments = Array.from({ length: occurrence.plan?.segments ?? 1 }, (_, segment) => segment);
    const leases = await mapLimit(segments, FAN_OUT_CONCURRENCY, (segment) =>
      deps.occurrences.acquireSegment({ campaignId, occurrenceKey, segment, now, leaseMs: tuning.leaseMs }),
    );
    const mine = leases.find((lease) => lease.acquired);
    const others = leases.map((lease, segment) => ({ lease, segment })).filter(({ lease }) => lease !== mine);
    const outcomes = await mapLimit(others, FAN_OUT_CONCURRENCY, async ({ lease, segment }): Promise<DispatchOutcome> => {
      if (!lease.acquired) return busySegment({ campaignId, occurrenceKey, segment }, lease, now);
      await deps.continuations.continueLater(continuationOf(campaignId, occurrenceKey, segment, lease.leaseToken));
      return 'handed_over';
    });
    deps.logger.info('occurrence fanned out', { campaignId, occurrenceKey, segments: segments.length, handedOver: outcomes.filter((o) => o === 'handed_over').length });
    if (mine?.acquired) return runOccurrence(deps, segmentLease(mine), remainingMs);
    return outcomes.some((o) => o === 'in_progress' || o === 'handed_over') ? 'in_progress' : 'already_done';
  };

  /** Carry on with an occurrence or one of its segments: handed over, resumed after a pause, or checked after a crash. */
  const onContinuation = async (message: DispatchContinuation, remainingMs: RemainingTime): Promise<DispatchOutcome> => {
    const { campaignId, occurrenceKey, handoverToken, segment } = message;
    const now = deps.clock();
    if (segment !== undefined) {
      const ref = { campaignId, occurrenceKey, segment };
      const lease = await deps.occurrences.acquireSegment({ ...ref, now, leaseMs: tuning.leaseMs, ...(handoverToken === undefined ? {} : { handoverToken }) });
      if (!lease.acquired) return busySegment(ref, lease, now);
      return runOccurrence(deps, segmentLease(lease), remainingMs);
    }
    const lease = await deps.occurrences.acquire({
      campaignId,
      occurrenceKey,
      firingAt: Date.parse(occurrenceKey),
      now,
      leaseMs: tuning.leaseMs,
      handoverToken,
    });
    if (lease.acquired) return runOccurrence(deps, occurrenceLease(lease), remainingMs);
    // A fanned-out occurrence has no lease of its own: a message for all of it restarts what stalled.
    if (lease.occurrence !== undefined && fannedOut(lease.occurrence)) return resumeSegments(lease.occurrence, now);
    return busy({ campaignId, occurrenceKey }, lease, now);
  };

  /** One continuation per segment no worker is on (paused, stalled, never started). */
  const resumeSegments = async (occurrence: Occurrence, now: number): Promise<DispatchOutcome> => {
    if (occurrence.status === 'done' || occurrence.status === 'stopped') return 'already_done';
    const stalled = stalledSegments(occurrence, now);
    await mapLimit(stalled, FAN_OUT_CONCURRENCY, (segment) => deps.continuations.continueLater(continuationOf(occurrence.campaignId, occurrence.occurrenceKey, segment)));
    return 'in_progress';
  };

  /**
   * A live lease looks the same whether its holder is working or has just crashed, so a check is
   * queued for when it runs out: a working holder will have renewed it, a crashed one not.
   */
  const busy = async (message: DispatchContinuation, lease: Extract<LeaseResult, { acquired: false }>, now: number): Promise<DispatchOutcome> => {
    const occurrence: Occurrence | undefined = lease.occurrence;
    if (occurrence?.status === 'done' || occurrence?.status === 'stopped') return 'already_done';
    if (occurrence?.status !== 'running' || occurrence.leaseUntil === undefined || occurrence.leaseUntil <= now) return 'not_active';
    await deps.continuations.continueLater(
      { campaignId: message.campaignId, occurrenceKey: message.occurrenceKey },
      { delaySeconds: Math.ceil((occurrence.leaseUntil - now) / 1000) + 1 },
    );
    return 'in_progress';
  };

  /** `busy` for one segment: a check for when its lease runs out, nothing once it finished. */
  const busySegment = async (ref: SegmentRef, lease: Extract<SegmentLeaseResult, { acquired: false }>, now: number): Promise<DispatchOutcome> => {
    const segment = lease.segment;
    if (segment?.status === 'done' || segment?.status === 'stopped') return 'already_done';
    if (segment?.status !== 'running' || segment.leaseUntil === undefined || segment.leaseUntil <= now) return 'not_active';
    await deps.continuations.continueLater(continuationOf(ref.campaignId, ref.occurrenceKey, ref.segment), {
      delaySeconds: Math.ceil((segment.leaseUntil - now) / 1000) + 1,
    });
    return 'in_progress';
  };

  /**
   * A business event names its recipient and utility template: one send through the same outbox and
   * policy as everything else, keyed so a redelivered event sends nothing twice. Then, when the
   * account's automation asks for it after this detail-type, the opt-in request (its own key).
   */
  const onBusinessEvent = async (event: BusinessEvent) => {
    const { detail } = event;
    const parameters = Object.entries(detail.parameters ?? {}).map(([name, value]) => ({ type: 'text' as const, name, value }));
    const intent: SendIntent = {
      channel: detail.channel,
      accountId: detail.accountId,
      userId: detail.userId,
      kind: 'utility',
      author: 'bot',
      content: {
        type: 'template',
        name: detail.template.name,
        language: detail.template.language,
        ...(parameters.length > 0 ? { components: [{ type: 'body' as const, parameters }] } : {}),
      },
    };
    const { created, record, decision } = await sends.send(intent, businessEventSendKey(event));
    deps.logger.info('business event dispatched', {
      detailType: event['detail-type'],
      source: event.source,
      outboxId: record.outboxId,
      created,
      decision: decision.outcome,
      ...(decision.outcome === 'refuse' ? { reason: decision.reason } : { route: decision.route }),
    });
    await optInAfterEvent?.(event);
    return { outboxId: record.outboxId, created, decision };
  };

  return { onFiring, onContinuation, onBusinessEvent };
};

const zoneCount = (zones: Record<string, string[]> | undefined): number | undefined =>
  zones === undefined ? undefined : Object.values(zones).reduce((n, z) => n + z.length, 0);

export type Dispatcher = ReturnType<typeof createDispatcher>;
