import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { optInRequestSend } from '../domain/automation/opt-in-request';
import { silencedFor } from '../domain/automation/silence';
import { businessEventSendKey } from '../domain/campaign/business-event-key';
import type { Clock } from '../domain/clock';
import type { ContactRef } from '../domain/events';
import type { Decision } from '../domain/send/policy-types';
import type { SendIntent } from '../domain/send/send-intent';
import type { AccountRegistry } from '../ports/account-registry';
import type { AutomationConfigStore } from '../ports/automation-config-store';
import type { AutomationUsageStore } from '../ports/automation-usage-store';
import type { StateStore } from '../ports/state-store';
import type { BusinessEvent } from '../schemas/business-event';
import { recordUsage } from './record-usage';
import { configOrBuiltIn } from './stored-config';

export interface OptInAfterEventDeps {
  configs: Pick<AutomationConfigStore, 'get'>;
  store: Pick<StateStore, 'getPerson'>;
  sends: { send(intent: SendIntent, idempotencyKey: string): Promise<{ created: boolean; record: { outboxId: string; createdAt: number }; decision: Decision }> };
  /** Counts the request in the account's automation usage (record-usage.ts), on its local day; the registry gives the zone. */
  usage?: { store: Pick<AutomationUsageStore, 'record'>; accounts: Pick<AccountRegistry, 'get'> };
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * The opt-in request after a business event (e.g. `order.shipped`), for a Messenger or Instagram
 * account whose automation lists that detail-type in `optInRequest.messenger.afterEvents`. The
 * business bus already routes every event to the dispatcher, which sends the event's template and
 * then asks here: no second rule or queue. Keyed `automation#opt_in_request#<the event's send key>`,
 * so a redelivered event finds its job; the policy engine refuses it outside the window or too soon,
 * as it would the same request after a keyword.
 */
export const createOptInAfterEvent =
  (deps: OptInAfterEventDeps) =>
  async (event: BusinessEvent): Promise<{ outboxId: string; created: boolean; decision: Decision } | undefined> => {
    const { detail } = event;
    if (detail.channel === 'whatsapp') return undefined;
    const contact: ContactRef = { channel: detail.channel, accountId: detail.accountId, userId: detail.userId };
    // A stored configuration the schema no longer reads runs the built-in one, which asks nothing: the
    // event's own send already went out, and failing the event would only retry it into the DLQ.
    const messenger = (await configOrBuiltIn(deps, contact, () => deps.configs.get(contact))).optInRequest?.messenger;
    if (!messenger?.enabled || !messenger.afterEvents.includes(event['detail-type'])) return undefined;
    const person = await deps.store.getPerson(contact);
    // A human (a live handoff) or another app holds the conversation: asking for a subscription there is theirs to do.
    if (silencedFor(person?.state ?? {}, contact.channel, {}, deps.clock())) {
      deps.logger.info('opt-in request after a business event skipped: someone else holds the conversation', { detailType: event['detail-type'] });
      return undefined;
    }
    const { intent, idempotencyKey } = optInRequestSend(contact, messenger, businessEventSendKey(event));
    const { created, record, decision } = await deps.sends.send(intent, idempotencyKey);
    // As run-automation counts every rule: fired once per event, sent once per job.
    for (const name of created ? ['AutomationRuleFired', 'AutomatedSends'] : ['AutomationRuleFired']) {
      const metric = deps.metrics?.singleMetric();
      metric?.addDimension('rule', 'opt_in_request');
      metric?.addMetric(name, MetricUnit.Count, 1);
    }
    const account = deps.usage && (await deps.usage.accounts.get(contact));
    if (deps.usage && account) {
      // The job's day, not the event's: a business that puts the same event again (same idempotency key,
      // new envelope time) the next day finds the same job, and counting it under that day would count it twice.
      await recordUsage(deps.usage.store, { rule: 'opt_in_request', intent, outboxId: record.outboxId, decision, causedAt: record.createdAt, timeZone: account.timezone });
    }
    deps.logger.info('opt-in request after a business event', {
      detailType: event['detail-type'],
      outboxId: record.outboxId,
      created,
      outcome: decision.outcome,
      ...(decision.outcome === 'refuse' ? { reason: decision.reason } : {}),
    });
    return { outboxId: record.outboxId, created, decision };
  };
