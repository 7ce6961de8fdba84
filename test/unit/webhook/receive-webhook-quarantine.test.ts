/**
 * Interface under test: the webhook handler (createWebhookHandler) with real schemas, a recording
 * store and the in-memory quarantine: an item that can't be stored or reasoned about is set aside on
 * its own, and the rest of the body lands with a 200.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { InMemoryQuarantine } from '../../../lambdas/adapters/memory/quarantine';
import { StaticWebhookSecrets } from '../../../lambdas/adapters/secrets/static-webhook-secrets';
import type { RegisterWrite } from '../../../lambdas/domain/state-writes';
import { ItemRejected } from '../../../lambdas/ports/state-store';
import { createWebhookHandler } from '../../../lambdas/webhook/receive-webhook';
import { signBody } from '../../../lambdas/webhook/signature';
import { httpEvent } from '../../helpers/api-gateway-event';
import { captureLogs } from '../../helpers/capture-logs';
import { listEvents, loadEvent } from '../../helpers/events';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const SECRET = 'app-secret';
const NOW = Date.UTC(2026, 4, 18);
const PAGE = '1234567890123456';
const LONG_PSID = '7'.repeat(3000);

const setup = (logLevel: 'SILENT' | 'DEBUG' = 'SILENT') => {
  const store = new RecordingStore();
  const quarantine = new InMemoryQuarantine();
  const metrics = new Metrics({ namespace: 'afterchat', serviceName: 'meta-webhook' });
  const addMetric = jest.spyOn(metrics, 'addMetric');
  const handler = createWebhookHandler({
    secrets: new StaticWebhookSecrets(SECRET, 'token'),
    store,
    quarantine,
    accounts: new FixedAccounts(),
    clock: () => NOW,
    logger: new Logger({ logLevel }),
    metrics,
    maxBodyBytes: 4 * 1024 * 1024,
  });
  const post = async (body: object) => {
    const text = JSON.stringify(body);
    return (await handler(httpEvent({ method: 'POST', body: text, headers: { 'x-hub-signature-256': signBody(text, SECRET) } }))).statusCode;
  };
  const quarantined = async () => (await quarantine.list({ limit: 100, now: NOW })).items;
  const metric = (name: string) => addMetric.mock.calls.filter(([n]) => n === name).map(([, unit, value]) => ({ unit, value }));
  return { store, quarantine, post, quarantined, metric };
};

/** A Messenger body of text messages, one entry each, from `psid` at `timestamp` (ms). */
const messengerBody = (...items: { psid: string; timestamp: number; mid: string }[]) => ({
  object: 'page',
  entry: items.map((m) => ({
    id: PAGE,
    time: NOW,
    messaging: [{ sender: { id: m.psid }, recipient: { id: PAGE }, timestamp: m.timestamp, message: { mid: m.mid, text: 'hello' } }],
  })),
});

const windowsOf = (writes: readonly RegisterWrite[]) =>
  writes.filter((w) => w.register === 'window').map((w) => (w.target.entity === 'contact' ? w.target.contact.userId : undefined));

describe('webhook quarantine', () => {
  it('quarantines an item timed 1e20, lands the valid one beside it, and answers 200; Meta sending it again changes nothing', async () => {
    const { store, post, quarantined, metric } = setup();
    const body = messengerBody({ psid: '1111111111', timestamp: 1e20, mid: 'm_poison' }, { psid: '2222222222', timestamp: NOW - 60_000, mid: 'm_fine' });
    expect(await post(body)).toBe(200);
    expect(windowsOf(store.writes)).toEqual(['2222222222']);
    expect(await quarantined()).toEqual([
      expect.objectContaining({ reason: 'time_out_of_range', type: 'inbound', channel: 'messenger', accountId: PAGE, userId: '1111111111', receivedAt: NOW }),
    ]);
    expect(metric('QuarantinedItems')).toEqual([{ unit: MetricUnit.Count, value: 1 }]);
    expect(await post(body)).toBe(200);
    expect(await quarantined()).toHaveLength(1);
  });

  it('quarantines a 3,000-character user id without naming the person, and lands the rest', async () => {
    const { store, post, quarantined } = setup();
    expect(await post(messengerBody({ psid: LONG_PSID, timestamp: NOW - 1000, mid: 'm_long' }, { psid: '2222222222', timestamp: NOW - 1000, mid: 'm_fine' }))).toBe(200);
    expect(windowsOf(store.writes)).toEqual(['2222222222']);
    const [entry] = await quarantined();
    expect(entry).toMatchObject({ reason: 'invalid_id', issues: [{ path: 'contact.userId', message: 'at most 20 characters (got 3000)' }] });
    expect(entry?.userId).toBeUndefined();
  });

  it('quarantines an item storage refuses for a reason of its own, and still lands and records the others', async () => {
    const { store, post, quarantined } = setup();
    const apply = store.apply.bind(store);
    jest.spyOn(store, 'apply').mockImplementation((writes) =>
      writes.some((w) => w.target.entity === 'contact' && w.target.contact.userId === '1111111111') ? Promise.reject(new ItemRejected('ValidationException')) : apply(writes),
    );
    expect(await post(messengerBody({ psid: '1111111111', timestamp: NOW - 2000, mid: 'm_refused' }, { psid: '2222222222', timestamp: NOW - 1000, mid: 'm_fine' }))).toBe(200);
    expect(store.events.map((e) => e.eventKey)).toEqual([expect.stringContaining('m_fine')]);
    expect(await quarantined()).toEqual([
      expect.objectContaining({ reason: 'store_refused', issues: [{ path: '$', message: 'storage refused the item (ValidationException)' }], userId: '1111111111' }),
    ]);
  });

  it('answers 500 when storage fails transiently, and when the quarantine itself cannot be written, so Meta retries', async () => {
    const transient = setup();
    transient.store.failWith = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    expect(await transient.post(messengerBody({ psid: '2222222222', timestamp: NOW - 1000, mid: 'm_fine' }))).toBe(500);
    const quarantineDown = setup();
    jest.spyOn(quarantineDown.quarantine, 'put').mockRejectedValue(new Error('ProvisionedThroughputExceededException'));
    expect(await quarantineDown.post(messengerBody({ psid: '1111111111', timestamp: 1e15, mid: 'm_poison' }))).toBe(500);
  });

  it('logs a quarantined item by its reason, type and field paths: never the user id, the phone number or the text', async () => {
    const { post } = setup('DEBUG');
    const logs = captureLogs();
    try {
      await post(messengerBody({ psid: LONG_PSID, timestamp: 1e20, mid: 'm_secret_mid' }));
    } finally {
      logs.restore();
    }
    const output = logs.lines.join('\n');
    expect(output).toContain('webhook items quarantined');
    expect(output).toContain('contact.userId');
    expect(output).not.toContain('7777777777');
    expect(output).not.toContain('m_secret_mid');
    expect(output).not.toContain('hello');
  });

  it('quarantines none of the sample webhooks in events/meta, received after them', async () => {
    const { post, quarantined, metric } = setup();
    for (const path of listEvents('meta')) expect(await post(loadEvent(path))).toBe(200);
    expect(await quarantined()).toEqual([]);
    expect(metric('QuarantinedItems').every((m) => m.value === 0)).toBe(true);
  });
});
