/**
 * Interface under test: the campaign dispatcher on the local stack (dynalite, local SQS), driven the
 * way EventBridge drives it: firings delivered to its handler, continuations through its queue.
 */
import { SHARDS, shardOf } from '../../lambdas/adapters/dynamodb/shards';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { type CampaignStack, minutesAfter, startCampaignStack } from '../helpers/campaign-stack';
import { PHONE } from '../helpers/sample-ids';

const DAY = 24 * 3_600_000;
const waIds = (n: number, prefix = '49151'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(7, '0')}`);

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'weekly-deals',
  name: 'Weekly deals',
  accounts: [{ channel: 'whatsapp', accountId: PHONE }],
  audience: {},
  content: { type: 'template', name: 'weekly_deals', language: 'de', parameters: [{ name: 'first_name', fromAttribute: 'firstName', value: 'du' }] },
  kind: 'marketing',
  schedule: { kind: 'recurring', expression: 'cron(0 8 ? * MON *)' },
  status: 'draft',
  ...over,
});

describe('campaign dispatch: a 10,000-contact audience', () => {
  let stack: CampaignStack;
  // Closing waits for the pollers' work in flight: a segment of this audience can take a while beside another suite.
  afterAll(async () => stack?.close(), 180_000);

  it('fans out into segments sized to the audience and is dispatched once, even when the firing is delivered twice at once and again later', async () => {
    stack = await startCampaignStack({ pageSize: 500 });
    // Utility, to keep the test short: marketing adds one ledger write per contact, tested in campaign-rules.
    await stack.approveTemplate('order_update', 'de', 'UTILITY');
    await stack.seedWhatsApp(waIds(10_000), stack.now.value - 3 * DAY);
    const at = minutesAfter(stack.now.value, 2);
    await stack.schedule(
      campaign({ id: 'ten-thousand', kind: 'utility', content: { type: 'template', name: 'order_update', language: 'de' }, schedule: { kind: 'once', at } }),
    );
    stack.now.value = Date.parse(at) + 1_000;

    const firing = { campaignId: 'ten-thousand', firingAt: at };
    // Both deliveries find the occurrence's segments; each takes those still free (one runs its
    // first itself and hands the rest over), so no segment is worked by two at once.
    const outcomes = await Promise.all([stack.campaigns.invoke(firing), stack.campaigns.invoke(firing)]);
    for (const o of outcomes) expect(['done', 'in_progress']).toContain((o as { outcome: string }).outcome);
    const occurrence = await stack.settled('ten-thousand', at, 180_000);
    // Later, the one-off campaign is done: the same firing is not even looked at again.
    expect(await stack.campaigns.invoke(firing)).toEqual({ outcome: 'not_active' });

    expect(occurrence).toMatchObject({ status: 'done', counts: { audience: 10_000, enqueued: 10_000, notDue: 0, skipped: {} } });
    // One segment per 2,000 entries, estimated from shard 0 of 64 (about 1/64 of the 10,000 ids): six, each done.
    const stored = await new DynamoDbOccurrenceStore(documentClient({ endpoint: process.env.DDB_ENDPOINT }), stack.tableName).get('ten-thousand', at);
    const segments = Math.ceil((waIds(10_000).filter((id) => shardOf(id) === 0).length * SHARDS) / 2000);
    expect(segments).toBe(6);
    expect(stored?.plan).toEqual({ segments, shards: SHARDS });
    expect(stored?.segments?.map((s) => s.status)).toEqual(Array.from({ length: segments }, () => 'done'));
    expect(stored?.segments?.reduce((n, s) => n + s.counts.enqueued, 0)).toBe(10_000);
    expect(occurrence.funnel).toMatchObject({ jobs: 10_000, pending: 10_000 });
    // Outside the window, at the DE utility rate in the table (illustrative €0.0456).
    expect(occurrence.costByCurrency).toEqual({ EUR: 456 });
    expect(await stack.queuedJobs()).toBe(10_000);
    // A one-off campaign is done after its occurrence, and its rule is gone.
    expect((await stack.call('GET', '/admin/campaigns/ten-thousand')).body.status).toBe('done');
    expect(stack.campaigns.scheduler.rules()).toEqual([]);
  }, 480_000);
});
