/**
 * Interface under test: campaigns through the admin API and the dispatcher's handler on the local
 * stack: routes and skips per contact, quiet hours, the frequency cap across campaigns, hand-over
 * and crash recovery of an occurrence, and business events.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { outboxIdFor } from '../../lambdas/domain/send/outbox-id';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { DynamoDbCampaignStore } from '../../lambdas/adapters/dynamodb/campaign-store';
import { DynamoDbMarketingLedger } from '../../lambdas/adapters/dynamodb/marketing-ledger';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { SqsDispatchQueue } from '../../lambdas/adapters/sqs/dispatch-queue';
import { SqsSendQueue } from '../../lambdas/adapters/sqs/send-queue';
import { createDispatcher } from '../../lambdas/campaign/dispatcher';
import { entryFromEvent } from '../../lambdas/local/local-event-bus';
import type { CampaignScheduler } from '../../lambdas/ports/campaign-scheduler';
import type { DispatchQueue } from '../../lambdas/ports/dispatch-queue';
import type { Outbox } from '../../lambdas/ports/outbox';
import type { DispatchContinuation } from '../../lambdas/schemas/dispatcher-input';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { type CampaignStack, minutesAfter, startCampaignStack } from '../helpers/campaign-stack';
import { sendQueuedJobs } from '../helpers/send-queued-jobs';
import { loadEvent } from '../helpers/events';
import { DE_WA, PAGE, PHONE } from '../helpers/sample-ids';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const waIds = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);

const campaign = (over: Partial<Campaign>): Campaign => ({
  id: 'test-campaign',
  name: 'Test',
  accounts: [{ channel: 'whatsapp', accountId: PHONE }],
  audience: {},
  content: { type: 'template', name: 'weekly_deals', language: 'de' },
  kind: 'marketing',
  schedule: { kind: 'recurring', expression: 'cron(0/30 * * * ? *)' },
  status: 'draft',
  ...over,
});

/** The firing after `now` of a recurring campaign on cron(0/30 ...). */
const nextHalfHour = (now: number): string => new Date(Math.ceil((now + 1) / (30 * 60_000)) * 30 * 60_000).toISOString();

describe('campaign rules on the local stack', () => {
  let stack: CampaignStack;
  beforeEach(async () => {
    // One worker per occurrence: these tests pin its pages, hand-overs, pauses and crash recovery
    // page by page. Fanned-out occurrences (a segment per shard) have their own tests:
    // campaign-fan-out.int.test.ts here, test/unit/campaign/parallel-dispatch.test.ts in memory.
    stack = await startCampaignStack({ pageSize: 50, segments: 1 });
    await stack.approveTemplate('weekly_deals', 'de', 'MARKETING');
    await stack.approveTemplate('order_update', 'de', 'UTILITY');
  });
  afterEach(async () => stack.close());

  const fire = async (campaignId: string, firingAt: string) => {
    stack.now.value = Date.parse(firingAt) + 2_000;
    return stack.campaigns.invoke({ campaignId, firingAt });
  };

  it('routes contacts inside their window to free-form, and skips the others with a reason unless a template can reach them', async () => {
    const inWindow = waIds(3, '491510');
    const outside = waIds(4, '491520');
    await stack.seedWhatsApp(inWindow, stack.now.value - HOUR);
    await stack.seedWhatsApp(outside, stack.now.value - 3 * DAY);

    await stack.schedule(campaign({ id: 'opening-hours', kind: 'utility', content: { type: 'text', text: 'We open at 9 today.' } }));
    const preview = await stack.call('POST', '/admin/campaigns/opening-hours/preview');
    expect(preview.body).toMatchObject({ audience: 7, eligible: 3, eligibleByRoute: { 'whatsapp.free_form': 3 }, skipped: { window_closed: 4 }, complete: true });
    const at = nextHalfHour(stack.now.value);
    expect(await fire('opening-hours', at)).toEqual({ outcome: 'done' });
    expect((await stack.occurrence('opening-hours', at)).counts).toEqual({ audience: 7, enqueued: 3, notDue: 0, skipped: { window_closed: 4 } });

    await stack.schedule(campaign({ id: 'order-news', kind: 'utility', content: { type: 'template', name: 'order_update', language: 'de' } }));
    const templated = await stack.call('POST', '/admin/campaigns/order-news/preview');
    expect(templated.body).toMatchObject({ eligible: 7, eligibleByRoute: { 'whatsapp.template': 7 }, skipped: {} });
    // Inside the window a utility template is free (until 2026-10-01); outside it is billed at the DE utility rate.
    expect((templated.body.estimate as { lines: unknown[] }).lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'free', market: 'DE', count: 3, amount: 0 }),
        expect.objectContaining({ category: 'utility', market: 'DE', count: 4, currency: 'EUR', amount: 0.1824 }),
      ]),
    );
  });

  it.each([
    ['a message naming only the BSUID, then an opt-out naming both', ['message-username-bsuid.json', 'user-preferences-stop.json']],
    ['the opt-out naming both, then a message naming only the BSUID', ['user-preferences-stop.json', 'message-username-bsuid.json']],
  ])('lists and sends to a WhatsApp person stored under BSUID and wa_id once, at the wa_id: %s', async (_order, bodies) => {
    for (const body of bodies) await stack.postWebhook(loadEvent(`meta/whatsapp/${body}`));
    await stack.schedule(campaign({ id: 'one-person', kind: 'utility', content: { type: 'template', name: 'order_update', language: 'de' } }));
    const at = nextHalfHour(stack.now.value);
    expect(await fire('one-person', at)).toEqual({ outcome: 'done' });
    // Two records, one listing: the BSUID's record is linked to the wa_id's, which alone is in the audience.
    expect((await stack.occurrence('one-person', at)).counts).toEqual({ audience: 1, enqueued: 1, notDue: 0, skipped: {} });
    expect(await stack.queuedJobs()).toBe(1);
    const outbox = new DynamoDbOutbox(documentClient({ endpoint: process.env.DDB_ENDPOINT }), stack.tableName);
    const { outboxIds } = await outbox.listGroup(`one-person#${at}`, undefined, 10);
    expect(outboxIds).toHaveLength(1);
    expect((await outbox.get(outboxIds[0] as string))?.intent).toMatchObject({ userId: DE_WA });
  });

  it('sends nothing in the contacts’ quiet hours', async () => {
    await stack.seedWhatsApp(waIds(20, '491530'), stack.now.value - 3 * DAY);
    await stack.schedule(campaign({ id: 'late-deals', quietHours: { start: '21:00', end: '08:00' } }));
    // 22:00 in Berlin.
    const at = '2026-05-18T20:00:00.000Z';
    expect(await fire('late-deals', at)).toEqual({ outcome: 'done' });
    expect((await stack.occurrence('late-deals', at)).counts).toEqual({ audience: 20, enqueued: 0, notDue: 0, skipped: { quiet_hours: 20 } });
    expect(await stack.queuedJobs()).toBe(0);
  });

  it('holds the frequency cap across two campaigns firing at the same moment, and in later firings', async () => {
    const contacts = waIds(40, '491540');
    await stack.seedWhatsApp(contacts, stack.now.value - 3 * DAY);
    const frequencyCap = { max: 1, perHours: 48 };
    await stack.schedule(campaign({ id: 'deals-a', frequencyCap }));
    await stack.schedule(campaign({ id: 'deals-b', frequencyCap }));
    const at = nextHalfHour(stack.now.value);
    stack.now.value = Date.parse(at) + 2_000;
    await Promise.all([stack.campaigns.invoke({ campaignId: 'deals-a', firingAt: at }), stack.campaigns.invoke({ campaignId: 'deals-b', firingAt: at })]);
    const [a, b] = [await stack.occurrence('deals-a', at), await stack.occurrence('deals-b', at)];
    expect(a.counts.enqueued + b.counts.enqueued).toBe(40);
    expect((a.counts.skipped.frequency_cap ?? 0) + (b.counts.skipped.frequency_cap ?? 0)).toBe(40);
    expect(await stack.queuedJobs()).toBe(40);

    // A day later both still hold: 48 h have not passed.
    const later = minutesAfter(Date.parse(at), 24 * 60);
    expect(await fire('deals-a', later)).toEqual({ outcome: 'done' });
    expect((await stack.occurrence('deals-a', later)).counts).toMatchObject({ enqueued: 0, skipped: { frequency_cap: 40 } });
  });

  it('stops spending at the cost cap when the audience grew after scheduling, across pages', async () => {
    await stack.seedWhatsApp(waIds(10, '491570'), stack.now.value - 3 * DAY);
    // €5.00 covers 44 DE marketing templates at €0.1131 (€4.9764); the 10 contacts of the preview fit.
    await stack.schedule(campaign({ id: 'capped-deals', caps: { maxCostEur: 5 } }));
    await stack.seedWhatsApp(waIds(110, '491580'), stack.now.value - 3 * DAY);
    const at = nextHalfHour(stack.now.value);
    expect(await fire('capped-deals', at)).toEqual({ outcome: 'done' });
    const occurrence = await stack.occurrence('capped-deals', at);
    expect(occurrence.counts).toEqual({ audience: 120, enqueued: 44, notDue: 0, skipped: { cost_cap: 76 } });
    expect(occurrence.costByCurrency).toEqual({ EUR: 4.9764 });
    expect(await stack.queuedJobs()).toBe(44);
  });

  it('hands an occurrence over before its time runs out, and the continuation finishes it', async () => {
    await stack.seedWhatsApp(waIds(300, '491550'), stack.now.value - 3 * DAY);
    await stack.schedule(campaign({ id: 'big-deals' }));
    const at = nextHalfHour(stack.now.value);
    stack.now.value = Date.parse(at) + 2_000;
    let pages = 0;
    // Two pages' worth of time, then Lambda's clock says a minute is left.
    const remaining = () => (pages++ < 2 ? 300_000 : 30_000);
    expect(await stack.campaigns.dispatcher.onFiring({ campaignId: 'big-deals', firingAt: at }, remaining)).toBe('handed_over');
    const handedOver = await stack.occurrence('big-deals', at);
    expect(handedOver).toMatchObject({ status: 'running', pages: 2, counts: { enqueued: 100 } });
    // The local dispatch queue's poller delivers the continuation, as the SQS event source would.
    const done = await waitFor(() => stack.occurrence('big-deals', at), (o) => o.status === 'done');
    expect(done.counts).toEqual({ audience: 300, enqueued: 300, notDue: 0, skipped: {} });
    expect(await stack.queuedJobs()).toBe(300);
  });

  it('finishes a running occurrence with the definition it started with, whatever is edited meanwhile', async () => {
    await stack.seedWhatsApp(waIds(150, '491590'), stack.now.value - 3 * DAY);
    await stack.schedule(campaign({ id: 'edited-deals' }));
    const at = nextHalfHour(stack.now.value);
    stack.now.value = Date.parse(at) + 2_000;
    let pages = 0;
    expect(await stack.campaigns.dispatcher.onFiring({ campaignId: 'edited-deals', firingAt: at }, () => (pages++ < 1 ? 300_000 : 30_000))).toBe('handed_over');
    // Mid-run, the audience is narrowed to a tag nobody has and a second account is added first.
    const edited = campaign({ id: 'edited-deals', status: 'running', audience: { tags: ['nobody'] }, accounts: [{ channel: 'messenger', accountId: PAGE }, { channel: 'whatsapp', accountId: PHONE }] });
    expect((await stack.call('PUT', '/admin/campaigns/edited-deals', edited)).status).toBe(200);
    const done = await waitFor(() => stack.occurrence('edited-deals', at), (o) => o.status === 'done');
    expect(done.counts).toEqual({ audience: 150, enqueued: 150, notDue: 0, skipped: {} });
    // The next firing reads the edited audience.
    const next = minutesAfter(Date.parse(at), 30);
    expect(await fire('edited-deals', next)).toEqual({ outcome: 'done' });
    expect((await stack.occurrence('edited-deals', next)).counts).toMatchObject({ audience: 0, enqueued: 0 });
  });

  it('stops a running occurrence at its next page when the campaign is paused, carries on when resumed, and stops it for good on delete', async () => {
    await stack.seedWhatsApp(waIds(150, '491620'), stack.now.value - 3 * DAY);
    await stack.schedule(campaign({ id: 'halted-deals' }));
    // Hand-overs are held here, so the test decides when the next page runs.
    const held: DispatchContinuation[] = [];
    const worker = dispatcherWithOutbox(stack, (outbox) => outbox, stack.campaigns.scheduler, { continueLater: (m) => Promise.resolve(void held.push(m)) });
    const onePage = () => {
      let pages = 0;
      return () => (pages++ < 1 ? 300_000 : 30_000);
    };
    const at = nextHalfHour(stack.now.value);
    stack.now.value = Date.parse(at) + 2_000;
    expect(await worker.onFiring({ campaignId: 'halted-deals', firingAt: at }, onePage())).toBe('handed_over');
    expect((await stack.call('POST', '/admin/campaigns/halted-deals/pause')).status).toBe(200);
    expect(await worker.onContinuation(held.pop() as DispatchContinuation, onePage())).toBe('paused');
    expect(await stack.occurrence('halted-deals', at)).toMatchObject({ status: 'paused', counts: { enqueued: 50 } });

    // Resume queues a continuation on the real dispatch queue; its poller finishes the occurrence.
    const resumed = await stack.call('POST', '/admin/campaigns/halted-deals/resume');
    expect(resumed.body).toMatchObject({ status: 'running', resumedOccurrences: [at] });
    expect((await waitFor(() => stack.occurrence('halted-deals', at), (o) => o.status === 'done')).counts.enqueued).toBe(150);

    // The next firing, deleted mid-run.
    const next = minutesAfter(Date.parse(at), 30);
    stack.now.value = Date.parse(next) + 2_000;
    expect(await worker.onFiring({ campaignId: 'halted-deals', firingAt: next }, onePage())).toBe('handed_over');
    expect((await stack.call('DELETE', '/admin/campaigns/halted-deals')).status).toBe(200);
    expect(await worker.onContinuation(held.pop() as DispatchContinuation, onePage())).toBe('stopped');
    expect(await stack.occurrence('halted-deals', next)).toMatchObject({ status: 'stopped', stopReason: 'campaign_deleted', counts: { enqueued: 50 } });
    expect(await stack.queuedJobs()).toBe(200);
  });

  it('stops reading the audience once the recipient cap is used up', async () => {
    await stack.seedWhatsApp(waIds(180, '491600'), stack.now.value - 3 * DAY);
    await stack.schedule(campaign({ id: 'first-sixty', kind: 'utility', content: { type: 'template', name: 'order_update', language: 'de' }, caps: { maxRecipients: 60 } }));
    const at = nextHalfHour(stack.now.value);
    expect(await fire('first-sixty', at)).toEqual({ outcome: 'done' });
    // Two pages of 50: the second fills the cap; the 80 contacts after it are never read.
    expect(await stack.occurrence('first-sixty', at)).toMatchObject({
      status: 'done',
      stopReason: 'recipient_cap',
      pages: 2,
      counts: { audience: 100, enqueued: 60, skipped: { recipient_cap: 40 } },
    });
    expect(await stack.queuedJobs()).toBe(60);
  });

  it('resumes an occurrence whose worker crashed mid-page, sending nobody twice', async () => {
    await stack.seedWhatsApp(waIds(200, '491560'), stack.now.value - 3 * DAY);
    await stack.schedule(campaign({ id: 'crashy-deals' }));
    const at = nextHalfHour(stack.now.value);
    stack.now.value = Date.parse(at) + 2_000;
    const crashing = dispatcherWithOutbox(stack, (outbox) => {
      let creates = 0;
      // The 120th record dies after 119 were written: mid-page 3.
      return { ...outbox, create: (record) => (++creates === 120 ? Promise.reject(new Error('Lambda timed out')) : outbox.create(record)) };
    });
    await expect(crashing.onFiring({ campaignId: 'crashy-deals', firingAt: at }, () => 300_000)).rejects.toThrow('Lambda timed out');
    const crashed = await stack.occurrence('crashy-deals', at);
    expect(crashed).toMatchObject({ status: 'running', pages: 2, counts: { enqueued: 100 } });

    // Lambda retries the firing; once the lease has run out, the retry takes over from the last saved page.
    stack.now.value += 61_000;
    expect(await stack.campaigns.invoke({ campaignId: 'crashy-deals', firingAt: at })).toEqual({ outcome: 'done' });
    const resumed = await stack.occurrence('crashy-deals', at);
    expect(resumed).toMatchObject({ status: 'done', counts: { audience: 200, enqueued: 200, skipped: {} } });
    expect(resumed.funnel).toMatchObject({ jobs: 200 });
    // Every record reached the queue, the crashed page's queued ones possibly twice. A sender drains it,
    // duplicates concurrently: each of the 200 people gets exactly one message.
    const sent = await sendQueuedJobs(stack);
    expect(sent.jobs.size).toBe(200);
    expect(sent.deliveries).toBeGreaterThanOrEqual(200);
    expect(sent.outcomes.sent).toBe(200);
    expect(sent.perRecipient.size).toBe(200);
    expect([...sent.perRecipient].filter(([, messages]) => messages !== 1)).toEqual([]);
    // 200 sends through dynalite on top of the crash and the resume.
  }, 180_000);

  it('finishes a one-off campaign on the next delivery when its worker stopped right after the last page', async () => {
    await stack.seedWhatsApp(waIds(5, '491610'), stack.now.value - 3 * DAY);
    const at = minutesAfter(stack.now.value, 2);
    await stack.schedule(campaign({ id: 'one-off', kind: 'utility', content: { type: 'template', name: 'order_update', language: 'de' }, schedule: { kind: 'once', at } }));
    stack.now.value = Date.parse(at) + 1_000;
    const dying = dispatcherWithOutbox(stack, (outbox) => outbox, { remove: () => Promise.reject(new Error('Lambda timed out')) });
    await expect(dying.onFiring({ campaignId: 'one-off', firingAt: at }, () => 300_000)).rejects.toThrow('Lambda timed out');
    expect((await stack.call('GET', '/admin/campaigns/one-off')).body.status).toBe('running');
    expect(stack.campaigns.scheduler.rules()).toHaveLength(1);

    // Lambda's retry finds the occurrence done, sends nothing, and finishes the campaign: rule gone, status done.
    expect(await stack.campaigns.invoke({ campaignId: 'one-off', firingAt: at })).toEqual({ outcome: 'already_done' });
    expect((await stack.call('GET', '/admin/campaigns/one-off')).body.status).toBe('done');
    expect(stack.campaigns.scheduler.rules()).toEqual([]);
    expect(await stack.queuedJobs()).toBe(5);
  });

  it('sends a business event’s utility template once, however often the event arrives', async () => {
    await stack.approveTemplate('order_shipped', 'de', 'UTILITY');
    const entry = entryFromEvent(loadEvent('eventbridge/order-shipped.json'));
    for (let i = 0; i < 2; i += 1) {
      const result = await stack.campaigns.eventBus.putEvents([entry]);
      expect(result.FailedEntryCount).toBe(0);
    }
    // A repeat enqueues the same job again (it might have been lost before): two deliveries of one job,
    // run concurrently by a sender; its claim lets one message through.
    const sent = await sendQueuedJobs(stack);
    expect(sent.deliveries).toBe(2);
    expect([...sent.jobs]).toEqual([outboxIdFor('event#com.sampleshop.orders#order.shipped#order-SK-1042-shipped')]);
    expect(sent.outcomes.sent).toBe(1);
    expect([...sent.perRecipient]).toEqual([['+4915112345678', 1]]);
    const bad = await stack.call('POST', '/local/events', { Entries: [{ ...entry, Detail: JSON.stringify({ channel: 'whatsapp' }) }] });
    expect(bad.body).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InvalidArgument' }] });
  });
});

/** A dispatcher on the stack's table and queues whose outbox, scheduler or continuations the test can replace. */
const dispatcherWithOutbox = (
  stack: CampaignStack,
  wrap: (outbox: Outbox) => Outbox,
  scheduler: Pick<CampaignScheduler, 'remove'> = stack.campaigns.scheduler,
  continuations: DispatchQueue = new SqsDispatchQueue(stack.queues.client, stack.queues.dispatchQueueUrl),
) => {
  const client = documentClient({ endpoint: process.env.DDB_ENDPOINT });
  const table = stack.tableName;
  const store = new DynamoDbStateStore(client, { tableName: table });
  return createDispatcher({
    campaigns: new DynamoDbCampaignStore(client, table),
    occurrences: new DynamoDbOccurrenceStore(client, table),
    audience: new DynamoDbAudienceIndex(client, table),
    store,
    accounts: new DynamoDbAccountRegistry(client, table, () => stack.now.value),
    ledger: new DynamoDbMarketingLedger(client, table),
    outbox: wrap(new DynamoDbOutbox(client, table)),
    queue: new SqsSendQueue(stack.queues.client, stack.queues.queueUrl),
    continuations,
    scheduler,
    clock: () => stack.now.value,
    logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'ERROR' }),
    tuning: { pageSize: 50, segments: 1 },
  });
};

const waitFor = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
