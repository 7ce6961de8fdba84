/**
 * Interface under test: the campaign dispatcher on the local stack (dynalite with the sharded
 * audience index, local SQS, admin API) fanning an occurrence out into a segment per shard: the
 * firing's own segment crashing while a duplicate firing arrives, and a pause that lands while the
 * segments' continuations are on their way. The stack's dispatch poller runs continuations side by
 * side, as the event source does in AWS.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { DynamoDbCampaignStore } from '../../lambdas/adapters/dynamodb/campaign-store';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbMarketingLedger } from '../../lambdas/adapters/dynamodb/marketing-ledger';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { shardOf } from '../../lambdas/adapters/dynamodb/shards';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { SqsDispatchQueue } from '../../lambdas/adapters/sqs/dispatch-queue';
import { SqsSendQueue } from '../../lambdas/adapters/sqs/send-queue';
import { createDispatcher } from '../../lambdas/campaign/dispatcher';
import type { DispatchQueue } from '../../lambdas/ports/dispatch-queue';
import type { Outbox } from '../../lambdas/ports/outbox';
import type { Campaign } from '../../lambdas/schemas/campaign';
import type { DispatchContinuation } from '../../lambdas/schemas/dispatcher-input';
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { sendQueuedJobs } from '../helpers/send-queued-jobs';
import { PHONE } from '../helpers/sample-ids';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const waIds = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);
const nextHalfHour = (now: number): string => new Date(Math.ceil((now + 1) / (30 * MINUTE)) * 30 * MINUTE).toISOString();

const campaign = (id: string): Campaign => ({
  id,
  name: 'Fan-out',
  accounts: [{ channel: 'whatsapp', accountId: PHONE }],
  audience: {},
  content: { type: 'template', name: 'order_update', language: 'de' },
  kind: 'utility',
  schedule: { kind: 'recurring', expression: 'cron(0/30 * * * ? *)' },
  status: 'draft',
});

/** Sixteen workers over the 64 shards, however small the audience (a big one's split). */
const SEGMENTS = 16;
const TUNING = { pageSize: 10, segments: SEGMENTS, entriesPerSegment: 1 };
/** Segment 0's contacts in the order it reads them: shard 0, then shard 16, 32 and 48, each by user id. */
const segmentZero = (ids: readonly string[]): string[] =>
  [0, 16, 32, 48].flatMap((shard) => ids.filter((id) => shardOf(id) === shard).sort());

describe('campaign fan-out on the local stack', () => {
  let stack: CampaignStack;
  beforeEach(async () => {
    stack = await startCampaignStack(TUNING);
    await stack.approveTemplate('order_update', 'de', 'UTILITY');
  });
  afterEach(async () => stack.close());

  /** A dispatcher on the stack's table and queues whose outbox and continuations the test can replace. */
  const worker = (wrap: (outbox: Outbox) => Outbox = (o) => o, continuations?: DispatchQueue) => {
    const client = documentClient({ endpoint: process.env.DDB_ENDPOINT });
    const table = stack.tableName;
    return createDispatcher({
      campaigns: new DynamoDbCampaignStore(client, table),
      occurrences: new DynamoDbOccurrenceStore(client, table),
      audience: new DynamoDbAudienceIndex(client, table),
      store: new DynamoDbStateStore(client, { tableName: table }),
      accounts: new DynamoDbAccountRegistry(client, table, () => stack.now.value),
      ledger: new DynamoDbMarketingLedger(client, table),
      outbox: wrap(new DynamoDbOutbox(client, table)),
      queue: new SqsSendQueue(stack.queues.client, stack.queues.queueUrl),
      continuations: continuations ?? new SqsDispatchQueue(stack.queues.client, stack.queues.dispatchQueueUrl),
      scheduler: stack.campaigns.scheduler,
      clock: () => stack.now.value,
      logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'ERROR' }),
      tuning: TUNING,
    });
  };

  it('sends each recipient once when the firing’s own segment crashes mid-page and the firing is delivered again', async () => {
    const ids = waIds(320, '491700');
    await stack.seedWhatsApp(ids, stack.now.value - 3 * DAY);
    await stack.schedule(campaign('crashy-fan-out'));
    const at = nextHalfHour(stack.now.value);
    stack.now.value = Date.parse(at) + 2_000;
    // The firing keeps segment 0 (shards 0, 16, 32, 48, read in that order); its worker dies writing the 15th record: mid-page 2.
    const victim = segmentZero(ids)[14];
    const crashing = worker((outbox) => ({ ...outbox, create: (job) => (job.intent.userId === victim ? Promise.reject(new Error('Lambda timed out')) : outbox.create(job)) }));
    await expect(crashing.onFiring({ campaignId: 'crashy-fan-out', firingAt: at }, () => 300_000)).rejects.toThrow('Lambda timed out');

    // EventBridge delivers the firing again at once: segment 0's lease still lives, the others were handed over.
    expect(await stack.campaigns.invoke({ campaignId: 'crashy-fan-out', firingAt: at })).toEqual({ outcome: 'in_progress' });
    // The poller runs the other segments meanwhile (the test's clock stands still, so no lease of theirs runs out).
    const store = new DynamoDbOccurrenceStore(documentClient({ endpoint: process.env.DDB_ENDPOINT }), stack.tableName);
    for (let seen = await store.get('crashy-fan-out', at); (seen?.segments ?? []).filter((s) => s.status === 'done').length < SEGMENTS - 1; seen = await store.get('crashy-fan-out', at)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Lambda's retry comes after the lease ran out: it takes segment 0 over from its last saved page.
    stack.now.value += MINUTE + 1_000;
    expect(await stack.campaigns.invoke({ campaignId: 'crashy-fan-out', firingAt: at })).toEqual({ outcome: 'done' });

    const done = await stack.settled('crashy-fan-out', at);
    expect(done).toMatchObject({ status: 'done', counts: { audience: 320, enqueued: 320, notDue: 0, skipped: {} } });
    expect(done.funnel).toMatchObject({ jobs: 320 });
    expect((await store.get('crashy-fan-out', at))?.segments?.find((s) => s.segment === 0)?.counts).toMatchObject({ audience: segmentZero(ids).length });
    // Only the crashed page's queued records went to SQS again (a page is 10): 320 jobs in at most 330
    // deliveries. A sender drains the queue, running duplicates concurrently; its claim lets one message
    // per job through, so each of the 320 people gets exactly one.
    const sent = await sendQueuedJobs(stack);
    expect(sent.jobs.size).toBe(320);
    expect(sent.deliveries).toBeGreaterThanOrEqual(320);
    expect(sent.deliveries).toBeLessThanOrEqual(330);
    expect(sent.outcomes.sent).toBe(320);
    expect(sent.perRecipient.size).toBe(320);
    // WhatsApp's `to`, as the sender writes it: the wa_id with a +.
    expect([...sent.perRecipient.keys()].sort()).toEqual(ids.map((id) => `+${id}`).sort());
    expect([...sent.perRecipient].filter(([, messages]) => messages !== 1)).toEqual([]);
    // 320 sends through dynalite on top of the crash and the fan-out.
  }, 300_000);

  it('halts every segment when the campaign is paused during the fan-out, and resume finishes each', async () => {
    const ids = waIds(320, '491710');
    await stack.seedWhatsApp(ids, stack.now.value - 3 * DAY);
    await stack.schedule(campaign('paused-fan-out'));
    const at = nextHalfHour(stack.now.value);
    stack.now.value = Date.parse(at) + 2_000;
    // The segments' continuations are held here: the pause lands before SQS delivers them.
    const held: DispatchContinuation[] = [];
    const firing = worker((o) => o, { continueLater: (m) => Promise.resolve(void held.push(m)) });
    expect(await firing.onFiring({ campaignId: 'paused-fan-out', firingAt: at }, () => 300_000)).toBe('done');
    expect(held).toHaveLength(SEGMENTS - 1);
    expect((await stack.call('POST', '/admin/campaigns/paused-fan-out/pause')).status).toBe(200);
    const outcomes = await Promise.all(held.map((m) => firing.onContinuation(m, () => 300_000)));
    expect(outcomes).toEqual(held.map(() => 'paused'));
    // Segment 0 (its shards' contacts) went out before the pause; every other segment halted unread.
    const paused = await stack.occurrence('paused-fan-out', at);
    expect(paused).toMatchObject({ status: 'paused', counts: { enqueued: segmentZero(ids).length } });

    // Resume queues a continuation per halted segment on the real dispatch queue; the poller runs them side by side.
    const resumed = await stack.call('POST', '/admin/campaigns/paused-fan-out/resume');
    expect(resumed.body).toMatchObject({ status: 'running', resumedOccurrences: [at] });
    const done = await stack.settled('paused-fan-out', at);
    expect(done).toMatchObject({ status: 'done', counts: { audience: 320, enqueued: 320, skipped: {} } });
    expect(await stack.queuedJobs()).toBe(320);
  }, 120_000);
});
