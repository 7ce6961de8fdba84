/**
 * Interface under test: the campaign dispatcher on the local stack (dynalite, local SQS, admin API)
 * when Meta pauses the sending Page mid-run: Messenger 10/1893063 (Page temporarily restricted)
 * pauses the account's sends for 15 minutes, and a running occurrence holds instead of skipping its
 * contacts, then finishes by itself once the pause is over.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { DynamoDbCampaignStore } from '../../lambdas/adapters/dynamodb/campaign-store';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbMarketingLedger } from '../../lambdas/adapters/dynamodb/marketing-ledger';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { SqsSendQueue } from '../../lambdas/adapters/sqs/send-queue';
import { createDispatcher } from '../../lambdas/campaign/dispatcher';
import { orderOf } from '../../lambdas/domain/state-writes';
import type { DispatchContinuation } from '../../lambdas/schemas/dispatcher-input';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { PAGE } from '../helpers/sample-ids';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const psids = (n: number): string[] => Array.from({ length: n }, (_, i) => `70000000000${String(i).padStart(5, '0')}`);

/** A utility note to everyone who wrote to the Page: inside their window, each one is sendable. */
const campaign: Campaign = {
  id: 'page-news',
  name: 'Page news',
  accounts: [{ channel: 'messenger', accountId: PAGE }],
  audience: {},
  content: { type: 'text', text: 'We open at 9 today.' },
  kind: 'utility',
  schedule: { kind: 'recurring', expression: 'cron(0/30 * * * ? *)' },
  status: 'draft',
};

const nextHalfHour = (now: number): string => new Date(Math.ceil((now + 1) / (30 * MINUTE)) * 30 * MINUTE).toISOString();

describe('campaign occurrence on the local stack while Meta pauses its Page', () => {
  let stack: CampaignStack;
  beforeEach(async () => {
    // One worker: this test pins its pages around the hold (each segment's own hold is unit-tested
    // in test/unit/campaign/parallel-dispatch.test.ts).
    stack = await startCampaignStack({ pageSize: 50, segments: 1 });
  });
  afterEach(async () => stack.close());

  /** Messenger contacts who wrote to the Page at `atMs`, 60 per signed webhook. */
  const seedMessenger = async (ids: readonly string[], atMs: number) => {
    for (let i = 0; i < ids.length; i += 60) {
      const messaging = ids.slice(i, i + 60).map((psid) => ({
        sender: { id: psid },
        recipient: { id: PAGE },
        timestamp: atMs,
        message: { mid: `m_seed-${psid}-${atMs}`, text: 'Are you open tomorrow?' },
      }));
      await stack.postWebhook({ object: 'page', entry: [{ id: PAGE, time: atMs + 400, messaging }] });
    }
  };

  it('holds a running occurrence while its Page is paused, skips nobody as account_paused, and finishes when the continuation comes after the pause', async () => {
    const client = documentClient({ endpoint: process.env.DDB_ENDPOINT });
    const store = new DynamoDbStateStore(client, { tableName: stack.tableName });
    await seedMessenger(psids(120), stack.now.value - HOUR);
    await stack.schedule(campaign);

    // The stack's dispatcher on its table and send queue; continuations are kept here, so the test
    // decides when SQS would deliver them.
    const continuations: { message: DispatchContinuation; delaySeconds?: number }[] = [];
    const worker = createDispatcher({
      campaigns: new DynamoDbCampaignStore(client, stack.tableName),
      occurrences: new DynamoDbOccurrenceStore(client, stack.tableName),
      audience: new DynamoDbAudienceIndex(client, stack.tableName),
      store,
      accounts: new DynamoDbAccountRegistry(client, stack.tableName, () => stack.now.value),
      ledger: new DynamoDbMarketingLedger(client, stack.tableName),
      outbox: new DynamoDbOutbox(client, stack.tableName),
      queue: new SqsSendQueue(stack.queues.client, stack.queues.queueUrl),
      continuations: { continueLater: (message, options) => Promise.resolve(void continuations.push({ message, ...options })) },
      scheduler: stack.campaigns.scheduler,
      clock: () => stack.now.value,
      logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'ERROR' }),
      tuning: { pageSize: 50, segments: 1 },
    });
    const at = nextHalfHour(stack.now.value);
    stack.now.value = Date.parse(at) + 2_000;
    let pages = 0;
    // One page's worth of time, then Lambda's clock says a minute is left.
    expect(await worker.onFiring({ campaignId: 'page-news', firingAt: at }, () => (pages++ < 1 ? 300_000 : 30_000))).toBe('handed_over');
    expect(await stack.occurrence('page-news', at)).toMatchObject({ status: 'running', pages: 1, counts: { enqueued: 50 } });

    // A send of the first page came back 10/1893063: the sender's feedback pauses the Page for 15 minutes.
    const until = stack.now.value + 15 * MINUTE;
    await store.apply([
      {
        target: { entity: 'account', account: { channel: 'messenger', accountId: PAGE } },
        register: 'sendingPause',
        order: orderOf(stack.now.value, 'send#page-news-ob-7'),
        wins: 'later',
        fields: { sendingPausedUntil: until, sendingPauseReason: 'page_restricted', sendingPauseCode: 10 },
      },
    ]);

    // The hand-over's continuation runs the next page: the Page is paused, so the occurrence holds.
    expect(await worker.onContinuation((continuations.pop() as { message: DispatchContinuation }).message, () => 300_000)).toBe('held');
    const held = await stack.occurrence('page-news', at);
    expect(held).toMatchObject({
      status: 'running',
      pages: 1,
      counts: { audience: 50, enqueued: 50, notDue: 0, skipped: {} },
      heldUntil: new Date(until).toISOString(),
      heldReason: 'page_restricted',
      heldAccount: `messenger#${PAGE}`,
      finishedAt: null,
    });
    expect(continuations).toEqual([
      { message: { campaignId: 'page-news', occurrenceKey: at, handoverToken: expect.any(String) as unknown }, delaySeconds: 15 * 60 },
    ]);
    const wakeUp = continuations[0]?.message as DispatchContinuation;

    // EventBridge delivers the firing again during the hold: the lease holds, a check is queued for after it.
    stack.now.value += 5 * MINUTE;
    expect(await worker.onFiring({ campaignId: 'page-news', firingAt: at }, () => 300_000)).toBe('in_progress');
    expect(continuations.at(-1)?.message).toEqual({ campaignId: 'page-news', occurrenceKey: at });

    // SQS delivers the wake-up once the pause has ended.
    stack.now.value = until + 1_000;
    expect(await worker.onContinuation(wakeUp, () => 300_000)).toBe('done');
    const done = await stack.occurrence('page-news', at);
    expect(done).toMatchObject({
      status: 'done',
      pages: 3,
      counts: { audience: 120, enqueued: 120, notDue: 0, skipped: {} },
      heldUntil: null,
      heldReason: null,
      heldAccount: null,
    });
    expect(done.funnel).toMatchObject({ jobs: 120 });
    expect(await stack.queuedJobs()).toBe(120);
    // The check queued during the hold finds the occurrence done.
    expect(await worker.onContinuation(continuations.at(-1)?.message as DispatchContinuation, () => 300_000)).toBe('already_done');
    client.destroy();
  });
});
