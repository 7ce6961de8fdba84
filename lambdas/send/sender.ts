import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Clock } from '../domain/clock';
import { classifyGraphError } from '../domain/send/classify-error';
import { marketingToken } from '../domain/send/marketing-gates';
import { decide } from '../domain/send/policy-engine';
import type { ContactPolicyState, RouteName } from '../domain/send/policy-types';
import { failureFeedback, sentFeedback } from '../domain/send/send-feedback';
import type { SendIntent } from '../domain/send/send-intent';
import type { AccountRegistry } from '../ports/account-registry';
import type { GraphApi } from '../ports/graph-api';
import type { Outbox, OutboxRecord } from '../ports/outbox';
import type { Pacer } from '../ports/pacer';
import type { SendQueue } from '../ports/send-queue';
import type { StateStore } from '../ports/state-store';
import { loadPolicyInputs } from './load-policy-inputs';
import { graphRequestFor } from './graph-requests';

export interface SenderDeps {
  outbox: Outbox;
  store: StateStore;
  accounts: AccountRegistry;
  graph: GraphApi;
  pacer: Pacer;
  queue: SendQueue;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** A claim older than this whose send step never began is taken over (longer than a sender's timeout). */
  staleClaimMs?: number;
  /** Retryable Meta errors are retried this many times in all, then the job fails with the last code. */
  maxAttempts?: number;
  /** Caps the back-off between retries (the local stack uses seconds where Meta's advice says minutes). */
  maxRetryDelayMs?: number;
}

/** WhatsApp allows one message per 6 s to the same person (pair rate, error 131056). */
const WHATSAPP_PAIR_GAP_MS = 6000;

export type JobOutcome =
  | 'sent'
  | 'failed'
  | 'skipped'
  | 'unknown'
  | 'retry_scheduled'
  | 'deferred'
  | 'already_done'
  | 'in_progress'
  | 'missing';

/**
 * One send job: claim it exactly once, decide again at send time (a window may have closed since it
 * was queued), pace it, call the Graph API, classify what came back and record every outcome.
 */
export const createSender = (deps: SenderDeps) => {
  const staleClaimMs = deps.staleClaimMs ?? 120_000;
  const maxAttempts = deps.maxAttempts ?? 5;
  const count = (name: string) => deps.metrics?.addMetric(name, MetricUnit.Count, 1);

  return async (outboxId: string): Promise<JobOutcome> => {
    const now = deps.clock();
    const claim = await deps.outbox.claim(outboxId, now, staleClaimMs);
    if (!claim.claimed) return notClaimed(deps, outboxId, claim.record, now, staleClaimMs);
    const { record, claimToken } = claim;
    const intent = record.intent;

    const { account, templateAccount, contact, accountState } = await loadPolicyInputs(deps, intent, now);
    const decision = decide(intent, contact, accountState, now);
    if (decision.outcome === 'refuse') {
      await deps.outbox.finish(outboxId, claimToken, now, { status: 'skipped', reason: decision.reason, detail: decision.detail, earliestAt: decision.earliestAt });
      count(`Skipped_${decision.reason}`);
      return 'skipped';
    }

    const paced = await deps.pacer.acquire({
      accountId: intent.accountId,
      recipient: intent.userId,
      pairGapMs: intent.channel === 'whatsapp' ? WHATSAPP_PAIR_GAP_MS : undefined,
    });
    if (!paced.ok) {
      await requeue(deps, outboxId, claimToken, now + paced.retryAfterMs, 'paced');
      return 'deferred';
    }

    const optInToken = tokenFor(decision.route, intent, contact);
    let request;
    try {
      request = graphRequestFor(intent, decision.route, { outboxId, optInToken, adAccountId: account?.adAccountId });
    } catch (error) {
      await deps.outbox.finish(outboxId, claimToken, deps.clock(), { status: 'failed', reason: 'request_not_buildable', detail: (error as Error).message });
      return 'failed';
    }
    if (!(await deps.outbox.markSending(outboxId, claimToken, deps.clock(), decision))) return 'in_progress';

    const result = await deps.graph.send(request);
    const at = deps.clock();
    if (result.ok) {
      await deps.outbox.finish(outboxId, claimToken, at, { status: 'sent', messageId: result.messageId, route: decision.route, pricing: decision.pricing });
      await deps.store.apply(sentFeedback(intent, decision.route, optInToken, outboxId, at));
      count('Sent');
      return 'sent';
    }

    const { failure } = result;
    // A 200 without a message id: Meta took it, but it can't be correlated. Never resend.
    const outcome = failure.httpStatus === 200 ? { action: 'unknown' as const, reason: 'answer_without_message_id' } : classifyGraphError(failure);
    deps.logger.warn('send failed', { outboxId, action: outcome.action, code: failure.code, subcode: failure.subcode, httpStatus: failure.httpStatus, transport: failure.transport });
    switch (outcome.action) {
      case 'retry':
        if (outcome.scope === 'account') deps.pacer.backOff(intent.accountId, Math.min(outcome.retryAfterMs, deps.maxRetryDelayMs ?? Number.MAX_SAFE_INTEGER));
        if (record.attempts >= maxAttempts) {
          await deps.outbox.finish(outboxId, claimToken, at, { status: 'failed', errorCode: failure.code, reason: `retries_exhausted:${outcome.reason}` });
          count('Failed');
          return 'failed';
        }
        await requeue(deps, outboxId, claimToken, at + retryDelay(deps, outcome.retryAfterMs, record.attempts), outcome.reason, failure.code);
        count('RetryScheduled');
        return 'retry_scheduled';
      case 'unknown':
        await deps.outbox.finish(outboxId, claimToken, at, { status: 'unknown', reason: outcome.reason });
        count('Unknown');
        return 'unknown';
      default:
        await deps.outbox.finish(outboxId, claimToken, at, { status: 'failed', errorCode: failure.code, reason: outcome.reason, detail: result.message });
        await deps.store.apply(failureFeedback(intent, outcome, failure, optInToken, templateAccount, outboxId, at));
        count('Failed');
        return 'failed';
    }
  };
};

/** Exponential back-off from the classifier's base delay: the second retry waits twice as long as the first. */
const retryDelay = (deps: SenderDeps, baseMs: number, attempts: number): number =>
  Math.min(baseMs * 2 ** Math.max(0, attempts - 1), deps.maxRetryDelayMs ?? Number.MAX_SAFE_INTEGER);

/** Schedules the job again: the delayed message first, so a crash in between never loses it. */
const requeue = async (deps: SenderDeps, outboxId: string, claimToken: string, notBefore: number, reason: string, errorCode?: number) => {
  const now = deps.clock();
  await deps.queue.enqueue([outboxId], { delaySeconds: Math.ceil(Math.max(0, notBefore - now) / 1000) });
  await deps.outbox.finish(outboxId, claimToken, now, { status: 'queued', reason, notBefore, errorCode });
};

/** Why a delivery could not claim its job, and whether anything is left to do. */
const notClaimed = async (deps: SenderDeps, outboxId: string, record: OutboxRecord | undefined, now: number, staleClaimMs: number): Promise<JobOutcome> => {
  if (!record) {
    deps.logger.warn('send job without outbox record dropped', { outboxId });
    return 'missing';
  }
  if (record.status === 'claimed' && record.claimToken && (record.claimedAt ?? 0) < now - staleClaimMs && record.sendingAt !== undefined) {
    // Its sender died between calling Meta and recording the answer: the message may have gone out.
    await deps.outbox.markUnknown(outboxId, record.claimToken, now, 'sender_stopped_during_send');
    return 'unknown';
  }
  return record.status === 'claimed' || record.status === 'queued' ? 'in_progress' : 'already_done';
};

/** The token the policy engine judged is the token the message goes out on. */
const tokenFor = (route: RouteName, intent: SendIntent, contact: ContactPolicyState): string | undefined =>
  route === 'messenger.marketing_message' || route === 'messenger.recurring_notification' ? marketingToken(intent, contact)?.token : undefined;
