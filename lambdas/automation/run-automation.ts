import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type AutomationInbound, KEYWORD_OPT_OUT_REGISTER } from '../domain/automation/keyword-opt-out';
import type { AutomationSituation, RulePlan } from '../domain/automation/rule';
import { RULES } from '../domain/automation/rules';
import { silencedFor } from '../domain/automation/silence';
import type { Clock } from '../domain/clock';
import type { AccountRef } from '../domain/events';
import type { AfterSend } from '../domain/send/after-send';
import type { Decision } from '../domain/send/policy-types';
import type { SendIntent } from '../domain/send/send-intent';
import { orderOf, type RegisterWrite } from '../domain/state-writes';
import type { AccountRegistry } from '../ports/account-registry';
import type { AutomationConfigStore } from '../ports/automation-config-store';
import type { AutomationUsageStore } from '../ports/automation-usage-store';
import type { BusinessBus } from '../ports/business-bus';
import type { ThreadControlApi } from '../ports/graph-api';
import type { StateStore } from '../ports/state-store';
import type { AutomationConfig } from '../schemas/automation-config';
import { measureInbound } from '../measurement/measure-inbound';
import { type EngagementDeps, recordEngagement } from '../measurement/record-engagement';
import type { MeasurementDeps } from '../measurement/note-conversation';
import { mapLimit } from '../shared/map-limit';
import { recordUsage } from './record-usage';
import { configOrBuiltIn } from './stored-config';
import { takeThread } from './thread-control';

export interface AutomationDeps {
  store: Pick<StateStore, 'getPerson' | 'apply'>;
  configs: Pick<AutomationConfigStore, 'get'>;
  accounts: Pick<AccountRegistry, 'get'>;
  /** The admin API's send path (send-requests.ts): an outbox job under the key, then the send queue. */
  sends: { send(intent: SendIntent, idempotencyKey: string, afterSend?: AfterSend): Promise<{ created: boolean; record: { outboxId: string }; decision: Decision }> };
  /** Where `handoff.requested` and the like go (README "Handoff events"); absent only in tests that need none. */
  bus?: BusinessBus;
  /** Conversation Routing on Messenger / Instagram, when the account's config names a target app. */
  threadControl?: ThreadControlApi;
  /**
   * What automation sent per account and day (`GET /admin/accounts/{channel}/{accountId}/automation/usage`);
   * absent only in tests that need none.
   */
  usage?: Pick<AutomationUsageStore, 'record'>;
  /** Responsiveness and audience growth (README "Responsiveness"); absent only in tests that need none. */
  measurement?: MeasurementDeps;
  /** Replies and STOPs recorded on the campaign message they follow (README "Funnel"); absent: not recorded. */
  funnel?: EngagementDeps;
  clock: Clock;
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
  const settings = new Map<string, Promise<AccountSettings | undefined>>();
  const settingsOf = (account: AccountRef) => {
    const id = `${account.channel}#${account.accountId}`;
    if (!settings.has(id)) settings.set(id, loadSettings(deps, account));
    return settings.get(id)!;
  };
  await mapLimit(byPerson(events), PEOPLE_AT_ONCE, async (own) => {
    for (const event of own) await runRules(deps, event, await settingsOf(event.contact));
  });
};

interface AccountSettings {
  config: AutomationConfig;
  timeZone: string;
}

const loadSettings = async (deps: AutomationDeps, account: AccountRef): Promise<AccountSettings | undefined> => {
  const [registered, config] = await Promise.all([deps.accounts.get(account), configOrBuiltIn(deps, account, () => deps.configs.get(account))]);
  // The webhook hands off registered accounts' events only; one removed since is left alone.
  if (!registered) return undefined;
  return { config, timeZone: registered.timezone };
};

const runRules = async (deps: AutomationDeps, inbound: AutomationInbound, settings: AccountSettings | undefined): Promise<void> => {
  if (!settings) {
    deps.logger.warn('automation skipped an event of an account no longer registered', { channel: inbound.contact.channel });
    return;
  }
  // Consistent: a person's next event in the same hand-off must see what this one's rules wrote.
  const person = await deps.store.getPerson(inbound.contact, { consistent: true });
  const state = person?.state ?? {};
  const plans: RulePlan[] = [];
  let handled = false;
  const now = deps.clock();
  const base = {
    inbound,
    state,
    config: settings.config,
    accountTimeZone: settings.timeZone,
    now,
    silenced: silencedFor(state, inbound.contact.channel, inbound, now),
  } satisfies Omit<AutomationSituation, 'handled'>;
  for (const rule of RULES) {
    const plan = rule({ ...base, handled });
    if (!plan) continue;
    plans.push(plan);
    handled ||= plan.handled;
  }
  const writes = plans.flatMap((p) => p.writes);
  if (writes.length > 0) await deps.store.apply(writes);
  if (deps.measurement) await measureInbound(deps.measurement, inbound, { state, writes }, settings.timeZone);
  if (deps.funnel && inbound.kind !== 'echo') await recordEngagement(deps.funnel, inbound.contact, inbound.occurredAt, engagementOf(writes));
  for (const plan of plans) {
    await carryOut(deps, inbound, plan, settings.timeZone);
    await tellOutside(deps, inbound, plan, settings.config);
  }
};

/** A person's message is a reply; a keyword that stops marketing is an opt-out too. */
const engagementOf = (writes: readonly RegisterWrite[]): ('replied' | 'opted_out')[] =>
  writes.some((w) => w.register === KEYWORD_OPT_OUT_REGISTER && w.fields.keywordOptOut === true) ? ['replied', 'opted_out'] : ['replied'];

const carryOut = async (deps: AutomationDeps, inbound: AutomationInbound, plan: RulePlan, timeZone: string): Promise<void> => {
  // A plan that only keeps a register (the greeting notes every message) is not the rule firing.
  if (plan.send || plan.handled) countPerRule(deps, 'AutomationRuleFired', plan);
  if (!plan.send) {
    if (plan.handled) deps.logger.info('automation recorded; nothing to send', { rule: plan.rule, channel: inbound.contact.channel });
    return;
  }
  const { created, record, decision } = await deps.sends.send(plan.send.intent, plan.send.idempotencyKey, plan.send.afterSend);
  if (created) countPerRule(deps, 'AutomatedSends', plan);
  if (deps.usage) {
    await recordUsage(deps.usage, { rule: plan.rule, intent: plan.send.intent, outboxId: record.outboxId, decision, causedAt: inbound.occurredAt, timeZone });
  }
  deps.logger.info('automation answered', {
    rule: plan.rule,
    channel: inbound.contact.channel,
    outboxId: record.outboxId,
    created,
    outcome: decision.outcome,
    ...(decision.outcome === 'refuse' ? { reason: decision.reason } : {}),
  });
};

/**
 * After the writes and the send: the plan's events go on the business bus (a failure throws, and the
 * redelivered hand-off puts them again: at least once, so a consumer dedupes on the detail's ids),
 * then a take brings the thread back, which never throws (thread-control.ts). A handoff's pass is the
 * sender's, after its acknowledgement (the job's `afterSend`).
 */
const tellOutside = async (deps: AutomationDeps, inbound: AutomationInbound, plan: RulePlan, config: AutomationConfig): Promise<void> => {
  const events = plan.busEvents ?? [];
  if (events.length > 0) {
    if (deps.bus) await deps.bus.put(events);
    else deps.logger.warn('no business bus here; events not put', { rule: plan.rule, detailTypes: events.map((e) => e.detailType) });
  }
  if (plan.threadControl === 'take') await takeThread(deps, inbound.contact, config, plan.rule);
};

/** Powertools metrics per rule: one metric name, the rule as its dimension. */
const countPerRule = (deps: AutomationDeps, name: string, plan: RulePlan): void => {
  if (!deps.metrics) return;
  const metric = deps.metrics.singleMetric();
  metric.addDimension('rule', plan.rule);
  metric.addMetric(name, MetricUnit.Count, 1);
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
