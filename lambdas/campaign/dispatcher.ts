import { occurrenceKeyOf } from '../domain/campaign/occurrence-key';
import type { SendIntent } from '../domain/send/send-intent';
import type { LeaseResult, Occurrence } from '../ports/occurrence-store';
import type { BusinessEvent } from '../schemas/business-event';
import type { CampaignFiringInput, DispatchContinuation } from '../schemas/dispatcher-input';
import { createSendRequests } from '../send/send-requests';
import { DEFAULT_TUNING, type DispatcherDeps } from './dispatcher-deps';
import { finishCampaign, type RemainingTime, type RunOutcome, runOccurrence } from './run-occurrence';

export type DispatchOutcome =
  | RunOutcome
  /** The campaign is gone, or not scheduled: a rule outlived it, or fired during a pause. */
  | 'not_active'
  /** Someone else holds the occurrence; a check is queued in case they crashed. */
  | 'in_progress'
  /** The occurrence already finished: a repeated firing, a no-op. */
  | 'already_done';

/** The dispatcher: campaign firings, their continuations, and business events. */
export const createDispatcher = (deps: DispatcherDeps) => {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const sends = createSendRequests(deps);

  /** A rule fired. Every delivery of the same firing maps to the same occurrence, which runs once. */
  const onFiring = async (firing: CampaignFiringInput, remainingMs: RemainingTime): Promise<DispatchOutcome> => {
    const { campaignId } = firing;
    const stored = await deps.campaigns.get(campaignId);
    const status = stored?.campaign.status;
    if (stored === undefined || (status !== 'scheduled' && status !== 'running')) {
      deps.logger.warn('firing for a campaign that is not scheduled; ignored', { campaignId, status: status ?? 'missing' });
      return 'not_active';
    }
    const occurrenceKey = occurrenceKeyOf(stored.campaign.schedule, Date.parse(firing.firingAt));
    const now = deps.clock();
    const lease = await deps.occurrences.acquire({ campaignId, occurrenceKey, firingAt: Date.parse(occurrenceKey), now, leaseMs: tuning.leaseMs, create: stored.campaign });
    if (!lease.acquired) {
      const outcome = await busy({ campaignId, occurrenceKey }, lease, now);
      // A worker that stopped between the last page and finishing a one-off campaign left it running.
      if (outcome === 'already_done' && lease.occurrence?.status === 'done') await finishCampaign(deps, stored.campaign, now);
      return outcome;
    }
    if (status === 'scheduled') await deps.campaigns.setStatus(campaignId, 'running', now, { from: ['scheduled'] });
    deps.logger.info('occurrence started', { campaignId, occurrenceKey });
    return runOccurrence(deps, lease, remainingMs);
  };

  /** Carry on with an occurrence: handed over, resumed after a pause, or checked after a crash. */
  const onContinuation = async (message: DispatchContinuation, remainingMs: RemainingTime): Promise<DispatchOutcome> => {
    const { campaignId, occurrenceKey, handoverToken } = message;
    const now = deps.clock();
    const lease = await deps.occurrences.acquire({
      campaignId,
      occurrenceKey,
      firingAt: Date.parse(occurrenceKey),
      now,
      leaseMs: tuning.leaseMs,
      handoverToken,
    });
    if (!lease.acquired) return busy({ campaignId, occurrenceKey }, lease, now);
    return runOccurrence(deps, lease, remainingMs);
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

  /**
   * A business event names its recipient and utility template: one send through the same outbox and
   * policy as everything else, keyed so a redelivered event sends nothing twice.
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
    // The detail-type is part of the key: a shop reusing an order id for `shipped` and `delivered` gets both.
    const { created, record, decision } = await sends.send(intent, `event#${event.source}#${event['detail-type']}#${detail.idempotencyKey ?? event.id}`);
    deps.logger.info('business event dispatched', {
      detailType: event['detail-type'],
      source: event.source,
      outboxId: record.outboxId,
      created,
      decision: decision.outcome,
      ...(decision.outcome === 'refuse' ? { reason: decision.reason } : { route: decision.route }),
    });
    return { outboxId: record.outboxId, created, decision };
  };

  return { onFiring, onContinuation, onBusinessEvent };
};

export type Dispatcher = ReturnType<typeof createDispatcher>;
