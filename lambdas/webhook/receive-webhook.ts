import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '../domain/clock';
import type { WebhookEvent } from '../domain/events';
import { errorJson, header, type HttpResult, rawBody, text } from '../http/responses';
import { normaliseWebhookBody } from '../normalise/webhook-body';
import { automationInbound } from '../domain/automation/hand-off';
import type { AccountRegistry } from '../ports/account-registry';
import type { AutomationQueue } from '../ports/automation-queue';
import type { WebhookSecrets } from '../ports/secrets';
import type { Outbox } from '../ports/outbox';
import type { QuarantineEntry, QuarantineStore } from '../ports/quarantine';
import type { MeasurementCounters } from '../ports/measurement-counters';
import type { LandedStatus, StatusFunnel } from '../ports/status-funnel';
import type { StateStore } from '../ports/state-store';
import type { BusinessBus } from '../ports/business-bus';
import { announceConsent } from '../measurement/announce-consent';
import { funnelOptOut } from '../domain/measurement/funnel-opt-out';
import { statusReports } from '../domain/measurement/status-reports';
import { type EngagementDeps, recordEngagement } from '../measurement/record-engagement';
import { countWebhookGrowth } from './count-growth';
import { countWebhookClicks, type WebhookClickDeps } from '../clicks/count-webhook-clicks';
import { withFailedTemplates } from './failed-templates';
import { applyEach, screenEvents } from './quarantine-items';
import { isRegistered } from './registered-accounts';
import { isValidSignature } from './signature';
import { subscriptionChallenge } from './subscription';

export interface WebhookDeps {
  secrets: WebhookSecrets;
  store: StateStore;
  /** Where items that can't be stored or reasoned about are kept (README "Quarantine"). */
  quarantine: QuarantineStore;
  accounts: AccountRegistry;
  /** Where a failed status finds the template afterchat sent; without it, template failures pause nothing. */
  outbox?: Pick<Outbox, 'get'>;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** Bodies above this many bytes get 413 before any HMAC work (Meta's largest is 3 MB). */
  maxBodyBytes: number;
  /** Events whose writes are in flight at once (default EVENT_CONCURRENCY). */
  eventConcurrency?: number;
  /** Where fresh inbound events go for automation (README "Automation"); absent: automation is off. */
  automation?: AutomationQueue;
  /** Audience-growth counters (README "Audience growth"): opt-ins and opt-outs Meta reports; absent: not counted. */
  growth?: MeasurementCounters;
  /**
   * The business bus, where the stage turns afterchat's own events on (lib/config.ts `eventsOut`):
   * the consent changes Meta reports go on it as `contact.opted_out` / `contact.opted_in`.
   */
  eventsOut?: BusinessBus;
  /** Names (and where there is no stream, counts) the funnel milestones statuses of afterchat's sends make new (README "Funnel"); absent: neither. */
  funnel?: StatusFunnel;
  /** Counts taps on afterchat's buttons and quick replies and Marketing Message link clicks (README "Clicks"); absent: not counted. */
  clicks?: WebhookClickDeps;
  /** Where a WhatsApp marketing opt-out (`user_preferences` stop) is recorded on the message it follows (README "Funnel"); absent: not recorded. */
  engagement?: EngagementDeps;
}

/**
 * Events applied at once. Each writes one to four items, so ~16–64 UpdateItems are in flight: a
 * 1,000-event body (Meta's largest batch) lands in a few hundred ms (`npm run bench:webhook --
 * --max-body`), well inside the 10 s timeout, without a burst that DynamoDB or the SDK's socket
 * pool (50 by default) would queue or throttle.
 */
export const EVENT_CONCURRENCY = 16;

/**
 * `GET /webhooks/meta` answers Meta's subscription handshake; `POST` verifies the signature over the
 * raw bytes, normalises every entry, applies the state writes, and answers 200 only once they are
 * durable: if storage fails Meta gets a 5xx and retries, and the retry converges to the same state.
 * An item that can't be stored or reasoned about is quarantined on its own (README "Quarantine"):
 * Meta's retry couldn't help it, so it never fails the rest of the body.
 */
export const createWebhookHandler =
  (deps: WebhookDeps) =>
  async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    const method = event.requestContext.http.method;
    try {
      if (method === 'GET') return await verifySubscription(deps, event);
      if (method === 'POST') return await receive(deps, event);
    } catch (error) {
      // Secrets could not be read: log the error's kind only, its message may quote a secret.
      deps.logger.error('webhook secrets unavailable; answering 500 so Meta retries', { errorName: (error as Error).name });
      deps.metrics?.addMetric('SecretFailures', MetricUnit.Count, 1);
      return errorJson(500, 'configuration unavailable, retry later');
    }
    return errorJson(405, 'method not allowed');
  };

const verifySubscription = async (deps: WebhookDeps, event: APIGatewayProxyEventV2): Promise<HttpResult> => {
  const challenge = subscriptionChallenge(event.queryStringParameters ?? {}, await deps.secrets.verifyToken());
  if (challenge === undefined) {
    deps.logger.warn('webhook verification refused');
    return text(403, 'Forbidden');
  }
  deps.logger.info('webhook verification accepted');
  return text(200, challenge);
};

const receive = async (deps: WebhookDeps, event: APIGatewayProxyEventV2): Promise<HttpResult> => {
  const { logger, metrics } = deps;
  const body = rawBody(event);
  if (body.length > deps.maxBodyBytes) {
    logger.warn('webhook body too large', { bytes: body.length, limit: deps.maxBodyBytes });
    return errorJson(413, 'payload too large', { limitBytes: deps.maxBodyBytes });
  }
  if (!isValidSignature(body, header(event, 'x-hub-signature-256'), await deps.secrets.appSecrets())) {
    logger.warn('webhook signature refused', { hasSignature: header(event, 'x-hub-signature-256') !== undefined });
    metrics?.addMetric('SignatureRefused', MetricUnit.Count, 1);
    return errorJson(401, 'invalid signature');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return errorJson(400, 'malformed JSON');
  }

  // Our clock's time of receipt: what an event's own time is held to, and what records carry.
  const receivedAt = deps.clock();
  const batch = normaliseWebhookBody(parsed);
  for (const item of batch.skipped) logger.warn('webhook item skipped', { path: item.path, reason: item.reason });
  const screened = screenEvents(batch.events, receivedAt);

  try {
    const unique = uniqueByKey(screened.valid);
    // An event is recorded only after its writes landed, so a known event needs no work at all.
    // Receipts are not recorded (see `isRecorded`): they skip the look-up and go straight to writes.
    const recordable = unique.filter(isRecorded);
    const known = recordable.length > 0 ? await deps.store.knownEvents(recordable.map((e) => e.eventKey)) : new Set<string>();
    const fresh = await withFailedTemplates(deps.outbox, unique.filter((e) => !known.has(e.eventKey)));
    const { applied, refused } = await applyCounted(deps, fresh);
    const toRecord = applied.filter(isRecorded);
    const registered = await registeredCheck(deps, toRecord);
    // Handed off once the writes landed and before the events are recorded: a failed hand-off answers
    // 5xx and Meta's retry finds the events unrecorded, so it hands them off again (automation is
    // idempotent per event); a recorded event is never handed off twice by the webhook.
    const handOff = automationInbound(toRecord, registered);
    if (handOff.length > 0 && deps.automation) {
      try {
        await deps.automation.handOff(handOff);
      } catch (error) {
        // Not a storage failure: its own metric and alarm point at the automation queue, not DynamoDB.
        logger.error('automation hand-off failed; answering 500 so Meta retries', error as Error);
        metrics?.addMetric('AutomationHandOffFailures', MetricUnit.Count, 1);
        return errorJson(500, 'automation hand-off unavailable, retry later');
      }
    }
    // Before the events are recorded: a failure answers 5xx and Meta's retry counts them (once, by event key).
    if (deps.growth) await countWebhookGrowth(deps.growth, deps.accounts, toRecord);
    // Before the events are recorded, like the growth counts: Meta's retry counts what a failure left (a click once per message).
    if (deps.clicks) await countWebhookClicks(deps.clicks, toRecord, receivedAt);
    // Before the events are recorded too: a failed put answers 5xx and Meta's retry puts them again.
    if (deps.eventsOut) await announceConsent(deps.eventsOut, toRecord.filter(registered));
    // Before the events are recorded: a failure answers 5xx and the retry records the opt-out (once per message).
    if (deps.engagement) await recordOptOuts(deps.engagement, toRecord);
    if (toRecord.length > 0) await deps.store.recordEvents(toRecord, { receivedAt, registered });
    const quarantined = [...screened.quarantined, ...refused];
    // Kept before answering 200: a failure here is transient (5xx, Meta retries, the rest converges).
    if (quarantined.length > 0) await deps.quarantine.put(quarantined, receivedAt);
    logQuarantined(logger, quarantined);
    const duplicates = screened.valid.length - fresh.length;
    const unregistered = toRecord.filter((e) => !registered(e));
    if (unregistered.length > 0) {
      logger.warn('events for unregistered accounts stored; automation will not act on them', {
        accounts: [...new Set(unregistered.map(accountLabel))],
        events: unregistered.length,
      });
    }
    logger.info('webhook processed', {
      events: applied.length,
      skipped: batch.skipped.length,
      duplicates,
      quarantined: quarantined.length,
      types: countTypes(applied),
    });
    metrics?.addMetric('EventsReceived', MetricUnit.Count, applied.length);
    metrics?.addMetric('EventsSkipped', MetricUnit.Count, batch.skipped.length);
    metrics?.addMetric('DuplicateEvents', MetricUnit.Count, duplicates);
    metrics?.addMetric('AutomationEventsHandedOff', MetricUnit.Count, deps.automation ? handOff.length : 0);
    // Every answered body emits it (0 included), so an alarm on its sum sees data, not gaps.
    metrics?.addMetric('QuarantinedItems', MetricUnit.Count, quarantined.length);
    return text(200, 'EVENT_RECEIVED');
  } catch (error) {
    // Nothing is acknowledged: Meta retries, and the writes are idempotent.
    logger.error('webhook storage failed; answering 500 so Meta retries', error as Error);
    metrics?.addMetric('StorageFailures', MetricUnit.Count, 1);
    return errorJson(500, 'storage unavailable, retry later');
  }
};

/**
 * The writes, then the funnel's milestones the statuses among them flagged first (ports/status-funnel.ts):
 * the status writes set the flags and return the records they replaced, so naming them reads
 * nothing. In AWS the state table's stream counts them; where this funnel counts them (the local
 * stack), a crash in between loses those counts (README "Funnel").
 */
const applyCounted = async (deps: WebhookDeps, events: WebhookEvent[]): ReturnType<typeof applyEach> => {
  const { funnel } = deps;
  const concurrency = deps.eventConcurrency ?? EVENT_CONCURRENCY;
  if (funnel === undefined) return applyEach(deps.store, events, concurrency);
  const landed: LandedStatus[] = [];
  try {
    return await applyEach(deps.store, events, concurrency, (event, before) => {
      const [report] = statusReports([event]);
      if (report) landed.push({ report, before });
    });
  } finally {
    // Also when other writes failed (5xx): the flags that landed are news only now.
    if (landed.length > 0) await funnel.countStatuses(landed);
  }
};

const recordOptOuts = async (engagement: EngagementDeps, events: readonly WebhookEvent[]): Promise<void> => {
  for (const optOut of events.map(funnelOptOut)) {
    if (optOut !== undefined) await recordEngagement(engagement, optOut.contact, optOut.at, ['opted_out']);
  }
};

/**
 * Which events get an event record (`E#<eventKey>`, 30-day TTL). Every write is an order-guarded
 * register, so a retry converges either way; the record is what tells automation an event is new
 * (and whether its account is registered), and lets a re-delivered body skip its writes.
 *
 * Receipts are not recorded: WhatsApp/Instagram/Messenger statuses (`message_status`, about three
 * per message sent, the bulk of all webhooks) and Messenger delivery/read watermarks. Their writes
 * only move ranked or ordered registers forward, no automation starts from them, and a record would
 * cost a read and a write on every one: a retry of a status just finds its registers already there.
 * Everything else is recorded, inbound messages first of all (automation acts on fresh ones), echoes
 * too (another app or a person in the inbox answered), and events that change nothing but are kept
 * as facts (`noted`).
 */
export const isRecorded = (event: WebhookEvent): boolean => event.type !== 'message_status' && event.type !== 'watermark';

/**
 * One line per body: reasons, event types and field paths, never values (ids, phone numbers).
 * The quarantine id finds the entry (and its item) through `GET /admin/quarantine`.
 */
const MAX_LOGGED_ITEMS = 20;
const logQuarantined = (logger: Logger, entries: readonly QuarantineEntry[]): void => {
  if (entries.length === 0) return;
  logger.warn('webhook items quarantined; the rest of the body was stored', {
    count: entries.length,
    items: entries.slice(0, MAX_LOGGED_ITEMS).map((e) => ({ quarantineId: e.quarantineId, reason: e.reason, type: e.type, paths: e.issues.map((i) => i.path) })),
  });
};

const registeredCheck = async (deps: WebhookDeps, events: readonly WebhookEvent[]) => {
  if (events.length === 0) return () => true;
  const accounts = await deps.accounts.list();
  return (event: WebhookEvent) => isRegistered(accounts, event);
};

const uniqueByKey = (events: readonly WebhookEvent[]): WebhookEvent[] => [
  ...new Map(events.map((e) => [e.eventKey, e])).values(),
];

const accountLabel = (event: WebhookEvent): string => {
  const ref = 'contact' in event && event.contact ? event.contact : 'account' in event ? event.account : undefined;
  return ref ? `${ref.channel}:${ref.accountId}` : 'unknown';
};

const countTypes = (events: readonly WebhookEvent[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
};
