import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ThreadControlStep } from '../domain/automation/rule';
import type { ContactRef } from '../domain/events';
import type { ThreadControlApi, ThreadControlRequest } from '../ports/graph-api';
import type { AutomationConfig } from '../schemas/automation-config';

export interface ThreadControlDeps {
  /** Absent (a local stack without the Meta simulator): a step the config asks for is logged, not carried out. */
  threadControl?: ThreadControlApi;
  logger: Logger;
  metrics?: Metrics;
}

/** What became of a step: carried out, refused by Meta, or not asked for here (no target app, WhatsApp, no Graph client). */
export type ThreadMoveOutcome = 'moved' | 'failed' | 'skipped';

/**
 * Takes the thread back on Messenger or Instagram when the account's config names the app a handoff
 * passes it to (`handoff.threadControl`); otherwise, and on WhatsApp, nothing happens. Never throws:
 * a refusal from Meta (an app without a role on the Page, an expired token) is logged and counted
 * (`ThreadControlFailed`), and the hand-off is not retried for it.
 */
export const takeThread = (
  deps: ThreadControlDeps,
  contact: ContactRef,
  config: AutomationConfig,
  /** What asked for it (the rule, or `admin`); reaches the other app as the call's metadata. */
  reason: string,
): Promise<ThreadMoveOutcome> =>
  config.handoff.threadControl === undefined ? Promise.resolve('skipped') : callMeta(deps, contact, { action: 'take' }, reason);

/**
 * Passes the thread to `targetAppId` (Messenger / Instagram; nothing on WhatsApp): the sender's, after
 * a handoff's acknowledgement (sender.ts). Never throws, as takeThread.
 */
export const passThread = (deps: ThreadControlDeps, contact: ContactRef, targetAppId: string, reason: string): Promise<ThreadMoveOutcome> =>
  callMeta(deps, contact, { action: 'pass', targetAppId }, reason);

const callMeta = async (
  deps: ThreadControlDeps,
  contact: ContactRef,
  step: { action: 'pass'; targetAppId: string } | { action: 'take' },
  reason: string,
): Promise<ThreadMoveOutcome> => {
  if (contact.channel === 'whatsapp') return 'skipped';
  const where = { channel: contact.channel, action: step.action, reason };
  if (!deps.threadControl) {
    deps.logger.warn('thread control configured but no Graph API client here; not carried out', where);
    return 'skipped';
  }
  const request: ThreadControlRequest = { channel: contact.channel, accountId: contact.accountId, userId: contact.userId, metadata: `afterchat:${reason}`, ...step };
  const result = await deps.threadControl.threadControl(request);
  count(deps, result.ok ? 'ThreadControlMoved' : 'ThreadControlFailed', step.action);
  if (result.ok) {
    deps.logger.info('thread control moved', { ...where, ...(step.action === 'pass' ? { targetAppId: step.targetAppId } : {}) });
    return 'moved';
  }
  deps.logger.error('thread control refused; the handoff stands without it', {
    ...where,
    httpStatus: result.failure.httpStatus,
    code: result.failure.code,
    subcode: result.failure.subcode,
    transport: result.failure.transport,
    message: result.message,
  });
  return 'failed';
};

const count = (deps: ThreadControlDeps, name: string, step: ThreadControlStep): void => {
  if (!deps.metrics) return;
  const metric = deps.metrics.singleMetric();
  metric.addDimension('action', step);
  metric.addMetric(name, MetricUnit.Count, 1);
};
