/**
 * `npm run bench:scale [-- --contacts N] [--quick] [--json] [--ddb-read-ms 5] [--ddb-write-ms 8]
 * [--sqs-ms 15] [--graph-ms 150] [--jitter 0.2] [--no-bsuid] [--skip-local-time] [--stream-batch 100]
 * [--stream-shards 4]`: what issue 10 asks of the data model,
 * dispatch, status webhooks and pacing, measured on the real handlers against the local emulators
 * with AWS's latencies injected, and modelled for 1M contacts.
 *
 * How (bin/scale/): everything runs in virtual time (test/helpers/virtual-sending.ts's VirtualTime):
 * the clock moves only when every task waits, so the injected latencies — DynamoDB read/write,
 * SQS, Graph, each drawn ±jitter around its mean — add up exactly as they would in AWS, however slow
 * this machine is. An SDK middleware on the DynamoDB and SQS clients the real adapters use waits the
 * latency and counts every request and capacity unit; a hook inside dynalite sees every item write
 * and every keys-only index entry it adds or removes, per partition key and per virtual second.
 * Lambda's SQS event source is played by pollers invoking the real handlers (dispatcher: batch 1,
 * no concurrency cap; sender: batch 10, the prod stage's maxConcurrency 5), each poller one Lambda
 * instance with its own adapters. The state table's stream is played by the same hook: the status
 * webhooks' writes, as a stream with both images carries them, pass the funnel stream's filter and
 * go through the real consumer in batches over a few shards; its cost is part of a status's.
 *
 * Lambda CPU: a V8 sampling profile splits the process's CPU time between the code under test
 * (lambdas/, AWS SDK, Powertools, zod) and the emulators and harness. The dispatcher's CPU per AWS
 * request is calibrated on a small firing and then charged in virtual time on each Lambda instance
 * (one piece of work after another per instance, while requests' latencies overlap), scaled to the
 * function's vCPU share (1,769 MB = 1 vCPU; this machine's core taken as one Lambda vCPU). Webhook
 * and sender invocations are billed their virtual duration plus their measured CPU.
 *
 * MEASURED: per-item requests, capacity units, latencies and CPU at the sizes run here. MODELLED:
 * 1M-contact figures, from those per-item figures (each figure's `basis` says which, and how).
 * Prices: AWS us-east-1 list prices, PRICES below.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbCampaignStore } from '../lambdas/adapters/dynamodb/campaign-store';
import { outboxKey } from '../lambdas/adapters/dynamodb/keys';
import { DynamoDbSendLimiter } from '../lambdas/adapters/dynamodb/send-limiter';
import { SHARDS } from '../lambdas/adapters/dynamodb/shards';
import { DEFAULT_TUNING } from '../lambdas/campaign/dispatcher-deps';
import { WHATSAPP_DEFAULT_THROUGHPUT } from '../lambdas/domain/send/send-limits';
import type { Campaign } from '../lambdas/schemas/campaign';
import { senderRateAccuracyPct, virtualDynamoClient, type VirtualTime } from '../test/helpers/virtual-sending';
import type { Latencies, PhaseCounts } from './scale/meter';
import {
  campaignOf,
  DAY_ZONES,
  type DispatchRun,
  fireCampaign,
  funnelStreamBatches,
  inboundBurst,
  localTimeDay,
  measured,
  passesFunnelFilter,
  type Profiled,
  registerNumber,
  requeueJobs,
  seedContacts,
  sendJobs,
  statusWebhooks,
  type StreamRun,
  tappingStream,
  waIdOf,
  type WebhookRun,
} from './scale/phases';
import { MEASURED_TUNING, startWorld, TABLE, type World } from './scale/world';

/**
 * USD, AWS us-east-1 list prices (on demand, no free tier), read on 2026-11-21.
 * - DynamoDB on-demand, after the November 2024 reduction: $0.625 per million write request units,
 *   $0.125 per million read request units — https://airbyte.com/data-engineering-resources/dynamodb-pricing
 *   (units as defined on https://aws.amazon.com/dynamodb/pricing/on-demand/). A keys-only global index
 *   entry written or removed costs 1 WRU (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html,
 *   "Provisioned throughput considerations"); a refused conditional write is billed too.
 * - SQS standard queue: $0.40 per million requests (first 100 billion a month), every 64 KB chunk of a
 *   payload one request — https://cloudburn.io/blog/amazon-sqs-pricing ("as of March 2026"), citing
 *   https://aws.amazon.com/sqs/pricing/. Every message here is far below 64 KB.
 * - Lambda arm64: $0.0000133334 per GB-s (first 7.5 billion GB-s a month) and $0.20 per million requests —
 *   https://cloudchipr.com/blog/aws-lambda-pricing, citing https://aws.amazon.com/lambda/pricing/. Billed per ms.
 * - API Gateway HTTP API: $1.00 per million requests (first 300 million a month; a webhook body is far
 *   below the 512 KB metering increment) — https://www.apigatewaycost.com/aws, citing https://aws.amazon.com/api-gateway/pricing/.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite's item-size rule, the one DynamoDB bills by
const { itemSize: dynaliteItemSize } = require('dynalite/db') as { itemSize: (item: unknown) => number };

const PRICES = {
  dynamoWriteUnitPerMillion: 0.625,
  dynamoReadUnitPerMillion: 0.125,
  sqsRequestPerMillion: 0.4,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequestPerMillion: 0.2,
  httpApiRequestPerMillion: 1.0,
};
/** Function memory (lib/constructs): the dispatcher 1,024 MB, the webhook and sender NodeFunction's default 512 MB, the funnel's stream consumer 256 MB. */
const MEMORY_MB = { dispatcher: 1769, webhook: 512, sender: 512, funnelStream: 256 };
/** Lambda gives a function one vCPU at 1,769 MB, in proportion below (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). */
const VCPU_MB = 1769;
const cpuStretch = (memoryMb: number) => Math.max(1, VCPU_MB / memoryMb);
/** DynamoDB's per-partition throughput: 1,000 WCU/s per partition key, table and index alike. */
const PARTITION_WRITE_LIMIT = 1000;
/** plan-dispatch's LOCAL_TIME_LATE_AFTER_MS: a local-time contact reached later than this after its time is skipped. */
const LATE_AFTER_MIN = 30;
const MILLION = 1_000_000;
const SENDER_MAX_CONCURRENCY = 5;
const BURST_PER_SECOND = 1000;

const NUMBERS = {
  main: { phoneNumberId: '109876543210987', wabaId: '102290129340398', display: '15550783881' },
  calibration: { phoneNumberId: '109876543210986', wabaId: '102290129340398', display: '15550783880' },
  day: { phoneNumberId: '109876543210985', wabaId: '102290129340398', display: '15550783879' },
  inbound: { phoneNumberId: '109876543210984', wabaId: '102290129340398', display: '15550783878' },
};

// ---------------------------------------------------------------------------------------------

const argValue = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at < 0 ? undefined : process.argv[at + 1];
};
const numberArg = (flag: string, fallback: number, min = 0): number => {
  const raw = argValue(flag);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${flag} takes a number ≥ ${min}`);
  return value;
};

const USAGE = `npm run bench:scale [-- options]
  --quick               smaller sizes (2,000 contacts dispatched, 300 over a local-time day, 200 sends)
  --json                the figures as JSON on stdout (progress on stderr)
  --contacts N          people dispatched (default 5,000; 2,000 with --quick)
  --ddb-read-ms 5 --ddb-write-ms 8 --sqs-ms 15 --graph-ms 150 --jitter 0.2   injected latencies
  --no-bsuid            people named by wa_id only (no BSUID record)
  --stream-batch 100 --stream-shards 4   the funnel's stream consumer: records per batch, stream shards
  --skip-local-time     leave out the local-time firings (one zone, and a day of 96): most of the real
                        time; localTimeTooLatePct and localTimeReadUnitsPerContactPerDay are then null`;
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}

const quick = process.argv.includes('--quick');
/** Leaves out the local-time firings (phases 4 and 5, most of a run's real time): their figures are then null. */
const skipLocalTime = process.argv.includes('--skip-local-time');
const asJson = process.argv.includes('--json');
const bsuid = !process.argv.includes('--no-bsuid');
const latencies: Latencies = {
  ddbReadMs: numberArg('--ddb-read-ms', 5),
  ddbWriteMs: numberArg('--ddb-write-ms', 8),
  sqsMs: numberArg('--sqs-ms', 15),
  graphMs: numberArg('--graph-ms', 150),
  jitter: Math.min(0.9, numberArg('--jitter', 0.2)),
};
const sizes = {
  contacts: Math.floor(numberArg('--contacts', quick ? 2000 : 5000, 100)),
  calibration: quick ? 600 : 1600,
  dayContacts: quick ? 300 : 1000,
  burst: quick ? 500 : 1500,
  sends: quick ? 200 : 600,
  // 1,000 msg/s for 8 s in both, as test/integration/virtual-time-pacing.int.test.ts asserts it: in a
  // shorter run the instances' first slots (before the limiter's lead settles) weigh too much.
  rateSeconds: quick ? { 80: 8, 1000: 8 } : { 80: 20, 1000: 8 },
  // The funnel's stream consumer (lib/constructs/funnel-stream.ts): batches of 100 are what 80 msg/s
  // (about 160 status flags a second) fills in its 5 s batching window over 8 stream shards; more
  // shards or a slower send make them smaller, a faster send larger (up to 1,000).
  streamBatch: Math.floor(numberArg('--stream-batch', 100, 1)),
  streamShards: Math.floor(numberArg('--stream-shards', 4, 1)),
};

const log = (line: string) => {
  if (!asJson) console.log(line);
  else process.stderr.write(`${line}\n`);
};
const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : sum(xs) / xs.length);

// ---------------------------------------------------------------------------------------------
// Pricing

const ddbUsd = (c: PhaseCounts) => (c.writeUnits * PRICES.dynamoWriteUnitPerMillion + c.readUnits * PRICES.dynamoReadUnitPerMillion) / MILLION;
const lambdaUsd = (billedMs: number, memoryMb: number, invocations: number) =>
  (Math.ceil(billedMs) / 1000) * (memoryMb / 1024) * PRICES.lambdaArmGbSecond + (invocations * PRICES.lambdaRequestPerMillion) / MILLION;

interface WebhookFigures {
  webhooks: number;
  requestsPerWebhook: number;
  requests: Record<string, number>;
  writeUnits: number;
  readUnits: number;
  refused: number;
  /** DynamoDB latencies along the webhook's path (virtual), mean. */
  latencyMs: number;
  /** The handler's own CPU on a Lambda of 512 MB (measured here, scaled). */
  cpuMs: number;
  billedMs: number;
  usdPer1M: number;
}

const webhookFigures = (p: Profiled<unknown>, latencyMs: readonly number[]): WebhookFigures => {
  const n = latencyMs.length;
  const cpuMs = (p.cpu.appMs / n) * cpuStretch(MEMORY_MB.webhook);
  // Billed per invocation, rounded up to the ms.
  const billedMs = mean(latencyMs.map((ms) => Math.ceil(ms + cpuMs)));
  const per = (x: number) => x / n;
  const usd = PRICES.httpApiRequestPerMillion / MILLION + lambdaUsd(billedMs, MEMORY_MB.webhook, 1) + ddbUsd(p.counts) / n;
  return {
    webhooks: n,
    requestsPerWebhook: round(per(p.counts.ddbRequestCount), 2),
    requests: Object.fromEntries(Object.entries(p.counts.ddbRequests).map(([op, k]) => [op, round(per(k), 2)])),
    writeUnits: round(per(p.counts.writeUnits), 2),
    readUnits: round(per(p.counts.readUnits), 2),
    refused: round(per(p.counts.refused), 2),
    latencyMs: round(mean(latencyMs), 1),
    cpuMs: round(cpuMs, 2),
    billedMs: round(billedMs, 1),
    usdPer1M: round(usd * MILLION, 3),
  };
};

/**
 * The funnel's stream consumer, per status webhook: its DynamoDB units, its invocations (the
 * requests, and each one's virtual duration plus its share of the measured CPU, on a Lambda of
 * MEMORY_MB.funnelStream) over the statuses whose writes it read. The stream's reads are free to a
 * Lambda trigger, and records the filter drops invoke nothing.
 */
const streamFigures = (p: Profiled<StreamRun>, statuses: number, streamWrites: number) => {
  const run = p.result;
  const n = Math.max(1, run.invocations.length);
  const cpuMs = (p.cpu.appMs / n) * cpuStretch(MEMORY_MB.funnelStream);
  const billedMs = sum(run.invocations.map((i) => Math.ceil(i.ms + cpuMs)));
  const usd = ddbUsd(p.counts) + lambdaUsd(billedMs, MEMORY_MB.funnelStream, run.invocations.length);
  return {
    memoryMb: MEMORY_MB.funnelStream,
    streamWrites,
    records: run.records,
    shards: run.shards,
    batchSize: run.batchSize,
    invocations: run.invocations.length,
    requestsPerBatch: round(p.counts.ddbRequestCount / n, 2),
    writeUnitsPerBatch: round(p.counts.writeUnits / n, 2),
    refusedPerBatch: round(p.counts.refused / n, 2),
    cpuMsPerInvocation: round(cpuMs, 2),
    billedMsPerInvocation: round(billedMs / n, 1),
    usdPer1MRecords: round((usd / Math.max(1, run.records)) * MILLION, 4),
    usdPer1MStatuses: round((usd / Math.max(1, statuses)) * MILLION, 4),
  };
};

// ---------------------------------------------------------------------------------------------
// Phases

interface DispatchFigures {
  contacts: number;
  indexEntries: number;
  enqueued: number;
  skipped: Record<string, number>;
  virtualSeconds: number;
  fanOutMs: number;
  /** Segment time per index entry, virtual (latencies + the charged CPU). */
  msPerEntry: number;
  perContact: { ddbRequests: number; writeUnits: number; readUnits: number; sqsRequests: number; lambdaGbSeconds: number };
  usdPerContact: number;
  hottestKey: { key: string; writesPerContact: number };
  measuredHottest: { key: string; writesPerSecond: number };
}

const dispatchFigures = (p: Profiled<DispatchRun>, contacts: number): DispatchFigures => {
  const run = p.result;
  const entries = run.counts.audience;
  const segmentMs = sum(run.segments.map((s) => s.endMs - s.startMs));
  const msPerEntry = segmentMs / Math.max(1, sum(run.segments.map((s) => s.audience)));
  // The dispatch queue's polling is the event source's, not the contacts': a constant few requests a second.
  const sqsRequests = p.counts.sqsCount((label) => label !== 'ReceiveMessage (dispatch)');
  const gbSeconds = (sum(run.invocations.map((i) => i.end - i.start)) / 1000) * (MEMORY_MB.dispatcher / 1024);
  const usd =
    ddbUsd(p.counts) +
    (sqsRequests * PRICES.sqsRequestPerMillion) / MILLION +
    gbSeconds * PRICES.lambdaArmGbSecond +
    (run.invocations.length * PRICES.lambdaRequestPerMillion) / MILLION;
  const busiest = p.counts.busiest();
  const hottest = p.counts.hottest();
  return {
    contacts,
    indexEntries: entries,
    enqueued: run.counts.enqueued,
    skipped: run.counts.skipped,
    virtualSeconds: round(run.makespanMs / 1000, 3),
    fanOutMs: round(run.fanOutMs, 1),
    msPerEntry: round(msPerEntry, 4),
    perContact: {
      ddbRequests: round(p.counts.ddbRequestCount / contacts, 3),
      writeUnits: round(p.counts.writeUnits / contacts, 3),
      readUnits: round(p.counts.readUnits / contacts, 3),
      sqsRequests: round(sqsRequests / contacts, 4),
      lambdaGbSeconds: round(gbSeconds / contacts, 6),
    },
    usdPerContact: usd / contacts,
    hottestKey: { key: busiest.key, writesPerContact: busiest.writes / contacts },
    measuredHottest: { key: hottest.key, writesPerSecond: hottest.writesPerSecond },
  };
};

/** Minutes for `contacts` at the measured segment time per entry: segments in parallel, the largest shard's share. */
const modelMinutes = (f: DispatchFigures, contacts: number): number => {
  const entries = contacts * (f.indexEntries / f.contacts);
  const perShard = entries / SHARDS;
  // The largest of the shards of a hashed population: within 3 standard deviations of its share.
  const largest = perShard + 3 * Math.sqrt(perShard * (1 - 1 / SHARDS));
  const segmentMs = largest * (SHARDS / Math.min(SHARDS, DEFAULT_TUNING.segments)) * f.msPerEntry;
  // A worker hands over to a continuation every ~4 minutes (5-minute timeout, 60 s kept): one SQS round trip and a lease.
  const handovers = Math.floor(segmentMs / 240_000);
  // Fan-out takes each segment's lease and sends its continuation: more segments, proportionally longer.
  const fanOutMs = f.fanOutMs * (DEFAULT_TUNING.segments / MEASURED_TUNING.segments);
  return (fanOutMs + segmentMs + handovers * (2 * latencies.sqsMs + latencies.ddbWriteMs + latencies.ddbReadMs)) / 60_000;
};

// ---------------------------------------------------------------------------------------------

const main = async (): Promise<void> => {
  const started = performance.now();
  const world = await startWorld(latencies);
  const { time, meter } = world;
  const campaigns = new DynamoDbCampaignStore(world.plain, TABLE);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  log(
    `bench:scale — node ${process.version} ${process.arch}, ${availableParallelism()} vCPUs (${cpu}), load ${loadavg()[0]?.toFixed(2)}; ` +
      `latencies DynamoDB ${latencies.ddbReadMs}/${latencies.ddbWriteMs} ms, SQS ${latencies.sqsMs} ms, Graph ${latencies.graphMs} ms (±${latencies.jitter * 100} %); ` +
      `${sizes.contacts} contacts${quick ? ' (--quick)' : ''}${bsuid ? ', each with a BSUID' : ''}`,
  );
  const step = (what: string) => log(`  … ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  try {
    for (const number of Object.values(NUMBERS)) await registerNumber(world, number, 'Europe/Berlin');

    // 1. Inbound webhooks: a burst of new contacts at 1,000/s, then the same people writing again.
    step('inbound webhooks');
    const burstIds = Array.from({ length: sizes.burst }, (_, i) => waIdOf(NUMBERS.inbound, i));
    const inboundNew = await measured(world, () => inboundBurst(world, NUMBERS.inbound, burstIds, BURST_PER_SECOND, bsuid));
    await advance(world, 60_000);
    const inboundAgain = await measured(world, () => inboundBurst(world, NUMBERS.inbound, burstIds, BURST_PER_SECOND, bsuid));

    // 2. Calibration: a firing without Lambda CPU charged — its time is the latencies' alone, and
    // its profile gives the dispatcher's CPU per AWS request (a page of 200 entries per segment).
    step('calibrating the dispatcher CPU');
    await seedContacts(world, NUMBERS.calibration, sizes.calibration, { bsuid });
    const calibration = await measured(world, () => fire(world, campaigns, campaignOf({ id: 'scale-calibration', number: NUMBERS.calibration, schedule: onceIn(time, 60_000) })));
    const calibrationRequests = calibration.counts.ddbRequestCount + calibration.counts.sqsCount((l) => l !== 'ReceiveMessage (dispatch)');
    const localCpuPerRequestMs = calibration.cpu.appMs / calibrationRequests;
    meter.cpuPerRequestMs = localCpuPerRequestMs * cpuStretch(MEMORY_MB.dispatcher);

    // 3. A one-off campaign over every contact: parallel dispatch.
    step(`seeding ${sizes.contacts} contacts`);
    await seedContacts(world, NUMBERS.main, sizes.contacts, { bsuid });
    step('dispatching');
    const dispatchCampaign = campaignOf({ id: 'scale-dispatch', number: NUMBERS.main, schedule: onceIn(time, 60_000) });
    const jobsBefore = world.sentJobs.length;
    const dispatch = await measured(world, () => fire(world, campaigns, dispatchCampaign));
    const dispatchJobs = world.sentJobs.slice(jobsBefore).map((body) => (JSON.parse(body) as { outboxId: string }).outboxId);
    checkDispatch('dispatch', dispatch.result, sizes.contacts);
    const d = dispatchFigures(dispatch, sizes.contacts);

    // 4–5 (unless --skip-local-time): local-time firings.
    let localTime: LocalTimeRuns | undefined;
    if (!skipLocalTime) {
      // 4. Local time, every contact in one zone (the account's): the next day's 09:00 Berlin firing.
      step('local-time firing, one zone');
      await world.freshSendQueue();
      const nineBerlin = Date.parse(`${new Date(time.now + 86_400_000).toISOString().slice(0, 10)}T07:00:00Z`);
      const localCampaign = campaignOf({ id: 'scale-local-one-zone', number: NUMBERS.main, schedule: { kind: 'local_time', at: '09:00' } });
      await campaigns.put(localCampaign, time.now);
      const local = await measured(world, () => fireCampaign(world, localCampaign, nineBerlin));
      if (local.result.status !== 'done') throw new Error(`local-time firing: occurrence ${local.result.status}`);
      const l = dispatchFigures(local, sizes.contacts);

      // 5. Local time over a day: 96 firings, contacts spread over 24 zones (a quarter in the account's).
      step(`local-time day (${sizes.dayContacts} contacts, 96 firings)`);
      await world.freshSendQueue();
      await seedContacts(world, NUMBERS.day, sizes.dayContacts, { bsuid, zoneOf: (i) => (i % 4 === 3 ? undefined : DAY_ZONES[i % DAY_ZONES.length]) });
      const dayCampaign = campaignOf({ id: 'scale-local-day', number: NUMBERS.day, schedule: { kind: 'local_time', at: '09:00' } });
      await campaigns.put(dayCampaign, time.now);
      const dayStart = Date.parse(`${new Date(time.now + 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
      const day = await measured(world, () => localTimeDay(world, dayCampaign, dayStart));
      localTime = { local, l, day };
    }

    // 6. Sending a sample of the dispatch's jobs; 7. their statuses.
    step(`sending ${Math.min(sizes.sends, dispatchJobs.length)} jobs at ${WHATSAPP_DEFAULT_THROUGHPUT} msg/s`);
    meter.cpuPerRequestMs = 0;
    const sample = dispatchJobs.slice(0, sizes.sends);
    await requeueJobs(world, sample);
    const send = await measured(world, () => sendJobs(world, sample, SENDER_MAX_CONCURRENCY));
    const outboxRecordBytes = await itemBytes(world, send.result.sent[0]?.outboxId);
    step(`status webhooks for ${send.result.sent.length} messages`);
    const tapped = await tappingStream(world, () => measured(world, () => statusWebhooks(world, send.result.sent, 16)));
    const statusRuns = tapped.result;
    // 7b. The state table's stream over those writes, through the funnel's consumer (it counts the statuses' milestones).
    const streamWrites = tapped.writes.filter(passesFunnelFilter);
    step(`funnel stream: ${streamWrites.length} of ${tapped.writes.length} writes pass the filter, batches of ${sizes.streamBatch} over ${sizes.streamShards} shards`);
    const stream = await measured(world, () => funnelStreamBatches(world, streamWrites, sizes.streamBatch, sizes.streamShards));

    // 8. Pacing accuracy in virtual time: the colleague's N logical senders against the simulator,
    // each with the DynamoDB limiter on this dynalite (metered: the limiter's hottest key).
    step('sender rate accuracy (virtual time, DynamoDB limiter)');
    meter.startPhase();
    const rateAccuracy: Record<string, number> = {};
    const limiterHot: Record<string, { key: string; writesPerSecond: number }> = {};
    const limiterHotUnits: Record<string, { key: string; unitsPerSecond: number }> = {};
    for (const rate of [80, 1000] as const) {
      const limiterFactory = (rateTime: VirtualTime) => {
        meter.keyClock = rateTime.clock;
        const client = virtualClient(world, rateTime);
        return () => new DynamoDbSendLimiter(client, TABLE);
      };
      Object.assign(rateAccuracy, await senderRateAccuracyPct({ rates: [rate], seconds: sizes.rateSeconds[rate], limiterFactory }));
      const counts = meter.startPhase();
      const hot = counts.hottest();
      limiterHot[String(rate)] = { key: hot.key, writesPerSecond: hot.writesPerSecond };
      limiterHotUnits[String(rate)] = counts.hottestUnits();
    }
    meter.keyClock = time.clock;

    report({ inboundNew, inboundAgain, calibration, localCpuPerRequestMs, dispatch, d, localTime, send, statusRuns, stream, streamWrites: tapped.writes.length, rateAccuracy, limiterHot, limiterHotUnits, outboxRecordBytes, realSeconds: (performance.now() - started) / 1000 });
  } finally {
    await world.close();
  }
};

/** The DynamoDB client the adapters use, on another virtual clock (the rate run's), answering in the order the pacing test does. */
const virtualClient = (world: World, rateTime: VirtualTime) => virtualDynamoClient(world.client, rateTime, { readMs: latencies.ddbReadMs, writeMs: latencies.ddbWriteMs });

/** An outbox record's size as DynamoDB bills it (1 WRU per started KB). */
const itemBytes = async (world: World, outboxId: string | undefined): Promise<number | undefined> => {
  if (outboxId === undefined) return undefined;
  const { Item } = await world.plain.send(new GetCommand({ TableName: TABLE, Key: outboxKey(outboxId), ConsistentRead: true }));
  return Item === undefined ? undefined : dynaliteItemSize(marshall(Item, { removeUndefinedValues: true }));
};

const onceIn = (time: VirtualTime, ms: number): Campaign['schedule'] => ({ kind: 'once', at: new Date(Math.ceil((time.now + ms) / 60_000) * 60_000).toISOString() });

const fire = async (world: World, campaigns: DynamoDbCampaignStore, campaign: Campaign): Promise<DispatchRun> => {
  await campaigns.put(campaign, world.time.now);
  return fireCampaign(world, campaign, Date.parse((campaign.schedule as { at: string }).at));
};

const advance = async (world: World, ms: number) => {
  let reached = false;
  void world.time.sleep(ms).then(() => (reached = true));
  await world.runUntil(() => reached, ms + 1000, 'waiting');
};

const checkDispatch = (what: string, run: DispatchRun, contacts: number) => {
  if (run.status !== 'done' || run.counts.enqueued !== contacts) {
    throw new Error(`${what}: occurrence ${run.status}, ${run.counts.enqueued} of ${contacts} contacts enqueued (${JSON.stringify(run.counts)})`);
  }
};

// ---------------------------------------------------------------------------------------------
// Report

interface LocalTimeRuns {
  local: Profiled<DispatchRun>;
  l: DispatchFigures;
  day: Profiled<Awaited<ReturnType<typeof localTimeDay>>>;
}

interface Results {
  inboundNew: Profiled<WebhookRun>;
  inboundAgain: Profiled<WebhookRun>;
  calibration: Profiled<DispatchRun>;
  localCpuPerRequestMs: number;
  dispatch: Profiled<DispatchRun>;
  d: DispatchFigures;
  localTime: LocalTimeRuns | undefined;
  send: Profiled<Awaited<ReturnType<typeof sendJobs>>>;
  statusRuns: Profiled<Awaited<ReturnType<typeof statusWebhooks>>>;
  /** The funnel's stream consumer over the status phase's writes, and how many writes the stream carried. */
  stream: Profiled<StreamRun>;
  streamWrites: number;
  rateAccuracy: Record<string, number>;
  limiterHot: Record<string, { key: string; writesPerSecond: number }>;
  limiterHotUnits: Record<string, { key: string; unitsPerSecond: number }>;
  outboxRecordBytes: number | undefined;
  realSeconds: number;
}

/** Write units per item of work, by request target and by index (keys-only entries written or removed). */
const unitsBy = (c: PhaseCounts, per: number): Record<string, number> => ({
  ...Object.fromEntries(Object.entries(c.ddbTargets).filter(([t]) => !/^(GetItem|Query|BatchGetItem|Scan)\b/.test(t)).map(([t, v]) => [t, round(v.units / per, 2)])),
  ...Object.fromEntries(Object.entries(c.indexWriteUnits).map(([index, units]) => [`${index} entries`, round(units / per, 2)])),
});

const NOT_RUN = 'not run (--skip-local-time)';

/** The local-time figures: one zone of 1M, and a day of firings over zones. */
const localTimeFigures = (runs: LocalTimeRuns) => {
  // Local time: one zone of 1M — the worst case, every contact's time at the firing's start.
  const localMinutes1M = modelMinutes(runs.l, MILLION);
  const localTimeTooLatePct = Math.max(0, 1 - LATE_AFTER_MIN / localMinutes1M) * 100;
  const measuredTooLate = ((runs.local.result.counts.skipped.too_late ?? 0) / runs.l.contacts) * 100;

  // Local time over a day: read units per contact, the part that grows with the audience apart from the firings' own.
  // At 1M a zone bucket's pages are full, and a Query is billed by the bytes it reads (0.5 RRU per
  // started 4 KB): each bucket query costs its entries' bytes plus at most 0.5 RRU of rounding. Here,
  // with 300 contacts over 24 zones and 64 shards, a non-empty query holds about one entry and is
  // billed the 0.5 RRU minimum, which would overstate the index's share per contact about 30 times.
  const dayCounts = runs.day.counts;
  const dayContacts = sizes.dayContacts;
  const isAudienceRead = (t: string) => /^Query gsi\d AUD#/.test(t);
  const audienceReads = Object.entries(dayCounts.ddbTargets).filter(([t]) => isAudienceRead(t));
  const audienceUnits = sum(audienceReads.map(([, t]) => t.units));
  const audienceQueries = sum(audienceReads.map(([, t]) => t.requests));
  const entriesRead = Object.entries(dayCounts.indexEntriesRead).filter(([t]) => isAudienceRead(t));
  const audienceEntries = sum(entriesRead.map(([, e]) => e.entries));
  const bytesPerEntry = sum(entriesRead.map(([, e]) => e.bytes)) / Math.max(1, audienceEntries);
  const contactUnits = sum(Object.entries(dayCounts.ddbTargets).filter(([t]) => /^(GetItem|Query|BatchGetItem) C#$/.test(t)).map(([, t]) => t.units));
  const dayReadsByTarget = Object.fromEntries(
    Object.entries(dayCounts.ddbTargets)
      .filter(([t]) => /^(GetItem|Query|BatchGetItem|Scan)\b/.test(t))
      .map(([t, v]) => [t, { requests: v.requests, readUnits: v.units, perContact: round(v.units / dayContacts, 3) }]),
  );
  const contactUnitsPerContact = contactUnits / dayContacts;
  // Every page reads the campaign (consistent) and its account again (run-occurrence.ts, dispatch-accounts.ts): counted per
  // page with entries, an overestimate (a segment's last look for a page reads the campaign too).
  const pages = sum(entriesRead.map(([, e]) => e.queries));
  const pageUnits = sum(Object.entries(dayCounts.ddbTargets).filter(([t]) => /^(GetItem CAMPAIGN#|GetItem A#|Query T#|Query ACCOUNTS)$/.test(t)).map(([, t]) => t.units));
  const pageUnitsPerPage = pageUnits / Math.max(1, pages);
  // At 1M every zone with contacts has them in every shard: a page per pageSize contacts, and at most one part-filled page per (zone, shard).
  const zonesWithContacts = new Set(
    Object.entries(dayCounts.indexPartitionsRead)
      .filter(([t]) => isAudienceRead(t))
      .flatMap(([, partitions]) => [...partitions].map((pk) => pk.replace(/#\d+$/, ''))),
  ).size;
  const partFilledPages1M = zonesWithContacts * SHARDS;
  // Per contact at 1M: its reads (MEASURED), its index entry's bytes (MEASURED size), and its share of a full page: ≤ 0.5 RRU of rounding and the page's reads.
  const indexUnitsPerContact1M = (bytesPerEntry / 4096) * 0.5 + (0.5 + pageUnitsPerPage) / DEFAULT_TUNING.pageSize;
  const perContactUnits1M = contactUnitsPerContact + indexUnitsPerContact1M;
  // A day's firings alone: the other reads (MEASURED), every bucket query's rounding (≤ 0.5 RRU, the empty ones' too) and the part-filled pages' reads.
  const otherUnits = dayCounts.readUnits - contactUnits - audienceUnits - pageUnits;
  const fixedUnits = otherUnits + 0.5 * audienceQueries + pageUnitsPerPage * partFilledPages1M;
  const dayReadUnitsMeasured = dayCounts.readUnits / dayContacts;
  const dayReadUnits1M = perContactUnits1M + fixedUnits / MILLION;
  // The same day at the size run, by the measured units: what the index pages cost here.
  const perContactUnitsMeasured = (contactUnits + Math.max(0, audienceUnits - dayCounts.emptyQueryReadUnits)) / dayContacts;
  return {
    localTimeTooLatePct,
    dayReadUnits1M,
    basis: {
      localTimeTooLatePct: `MODELLED: 1M contacts in one zone, all due at the firing's start, enqueued at the measured rate over ${round(localMinutes1M, 2)} min; late after ${LATE_AFTER_MIN} min. MEASURED at ${sizes.contacts}: ${round(measuredTooLate, 2)} %`,
      localTimeReadUnitsPerContactPerDay: `MODELLED for 1M (an upper bound): ${round(contactUnitsPerContact, 3)} RRU of contact reads per contact (MEASURED over 96 firings of ${dayContacts} contacts in ${DAY_ZONES.length} zones + the account's) + its zone-bucket index entry, ${round(bytesPerEntry, 1)} bytes (MEASURED: the mean size of the ${audienceEntries} keys-only entries the day's bucket queries returned) ÷ 4 KB × 0.5 RRU = ${round((bytesPerEntry / 4096) * 0.5, 4)} + its share of a full page of ${DEFAULT_TUNING.pageSize} (a Query is billed by the bytes it reads): at most 0.5 RRU of rounding and the page's campaign and account reads (MEASURED: ${round(pageUnitsPerPage, 2)} RRU per page with entries, an overestimate) = ${round((0.5 + pageUnitsPerPage) / DEFAULT_TUNING.pageSize, 4)} + ${round(fixedUnits, 0)} RRU a day for the firings themselves ÷ 1M: ${round(otherUnits, 0)} of other reads (MEASURED), ${audienceQueries} bucket queries' rounding at 0.5 RRU, and a part-filled page per zone with contacts (MEASURED: ${zonesWithContacts}) and shard (${SHARDS}) at ${round(pageUnitsPerPage, 2)} RRU. MEASURED at ${dayContacts} contacts: ${round(dayReadUnitsMeasured, 3)} per contact in all, ${round(perContactUnitsMeasured, 3)} of it contact reads and non-empty bucket pages (about one entry a page here, each billed the 0.5 RRU minimum)`,
    },
    localTimeDay: {
      contacts: sizes.dayContacts,
      ...runs.day.result,
      readUnits: round(dayCounts.readUnits, 1),
      emptyQueries: dayCounts.emptyQueries,
      measuredPerContact: round(dayReadUnitsMeasured, 3),
      measuredPerContactPart: round(perContactUnitsMeasured, 3),
      contactReadUnitsPerContact: round(contactUnitsPerContact, 3),
      bucketQueries: audienceQueries,
      bucketPagesWithEntries: pages,
      pageReadUnitsPerPage: round(pageUnitsPerPage, 3),
      zonesWithContacts,
      bucketEntriesRead: audienceEntries,
      bytesPerIndexEntry: round(bytesPerEntry, 1),
      indexUnitsPerContact1M: round(indexUnitsPerContact1M, 4),
      fixedPerDay: round(fixedUnits, 1),
      readsByTarget: dayReadsByTarget,
    },
  };
};

const report = (r: Results) => {
  // Webhooks.
  const inboundNew = webhookFigures(r.inboundNew, r.inboundNew.result.latencyMs);
  const inboundAgain = webhookFigures(r.inboundAgain, r.inboundAgain.result.latencyMs);
  const inboundWebhookUsdPer1M = (inboundNew.usdPer1M + inboundAgain.usdPer1M) / 2;
  // Statuses: the phase's counts shared out by status in proportion to the webhooks (all three run interleaved).
  const statusAll = r.statusRuns.result.webhooks;
  const statusLatencies = [...statusAll.sent.latencyMs, ...statusAll.delivered.latencyMs, ...statusAll.read.latencyMs];
  const status = webhookFigures(r.statusRuns, statusLatencies);
  const perStatusBilled = Object.fromEntries(
    Object.entries(statusAll).map(([name, s]) => [name, round(mean(s.latencyMs.map((ms) => Math.ceil(ms + status.cpuMs))), 1)]),
  );
  const stream = streamFigures(r.stream, statusLatencies.length, r.streamWrites);

  // Dispatch, modelled for 1M.
  const { d } = r;
  const dispatchMinutesPer1M = modelMinutes(d, MILLION);
  // The calibration firing ran without Lambda CPU: latencies only.
  const latencyOnly = dispatchFigures(r.calibration, sizes.calibration);
  const dispatchMinutesPer1MLatencyOnly = modelMinutes(latencyOnly, MILLION);
  const dispatchUsdPer1M = d.usdPerContact * MILLION;
  const contactsPerSecond1M = MILLION / (dispatchMinutesPer1M * 60);
  const dispatchHot1M = d.hottestKey.writesPerContact * contactsPerSecond1M;

  const lt = r.localTime && localTimeFigures(r.localTime);

  // Sending.
  const send = r.send.result;
  const sends = Math.max(1, send.outcomes.sent ?? 0);
  const senderCpuPerInvocation = (r.send.cpu.appMs / Math.max(1, send.invocations.length)) * cpuStretch(MEMORY_MB.sender);
  const senderBilledMs = sum(send.invocations.map((i) => Math.ceil(i.end - i.start + senderCpuPerInvocation)));
  const sendSqs = r.send.counts.sqsCount();
  const sendUsd = ddbUsd(r.send.counts) + (sendSqs * PRICES.sqsRequestPerMillion) / MILLION + lambdaUsd(senderBilledMs, MEMORY_MB.sender, send.invocations.length);
  const sendUsdPer1M = (sendUsd / sends) * MILLION;
  // The statuses' milestones are counted off the state table's stream: the consumer's share is part of a status's cost.
  const statusWebhookUsdPer1M = status.usdPer1M + stream.usdPer1MStatuses;
  const wholeCampaignUsdPer1M = dispatchUsdPer1M + sendUsdPer1M + 3 * statusWebhookUsdPer1M;

  // Hottest keys.
  const burstHot = r.inboundNew.counts.hottest();
  const sendHot = r.send.counts.hottest();
  const hotCandidates = [
    { where: `dispatch of 1M (MODELLED: ${round(d.hottestKey.writesPerContact, 4)} writes per contact × ${Math.round(contactsPerSecond1M)} contacts/s)`, key: d.hottestKey.key, writesPerSecond: dispatchHot1M },
    { where: `dispatch of ${sizes.contacts} (MEASURED, busiest virtual second)`, key: d.measuredHottest.key, writesPerSecond: d.measuredHottest.writesPerSecond },
    { where: `burst of ${sizes.burst} new contacts at ${BURST_PER_SECOND}/s (MEASURED)`, key: burstHot.key, writesPerSecond: burstHot.writesPerSecond },
    { where: `sending at ${WHATSAPP_DEFAULT_THROUGHPUT} msg/s (MEASURED)`, key: sendHot.key, writesPerSecond: sendHot.writesPerSecond },
    ...Object.entries(r.limiterHot).map(([rate, hot]) => ({ where: `shared limiter at ${rate} msg/s (MEASURED, virtual-time rate run)`, key: hot.key, writesPerSecond: hot.writesPerSecond })),
  ].sort((a, b) => b.writesPerSecond - a.writesPerSecond);
  const hottest = hotCandidates[0] as (typeof hotCandidates)[number];
  // Write units, not writes, are what the partition limit counts: the busiest key-second by units, over the measured phases.
  const hottestUnits = [r.inboundNew, r.inboundAgain, r.dispatch, ...(r.localTime ? [r.localTime.local] : []), r.send, r.statusRuns]
    .map((p) => p.counts.hottestUnits())
    .concat(Object.values(r.limiterHotUnits))
    .sort((a, b) => b.unitsPerSecond - a.unitsPerSecond)[0] ?? { key: '', unitsPerSecond: 0 };
  const dispatchRequestsPerEntry = (r.dispatch.counts.ddbRequestCount + r.dispatch.counts.sqsCount((label) => label !== 'ReceiveMessage (dispatch)')) / d.indexEntries;
  const cpuMsPerEntry = dispatchRequestsPerEntry * r.localCpuPerRequestMs * cpuStretch(MEMORY_MB.dispatcher);

  const basis = {
    dispatchMinutesPer1M: `MODELLED: fan-out ${d.fanOutMs} ms (MEASURED for ${MEASURED_TUNING.segments} segments, × ${DEFAULT_TUNING.segments / MEASURED_TUNING.segments} for ${DEFAULT_TUNING.segments}) + the largest of ${SHARDS} shards of 1M × ${round(d.indexEntries / d.contacts, 2)} index entries × ${d.msPerEntry} ms per entry (MEASURED in virtual time over ${sizes.contacts} contacts, ${MEASURED_TUNING.segments} segments in parallel, latencies and Lambda CPU; ${DEFAULT_TUNING.segments} workers at 1M, one per shard) + hand-overs. Lambda CPU is ${round((cpuMsPerEntry / d.msPerEntry) * 100, 0)} % of it; latencies alone: ${round(dispatchMinutesPer1MLatencyOnly, 2)} min (the calibration firing, no CPU charged)`,
    localTimeTooLatePct: lt?.basis.localTimeTooLatePct ?? NOT_RUN,
    localTimeReadUnitsPerContactPerDay: lt?.basis.localTimeReadUnitsPerContactPerDay ?? NOT_RUN,
    inboundWebhookUsdPer1M: `MODELLED from MEASURED per-webhook requests, units, latency and CPU: mean of a new contact's first message (${inboundNew.usdPer1M}) and a known contact's (${inboundAgain.usdPer1M})`,
    statusWebhookUsdPer1M: `MODELLED from MEASURED per-webhook figures over sent, delivered and read of ${send.sent.length} sent messages ($${status.usdPer1M} per 1M), plus the funnel's stream consumer per status ($${round(stream.usdPer1MStatuses, 3)}: ${stream.invocations} invocations of ${stream.memoryMb} MB over the ${stream.records} stream records the filter let through (of ${stream.streamWrites} writes), batches of up to ${stream.batchSize} over ${stream.shards} shards, ${stream.writeUnitsPerBatch} WRU and ${stream.billedMsPerInvocation} billed ms per invocation, MEASURED)`,
    dispatchUsdPer1M: `MODELLED: MEASURED per-contact requests, units and Lambda GB-s × 1M`,
    sendUsdPer1M: `MODELLED: MEASURED per-send requests, units and Lambda GB-s (${SENDER_MAX_CONCURRENCY} instances, batches of 10, ${WHATSAPP_DEFAULT_THROUGHPUT} msg/s) × 1M`,
    hottestKeyWritesPerSecond: `max of: ${hotCandidates.map((c) => `${c.where}: ${Math.round(c.writesPerSecond)}/s on ${c.key}`).join('; ')}`,
    senderRateAccuracyPct: `MEASURED in virtual time: test/helpers/virtual-sending.ts senderRateAccuracyPct (N logical senders, the DynamoDB limiter on dynalite, Graph 150–300 ms as that helper injects), ${sizes.rateSeconds[80]} s at 80 and ${sizes.rateSeconds[1000]} s at 1,000 msg/s`,
    wholeCampaignUsdPer1M: 'MODELLED: dispatch + sends + 3 status webhooks per send',
  };

  const result = {
    dispatchMinutesPer1M: round(dispatchMinutesPer1M, 2),
    localTimeTooLatePct: lt ? round(lt.localTimeTooLatePct, 2) : null,
    localTimeReadUnitsPerContactPerDay: lt ? round(lt.dayReadUnits1M, 3) : null,
    inboundWebhookUsdPer1M: round(inboundWebhookUsdPer1M, 3),
    statusWebhookUsdPer1M: round(statusWebhookUsdPer1M, 3),
    dispatchUsdPer1M: round(dispatchUsdPer1M, 3),
    sendUsdPer1M: round(sendUsdPer1M, 3),
    wholeCampaignUsdPer1M: round(wholeCampaignUsdPer1M, 2),
    hottestKeyWritesPerSecond: Math.round(hottest.writesPerSecond),
    hottestKeyWriteUnitsPerSecond: Math.round(hottestUnits.unitsPerSecond),
    senderRateAccuracyPct: r.rateAccuracy,
    basis,
    prices: { ...PRICES, lambdaMemoryMb: MEMORY_MB, source: 'AWS us-east-1 list prices; citations in bin/bench-scale.ts' },
    run: {
      date: new Date().toISOString().slice(0, 10),
      machine: `${availableParallelism()} vCPUs, ${cpus()[0]?.model ?? '?'}, load average ${loadavg()[0]?.toFixed(2)} at the end`,
      realSeconds: round(r.realSeconds, 1),
      latencies,
      contacts: sizes.contacts,
      bsuid,
      dispatch: { ...d, usdPerContact: undefined, local: r.localTime && { ...r.localTime.l, usdPerContact: undefined } },
      localCpuMsPerRequest: round(r.localCpuPerRequestMs, 3),
      // The same, seen in the main dispatch (CPU charged): a check on the calibration.
      localCpuMsPerRequestMainRun: round(r.dispatch.cpu.appMs / (r.dispatch.counts.ddbRequestCount + r.dispatch.counts.sqsCount((label) => label !== 'ReceiveMessage (dispatch)')), 3),
      lambdaCpuMsPerRequestCharged: round(r.localCpuPerRequestMs * cpuStretch(MEMORY_MB.dispatcher), 3),
      dispatchLambdaCpuMsPerEntry: round(cpuMsPerEntry, 3),
      dispatchCpuSharePct: round((cpuMsPerEntry / d.msPerEntry) * 100, 1),
      dispatchMinutesPer1MLatencyOnly: round(dispatchMinutesPer1MLatencyOnly, 2),
      latencyOnlyMsPerEntry: latencyOnly.msPerEntry,
      hottestKeyByUnits: hottestUnits,
      localTimeDay: lt?.localTimeDay,
      webhooks: {
        inboundNew,
        inboundAgain,
        status: { ...status, billedMsByStatus: perStatusBilled, writeUnitsByTarget: unitsBy(r.statusRuns.counts, statusLatencies.length), outboxRecordBytes: r.outboxRecordBytes, stream },
      },
      send: {
        jobs: send.jobs,
        outcomes: send.outcomes,
        refusals: send.refusals,
        achievedPerSecond: round(send.ratePerSecond, 1),
        invocations: send.invocations.length,
        perSend: {
          ddbRequests: round(r.send.counts.ddbRequestCount / sends, 2),
          writeUnits: round(r.send.counts.writeUnits / sends, 2),
          readUnits: round(r.send.counts.readUnits / sends, 2),
          sqsRequests: round(sendSqs / sends, 3),
          billedMs: round(senderBilledMs / sends, 1),
          writeUnitsByTarget: unitsBy(r.send.counts, sends),
        },
      },
      hottestKey: hottest,
      partitionWriteLimit: PARTITION_WRITE_LIMIT,
    },
  };

  if (asJson) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const rows: [string, string, string][] = [
    ['dispatchMinutesPer1M', `${result.dispatchMinutesPer1M} min`, '≤ 5'],
    ['localTimeTooLatePct (1M, one zone)', `${result.localTimeTooLatePct} %`, '0'],
    ['localTimeReadUnitsPerContactPerDay', `${result.localTimeReadUnitsPerContactPerDay}`, '≤ 1.2'],
    ['inboundWebhookUsdPer1M', `$${result.inboundWebhookUsdPer1M}`, ''],
    ['statusWebhookUsdPer1M', `$${result.statusWebhookUsdPer1M}`, '≤ 3'],
    ['dispatchUsdPer1M', `$${result.dispatchUsdPer1M}`, ''],
    ['sendUsdPer1M', `$${result.sendUsdPer1M}`, ''],
    ['whole campaign $ per 1M sends', `$${result.wholeCampaignUsdPer1M}`, '≤ 14'],
    ['hottestKeyWritesPerSecond', `${result.hottestKeyWritesPerSecond} (${hottest.key})`, `< ${PARTITION_WRITE_LIMIT}`],
    ['hottestKeyWriteUnitsPerSecond', `${result.hottestKeyWriteUnitsPerSecond} (${hottestUnits.key})`, `< ${PARTITION_WRITE_LIMIT}`],
    ...Object.entries(r.rateAccuracy).map(([rate, pct]): [string, string, string] => [`senderRateAccuracyPct @${rate}`, `${pct} %`, '95–105']),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('\nfigure'.padEnd(width + 1), ' value', ' '.repeat(24), 'target');
  for (const [name, value, target] of rows) console.log(`${name.padEnd(width)}  ${value.padEnd(30)} ${target}`);
  console.log('\nWhat each figure is (MEASURED at the size run, or MODELLED for 1M):');
  for (const [name, text] of Object.entries(basis)) console.log(`- ${name}: ${text}`);
  console.log(
    `\nPer contact dispatched (MEASURED, ${sizes.contacts} contacts, ${round(d.indexEntries / d.contacts, 2)} index entries each): ${d.perContact.ddbRequests} DynamoDB requests, ` +
      `${d.perContact.writeUnits} WRU, ${d.perContact.readUnits} RRU, ${d.perContact.sqsRequests} SQS requests, ${d.perContact.lambdaGbSeconds} GB-s; ` +
      `${d.virtualSeconds} s virtual (${round(sizes.contacts / d.virtualSeconds)} contacts/s); Lambda CPU charged ${result.run.lambdaCpuMsPerRequestCharged} ms per AWS request ` +
      `(${result.run.localCpuMsPerRequest} ms here × ${round(cpuStretch(MEMORY_MB.dispatcher), 2)} for 1,024 MB): ${result.run.dispatchLambdaCpuMsPerEntry} of the ${d.msPerEntry} ms per index entry (${result.run.dispatchCpuSharePct} %).`,
  );
  console.log(
    `Webhooks (MEASURED per webhook): new contact ${inboundNew.requestsPerWebhook} requests, ${inboundNew.writeUnits} WRU, ${inboundNew.billedMs} ms; known contact ${inboundAgain.requestsPerWebhook} requests, ${inboundAgain.writeUnits} WRU; ` +
      `status ${status.requestsPerWebhook} requests, ${status.writeUnits} WRU, ${status.readUnits} RRU, ${status.refused} refused, ${status.billedMs} ms billed; ` +
      `funnel stream ${stream.invocations} invocations for ${stream.records} records, ${stream.writeUnitsPerBatch} WRU and ${stream.billedMsPerInvocation} ms billed each ($${round(stream.usdPer1MStatuses, 3)} per 1M statuses).`,
  );
  console.log(
    `Sending (MEASURED, ${send.jobs} jobs): ${JSON.stringify(send.outcomes)}, ${round(send.ratePerSecond, 1)} msg/s accepted, refusals ${JSON.stringify(send.refusals)}; per send ${result.run.send.perSend.ddbRequests} DynamoDB requests, ` +
      `${result.run.send.perSend.writeUnits} WRU, ${result.run.send.perSend.sqsRequests} SQS requests, ${result.run.send.perSend.billedMs} Lambda ms.`,
  );
  console.log(`\nPrices: us-east-1 list, see PRICES in bin/bench-scale.ts. Real time ${round(r.realSeconds, 0)} s.`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
