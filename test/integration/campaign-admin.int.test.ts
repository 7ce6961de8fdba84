/**
 * Interface under test: the campaign admin API over HTTP on the local stack, and the local scheduler
 * standing in for EventBridge rules: definitions, the lifecycle and its rule, profiles and tag
 * audiences, and a local-time campaign fired on its quarter-hour grid.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { loadEvent } from '../helpers/events';
import { DE_BSUID, DE_WA, PHONE } from '../helpers/sample-ids';

const DAY = 24 * 3_600_000;

const draft = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'weekly-deals',
  name: 'Weekly deals',
  accounts: [{ channel: 'whatsapp', accountId: PHONE }],
  audience: { tags: ['newsletter'] },
  content: { type: 'template', name: 'weekly_deals', language: 'de', parameters: [{ name: 'first_name', fromAttribute: 'firstName', value: 'du' }] },
  kind: 'marketing',
  schedule: { kind: 'recurring', expression: 'cron(0 8 ? * MON *)' },
  status: 'draft',
  ...over,
});

describe('campaign admin API', () => {
  let stack: CampaignStack;
  beforeEach(async () => {
    stack = await startCampaignStack();
    await stack.approveTemplate('weekly_deals', 'de', 'MARKETING');
  });
  afterEach(async () => stack.close());

  it('answers bad definitions with the fields at fault, and unknown campaigns with 404', async () => {
    const invalid = await stack.call('PUT', '/admin/campaigns/weekly-deals', { ...draft(), schedule: { kind: 'recurring', expression: 'cron(0 8 * * MON *)' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: 'invalid campaign', detail: [expect.objectContaining({ path: 'schedule.expression' })] });
    expect((await stack.call('PUT', '/admin/campaigns/other-id', draft())).status).toBe(400);
    expect(String((await stack.call('PUT', '/admin/campaigns/weekly-deals', draft({ status: 'scheduled' }))).body.error)).toContain("starts as 'draft'");
    expect((await stack.call('GET', '/admin/campaigns/nope')).status).toBe(404);
    expect((await stack.call('POST', '/admin/campaigns/nope/schedule')).status).toBe(404);
  });

  it('moves a campaign through schedule, pause, resume and delete, and its rule with it', async () => {
    expect((await stack.call('PUT', '/admin/campaigns/weekly-deals', draft())).status).toBe(201);
    expect(await stack.call('GET', '/admin/campaigns')).toMatchObject({ body: { campaigns: [expect.objectContaining({ id: 'weekly-deals', status: 'draft' })] } });

    const scheduled = await stack.call('POST', '/admin/campaigns/weekly-deals/schedule');
    expect(scheduled).toMatchObject({ status: 200, body: { status: 'scheduled', ruleName: 'afterchat-local-campaign-weekly-deals', preview: { audience: 0 } } });
    const rules = async () => (await stack.call('GET', '/local/rules')).body.rules;
    // Monday 18 May 2026, 08:00 UTC is now; the next Monday 08:00 is the next firing.
    expect(await rules()).toEqual([expect.objectContaining({ expression: 'cron(0 8 ? * MON *)', enabled: true, nextFireAt: '2026-05-25T08:00:00.000Z' })]);

    // Editing needs the stored status, and a live rule follows the new schedule.
    expect((await stack.call('PUT', '/admin/campaigns/weekly-deals', draft({ name: 'Deals' }))).status).toBe(409);
    const edited = await stack.call('PUT', '/admin/campaigns/weekly-deals', draft({ status: 'scheduled', schedule: { kind: 'recurring', expression: 'rate(2 hours)' } }));
    expect(edited).toMatchObject({ status: 200, body: { version: 3 } });
    expect(await rules()).toEqual([expect.objectContaining({ expression: 'rate(2 hours)', enabled: true })]);

    expect(await stack.call('POST', '/admin/campaigns/weekly-deals/pause')).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect(await rules()).toEqual([expect.objectContaining({ enabled: false })]);
    // A firing that slipped through during the pause sends nothing.
    expect(await stack.campaigns.invoke({ campaignId: 'weekly-deals', firingAt: '2026-05-18T10:00:00Z' })).toEqual({ outcome: 'not_active' });
    expect((await stack.call('POST', '/admin/campaigns/weekly-deals/pause')).status).toBe(409);

    expect(await stack.call('POST', '/admin/campaigns/weekly-deals/resume')).toMatchObject({ status: 200, body: { status: 'scheduled', resumedOccurrences: [] } });
    expect(await rules()).toEqual([expect.objectContaining({ enabled: true })]);

    expect(await stack.call('DELETE', '/admin/campaigns/weekly-deals')).toMatchObject({ status: 200, body: { deleted: 'weekly-deals' } });
    expect(await rules()).toEqual([]);
    expect((await stack.call('GET', '/admin/campaigns/weekly-deals')).status).toBe(404);
  });

  it('refuses to schedule a one-off campaign whose time has passed, or one already over its cost cap', async () => {
    await stack.seedWhatsApp(['4915100000001', '4915100000002'], stack.now.value - 3 * DAY);
    for (const waId of ['4915100000001', '4915100000002']) await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${waId}/profile`, { tags: ['newsletter'] });
    await stack.call('PUT', '/admin/campaigns/too-late', draft({ id: 'too-late', schedule: { kind: 'once', at: '2026-05-18T07:00:00Z' } }));
    const late = await stack.call('POST', '/admin/campaigns/too-late/schedule');
    expect(late.status).toBe(409);
    expect(String(late.body.error)).toContain('has passed');

    // Two DE marketing templates at the table's €0.1131 are €0.2262: over a €0.20 cap.
    await stack.call('PUT', '/admin/campaigns/capped', draft({ id: 'capped', caps: { maxCostEur: 0.2 } }));
    const refused = await stack.call('POST', '/admin/campaigns/capped/schedule');
    expect(refused).toMatchObject({ status: 409, body: { preview: { eligible: 2, overCostCap: true, estimate: { totalsByCurrency: { EUR: 0.23 } } } } });
    expect((await stack.call('GET', '/admin/campaigns/capped')).body.status).toBe('draft');
    expect(stack.campaigns.scheduler.rules()).toEqual([]);
  });

  it('reads a tag audience from profiles, and fills template parameters from their attributes', async () => {
    const [ada, bob, eve] = ['4915100000011', '4915100000012', '4915100000013'];
    await stack.seedWhatsApp([ada, bob, eve] as string[], stack.now.value - 3 * DAY);
    await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${ada}/profile`, { tags: ['newsletter', 'vip'], attributes: { firstName: 'Ada' } });
    await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${bob}/profile`, { tags: ['newsletter'] });
    await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${eve}/profile`, { tags: ['vip'] });
    const badProfile = await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${eve}/profile`, { timeZone: '+05:30' });
    expect(badProfile).toMatchObject({ status: 400, body: { detail: [expect.objectContaining({ path: 'timeZone' })] } });

    await stack.schedule(draft());
    const preview = await stack.call('POST', '/admin/campaigns/weekly-deals/preview');
    expect(preview.body).toMatchObject({ audience: 2, eligible: 2, skipped: {} });

    // Bob leaves the newsletter: the tag index forgets him.
    await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${bob}/profile`, { tags: [] });
    const at = '2026-05-25T08:00:00Z';
    stack.now.value = Date.parse(at) + 1_000;
    expect(await stack.campaigns.invoke({ campaignId: 'weekly-deals', firingAt: at })).toEqual({ outcome: 'done' });
    // The firing ran one segment; the dispatch poller runs the others.
    const occurrence = await stack.settled('weekly-deals', '2026-05-25T08:00:00.000Z');
    expect(occurrence.counts).toEqual({ audience: 1, enqueued: 1, notDue: 0, skipped: {} });
    const record = await new DynamoDbOutbox(documentClient({ endpoint: process.env.DDB_ENDPOINT }), stack.tableName).get(await onlyJob(stack));
    expect(record?.intent).toMatchObject({
      userId: ada,
      content: { type: 'template', name: 'weekly_deals', components: [{ type: 'body', parameters: [{ type: 'text', name: 'first_name', value: 'Ada' }] }] },
    });
  });

  it('puts a profile addressed by BSUID on the person’s main record, where the audience reads it', async () => {
    await stack.postWebhook(loadEvent('meta/whatsapp/message-username-bsuid.json'));
    await stack.postWebhook(loadEvent('meta/whatsapp/user-preferences-stop.json'));
    const put = await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${DE_BSUID}/profile`, { tags: ['vip'] });
    expect(put.body).toMatchObject({ userId: DE_WA, linkedFrom: DE_BSUID, tags: ['vip'] });
    await stack.schedule(draft({ id: 'vips', audience: { tags: ['vip'] } }));
    const preview = await stack.call('POST', '/admin/campaigns/vips/preview');
    // Found by the tag, read as one person; the stop webhook keeps marketing from them.
    expect(preview.body).toMatchObject({ audience: 1, eligible: 0, skipped: { marketing_opted_out: 1 } });
  });

  it('fires a local-time campaign on the quarter-hour grid and sends each contact at their own 09:00', async () => {
    const [berlin, kolkata] = ['4915100000021', '919800000021'];
    await stack.seedWhatsApp([berlin, kolkata], stack.now.value - 3 * DAY);
    await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${berlin}/profile`, { tags: ['newsletter'], timeZone: 'Europe/Berlin' });
    await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${kolkata}/profile`, { tags: ['newsletter'], timeZone: 'Asia/Kolkata' });
    await stack.schedule(draft({ id: 'morning', schedule: { kind: 'local_time', at: '09:00' } }));
    expect(stack.campaigns.scheduler.rules()).toEqual([expect.objectContaining({ expression: 'cron(0/15 * * * ? *)' })]);

    // 09:00 in Kolkata is 03:30 UTC on the 19th; in Berlin 07:00 UTC.
    const fired = await stack.campaigns.scheduler.runDue(Date.parse('2026-05-19T03:30:00Z'));
    expect(fired).toEqual([{ campaignId: 'morning', firingAt: '2026-05-19T03:30:00.000Z' }]);
    // Each firing reads only the zone buckets due in it: Kolkata's contact, not Berlin's (before
    // zone buckets both were read at every firing, and Berlin's counted notDue).
    expect((await stack.settled('morning', '2026-05-19T03:30:00.000Z')).counts).toEqual({ audience: 1, enqueued: 1, notDue: 0, skipped: {} });
    await stack.campaigns.scheduler.runDue(Date.parse('2026-05-19T07:00:00Z'));
    expect((await stack.settled('morning', '2026-05-19T07:00:00.000Z')).counts).toEqual({ audience: 1, enqueued: 1, notDue: 0, skipped: {} });
    // A quarter hour in which neither is due reads neither.
    await stack.campaigns.scheduler.runDue(Date.parse('2026-05-19T07:15:00Z'));
    expect((await stack.settled('morning', '2026-05-19T07:15:00.000Z')).counts).toEqual({ audience: 0, enqueued: 0, notDue: 0, skipped: {} });
    expect(await stack.queuedJobs()).toBe(2);
  });

  it('reads a person stored under BSUID and wa_id once from their zone bucket, and sends to the wa_id once', async () => {
    await stack.approveTemplate('order_update', 'de', 'UTILITY');
    // The link is learnt second: the BSUID's record was in the account-zone bucket until then.
    await stack.postWebhook(loadEvent('meta/whatsapp/message-username-bsuid.json'));
    await stack.postWebhook(loadEvent('meta/whatsapp/user-preferences-stop.json'));
    await stack.schedule(
      draft({ id: 'morning-notice', kind: 'utility', audience: {}, content: { type: 'template', name: 'order_update', language: 'de' }, schedule: { kind: 'local_time', at: '09:00' } }),
    );

    // No zone of their own: the account's (Europe/Berlin), 09:00 there is 07:00 UTC.
    await stack.campaigns.scheduler.runDue(Date.parse('2026-05-19T07:00:00Z'));
    expect((await stack.settled('morning-notice', '2026-05-19T07:00:00.000Z')).counts).toEqual({ audience: 1, enqueued: 1, notDue: 0, skipped: {} });
    const outbox = new DynamoDbOutbox(documentClient({ endpoint: process.env.DDB_ENDPOINT }), stack.tableName);
    const { outboxIds } = await outbox.listGroup('morning-notice#2026-05-19T07:00:00.000Z', undefined, 10);
    expect(outboxIds).toHaveLength(1);
    expect((await outbox.get(outboxIds[0] as string))?.intent).toMatchObject({ userId: DE_WA });
  });
});

const onlyJob = async (stack: CampaignStack): Promise<string> => {
  const { Messages = [] } = await stack.queues.client.send(new ReceiveMessageCommand({ QueueUrl: stack.queues.queueUrl, MaxNumberOfMessages: 10 }));
  expect(Messages).toHaveLength(1);
  return (JSON.parse(String(Messages[0]?.Body)) as { outboxId: string }).outboxId;
};
