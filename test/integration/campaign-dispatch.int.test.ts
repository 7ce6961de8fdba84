/**
 * Interface under test: the campaign dispatcher on the local stack (dynalite, local SQS), driven the
 * way EventBridge drives it: firings delivered to its handler, continuations through its queue.
 */
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
  afterAll(async () => stack?.close());

  it('is dispatched once per occurrence, even when the firing is delivered twice at once and again later', async () => {
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
    const outcomes = await Promise.all([stack.campaigns.invoke(firing), stack.campaigns.invoke(firing)]);
    expect(outcomes.map((o) => (o as { outcome: string }).outcome).sort()).toEqual(['done', 'in_progress']);
    // Later, the one-off campaign is done: the same firing is not even looked at again.
    expect(await stack.campaigns.invoke(firing)).toEqual({ outcome: 'not_active' });

    const occurrence = await stack.occurrence('ten-thousand', at);
    expect(occurrence).toMatchObject({ status: 'done', counts: { audience: 10_000, enqueued: 10_000, notDue: 0, skipped: {} } });
    expect(occurrence.funnel).toMatchObject({ jobs: 10_000, pending: 10_000 });
    // Outside the window, at the DE utility rate in the table (illustrative €0.0456).
    expect(occurrence.costByCurrency).toEqual({ EUR: 456 });
    expect(await stack.queuedJobs()).toBe(10_000);
    // A one-off campaign is done after its occurrence, and its rule is gone.
    expect((await stack.call('GET', '/admin/campaigns/ten-thousand')).body.status).toBe('done');
    expect(stack.campaigns.scheduler.rules()).toEqual([]);
  }, 240_000);
});
