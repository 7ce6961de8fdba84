/**
 * The phases of `npm run bench:scale`, each driving the real handlers in virtual time (world.ts)
 * and returning what it measured. bench-scale.ts models 1M from these and prices them.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbContactProfiles } from '../../lambdas/adapters/dynamodb/contact-profiles';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbSendLimiter } from '../../lambdas/adapters/dynamodb/send-limiter';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { contactPk, derivedIndexFields, STATE_SK } from '../../lambdas/adapters/dynamodb/keys';
import { shardOf } from '../../lambdas/adapters/dynamodb/shards';
import { GraphApiClient } from '../../lambdas/adapters/meta/graph-api-client';
import { StaticAccessTokens } from '../../lambdas/adapters/secrets/access-tokens';
import { SqsSendQueue } from '../../lambdas/adapters/sqs/send-queue';
import { DEFAULT_TUNING } from '../../lambdas/campaign/dispatcher-deps';
import { outboxIdOfCallback } from '../../lambdas/domain/send/callback-data';
import { WHATSAPP_DEFAULT_THROUGHPUT } from '../../lambdas/domain/send/send-limits';
import { startMetaSimulator } from '../../lambdas/local/meta-simulator';
import type { Occurrence, OccurrenceCounts } from '../../lambdas/ports/occurrence-store';
import { type Campaign, CampaignSchema } from '../../lambdas/schemas/campaign';
import { createSender, type JobOutcome } from '../../lambdas/send/sender';
import { SharedPacer } from '../../lambdas/send/shared-pacer';
import { createSqsSenderHandler } from '../../lambdas/send/sqs-sender-handler';
import { statusBody, type SentMessage } from '../../test/helpers/whatsapp-status';
import { type CpuSplit, startCpuProfile } from './cpu-profile';
import { LambdaInstance, type PhaseCounts, type RawItem } from './meter';
import { type Invocation, lambdaContext, logger, startEventSource, TABLE, type World } from './world';

const asError = (failure: unknown): Error => (failure instanceof Error ? failure : new Error(JSON.stringify(failure)));

export const NUMBER = { phoneNumberId: '109876543210987', wabaId: '102290129340398', display: '15550783881' };
/** A second number (same WABA) for the local-time day: its own audience. */
export const DAY_NUMBER = { phoneNumberId: '109876543210988', wabaId: '102290129340398', display: '15550783882' };
const TOKENS = { [NUMBER.phoneNumberId]: 'bench-token', [DAY_NUMBER.phoneNumberId]: 'bench-token' };
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const QUARTER_MS = 15 * MINUTE_MS;

/** Contact i of a number: a German mobile number and a BSUID, as Meta sends both (2026). */
export const waIdOf = (number: { phoneNumberId: string }, i: number): string => `49${number.phoneNumberId.slice(-1) === '7' ? '17' : '16'}${String(i).padStart(9, '0')}`;
const bsuidOf = (waId: string): string => `DE.${String(9e15 + Number(waId.slice(-9)))}${waId.slice(2, 4)}`;

const metadata = (number: typeof NUMBER) => ({ display_phone_number: number.display, phone_number_id: number.phoneNumberId });
const delivery = (number: typeof NUMBER, value: object, field = 'messages') => ({
  object: 'whatsapp_business_account',
  entry: [{ id: number.wabaId, time: 1779000000, changes: [{ field, value }] }],
});

/** `writers` each send a text at `atMs` (one body: Meta batches under load; one each: a burst). */
export const inboundBody = (number: typeof NUMBER, waIds: readonly string[], atMs: number, tag: string, bsuid: boolean) =>
  delivery(number, {
    messaging_product: 'whatsapp',
    metadata: metadata(number),
    contacts: waIds.map((waId) => ({ profile: { name: `Contact ${waId.slice(-5)}` }, wa_id: waId, ...(bsuid ? { user_id: bsuidOf(waId) } : {}) })),
    messages: waIds.map((waId) => ({
      from: waId,
      ...(bsuid ? { from_user_id: bsuidOf(waId) } : {}),
      id: `wamid.${tag}.${waId}.${atMs}`,
      timestamp: String(Math.floor(atMs / 1000)),
      type: 'text',
      text: { body: 'Hallo!' },
    })),
  });

/** The account, its marketing template, and a messaging-limit tier high enough for the sends measured. */
export const registerNumber = async (world: World, number: typeof NUMBER, timezone: string): Promise<void> => {
  const accounts = new DynamoDbAccountRegistry(world.plain, TABLE, world.time.clock);
  await accounts.put({ channel: 'whatsapp', accountId: number.phoneNumberId, displayName: 'Bench Shop', tokenSecret: 'bench/token', timezone, wabaId: number.wabaId });
  const handler = world.webhook();
  const statuses = [
    await world.post(
      handler,
      delivery(
        number,
        {
          event: 'APPROVED',
          message_template_id: 1689556908129902,
          message_template_name: 'weekly_deals',
          message_template_language: 'de',
          reason: null,
          message_template_category: 'MARKETING',
        },
        'message_template_status_update',
      ),
    ),
    await world.post(handler, delivery(number, { display_phone_number: number.display, event: 'ONBOARDING', max_daily_conversations_per_business: 'TIER_UNLIMITED' }, 'phone_number_quality_update')),
  ];
  if (statuses.some((s) => s !== 200)) throw new Error(`registering ${number.phoneNumberId}: webhooks answered ${statuses.join(', ')}`);
};

/**
 * `count` people of `number` (indexes `from`…), stored exactly as the current code stores them, fast:
 * the first writes in through the webhook handler (and, with `zoneOf`, gets a profile through the
 * profile adapter); every other one is a copy of its items with the ids replaced and the index
 * attributes derived by keys.ts's `derivedIndexFields` (what the backfill converges every item to),
 * put 25 a request. Set-up, not measured. They wrote 3 days before `now`: a campaign reaches them
 * with a template. With `bsuid`, Meta named them by wa_id and BSUID (its 2026 webhooks carry both),
 * so each is stored twice: the wa_id record and the BSUID record linked to it.
 */
export const seedContacts = async (
  world: World,
  number: typeof NUMBER,
  count: number,
  options: { from?: number; bsuid: boolean; zoneOf?: (i: number) => string | undefined },
): Promise<void> => {
  const from = options.from ?? 0;
  const first = waIdOf(number, from);
  const wroteAt = world.time.now - 3 * DAY_MS;
  const status = await world.post(world.webhook(), inboundBody(number, [first], wroteAt, 'seed', options.bsuid));
  if (status !== 200) throw new Error(`seeding: the webhook answered ${status}`);
  const contact = { channel: 'whatsapp' as const, accountId: number.phoneNumberId, userId: first };
  if (options.zoneOf) await new DynamoDbContactProfiles(world.plain, TABLE).put(contact, { tags: [], attributes: { firstName: 'Alex' }, timeZone: 'Europe/Berlin' }, world.time.now);
  const templates: Record<string, unknown>[] = [];
  for (const userId of options.bsuid ? [first, bsuidOf(first)] : [first]) {
    const { Item } = await world.plain.send(new GetCommand({ TableName: TABLE, Key: { pk: contactPk({ ...contact, userId }), sk: STATE_SK }, ConsistentRead: true }));
    if (!Item) throw new Error(`seeding: the webhook stored no contact record ${userId}`);
    templates.push(Item);
  }
  const items: Record<string, unknown>[] = [];
  for (let i = from + 1; i < from + count; i += 1) {
    const waId = waIdOf(number, i);
    for (const template of templates) {
      const item = replaceIds(template, [
        [first, waId],
        [bsuidOf(first), bsuidOf(waId)],
      ]);
      if (options.zoneOf && item.userId === waId) {
        const zone = options.zoneOf(i);
        if (zone === undefined) delete item.timeZone;
        else item.timeZone = zone;
      }
      const derived = derivedIndexFields(item, { staleClaimMs: 120_000 });
      for (const attribute of derived.owned) {
        const value = derived.fields[attribute];
        if (value === undefined) delete item[attribute];
        else item[attribute] = value;
      }
      items.push(item);
    }
  }
  let next = 0;
  const writer = async () => {
    while (next < items.length) {
      const batch = items.slice(next, next + 25);
      next += 25;
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const result = await world.plain.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
        pending = (result.UnprocessedItems?.[TABLE] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, writer));
};

const replaceIds = (value: Record<string, unknown>, pairs: readonly [string, string][]): Record<string, unknown> => {
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') return pairs.reduce((text, [a, b]) => text.split(a).join(b), v);
    if (Array.isArray(v)) return v.map(swap);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return swap(value) as Record<string, unknown>;
};

export interface Profiled<T> {
  result: T;
  counts: PhaseCounts;
  /** The profiler's split of the phase's samples, scaled to the process's CPU time (user + system). */
  cpu: CpuSplit & { processMs: number };
  realSeconds: number;
}

/** Runs `phase` with latency on, its own counts and a CPU profile. */
export const measured = async <T>(world: World, phase: () => Promise<T>): Promise<Profiled<T>> => {
  world.meter.startPhase();
  world.meter.latencyOn = true;
  const profile = await startCpuProfile();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    const result = await phase();
    const realSeconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpuBefore);
    const processMs = (used.user + used.system) / 1000;
    // The profiler's samples are wall time (on a busy machine, partly time the thread waited for a
    // core): their shares apply to the CPU time the process really got.
    const split = await profile.stop();
    const sampled = split.appMs + split.emulatorMs + split.harnessMs;
    const scale = sampled > 0 ? processMs / sampled : 0;
    const cpu = { appMs: split.appMs * scale, emulatorMs: split.emulatorMs * scale, harnessMs: split.harnessMs * scale, idleMs: split.idleMs, processMs };
    return { result, counts: world.meter.startPhase(), cpu, realSeconds };
  } finally {
    world.meter.latencyOn = false;
  }
};

// ---------------------------------------------------------------------------------------------
// Inbound webhooks

export interface WebhookRun {
  webhooks: number;
  /** Virtual ms from request to answer, per webhook (DynamoDB latencies; the handler's CPU not included). */
  latencyMs: number[];
  arrivalsPerSecond: number;
}

/**
 * Single-message webhooks arriving at `perSecond` (an open arrival process in virtual time), each
 * its own invocation of the handler: new contacts (`from` onwards, none stored yet) or contacts
 * already stored.
 */
export const inboundBurst = async (world: World, number: typeof NUMBER, waIds: readonly string[], perSecond: number, bsuid: boolean): Promise<WebhookRun> => {
  const handler = world.webhook();
  const latencyMs: number[] = [];
  let done = 0;
  let failure: unknown;
  waIds.forEach((waId, i) => {
    void (async () => {
      await world.time.sleep((i * 1000) / perSecond);
      const start = world.time.now;
      const status = await world.post(handler, inboundBody(number, [waId], start, 'burst', bsuid));
      if (status !== 200) throw new Error(`inbound webhook answered ${status}`);
      latencyMs.push(world.time.now - start);
      done += 1;
    })().catch((error: unknown) => (failure ??= error));
  });
  await world.runUntil(() => failure !== undefined || done === waIds.length, 3_600_000, 'inbound webhooks');
  if (failure !== undefined) throw asError(failure);
  return { webhooks: waIds.length, latencyMs, arrivalsPerSecond: perSecond };
};

// ---------------------------------------------------------------------------------------------
// Campaign dispatch

export const campaignOf = (p: { id: string; number: typeof NUMBER; schedule: Campaign['schedule']; frequencyCap?: Campaign['frequencyCap'] }): Campaign =>
  CampaignSchema.parse({
    id: p.id,
    name: `bench:scale ${p.id}`,
    accounts: [{ channel: 'whatsapp', accountId: p.number.phoneNumberId }],
    audience: {},
    content: { type: 'template', name: 'weekly_deals', language: 'de', parameters: [{ name: 'first_name', fromAttribute: 'firstName', value: 'du' }] },
    kind: 'marketing',
    schedule: p.schedule,
    // A frequency cap: every contact costs a ledger reservation. A recipient cap far above the
    // audience: every page reserves its share on the occurrence, as a capped campaign does.
    frequencyCap: p.frequencyCap ?? { max: 2, perHours: 48 },
    caps: { maxRecipients: 50_000_000 },
    status: 'scheduled',
  });

export interface DispatchRun {
  /** Virtual ms from the firing to the last segment done. */
  makespanMs: number;
  /** Virtual ms from the firing until the last segment's worker started. */
  fanOutMs: number;
  segments: { segment: number; startMs: number; endMs: number; audience: number; enqueued: number }[];
  counts: OccurrenceCounts;
  invocations: Invocation[];
  /** Continuations queued with a delay (a check on a busy lease): none in a clean run. */
  delayedContinuations: number;
  status: string;
}

/** One firing, as the rule's target gets it, and Lambda's event source on the dispatch queue, until every segment is done. */
export const fireCampaign = async (world: World, campaign: Campaign, firingAtMs: number): Promise<DispatchRun> => {
  const { time } = world;
  if (time.now < firingAtMs) await advanceTo(world, firingAtMs);
  const firingStart = time.now;
  const invocations: Invocation[] = [];
  const segmentStarts = new Map<number, number>();
  let firingDone = false;
  let failure: unknown;
  const continuationsBefore = world.meter.phase.sqsRequests['SendMessage (dispatch)'] ?? 0;
  const source = startEventSource(world, {
    queueUrl: world.queues.dispatchQueueUrl,
    queueArn: world.queues.dispatchQueueArn,
    // Lambda scales its pollers to the backlog; the dispatch queue's event source has no maxConcurrency.
    pollers: DEFAULT_TUNING.segments + 2,
    batchSize: 1,
    timeoutMs: 300_000,
    idleMs: 100,
    handler: () => {
      const handler = world.dispatcherHandler();
      return async (event, context) => {
        const body = JSON.parse(event.Records[0]?.body ?? '{}') as { segment?: number };
        if (body.segment !== undefined && !segmentStarts.has(body.segment)) segmentStarts.set(body.segment, time.now);
        return handler(event, context);
      };
    },
    onInvocation: (i) => {
      invocations.push(i);
      if (i.failed > 0) failure ??= new Error(`a dispatcher invocation reported ${i.failed} failed record(s)`);
    },
  });
  const firing = world.dispatcherHandler();
  void (async () => {
    const start = time.now;
    try {
      const input = { campaignId: campaign.id, firingAt: new Date(firingAtMs).toISOString() };
      const outcome = await world.meter.instances.run(new LambdaInstance(time), () => firing(input, lambdaContext(time, 300_000)));
      invocations.push({ start, end: time.now, body: JSON.stringify(outcome) });
    } catch (error) {
      failure = error;
    }
    firingDone = true;
  })();
  const sentContinuations = () => (world.meter.phase.sqsRequests['SendMessage (dispatch)'] ?? 0) - continuationsBefore;
  await world.runUntil(
    () => (failure ??= source.failure) !== undefined || (firingDone && source.running === 0 && source.handled >= sentContinuations()),
    3_600_000,
    `the firing of ${campaign.id}`,
  );
  source.stop();
  if (failure !== undefined) throw asError(failure);

  const occurrences = new DynamoDbOccurrenceStore(world.plain, TABLE);
  const [occurrence] = await occurrences.list(campaign.id, 5);
  if (!occurrence) throw new Error(`the firing of ${campaign.id} left no occurrence`);
  const end = Math.max(...invocations.map((i) => i.end));
  const segments = segmentsOf(occurrence, firingStart, segmentStarts, invocations);
  return {
    makespanMs: end - firingStart,
    fanOutMs: Math.max(0, ...[...segmentStarts.values()].map((s) => s - firingStart)),
    segments,
    counts: occurrence.counts,
    invocations,
    delayedContinuations: sentContinuations() - source.handled,
    status: occurrence.status,
  };
};

const segmentsOf = (occurrence: Occurrence, firingStart: number, starts: Map<number, number>, invocations: Invocation[]): DispatchRun['segments'] => {
  const last = Math.max(...invocations.map((i) => i.end));
  return (occurrence.segments ?? []).map((s) => ({
    segment: s.segment,
    // Segment 0 runs in the firing's own invocation, after the fan-out.
    startMs: (starts.get(s.segment) ?? firingStart) - firingStart,
    endMs: (s.finishedAt ?? last) - firingStart,
    audience: s.counts.audience,
    enqueued: s.counts.enqueued,
  }));
};

/** Lets virtual time pass (nothing else runs meanwhile). */
export const advanceTo = async (world: World, at: number): Promise<void> => {
  let reached = false;
  void world.time.sleep(Math.max(0, at - world.time.now)).then(() => (reached = true));
  await world.runUntil(() => reached, Math.max(0, at - world.time.now) + 1000, 'waiting');
};

/** The segment each contact's index entry is read in: its write shard, mod the segments. */
export const shardSpread = (userIds: readonly string[], segments: number): number[] => {
  const per = new Array<number>(segments).fill(0);
  for (const id of userIds) per[shardOf(id) % segments] = (per[shardOf(id) % segments] ?? 0) + 1;
  return per;
};

// ---------------------------------------------------------------------------------------------
// Local time: a day of firings over contacts spread over zones

/** Zones for the day's audience: every whole-hour offset and a few half/three-quarter ones. */
export const DAY_ZONES = [
  'Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York',
  'America/Sao_Paulo', 'Atlantic/Azores', 'Europe/London', 'Europe/Berlin', 'Europe/Athens', 'Europe/Moscow', 'Asia/Dubai',
  'Asia/Karachi', 'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Dhaka', 'Asia/Bangkok', 'Asia/Shanghai', 'Asia/Tokyo',
  'Australia/Adelaide', 'Australia/Sydney', 'Pacific/Auckland', 'America/St_Johns',
];

export interface DayRun {
  firings: number;
  enqueued: number;
  notDue: number;
  skipped: Record<string, number>;
}

/** 96 quarter-hour firings of a local-time campaign, one after the other, a day from `dayStart`. */
export const localTimeDay = async (world: World, campaign: Campaign, dayStart: number): Promise<DayRun> => {
  const run: DayRun = { firings: 0, enqueued: 0, notDue: 0, skipped: {} };
  for (let k = 0; k < 96; k += 1) {
    const firing = await fireCampaign(world, campaign, dayStart + k * QUARTER_MS);
    run.firings += 1;
    run.enqueued += firing.counts.enqueued;
    run.notDue += firing.counts.notDue;
    for (const [reason, n] of Object.entries(firing.counts.skipped)) run.skipped[reason] = (run.skipped[reason] ?? 0) + n;
  }
  return run;
};

// ---------------------------------------------------------------------------------------------
// Sending, and the statuses that follow

export interface SendRun {
  jobs: number;
  outcomes: Record<string, number>;
  invocations: (Invocation & { messages: number })[];
  /** Accepted by the simulator: wamid, recipient, outbox id. */
  sent: SentMessage[];
  refusals: Record<string, number>;
  virtualSeconds: number;
  ratePerSecond: number;
}

/** The jobs as the dispatcher left them, queued again by the bench itself (not counted, no latency). */
export const requeueJobs = async (world: World, outboxIds: readonly string[]): Promise<void> => {
  await world.freshSendQueue();
  for (let i = 0; i < outboxIds.length; i += 10) {
    const input = { QueueUrl: world.send.url, Entries: outboxIds.slice(i, i + 10).map((outboxId, n) => ({ Id: String(n), MessageBody: JSON.stringify({ outboxId }) })) };
    world.meter.uncounted.add(input);
    await world.sqs.send(new SendMessageBatchCommand(input));
  }
};

/**
 * The sender Lambda (batches of 10, `maxConcurrency` instances as the prod stage's event source)
 * over `outboxIds` — jobs a dispatch created — against the Meta simulator, paced by the shared
 * limiter in the table at the account's rate (WhatsApp's default, 80 msg/s).
 */
export const sendJobs = async (world: World, outboxIds: readonly string[], maxConcurrency: number): Promise<SendRun> => {
  const { time } = world;
  const simulator = await startMetaSimulator({ appSecret: 'bench-scale', tokens: TOKENS, clock: time.clock, throughputPerSecond: WHATSAPP_DEFAULT_THROUGHPUT, statuses: [] });
  try {
    simulator.setTemplate({ wabaOrPageId: NUMBER.wabaId, accountId: NUMBER.phoneNumberId, name: 'weekly_deals', language: 'de', status: 'APPROVED', category: 'MARKETING' });
    const outcomes: Record<string, number> = {};
    const terminal = new Set<JobOutcome>(['sent', 'failed', 'skipped', 'unknown', 'already_done', 'missing']);
    const pending = new Set(outboxIds);
    const refusals: Record<string, number> = {};
    const graphClient = new GraphApiClient({ baseUrl: simulator.url, version: 'v25.0', tokens: new StaticAccessTokens(TOKENS), timeoutMs: 60_000 });
    const graph = world.meter.graph({
      send: async (request) => {
        const result = await graphClient.send(request);
        if (!result.ok) refusals[String(result.failure.code ?? 'other')] = (refusals[String(result.failure.code ?? 'other')] ?? 0) + 1;
        return result;
      },
    });
    const instance = () => {
      const client = world.client;
      const accounts = new DynamoDbAccountRegistry(client, TABLE, time.clock);
      const processJob = createSender({
        outbox: new DynamoDbOutbox(client, TABLE),
        store: new DynamoDbStateStore(client, { tableName: TABLE }),
        accounts,
        graph,
        pacer: new SharedPacer({
          limiter: new DynamoDbSendLimiter(client, TABLE),
          clock: time.clock,
          sleep: time.sleep,
          defaultRates: { whatsapp: WHATSAPP_DEFAULT_THROUGHPUT, messenger: 40, instagram: 40 },
        }),
        queue: new SqsSendQueue(world.sqs, world.send.url),
        clock: time.clock,
        logger,
      });
      const counted = async (outboxId: string): Promise<JobOutcome> => {
        const outcome = await processJob(outboxId);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (terminal.has(outcome)) pending.delete(outboxId);
        return outcome;
      };
      return createSqsSenderHandler(counted, logger);
    };
    const invocations: SendRun['invocations'] = [];
    const start = time.now;
    const source = startEventSource(world, {
      queueUrl: world.send.url,
      queueArn: world.send.arn,
      pollers: maxConcurrency,
      batchSize: 10,
      timeoutMs: 30_000,
      idleMs: 100,
      handler: instance,
      onInvocation: (i) => invocations.push(i),
    });
    await world.runUntil(() => source.failure !== undefined || pending.size === 0, 7_200_000, 'sending');
    if (source.failure !== undefined) throw asError(source.failure);
    const end = time.now;
    source.stop();
    const sent: SentMessage[] = simulator.accepted().map((m) => ({
      phoneNumberId: m.accountId,
      wabaId: NUMBER.wabaId,
      waId: m.recipient,
      bsuid: bsuidOf(m.recipient),
      wamid: m.id,
      outboxId: outboxIdOfCallback(m.callbackData) ?? '',
      callbackData: m.callbackData,
      sentAt: Math.floor(m.at / 1000),
    }));
    const accepted = simulator.accepted().map((m) => m.at);
    const span = accepted.length > 1 ? (Math.max(...accepted) - Math.min(...accepted)) / 1000 : 0;
    return { jobs: outboxIds.length, outcomes, invocations, sent, refusals, virtualSeconds: (end - start) / 1000, ratePerSecond: span > 0 ? (accepted.length - 1) / span : 0 };
  } finally {
    await simulator.close();
  }
};

export interface StatusRun {
  webhooks: Record<'sent' | 'delivered' | 'read', { count: number; latencyMs: number[] }>;
}

/** Meta's `sent`, `delivered` (with pricing) and `read` for each message, in that order, one status a body, each its own invocation. */
export const statusWebhooks = async (world: World, messages: readonly SentMessage[], concurrency: number): Promise<StatusRun> => {
  const handler = world.webhook();
  const run: StatusRun = { webhooks: { sent: { count: 0, latencyMs: [] }, delivered: { count: 0, latencyMs: [] }, read: { count: 0, latencyMs: [] } } };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < messages.length) {
      const message = messages[next++] as SentMessage;
      for (const status of ['sent', 'delivered', 'read'] as const) {
        const start = world.time.now;
        const code = await world.post(handler, statusBody(message, status));
        if (code !== 200) throw new Error(`status webhook answered ${code}`);
        run.webhooks[status].count += 1;
        run.webhooks[status].latencyMs.push(world.time.now - start);
      }
      done += 1;
    }
  };
  let failure: unknown;
  void Promise.all(Array.from({ length: concurrency }, worker)).catch((error: unknown) => (failure ??= error));
  await world.runUntil(() => failure !== undefined || done === messages.length, 3_600_000, 'status webhooks');
  if (failure !== undefined) throw asError(failure);
  return run;
};

// ---------------------------------------------------------------------------------------------
// The state table's stream

/** An item write as the table's stream carries it (NEW_AND_OLD_IMAGES), in the order dynalite made them. */
export interface StreamWrite {
  pk: string;
  record: { eventName: 'MODIFY'; dynamodb: { SequenceNumber: string; OldImage: RawItem; NewImage: RawItem } };
}

/** The flags a status write sets on a send's outbox record (state-changes.ts `outboxReport`). */
const STATUS_FLAGS = ['fm_delivered', 'fm_read', 'fm_failed'];

/**
 * The event source's filter (lib/constructs/funnel-stream.ts): an update of an outbox record a send
 * created that sets a status flag it didn't hold.
 */
export const passesFunnelFilter = ({ pk, record }: StreamWrite): boolean => {
  const { OldImage, NewImage } = record.dynamodb;
  return pk.startsWith('O#') && OldImage.idempotencyKey?.S !== undefined && STATUS_FLAGS.some((flag) => NewImage[flag] !== undefined && OldImage[flag] === undefined);
};

/** Records the table's writes while `phase` runs, as its stream would: updates only (old and new image). */
export const tappingStream = async <T>(world: World, phase: () => Promise<T>): Promise<{ result: T; writes: StreamWrite[] }> => {
  const writes: StreamWrite[] = [];
  world.meter.streamTap = (before, after) => {
    const pk = after?.pk?.S;
    if (before === undefined || after === undefined || pk === undefined) return;
    writes.push({ pk, record: { eventName: 'MODIFY', dynamodb: { SequenceNumber: String(writes.length + 1).padStart(21, '0'), OldImage: before, NewImage: after } } });
  };
  try {
    return { result: await phase(), writes };
  } finally {
    world.meter.streamTap = undefined;
  }
};

export interface StreamRun {
  shards: number;
  batchSize: number;
  records: number;
  /** Per invocation: its records and its virtual ms (DynamoDB latencies; the handler's CPU not included). */
  invocations: { records: number; ms: number }[];
}

/**
 * The funnel's stream consumer over `writes`: spread over `shards` stream shards by partition key
 * (as DynamoDB spreads a table's writes), each shard's records in order in batches of `batchSize`,
 * one invocation at a time per shard, the shards in parallel.
 */
export const funnelStreamBatches = async (world: World, writes: readonly StreamWrite[], batchSize: number, shards: number): Promise<StreamRun> => {
  const byShard = Array.from({ length: shards }, () => [] as StreamWrite[]);
  for (const write of writes) byShard[shardOf(write.pk) % shards]?.push(write);
  const run: StreamRun = { shards, batchSize, records: writes.length, invocations: [] };
  let done = 0;
  const worker = async (records: readonly StreamWrite[], shard: number) => {
    const handler = world.funnelStream();
    for (let at = 0; at < records.length; at += batchSize) {
      const batch = records.slice(at, at + batchSize);
      const start = world.time.now;
      await handler({ Records: batch.map((w) => w.record), shardId: `shardId-bench-${shard}` });
      run.invocations.push({ records: batch.length, ms: world.time.now - start });
    }
    done += 1;
  };
  let failure: unknown;
  void Promise.all(byShard.map(worker)).catch((error: unknown) => (failure ??= error));
  await world.runUntil(() => failure !== undefined || done === shards, 3_600_000, 'funnel stream');
  if (failure !== undefined) throw asError(failure);
  return run;
};
