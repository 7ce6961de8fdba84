import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { passThread } from '../automation/thread-control';
import { threadMoveOf, threadPassedAway } from '../domain/automation/thread-move';
import type { Clock } from '../domain/clock';
import type { ContactRef } from '../domain/events';
import { classifyGraphError } from '../domain/send/classify-error';
import type { AfterSend } from '../domain/send/after-send';
import type { ErrorOutcome, GraphFailure } from '../domain/send/error-classification';
import { marketingToken } from '../domain/send/marketing-gates';
import type { PolicySettings } from '../domain/send/policy-context';
import { decide } from '../domain/send/policy-engine';
import type { ContactPolicyState, RouteName } from '../domain/send/policy-types';
import { requestShape } from '../domain/send/request-shape';
import { WHATSAPP_PAIR_GAP_MS, messagingLimitDetail, sendLimitsFor } from '../domain/send/send-limits';
import { failureFeedback, sentFeedback } from '../domain/send/send-feedback';
import { storedFailureTitle } from '../domain/send/failure-title';
import type { SendIntent } from '../domain/send/send-intent';
import type { AccountRegistry } from '../ports/account-registry';
import type { GraphApi, ThreadControlApi } from '../ports/graph-api';
import type { Outbox, OutboxRecord } from '../ports/outbox';
import type { Pacer } from '../ports/pacer';
import type { SendQueue } from '../ports/send-queue';
import type { StateStore } from '../ports/state-store';
import type { StatusFunnel } from '../ports/status-funnel';
import { loadPolicyInputs } from './load-policy-inputs';
import { graphRequestFor } from './graph-requests';
import { sharedAccountReads } from './shared-account-reads';

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
  /** The deployment's policy settings (the window's closing margin). */
  policy?: PolicySettings;
  /** Caps the back-off between retries (the local stack uses seconds where Meta's advice says minutes). */
  maxRetryDelayMs?: number;
  /** Conversation Routing, for a job that passes the thread after its message (`afterSend`); absent: logged, not carried out. */
  threadControl?: ThreadControlApi;
  /**
   * Where the funnel counts a refusal at the send call: the local stack, which has no stream. In AWS
   * none: the state table's stream counts the `fm_failed` flag the refusal's write sets.
   */
  funnel?: StatusFunnel;
}

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
  // A batch's jobs share their account's reads: one read of the policy records and templates, not ten.
  const accountReads = sharedAccountReads(deps.store);
  const policyReads = { accounts: deps.accounts, store: { ...accountReads, getPerson: (contact: ContactRef) => deps.store.getPerson(contact) } };
  // With a dimension of its own (the route, Meta's error code) and flushed at once, since one batch
  // mixes values: the dashboard's "sends by route" and "Meta errors by code" (lib/constructs/monitoring.ts).
  const countBy = (name: string, dimension: string, value: string) => {
    if (!deps.metrics) return;
    const single = deps.metrics.singleMetric();
    single.addDimension(dimension, value);
    single.addMetric(name, MetricUnit.Count, 1);
  };

  const sendJob = async (outboxId: string, claimed: (record: OutboxRecord) => void): Promise<JobOutcome> => {
    const now = deps.clock();
    const claim = await deps.outbox.claim(outboxId, now, staleClaimMs);
    if (!claim.claimed) return notClaimed(deps, outboxId, claim.record, now, staleClaimMs);
    const { record, claimToken } = claim;
    claimed(record);
    const intent = record.intent;

    const { account, templateAccount, contact, accountState, recipientId, knownIds } = await loadPolicyInputs(policyReads, intent, now);
    // The job names the id it was created for; the person may since be known under a newer one.
    const addressed = recipientId === intent.userId ? intent : { ...intent, userId: recipientId };
    const decision = decide(intent, contact, accountState, now, deps.policy);
    if (decision.outcome === 'refuse') {
      await deps.outbox.finish(outboxId, claimToken, now, { status: 'skipped', reason: decision.reason, detail: decision.detail, earliestAt: decision.earliestAt });
      count(`Skipped_${decision.reason}`);
      return 'skipped';
    }

    const paced = await deps.pacer.acquire({
      accountId: intent.accountId,
      recipient: addressed.userId,
      pairGapMs: intent.channel === 'whatsapp' ? WHATSAPP_PAIR_GAP_MS : undefined,
      // The account's rate from its Meta tier, and the portfolio's messaging limit when this send counts toward it.
      ...sendLimitsFor(intent, decision, contact, accountState, now),
    });
    if (!paced.ok) {
      // Over the portfolio's messaging limit: a one-off send is refused; a campaign's waits like a paced one.
      if (paced.reason === 'messaging_limit_reached' && record.group === undefined) {
        const earliestAt = now + paced.retryAfterMs;
        await deps.outbox.finish(outboxId, claimToken, now, { status: 'skipped', reason: paced.reason, detail: messagingLimitDetail(earliestAt), earliestAt });
        count(`Skipped_${paced.reason}`);
        return 'skipped';
      }
      await requeue(deps, outboxId, claimToken, now + paced.retryAfterMs, paced.reason ?? 'paced');
      return 'deferred';
    }

    const optInToken = tokenFor(decision.route, intent, contact);
    let request;
    try {
      request = graphRequestFor(addressed, decision.route, { outboxId, optInToken, adAccountId: account?.adAccountId, knownIds, ...requestShape(intent.channel, now) });
    } catch (error) {
      await deps.outbox.finish(outboxId, claimToken, deps.clock(), { status: 'failed', reason: 'request_not_buildable', detail: (error as Error).message });
      return 'failed';
    }
    const attempt = record.attempts + 1;
    if (!(await deps.outbox.markSending(outboxId, claimToken, deps.clock(), decision, attempt))) return 'in_progress';

    const result = await deps.graph.send(request);
    const at = deps.clock();
    if (result.ok) {
      // Feedback first: it is idempotent, and the next send's policy check depends on it.
      await deps.store.apply(sentFeedback(intent, decision.route, optInToken, outboxId, at));
      const recorded = await deps.outbox.finish(outboxId, claimToken, at, { status: 'sent', messageId: result.messageId, route: decision.route, pricing: decision.pricing });
      if (!recorded) deps.logger.error('sent, but the outbox record had moved on', { outboxId, messageId: result.messageId });
      count('Sent');
      countBy('SentByRoute', 'route', decision.route);
      return 'sent';
    }

    const { failure } = result;
    const outcome = ambiguousAnswer(failure) ?? classifyGraphError(failure);
    deps.logger.warn('send failed', { outboxId, action: outcome.action, code: failure.code, subcode: failure.subcode, httpStatus: failure.httpStatus, transport: failure.transport });
    countBy('MetaErrors', 'code', failure.code !== undefined ? String(failure.code) : failure.httpStatus !== undefined ? `http_${failure.httpStatus}` : (failure.transport ?? 'no_answer'));
    switch (outcome.action) {
      case 'retry':
        if (outcome.scope === 'account') deps.pacer.backOff(intent.accountId, Math.min(outcome.retryAfterMs, deps.maxRetryDelayMs ?? Number.MAX_SAFE_INTEGER));
        if (attempt >= maxAttempts) {
          await finishFailed(deps, outboxId, claimToken, at, failure, { reason: `retries_exhausted:${outcome.reason}` });
          count('Failed');
          return 'failed';
        }
        await requeue(deps, outboxId, claimToken, at + retryDelay(deps, outcome.retryAfterMs, attempt), outcome.reason, failure.code);
        count('RetryScheduled');
        return 'retry_scheduled';
      case 'reroute':
        // Meta shut one marketing door for the account: record it, then the next decision picks the other one (or refuses).
        await deps.store.apply(failureFeedback(intent, outcome, failure, optInToken, templateAccount, outboxId, at));
        if (attempt >= maxAttempts) {
          await finishFailed(deps, outboxId, claimToken, at, failure, { reason: `retries_exhausted:${outcome.reason}` });
          count('Failed');
          return 'failed';
        }
        await requeue(deps, outboxId, claimToken, at + outcome.retryAfterMs, outcome.reason, failure.code);
        count('Rerouted');
        return 'retry_scheduled';
      case 'unknown':
        await deps.outbox.finish(outboxId, claimToken, at, { status: 'unknown', reason: outcome.reason });
        count('Unknown');
        return 'unknown';
      default:
        // Feedback first, as for a success: a redelivery after a failed write finds the job done.
        await deps.store.apply(failureFeedback(intent, outcome, failure, optInToken, templateAccount, outboxId, at));
        await finishFailed(deps, outboxId, claimToken, at, failure, { reason: outcome.reason, detail: result.message });
        count('Failed');
        return 'failed';
    }
  };

  return async (outboxId: string): Promise<JobOutcome> => {
    let job: OutboxRecord | undefined;
    const outcome = await sendJob(outboxId, (record) => (job = record));
    if (job?.afterSend && DONE_WITH.has(outcome)) await passAfterSend(deps, job.intent, job.afterSend);
    return outcome;
  };
};

/**
 * The job failed for good after Meta answered. With Meta's error code that answer is Meta's refusal
 * of the message, a failure of the funnel like a failed status: its write flags `fm_failed` where
 * absent, so a redelivered job or a later failed status counts nothing more. In AWS the state
 * table's stream counts the flag (lambdas/handlers/funnel-stream.ts); where a funnel is given (the
 * local stack) it is counted here, at most once, as the local webhook counts statuses.
 */
const finishFailed = async (
  deps: SenderDeps,
  outboxId: string,
  claimToken: string,
  at: number,
  failure: GraphFailure,
  outcome: { reason: string; detail?: string },
): Promise<void> => {
  const code = failure.code;
  if (code === undefined) {
    await deps.outbox.finish(outboxId, claimToken, at, { status: 'failed', ...outcome });
    return;
  }
  const title = storedFailureTitle(failure.title);
  const before = await deps.outbox.finishRefused(outboxId, claimToken, at, { status: 'failed', errorCode: code, ...(title === undefined ? {} : { errorTitle: title }), ...outcome });
  if (before === undefined || deps.funnel === undefined) return;
  const report = { outboxId, status: 'failed' as const, occurredAt: at, error: { code, ...(title === undefined ? {} : { title }) }, refusedAtSend: true as const };
  try {
    await deps.funnel.countStatuses([{ report, before }]);
  } catch (error) {
    // The job is done with: failing it now would only redeliver it to find it done, the count lost all the same.
    deps.logger.error('funnel count of a refused send lost', { outboxId, code, error: (error as Error).message });
  }
};

/** Outcomes after which the job's message will never go (again): what follows it may happen now. */
const DONE_WITH: ReadonlySet<JobOutcome> = new Set(['sent', 'failed', 'skipped', 'unknown']);

/**
 * The handoff's thread pass, after its acknowledgement was sent, refused for good, or left unknown:
 * Meta lets only the thread's holder send, so passing first would lose the acknowledgement, and once
 * it is done with nothing is lost by passing. It runs in the invocation that ended the job, which
 * happens once per job (the claim), so a redelivered request passes nothing twice. Only while the
 * person's `threadMove` register still records this pass: an admin's resume or Meta's handover since
 * decides instead. Never fails the job: a refusal is logged and counted (`ThreadControlFailed`).
 */
const passAfterSend = async (deps: SenderDeps, intent: SendIntent, afterSend: AfterSend): Promise<void> => {
  const contact = { channel: intent.channel, accountId: intent.accountId, userId: intent.userId };
  const state = (await deps.store.getPerson(contact))?.state ?? {};
  if (threadMoveOf(state)?.eventKey !== afterSend.eventKey || !threadPassedAway(state)) {
    deps.logger.info('thread pass after the acknowledgement no longer wanted', { channel: intent.channel });
    return;
  }
  await passThread({ threadControl: deps.threadControl, logger: deps.logger, metrics: deps.metrics }, contact, afterSend.passThreadTo, 'handoff');
};

/**
 * Answers that may mean Meta took the message: a success without an id, or a gateway error (502,
 * 504) with no Graph error body. Never resent; status webhooks reconcile them.
 */
const ambiguousAnswer = (failure: GraphFailure): ErrorOutcome | undefined => {
  const status = failure.httpStatus;
  if (status !== undefined && status >= 200 && status < 300) return { action: 'unknown', reason: 'answer_without_message_id' };
  if ((status === 502 || status === 504) && failure.code === undefined) return { action: 'unknown', reason: `gateway_${status}_without_graph_error` };
  return undefined;
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
  if (record.status === 'claimed' && record.claimToken) {
    const staleAt = (record.claimedAt ?? 0) + staleClaimMs;
    if (staleAt <= now && record.sendingAt !== undefined) {
      // Its sender died between calling Meta and recording the answer: the message may have gone out.
      await deps.outbox.markUnknown(outboxId, record.claimToken, now, 'sender_stopped_during_send');
      return 'unknown';
    }
    // Another sender holds it. Look again once its claim would be stale, in case that sender dies.
    await deps.queue.enqueue([outboxId], { delaySeconds: Math.ceil(Math.max(0, staleAt - now) / 1000) + 1 });
    return 'in_progress';
  }
  if (record.status === 'queued') {
    // An early copy of a delayed retry (SQS delays stop at 15 minutes): hand it on until it is due.
    await deps.queue.enqueue([outboxId], { delaySeconds: Math.ceil(Math.max(0, (record.notBefore ?? now) - now) / 1000) });
    return 'deferred';
  }
  return 'already_done';
};

/** The token the policy engine judged is the token the message goes out on. */
const tokenFor = (route: RouteName, intent: SendIntent, contact: ContactPolicyState): string | undefined =>
  route === 'messenger.marketing_message' || route === 'messenger.recurring_notification' ? marketingToken(intent, contact)?.token : undefined;
