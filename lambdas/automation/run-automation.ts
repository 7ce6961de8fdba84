import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type AutomationInbound, keywordOptOutOf, planKeyword } from '../domain/automation/keyword-opt-out';
import type { Decision } from '../domain/send/policy-types';
import type { SendIntent } from '../domain/send/send-intent';
import { orderOf } from '../domain/state-writes';
import type { StateStore } from '../ports/state-store';
import { mapLimit } from '../shared/map-limit';

export interface AutomationDeps {
  store: Pick<StateStore, 'getPerson' | 'apply'>;
  /** The admin API's send path (send-requests.ts): an outbox job under the key, then the send queue. */
  sends: { send(intent: SendIntent, idempotencyKey: string): Promise<{ created: boolean; record: { outboxId: string }; decision: Decision }> };
  logger: Logger;
  metrics?: Metrics;
}

/** People of one hand-off worked on at once; one person's events run one after another, in Meta's order. */
const PEOPLE_AT_ONCE = 4;

/**
 * Automation for the inbound events of one webhook body (README "Automation"). At-least-once and
 * idempotent per event: every write is an ordered register, and every send's outbox key derives from
 * the event, so a redelivered hand-off converges and sends nothing twice. A failure throws, and SQS
 * redelivers the whole hand-off.
 */
export const createAutomation = (deps: AutomationDeps) => async (events: readonly AutomationInbound[]): Promise<void> => {
  await mapLimit(byPerson(events), PEOPLE_AT_ONCE, async (own) => {
    for (const event of own) await runKeywords(deps, event);
  });
};

const runKeywords = async (deps: AutomationDeps, event: AutomationInbound): Promise<void> => {
  const person = await deps.store.getPerson(event.contact);
  const plan = planKeyword(event, keywordOptOutOf(person?.state ?? {}));
  if (!plan) return;
  await deps.store.apply([plan.write]);
  deps.metrics?.addMetric(plan.match.action === 'stop' ? 'KeywordStops' : 'KeywordStarts', MetricUnit.Count, 1);
  if (!plan.confirmation) {
    deps.logger.info('keyword recorded; no confirmation', { action: plan.match.action, channel: event.contact.channel, standby: event.standby === true });
    return;
  }
  const { created, record, decision } = await deps.sends.send(plan.confirmation.intent, plan.confirmation.idempotencyKey);
  if (created) deps.metrics?.addMetric('AutomatedSends', MetricUnit.Count, 1);
  deps.logger.info('keyword recorded and confirmed', {
    action: plan.match.action,
    language: plan.match.language,
    via: plan.match.via,
    channel: event.contact.channel,
    outboxId: record.outboxId,
    created,
    outcome: decision.outcome,
    ...(decision.outcome === 'refuse' ? { reason: decision.reason } : {}),
  });
};

const byPerson = (events: readonly AutomationInbound[]): AutomationInbound[][] => {
  const groups = new Map<string, AutomationInbound[]>();
  for (const event of events) {
    const key = `${event.contact.channel}#${event.contact.accountId}#${event.contact.userId}`;
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  const order = (e: AutomationInbound) => orderOf(e.occurredAt, e.eventKey);
  return [...groups.values()].map((own) => own.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)));
};
