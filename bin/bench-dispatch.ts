/**
 * `npm run bench:dispatch [-- --contacts N] [--segments S]`: one campaign firing through the dispatcher on the
 * local stack (dynalite in memory, the local SQS; no sender, so the jobs stay queued), over N
 * WhatsApp contacts (default 20,000) outside their window: a marketing template with a frequency
 * cap, so every contact costs a ledger reservation, an outbox record and its share of a job batch.
 * Prints throughput, AWS requests and capacity units per contact, peak RSS, and what 1M contacts
 * would cost in AWS at the request counts measured here.
 */
import { availableParallelism, loadavg } from 'node:os';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULT_TUNING, type DispatchTuning } from '../lambdas/campaign/dispatcher-deps';
import { startDynalite } from '../lambdas/local/dynalite-server';
import { type LocalStack, startLocalStack } from '../lambdas/local/local-stack';
import type { OccurrenceCounts } from '../lambdas/ports/occurrence-store';
import { adminClient } from './demo/admin-client';
import { type OperationMeter, READS, startDynamoDbMeter } from './demo/dynamodb-meter';
import { printRows } from './demo/print-rows';
import { inboundTexts, postSigned, templateApproved, type WhatsAppNumber } from './demo/whatsapp-webhooks';

const APP_SECRET = 'bench-app-secret';
const NUMBER: WhatsAppNumber = { phoneNumberId: '109876543210987', wabaId: '102290129340398', displayPhoneNumber: '15550783881' };
const PER_BODY = 500;
const BODIES_IN_FLIGHT = 4;
const DAY_MS = 86_400_000;

/**
 * USD, us-east-1 (the region the sources below quote; eu-central-1 figures were not found in a
 * citable form, and are typically somewhat higher), read on 2026-11-21.
 */
const PRICES = {
  // https://airbyte.com/data-engineering-resources/dynamodb-pricing (dated 2025-07-21): on-demand, US East, after the
  // November 2024 reduction. Units as defined on https://aws.amazon.com/dynamodb/pricing/on-demand/ (that page renders
  // its figures client-side, so they could not be read from it directly).
  writeUnitPerMillion: 0.625,
  readUnitPerMillion: 0.125,
  // https://cloudburn.io/blog/amazon-sqs-pricing ("as of March 2026", us-east-1): standard queue, first 100 billion
  // requests a month; every 64 KB of payload is one request (a batch of 10 jobs here is well under 64 KB).
  sqsRequestPerMillion: 0.4,
  // https://cloudchipr.com/blog/aws-lambda-pricing (us-east-1), arm64 as deployed (nodejs24.x ARM64), first 7.5 billion
  // GB-s a month; the same figure as artillery's table citing https://aws.amazon.com/lambda/pricing/. Invocations
  // ($0.20/M) are left out: one invocation dispatches for up to ~4 minutes (5-minute timeout, handing over with
  // 60 s left), a few invocations per million contacts.
  lambdaArmGbSecond: 0.0000133334,
  lambdaMemoryGb: 1,
};

const argValue = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at < 0 ? undefined : process.argv[at + 1];
};

const waIdOf = (i: number): string => `4917${String(i).padStart(9, '0')}`;

/** Contacts arrive as Meta would deliver them: signed webhooks of 500 messages, written 3 days ago. */
const seed = async (stack: LocalStack, contacts: number): Promise<void> => {
  const admin = adminClient(stack.url);
  await admin.putAccount({ channel: 'whatsapp', accountId: NUMBER.phoneNumberId }, { displayName: 'Bench Shop', tokenSecret: 'afterchat/dev/tokens/bench', timezone: 'Europe/Berlin', wabaId: NUMBER.wabaId });
  await postSigned(stack.url, APP_SECRET, templateApproved(NUMBER, { id: 1689556908129902, name: 'weekly_deals', language: 'de', category: 'MARKETING' }));
  const wroteAt = Date.now() - 3 * DAY_MS;
  let next = 0;
  const poster = async () => {
    while (next < contacts) {
      const from = next;
      next = Math.min(contacts, next + PER_BODY);
      const writers = Array.from({ length: next - from }, (_, k) => ({ waId: waIdOf(from + k), name: `Contact ${from + k}` }));
      await postSigned(stack.url, APP_SECRET, inboundTexts(NUMBER, writers, wroteAt));
    }
  };
  await Promise.all(Array.from({ length: BODIES_IN_FLIGHT }, poster));
};

/** A draft, then scheduled; the firing itself is invoked by hand, so the rule never fires on its own. */
const schedule = async (stack: LocalStack, campaignId: string, frequencyCap: { max: number; perHours: number }): Promise<string> => {
  const admin = adminClient(stack.url);
  const firingAt = new Date(Math.ceil((Date.now() + 120_000) / 60_000) * 60_000).toISOString();
  await admin.putCampaign({
    id: campaignId,
    name: 'Dispatcher benchmark',
    accounts: [{ channel: 'whatsapp', accountId: NUMBER.phoneNumberId }],
    audience: {},
    content: { type: 'template', name: 'weekly_deals', language: 'de', parameters: [{ name: 'first_name', fromAttribute: 'firstName', value: 'du' }] },
    kind: 'marketing',
    schedule: { kind: 'once', at: firingAt },
    frequencyCap,
    status: 'draft',
  });
  await admin.scheduleCampaign(campaignId);
  return firingAt;
};

interface Firing {
  seconds: number;
  counts: OccurrenceCounts;
}

/**
 * One firing, as the rule's target receives it, until the occurrence is done: the firing runs its
 * first segment itself, the stack's dispatch poller the others side by side (as the event source does).
 */
const fire = async (stack: LocalStack, campaignId: string, firingAt: string): Promise<Firing> => {
  const start = performance.now();
  const result = await stack.campaigns.invoke({ campaignId, firingAt });
  if (!('outcome' in result) || result.outcome !== 'done') throw new Error(`the firing of ${campaignId} ended with ${JSON.stringify(result)}`);
  for (;;) {
    const shown = await adminClient(stack.url).getCampaign(campaignId);
    const occurrence = shown.occurrences[0];
    if (occurrence === undefined) throw new Error(`the firing of ${campaignId} left no occurrence`);
    if (occurrence.status === 'done') return { seconds: (performance.now() - start) / 1000, counts: occurrence.counts };
    if (occurrence.status !== 'running') throw new Error(`the occurrence of ${campaignId} ended ${occurrence.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Counts SQS commands by queue: the stack exposes its SQS client, so an SDK middleware sees them all. */
const meterSqs = (stack: LocalStack) => {
  const counts = new Map<string, number>();
  stack.queues.client.middlewareStack.add(
    (next, context) => async (args) => {
      const queueUrl = (args.input as { QueueUrl?: string }).QueueUrl;
      const queue = queueUrl === stack.queues.queueUrl ? 'send queue' : queueUrl === stack.queues.dispatchQueueUrl ? 'dispatch queue' : 'other';
      const key = `${context.commandName?.replace(/Command$/, '') ?? 'unknown'} (${queue})`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchSqsMeter' },
  );
  return {
    take: (): Map<string, number> => {
      const taken = new Map(counts);
      counts.clear();
      return taken;
    },
  };
};

const queuedJobs = async (stack: LocalStack): Promise<number> => {
  const { Attributes = {} } = await stack.queues.client.send(new GetQueueAttributesCommand({ QueueUrl: stack.queues.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
};

const sampleRss = () => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage.rss())) };
};

const fmt = (n: number, digits = 0): string => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const usd = (n: number): string => `$${n.toFixed(4)}`;
const mb = (bytes: number): string => `${fmt(bytes / 1024 / 1024)} MB`;

/** A firing and the jobs its stack's send queue holds afterwards. */
type Checked = Firing & { queued: number };

const report = (p: { contacts: number; timed: Checked; metered: Checked; dynamo: Map<string, OperationMeter>; sqs: Map<string, number>; rss: number }) => {
  const { contacts, timed, metered } = p;
  const jobsCheck = (f: Checked) => `${fmt(f.queued)} ${f.queued === contacts ? '= contacts ✓' : `≠ ${fmt(contacts)} contacts ✗`}`;
  console.log(`\nfiring (stack talking to dynalite directly): ${fmt(timed.seconds, 2)} s wall time`);
  printRows([
    ['contacts expanded/s', fmt(timed.counts.audience / timed.seconds)],
    ['jobs enqueued/s', fmt(timed.counts.enqueued / timed.seconds)],
    ['contacts read from the audience index', timed.counts.audience],
    ['jobs enqueued (occurrence counts)', timed.counts.enqueued],
    ['send queue ApproximateNumberOfMessages', jobsCheck(timed)],
    ['skipped', Object.entries(timed.counts.skipped).map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none'],
    ['peak RSS (whole process, emulators included)', mb(p.rss)],
  ]);

  console.log(`\nAWS requests per contact (the same firing through the metering proxy: ${fmt(metered.seconds, 2)} s, ${fmt(metered.counts.enqueued)} enqueued, queue ${jobsCheck(metered)}):`);
  let writeUnits = 0;
  let readUnits = 0;
  const rows: [string, string][] = [];
  for (const [operation, m] of [...p.dynamo].sort(([a], [b]) => a.localeCompare(b))) {
    const isRead = READS.has(operation);
    const units = m.capacityUnits + m.indexWrites;
    if (isRead) readUnits += units;
    else writeUnits += units;
    const index = m.indexWrites > 0 ? ` (${fmt(m.indexWrites / contacts, 3)} of them on the indexes)` : '';
    const refused = m.refused > 0 ? `, ${m.refused} refused` : '';
    rows.push([`DynamoDB ${operation}`, `${fmt(m.requests / contacts, 4)} requests, ${fmt(units / contacts, 3)} ${isRead ? 'RRU' : 'WRU'}${index}${refused}`]);
  }
  let sqsRequests = 0;
  for (const [command, n] of [...p.sqs].sort(([a], [b]) => a.localeCompare(b))) {
    // The dispatch queue's long polls are the local stand-in for the event source mapping: a
    // constant ~1 request/s whatever the audience, so not a per-contact cost.
    const perContact = !command.includes('dispatch queue');
    if (perContact) sqsRequests += n;
    rows.push([`SQS ${command}`, perContact ? `${fmt(n / contacts, 4)} requests (${fmt(n)} in all)` : `${fmt(n)} requests in all, not per contact`]);
  }
  printRows(rows);

  const perMillion = 1_000_000 / contacts;
  const gbSeconds = (timed.seconds / contacts) * 1_000_000 * PRICES.lambdaMemoryGb;
  const lines: [string, number][] = [
    [`DynamoDB writes: ${fmt(writeUnits * perMillion)} WRU × $${PRICES.writeUnitPerMillion}/M`, ((writeUnits * perMillion) / 1e6) * PRICES.writeUnitPerMillion],
    [`DynamoDB reads: ${fmt(readUnits * perMillion)} RRU × $${PRICES.readUnitPerMillion}/M`, ((readUnits * perMillion) / 1e6) * PRICES.readUnitPerMillion],
    [`SQS: ${fmt(sqsRequests * perMillion)} requests × $${PRICES.sqsRequestPerMillion}/M`, ((sqsRequests * perMillion) / 1e6) * PRICES.sqsRequestPerMillion],
    [`Lambda arm64 1024 MB: ${fmt(gbSeconds)} GB-s × $${PRICES.lambdaArmGbSecond}`, gbSeconds * PRICES.lambdaArmGbSecond],
  ];
  console.log('\nestimated AWS cost per 1M contacts dispatched (us-east-1 prices in USD, see PRICES in bin/bench-dispatch.ts):');
  printRows([...lines.map(([label, cost]): [string, string] => [label, usd(cost)]), ['total', usd(lines.reduce((sum, [, cost]) => sum + cost, 0))]]);
  console.log(
    [
      '',
      "Notes: the Lambda line scales this run's local wall time, which is not Lambda time: here dynalite and the SQS",
      'emulator share one CPU with the dispatcher, while in Lambda each call waits a few ms of network instead.',
      "Capacity units are dynalite's, from the real item sizes with DynamoDB's rounding; a keys-only index entry is",
      'counted as 1 WRU per indexed item put, and an update that rewrites an index key with its current value as none.',
      'Dispatch only: sending (the sender Lambda, Meta) and the free tiers are not included.',
    ].join('\n'),
  );
};

const startStack = (dynamoEndpoint: string, dispatchTuning: Partial<DispatchTuning>): Promise<LocalStack> =>
  startLocalStack({
    appSecret: APP_SECRET,
    verifyToken: 'bench-verify-token',
    dynamoEndpoint,
    schedulerTickMs: false,
    logger: new Logger({ serviceName: 'afterchat-bench', logLevel: 'ERROR' }),
    dispatchTuning,
  });

const main = async (): Promise<void> => {
  const contacts = Number(argValue('--contacts') ?? 20_000);
  if (!Number.isInteger(contacts) || contacts < 1) throw new Error('--contacts takes a whole number ≥ 1');
  // `--segments 1` keeps each occurrence on one worker, as before parallel dispatch.
  const segments = argValue('--segments');
  const tuning: Partial<DispatchTuning> = segments === undefined ? {} : { segments: Number(segments) };
  const dynalite = await startDynalite();
  const meter = await startDynamoDbMeter(dynalite.endpoint);
  // Two stacks on one table: the metering proxy adds a loopback hop to every DynamoDB call, so the
  // throughput comes from a stack talking to dynalite directly, and the request counts from a
  // second, identical firing through the proxy.
  const direct = await startStack(dynalite.endpoint, tuning);
  const metered = await startStack(meter.url, tuning);
  try {
    // Timings on a shared machine move with its load: print it so a figure can be judged.
    const load = loadavg()[0] ?? 0;
    console.log(`node ${process.version}, ${process.arch}, ${availableParallelism()} CPUs, load average ${load.toFixed(2)}; dispatcher defaults (pages of ${DEFAULT_TUNING.pageSize}, ${DEFAULT_TUNING.concurrency} in parallel, up to ${tuning.segments ?? DEFAULT_TUNING.segments} segments, ${DEFAULT_TUNING.enqueueConcurrency} SQS batches in flight); ${fmt(contacts)} contacts`);
    const seedStart = performance.now();
    await seed(direct, contacts);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    console.log(`seeding (not measured): ${fmt(seedSeconds, 1)} s for ${fmt(contacts)} contacts in ${Math.ceil(contacts / PER_BODY)} signed webhooks of ${PER_BODY} (${fmt(contacts / seedSeconds)} contacts/s)`);

    const timedAt = await schedule(direct, 'bench-dispatch-timed', { max: 1, perHours: 48 });
    const rss = sampleRss();
    const timedFiring = await fire(direct, 'bench-dispatch-timed', timedAt);
    const peakRss = rss.stop();
    const timed = { ...timedFiring, queued: await queuedJobs(direct) };

    // The first firing used each contact's one send in 48 h; a cap of 2 lets the second do the same work.
    const meteredAt = await schedule(metered, 'bench-dispatch-metered', { max: 2, perHours: 48 });
    const sqs = meterSqs(metered);
    meter.take();
    const countedFiring = await fire(metered, 'bench-dispatch-metered', meteredAt);
    const [dynamo, sqsCounts] = [meter.take(), sqs.take()];
    const counted = { ...countedFiring, queued: await queuedJobs(metered) };
    report({ contacts, timed, metered: counted, dynamo, sqs: sqsCounts, rss: peakRss });
    if ([timed, counted].some((f) => f.queued !== contacts || f.counts.enqueued !== contacts)) process.exitCode = 1;
  } finally {
    await direct.close();
    await metered.close();
    await meter.close();
    await dynalite.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
