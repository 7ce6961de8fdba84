/**
 * `npm run bench:send`: one sender instance (the SQS batch handler, batches of 10 processed in
 * parallel as Powertools' BatchProcessor does) against the Meta simulator on loopback.
 *  1. throughput: sends/s and CPU ms per send with 50 ms Graph API latency, pacing out of the way;
 *  2. pacing: the pacer at 80 msg/s against a simulator that answers 130429 above 80 msg/s.
 * Storage is in memory (the outbox keeps the DynamoDB adapter's conditions), so the figures are the
 * sender's own; in AWS add DynamoDB's few milliseconds per call.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { InMemoryPacer } from '../lambdas/adapters/memory/pacer';
import { GraphApiClient } from '../lambdas/adapters/meta/graph-api-client';
import { StaticAccessTokens } from '../lambdas/adapters/secrets/access-tokens';
import type { SendIntent } from '../lambdas/domain/send/send-intent';
import { startMetaSimulator } from '../lambdas/local/meta-simulator';
import type { ContactRecord } from '../lambdas/ports/state-store';
import { createSender } from '../lambdas/send/sender';
import { createSqsSenderHandler } from '../lambdas/send/sqs-sender-handler';
import { InMemoryOutbox } from '../lambdas/adapters/memory/outbox';
import { FixedAccounts, RecordingStore } from '../test/helpers/recording-store';

const PHONE = '109876543210987';
const TOKENS = { [PHONE]: 'bench-token' };
const logger = new Logger({ logLevel: 'SILENT' });

/** Every recipient wrote a minute ago: replies are allowed, so the benchmark measures sending. */
class OpenWindowStore extends RecordingStore {
  override getPerson(contact: { channel: 'whatsapp' | 'messenger' | 'instagram'; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, state: { lastInboundAt: Date.now() - 60_000, lastMessageAt: Date.now() - 60_000 }, optIns: [] });
  }
}

const run = async (options: { jobs: number; latencyMs: number; ratePerSecond: number; simulatorThroughput: number; batchesInFlight: number }) => {
  const simulator = await startMetaSimulator({
    appSecret: 'bench',
    tokens: TOKENS,
    faults: { latencyMs: options.latencyMs },
    throughputPerSecond: options.simulatorThroughput,
    pairRateMs: 0,
  });
  for (let i = 0; i < options.jobs; i += 1) simulator.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: recipient(i), at: Date.now() });
  const outbox = new InMemoryOutbox();
  const processJob = createSender({
    outbox,
    store: new OpenWindowStore(),
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'bench', tokenSecret: 't', timezone: 'UTC' }]),
    graph: new GraphApiClient({ baseUrl: simulator.url, version: 'v25.0', tokens: new StaticAccessTokens(TOKENS) }),
    pacer: new InMemoryPacer({ ratePerSecond: options.ratePerSecond, clock: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), maxWaitMs: 60_000 }),
    queue: { enqueue: () => Promise.reject(new Error('no requeue expected in the benchmark')) },
    clock: Date.now,
    logger,
  });
  const handler = createSqsSenderHandler(processJob, logger);
  const ids: string[] = [];
  for (let i = 0; i < options.jobs; i += 1) {
    ids.push((await outbox.create({ idempotencyKey: `bench#${i}`, intent: intentFor(i), now: Date.now() })).record.outboxId);
  }
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  // Each loop is one poller handing out batches of 10; they share the pacer, as the local stack's do.
  let next = 0;
  const loop = async () => {
    while (next < ids.length) {
      const batch = ids.slice(next, next + 10);
      next += 10;
      await handler(sqsEvent(batch));
    }
  };
  await Promise.all(Array.from({ length: options.batchesInFlight }, loop));
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const accepted = simulator.accepted();
  const refused = simulator.requests() - accepted.length;
  const times = accepted.map((m) => m.at).sort((a, b) => a - b);
  await simulator.close();
  return {
    sendsPerSecond: accepted.length / seconds,
    cpuMsPerSend: (cpu.user + cpu.system) / 1000 / Math.max(1, accepted.length),
    acceptedRate: times.length > 1 ? ((times.length - 1) * 1000) / ((times.at(-1) as number) - (times[0] as number)) : 0,
    peakPerSecond: peakPerSecond(times),
    refused,
    sent: [...outbox.records.values()].filter((r) => r.status === 'sent').length,
  };
};

const recipient = (i: number) => `4917${String(i).padStart(9, '0')}`;
const intentFor = (i: number): SendIntent => ({ channel: 'whatsapp', accountId: PHONE, userId: recipient(i), kind: 'reply', author: 'bot', content: { type: 'text', text: 'Your order is on its way' } });
const sqsEvent = (ids: string[]): SQSEvent => ({
  Records: ids.map((outboxId, n) => ({
    messageId: `${outboxId}-${n}`,
    receiptHandle: 'r',
    body: JSON.stringify({ outboxId }),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'bench', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:0:bench',
    awsRegion: 'local',
  })),
});

/** The most messages Meta saw within any one calendar second (what its throughput limit counts). */
const peakPerSecond = (times: readonly number[]): number => {
  const perSecond = new Map<number, number>();
  for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
};

const main = async () => {
  const jobs = Number(process.env.BENCH_JOBS ?? 1000);
  const throughput = await run({ jobs, latencyMs: 50, ratePerSecond: 1e6, simulatorThroughput: 1e6, batchesInFlight: 1 });
  console.log(`node ${process.version}; simulator latency 50 ms on loopback; storage in memory`);
  console.log(
    `send throughput, one instance (one batch of 10 at a time, its records in parallel): ${throughput.sendsPerSecond.toFixed(0)} sends/s; CPU ${throughput.cpuMsPerSend.toFixed(2)} ms per send (${throughput.sent} of ${jobs} sent)`,
  );
  for (const batchesInFlight of [1, 2]) {
    const paced = await run({ jobs: 800, latencyMs: 50, ratePerSecond: 80, simulatorThroughput: 80, batchesInFlight });
    const deviation = ((paced.acceptedRate - 80) / 80) * 100;
    console.log(
      `pacing at 80 msg/s, ${batchesInFlight} batch${batchesInFlight > 1 ? 'es' : ''} in flight: ${paced.acceptedRate.toFixed(1)} msg/s accepted (${deviation >= 0 ? '+' : ''}${deviation.toFixed(1)} %), peak ${paced.peakPerSecond} in one second, ${paced.refused} refused with 130429, ${paced.sent} of 800 sent`,
    );
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
