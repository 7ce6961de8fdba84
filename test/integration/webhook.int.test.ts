/**
 * Interface under test: the local stack over HTTP (webhook + admin API, the same handlers as in AWS)
 * with state in dynalite. Covers the foundation's acceptance scenarios end to end.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { signBody } from '../../lambdas/webhook/signature';
import { explode } from '../helpers/explode';
import { listEvents, loadEvent, loadEventText } from '../helpers/events';
import { startTestStack, TEST_APP_SECRET, TEST_VERIFY_TOKEN, type TestStack } from '../helpers/local-stack';

const PAGE = '1234567890123456';
const PSID = '6543210987654321';
const messengerContact = `/admin/contacts/messenger/${PAGE}/${PSID}`;

describe('webhook on the local stack', () => {
  let stack: TestStack;
  beforeEach(async () => {
    stack = await startTestStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('answers the verification handshake with the raw challenge', async () => {
    const ok = await stack.get(`/webhooks/meta?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    const refused = await stack.get('/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1');
    expect(refused.status).toBe(403);
  });

  it('opens the window at the event time for a signed Messenger message; a delivery changes nothing', async () => {
    // Act
    expect((await stack.post(loadEventText('meta/messenger/message-text.json'))).status).toBe(200);
    const afterMessage = await stack.getJson(messengerContact);
    expect((await stack.post(loadEventText('meta/messenger/delivery.json'))).status).toBe(200);
    const afterDelivery = await stack.getJson(messengerContact);
    // Assess
    expect(afterMessage.window).toEqual({
      lastInboundAt: new Date(1779000000000).toISOString(),
      openedBy: 'message',
      open: true,
      closesAt: new Date(1779000000000 + 24 * 3_600_000).toISOString(),
      humanAgentUntil: new Date(1779000000000 + 7 * 24 * 3_600_000).toISOString(),
    });
    expect(afterDelivery.window).toEqual(afterMessage.window);
    expect(afterDelivery.deliveredUpTo).not.toBeNull();
  });

  it('shows the window closed once 24 h have passed', async () => {
    await stack.post(loadEventText('meta/messenger/message-text.json'));
    stack.now.value = 1779000000000 + 24 * 3_600_000 + 1000;
    expect(((await stack.getJson(messengerContact)).window as { open: boolean }).open).toBe(false);
  });

  it('refuses a forged signature with 401 and changes no state', async () => {
    const before = await stack.dump();
    const body = loadEventText('meta/messenger/message-text.json');
    const response = await stack.post(body, { signature: signBody(body, 'not-the-app-secret') });
    expect(response.status).toBe(401);
    expect(await stack.dump()).toEqual(before);
    expect((await stack.get(messengerContact)).status).toBe(404);
  });

  it('answers 413 with a JSON error to a body over the limit', async () => {
    const small = await startTestStack({ maxBodyBytes: 512 });
    try {
      const response = await small.post({ object: 'page', entry: [], padding: 'x'.repeat(1024) });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: 'payload too large' });
    } finally {
      await small.close();
    }
  });

  it('answers 400 to malformed JSON', async () => {
    const response = await stack.post('{"object":"page","entry":[');
    expect(response.status).toBe(400);
  });

  it('stores the known events of a batch and skips an unknown one', async () => {
    const known = loadEvent<{ entry: { messaging: unknown[] }[] }>('meta/messenger/message-text.json');
    const unknownItem = { sender: { id: PSID }, recipient: { id: PAGE }, timestamp: 1779000000500, brand_new_feature: { x: 1 } };
    const entry = known.entry[0] as { messaging: unknown[] };
    entry.messaging = [unknownItem, ...entry.messaging];
    expect((await stack.post(known)).status).toBe(200);
    expect((await stack.getJson(messengerContact)).window).toMatchObject({ openedBy: 'message' });
  });

  it('answers 500 when storage fails, so Meta retries', async () => {
    const raw = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await raw.send(new DeleteTableCommand({ TableName: stack.tableName }));
    raw.destroy();
    const response = await stack.post(loadEventText('meta/messenger/message-text.json'));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'storage unavailable, retry later' });
  });

  it('handles a batch of 1,000 events in one body', async () => {
    const base = 1779000000000;
    const body = {
      object: 'page',
      entry: Array.from({ length: 10 }, (_, e) => ({
        id: PAGE,
        time: base,
        messaging: Array.from({ length: 100 }, (_, i) => ({
          sender: { id: `70000000000${String(i).padStart(5, '0')}` },
          recipient: { id: PAGE },
          timestamp: base + e * 1000 + i,
          message: { mid: `m_batch_${e}_${i}`, text: 'hello' },
        })),
      })),
    };
    expect((await stack.post(body)).status).toBe(200);
    const last = await stack.getJson(`/admin/contacts/messenger/${PAGE}/7000000000000099`);
    expect(last.window).toMatchObject({ lastInboundAt: new Date(base + 9 * 1000 + 99).toISOString(), openedBy: 'message' });
    const events = (await stack.dump()).filter((i) => String(i.pk).startsWith('E#'));
    expect(events).toHaveLength(1000);
  });
});

describe('duplicates and reordering', () => {
  // Receipts (statuses, watermarks) get no event record, so on dynalite each of their duplicates costs
  // a refused write and a read per item instead of one BatchGetItem per body (in AWS the refusal
  // returns the item): these two runs, 5× every sample, take about twice as long as before.
  const DUPLICATES_TIMEOUT_MS = 180_000;
  const bodies = listEvents('meta').map((path) => loadEvent(path));
  const singles = bodies.flatMap(explode);

  const stateAfter = async (deliveries: readonly Record<string, unknown>[]) => {
    const stack = await startTestStack();
    try {
      for (const body of deliveries) expect((await stack.post(body)).status).toBe(200);
      return await stack.dump();
    } finally {
      await stack.close();
    }
  };

  it('reaches the same state from one in-order delivery, five duplicates of each, and any shuffle', async () => {
    const inOrder = await stateAfter(singles);
    expect(inOrder.length).toBeGreaterThan(50);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(singles.flatMap((s) => [s, s, s, s, s]), { minLength: singles.length * 5 }), async (shuffled) => {
        expect(await stateAfter(shuffled)).toEqual(inOrder);
      }),
      { numRuns: 3 },
    );
  }, DUPLICATES_TIMEOUT_MS);

  it('keeps the same state when whole sample bodies arrive five times, concurrently', async () => {
    const inOrder = await stateAfter(bodies);
    const stack = await startTestStack();
    try {
      const statuses = await Promise.all(bodies.flatMap((b) => [b, b, b, b, b]).map((b) => stack.post(b).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect(await stack.dump()).toEqual(inOrder);
    } finally {
      await stack.close();
    }
  }, DUPLICATES_TIMEOUT_MS);
});

describe('signatures over HTTP', () => {
  it('accepts the escaped-unicode bytes exactly as Meta sends them', async () => {
    const stack = await startTestStack();
    try {
      const body = loadEventText('meta/messenger/message-text.json').replace(
        'Hi, is the blue jacket still available in size M?',
        'Gr\\u00fc\\u00dfe \\ud83d\\udc4b',
      );
      const response = await stack.post(body, { signature: signBody(body, TEST_APP_SECRET) });
      expect(response.status).toBe(200);
    } finally {
      await stack.close();
    }
  });
});
