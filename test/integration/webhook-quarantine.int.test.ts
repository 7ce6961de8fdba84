/**
 * Interface under test: the webhook handler with the DynamoDB adapters on dynalite (test/helpers/
 * webhook-rig.ts), posting signed bodies as Meta does. Items that pass the schemas but can't be
 * stored or reasoned about (README "Quarantine") are set aside one by one: the rest of the body
 * lands, the answer is 200, and no such item opens a window.
 */
import fc from 'fast-check';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbQuarantine } from '../../lambdas/adapters/dynamodb/quarantine';
import { decide } from '../../lambdas/domain/send/policy-engine';
import { stateChanges } from '../../lambdas/domain/state-changes';
import { ItemRejected } from '../../lambdas/ports/state-store';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { loadPolicyInputs } from '../../lambdas/send/load-policy-inputs';
import { RIG_PHONE, RIG_WABA, startWebhookRig, type WebhookRig } from '../helpers/webhook-rig';

const endpoint = (): string => {
  const value = process.env.DDB_ENDPOINT;
  if (!value) throw new Error('DDB_ENDPOINT is not set: run through the jest integration project');
  return value;
};

const PAGE = '1234567890123456';
const HOUR = 3_600_000;
const LONG_ID = '7'.repeat(3000);
const seconds = (ms: number): string => String(Math.floor(ms / 1000));

/** A Messenger body: one entry per text message. */
const messenger = (...items: { psid: string; at: number; mid: string }[]) => ({
  object: 'page',
  entry: items.map((m) => ({
    id: PAGE,
    time: Date.now(),
    messaging: [{ sender: { id: m.psid }, recipient: { id: PAGE }, timestamp: m.at, message: { mid: m.mid, text: 'hello' } }],
  })),
});

/** A WhatsApp body with text messages; `timestamp` as Meta sends it, a string. */
const whatsapp = (...items: { waId: string; timestamp: string; wamid: string }[]) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: RIG_WABA,
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: RIG_PHONE },
            contacts: items.map((m) => ({ profile: { name: 'Alex' }, wa_id: m.waId })),
            messages: items.map((m) => ({ from: m.waId, id: m.wamid, timestamp: m.timestamp, type: 'text', text: { body: 'hi' } })),
          },
        },
      ],
    },
  ],
});

describe('webhook quarantine on dynalite', () => {
  let rig: WebhookRig;
  let quarantine: DynamoDbQuarantine;
  let accounts: DynamoDbAccountRegistry;
  beforeEach(async () => {
    rig = await startWebhookRig(endpoint());
    quarantine = new DynamoDbQuarantine(rig.client, rig.tableName);
    accounts = new DynamoDbAccountRegistry(rig.client, rig.tableName, Date.now);
    await accounts.put({ channel: 'messenger', accountId: PAGE, displayName: 'Shop', tokenSecret: 'shop/page', timezone: 'Europe/Berlin' });
  });
  afterEach(() => rig.close());

  const listed = async () => (await quarantine.list({ limit: 100, now: Date.now() })).items;
  const lastInboundAt = async (channel: 'messenger' | 'whatsapp', accountId: string, userId: string) =>
    (await rig.store.getPerson({ channel, accountId, userId }))?.state.lastInboundAt;
  /** What the policy engine decides now for a free-form bot reply to the person. */
  const freeFormReply = async (channel: 'messenger' | 'whatsapp', accountId: string, userId: string) => {
    const intent: SendIntent = { channel, accountId, userId, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Thanks!' } };
    const now = Date.now();
    const { contact, accountState } = await loadPolicyInputs({ store: rig.store, accounts }, intent, now);
    return decide(intent, contact, accountState, now).outcome;
  };

  it('answers 200 to a signed body with a timestamp of 1e20, lands the valid event beside it, and again to its retry', async () => {
    const at = Date.now() - 60_000;
    const body = whatsapp(
      { waId: '4915100000001', timestamp: '100000000000000000000', wamid: 'wamid.POISON1e20' },
      { waId: '4915100000002', timestamp: seconds(at), wamid: 'wamid.FINE1' },
    );
    expect((await rig.post(body)).status).toBe(200);
    expect(await lastInboundAt('whatsapp', RIG_PHONE, '4915100000002')).toBe(Math.floor(at / 1000) * 1000);
    expect(await rig.store.getPerson({ channel: 'whatsapp', accountId: RIG_PHONE, userId: '4915100000001' })).toBeUndefined();
    const [entry] = await listed();
    expect(entry).toMatchObject({ reason: 'time_out_of_range', type: 'inbound', channel: 'whatsapp', accountId: RIG_PHONE, userId: '4915100000001' });
    // Filed under the person, so erasure finds it (README "Data model", gsi2).
    const stored = (await rig.dump()).find((item) => item.entity === 'quarantine');
    expect(stored).toMatchObject({ gsi2pk: `P#whatsapp#${RIG_PHONE}#4915100000001`, gsi2sk: expect.stringMatching(/^QUAR#/) as unknown });

    expect((await rig.post(body)).status).toBe(200);
    expect(await listed()).toHaveLength(1);
  });

  it('answers 200 to a 3,000-character user id, lands the valid events of the same body, and again to its retry', async () => {
    const at = Date.now() - 1000;
    const body = messenger({ psid: LONG_ID, at, mid: 'm_long_sender' }, { psid: '6543210987654321', at, mid: 'm_fine_sender' });
    expect((await rig.post(body)).status).toBe(200);
    expect(await lastInboundAt('messenger', PAGE, '6543210987654321')).toBe(at);
    const [entry] = await listed();
    expect(entry).toMatchObject({ reason: 'invalid_id', issues: [{ path: 'contact.userId', message: 'at most 20 characters (got 3000)' }], accountId: PAGE });
    expect(entry?.userId).toBeUndefined();
    expect((await rig.post(body)).status).toBe(200);
    expect(await listed()).toHaveLength(1);
  });

  it.each([
    ['a Messenger message in the year 9999 (ms)', 'messenger' as const, Date.UTC(9999, 11, 31)],
    ['a WhatsApp message at 1e15 ms', 'whatsapp' as const, 1e15],
  ])('quarantines %s: it opens no window, and after a real message two days old the engine still refuses free-form', async (_case, channel, future) => {
    const userId = channel === 'messenger' ? '6543210987654321' : '4915100000003';
    const accountId = channel === 'messenger' ? PAGE : RIG_PHONE;
    const post = (at: number, id: string) =>
      rig.post(channel === 'messenger' ? messenger({ psid: userId, at, mid: `m_${id}` }) : whatsapp({ waId: userId, timestamp: String(at), wamid: `wamid.${id}` }));
    expect((await post(future, 'FUTURE')).status).toBe(200);
    expect(await lastInboundAt(channel, accountId, userId)).toBeUndefined();
    expect(await listed()).toEqual([expect.objectContaining({ reason: 'time_out_of_range', userId })]);

    const twoDaysAgo = Date.now() - 48 * HOUR;
    expect((await post(channel === 'messenger' ? twoDaysAgo : Math.floor(twoDaysAgo / 1000), 'REAL')).status).toBe(200);
    expect(await lastInboundAt(channel, accountId, userId)).toBe(channel === 'messenger' ? twoDaysAgo : Math.floor(twoDaysAgo / 1000) * 1000);
    expect(await freeFormReply(channel, accountId, userId)).toBe('refuse');
  });

  it('lands every valid item of bodies mixing valid and poisonous ones, and answers 200 to each, also when delivered again', async () => {
    let serial = 0;
    const now = Date.now();
    const valid = fc.integer({ min: 1, max: 30 * 24 }).map((hoursAgo) => ({ kind: 'valid' as const, at: now - hoursAgo * HOUR }));
    const badTime = fc.constantFrom(1e20, 1e15, Date.UTC(9999, 0, 1), -5000, 0, Date.UTC(2003, 0, 1), now + 3 * HOUR).map((at) => ({ kind: 'bad_time' as const, at }));
    const badId = fc.constantFrom(LONG_ID, '12#34', '0123', 'abc', '9'.repeat(21)).map((psid) => ({ kind: 'bad_id' as const, at: now - HOUR, psid }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(valid, badTime, badId), { minLength: 1, maxLength: 12 }), async (drawn) => {
        const items = drawn.map((d) => {
          serial += 1;
          const psid = 'psid' in d ? d.psid : String(7_000_000_000_000 + serial);
          return { ...d, psid, mid: `m_prop_${serial}` };
        });
        const body = messenger(...items);
        expect((await rig.post(body)).status).toBe(200);
        expect((await rig.post(body)).status).toBe(200);
        for (const item of items.filter((i) => i.kind === 'valid')) expect(await lastInboundAt('messenger', PAGE, item.psid)).toBe(item.at);
        for (const item of items.filter((i) => i.kind === 'bad_time')) expect(await lastInboundAt('messenger', PAGE, item.psid)).toBeUndefined();
      }),
      { numRuns: 15 },
    );
    expect((await listed()).length).toBeGreaterThan(0);
  });

  it('reports a write DynamoDB refuses for the item itself (a key over its size limit) as ItemRejected, not as an outage', async () => {
    const writes = stateChanges({
      type: 'inbound',
      eventKey: 'messenger#key',
      occurredAt: Date.now(),
      contact: { channel: 'messenger', accountId: PAGE, userId: LONG_ID },
      opener: 'message',
    });
    await expect(rig.store.apply(writes)).rejects.toBeInstanceOf(ItemRejected);
  });
});
