/**
 * Interface under test: the webhook handler with the DynamoDB adapters on dynalite, every DynamoDB
 * request counted by a metering middleware on the client. Status webhooks are most of afterchat's
 * traffic (about three per message sent): one write per item, no refused condition on the hot path,
 * no event record, and still exact under duplicates and reordering.
 */
import fc from 'fast-check';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { MessageStatusValue } from '../../lambdas/domain/events';
import { callbackDataFor } from '../../lambdas/domain/send/callback-data';
import { FAILURE_TITLE_MAX_BYTES } from '../../lambdas/domain/send/failure-title';
import type { RegisterWrite } from '../../lambdas/domain/state-writes';
import { outcomeOn, registerUpdate } from '../../lambdas/adapters/dynamodb/update-expression';
import { inboundText, RIG_PHONE, RIG_WABA, startWebhookRig, type WebhookRig } from '../helpers/webhook-rig';
import { sendThroughOutbox, type SentMessage, statusBody } from '../helpers/whatsapp-status';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite's item-size rule, the one DynamoDB bills by
const { itemSize } = require('dynalite/db') as { itemSize: (item: unknown) => number };

const endpoint = (): string => {
  const value = process.env.DDB_ENDPOINT;
  if (!value) throw new Error('DDB_ENDPOINT is not set: run through the jest integration project');
  return value;
};

const WA = '4915112345678';
const BSUID = 'DE.88201734659910273645';
const SENT_AT = 1_779_003_000;

/**
 * A contact who wrote before, and a campaign template afterchat sent them (its outbox record as the
 * sender leaves it). Its callback data is the bare outbox id (the sender didn't have the person's
 * ids stored) unless `tagged` (it had: callback-data.ts).
 */
const sentMessage = async (rig: WebhookRig, i = 0, options: { tagged?: boolean } = {}): Promise<SentMessage> => {
  await rig.post(inboundText({ waId: WA, bsuid: BSUID, wamid: `wamid.in_${i}`, atSeconds: SENT_AT - 86_400 }));
  const wamid = `wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjQ1NkI3RDlFQjYxQjUyNTZDNQA${i}`;
  const outboxId = await sendThroughOutbox(rig.outbox, { phoneNumberId: RIG_PHONE, waId: WA, wamid, campaignId: `weekly-deals-${i}`, now: SENT_AT * 1000 });
  const callbackData = options.tagged ? callbackDataFor(outboxId, { waId: WA, bsuid: BSUID }) : undefined;
  return { phoneNumberId: RIG_PHONE, wabaId: RIG_WABA, waId: WA, bsuid: BSUID, wamid, outboxId, callbackData, sentAt: SENT_AT + i * 10 };
};

/** A message another app on the number sent: its callback data names no outbox record. */
const theirMessage = (i = 0): SentMessage => ({
  phoneNumberId: RIG_PHONE,
  wabaId: RIG_WABA,
  waId: WA,
  bsuid: BSUID,
  wamid: `wamid.theirs_${i}`,
  outboxId: `their-app:job-${i}`,
  sentAt: SENT_AT + i * 10,
});

const outboxItem = async (rig: WebhookRig, message: SentMessage) => (await rig.dump()).find((i) => i.pk === `O#${message.outboxId}`);

describe('status webhooks for a message afterchat sent', () => {
  let rig: WebhookRig;
  beforeEach(async () => {
    rig = await startWebhookRig(endpoint());
  });
  afterEach(() => rig.close());

  it('a delivered status after sent is one UpdateItem on the outbox record that succeeds, 1 WRU: no message item, no event look-up or record', async () => {
    const message = await sentMessage(rig);
    await rig.post(statusBody(message, 'sent'));
    const { status, counts, log } = await rig.post(statusBody(message, 'delivered'));
    expect(status).toBe(200);
    expect(counts).toMatchObject({ requests: { UpdateItem: 1 }, conditionFailures: 0, writeUnits: 1 });
    expect(log.map((r) => (r.input.Key as { pk: string }).pk)).toEqual([`O#${message.outboxId}`]);
    expect((await rig.dump()).filter((i) => String(i.pk).startsWith('M#'))).toEqual([]);
  });

  it('a read status likewise: one UpdateItem, none refused, 1 WRU', async () => {
    const message = await sentMessage(rig);
    await rig.post(statusBody(message, 'sent'));
    await rig.post(statusBody(message, 'delivered'));
    const { counts } = await rig.post(statusBody(message, 'read'));
    expect(counts).toMatchObject({ requests: { UpdateItem: 1 }, conditionFailures: 0, writeUnits: 1 });
  });

  it("sent, when the sender had the recipient's ids stored (its callback data says so), is one UpdateItem too: the ids are not written again", async () => {
    const message = await sentMessage(rig, 0, { tagged: true });
    const contactsBefore = (await rig.dump()).filter((i) => String(i.pk).startsWith('C#'));
    const { counts, log } = await rig.post(statusBody(message, 'sent'));
    expect(counts).toMatchObject({ requests: { UpdateItem: 1 }, conditionFailures: 0, writeUnits: 1 });
    expect(log.map((r) => (r.input.Key as { pk: string }).pk)).toEqual([`O#${message.outboxId}`]);
    expect((await rig.dump()).filter((i) => String(i.pk).startsWith('C#'))).toEqual(contactsBefore);
    expect((await rig.outbox.get(message.outboxId))?.delivery).toMatchObject({ status: 'sent', messageId: message.wamid });
  });

  it("sent, also in the same second as delivered and read, is never refused; untagged, it writes the outbox record and the recipient's ids once each", async () => {
    const message = await sentMessage(rig);
    const sent = await rig.post(statusBody(message, 'sent'));
    expect(sent.counts).toMatchObject({ requests: { UpdateItem: 3 }, conditionFailures: 0 });
    expect(sent.log.map((r) => (r.input.Key as { pk: string }).pk).sort()).toEqual([`C#whatsapp#${RIG_PHONE}#${WA}`, `C#whatsapp#${RIG_PHONE}#${BSUID}`, `O#${message.outboxId}`]);
    for (const s of ['delivered', 'read'] as const) {
      expect((await rig.post(statusBody(message, s, message.sentAt))).counts.conditionFailures).toBe(0);
    }
    const record = await rig.outbox.get(message.outboxId);
    expect(record?.delivery).toEqual({ status: 'read', at: message.sentAt * 1000, messageId: message.wamid, errorCode: undefined, pricing: { category: 'marketing', type: 'regular', model: 'PMP', billable: true } });
    expect(record?.messageId).toBe(message.wamid);
  });

  it('keeps the outbox record of a campaign template under 1 KB through sent, delivered (priced) and read, so each status is billed 1 WRU', async () => {
    const message = await sentMessage(rig, 0, { tagged: true });
    const sizes = [itemSize(marshall(await outboxItem(rig, message)))];
    for (const s of ['sent', 'delivered', 'read'] as const) {
      expect((await rig.post(statusBody(message, s))).counts.writeUnits).toBe(1);
      sizes.push(itemSize(marshall(await outboxItem(rig, message))));
    }
    // Meta's wamids run to ~60 characters; the campaign id is a slug of ~14.
    expect(message.wamid.length).toBeGreaterThanOrEqual(60);
    expect(Math.max(...sizes)).toBeLessThan(1024);
  });

  it.each([
    ['a title at the bound, stored whole', 'T'.repeat(FAILURE_TITLE_MAX_BYTES), 'T'.repeat(FAILURE_TITLE_MAX_BYTES)],
    ['a longer title, cut with an ellipsis', `Ü${'T'.repeat(300)}`, `Ü${'T'.repeat(FAILURE_TITLE_MAX_BYTES - 5)}…`],
  ])('keeps it under 1 KB, 1 WRU, when it failed after sent with %s', async (_name, title, stored) => {
    const message = await sentMessage(rig, 0, { tagged: true });
    await rig.post(statusBody(message, 'sent'));
    const failed = await rig.post(statusBody(message, 'failed', message.sentAt + 60, { errorCode: 131047, errorTitle: title }));
    expect(failed.counts.writeUnits).toBe(1);
    expect(itemSize(marshall(await outboxItem(rig, message)))).toBeLessThan(1024);
    expect((await rig.outbox.get(message.outboxId))?.delivery?.failure).toEqual({ code: 131047, title: stored, at: (message.sentAt + 60) * 1000 });
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(FAILURE_TITLE_MAX_BYTES);
  });

  it('stores no event record for a status, and still one for an inbound message', async () => {
    const message = await sentMessage(rig);
    for (const s of ['sent', 'delivered', 'read'] as const) await rig.post(statusBody(message, s));
    const events = (await rig.dump()).filter((i) => String(i.pk).startsWith('E#'));
    expect(events.map((e) => e.type)).toEqual(['inbound']);
  });

  it('a status Meta delivers again is refused and changes nothing', async () => {
    const message = await sentMessage(rig);
    await rig.post(statusBody(message, 'sent'));
    await rig.post(statusBody(message, 'delivered'));
    const before = await rig.dump();
    const again = await rig.post(statusBody(message, 'delivered'));
    expect(again.status).toBe(200);
    expect(again.log.filter((r) => r.operation === 'UpdateItem' && !r.refused)).toEqual([]);
    expect(await rig.dump()).toEqual(before);
  });

  it('a delivered that arrives after the read writes only what it still brings (its pricing)', async () => {
    const message = await sentMessage(rig);
    await rig.post(statusBody(message, 'sent'));
    await rig.post(statusBody(message, 'read'));
    const late = await rig.post(statusBody(message, 'delivered'));
    const landed = late.log.filter((r) => r.operation === 'UpdateItem' && !r.refused);
    expect(landed).toHaveLength(1);
    expect(Object.values(landed[0]?.input.ExpressionAttributeNames as Record<string, string>)).toEqual(expect.arrayContaining(['pricingCategory']));
    expect(Object.values(landed[0]?.input.ExpressionAttributeNames as Record<string, string>)).not.toContain('deliveryRank');
    expect((await rig.outbox.get(message.outboxId))?.delivery).toMatchObject({ status: 'read', pricing: { category: 'marketing' } });
  });

  it("a status of another app's message keeps writing the message item", async () => {
    const message = theirMessage();
    await rig.post(statusBody(message, 'sent'));
    const { counts } = await rig.post(statusBody(message, 'delivered'));
    expect(counts).toMatchObject({ requests: { UpdateItem: 1 }, conditionFailures: 0 });
    expect((await rig.dump()).find((i) => i.pk === `M#${message.wamid}`)).toMatchObject({ status: 'delivered', pricingCategory: 'marketing', callbackData: message.outboxId, userId: WA });
  });
});

/**
 * Items without their TTL: a message record expires counted from when the rig's wall clock first
 * wrote it (README "Retention"), bookkeeping that differs between two runs, not state.
 */
const withoutTtl = (items: readonly Record<string, unknown>[]): Record<string, unknown>[] =>
  items.map((item) => {
    const copy = { ...item };
    delete copy.expiresAt;
    return copy;
  });

describe('status webhooks converge on dynalite', () => {
  // How a status names the recipient is per message here (Meta names a person with a username by
  // BSUID only); statuses of one message that disagree are covered by test/unit/adapters/status-registers.test.ts.
  type Spec = { m: number; status: MessageStatusValue; offset: number; errorCode: number };
  const specArb: fc.Arbitrary<Spec> = fc.record({
    // afterchat's own messages (the sender without and with the person's ids), and another app's.
    m: fc.integer({ min: 0, max: 2 }),
    status: fc.constantFrom<MessageStatusValue>('sent', 'delivered', 'read', 'failed'),
    offset: fc.integer({ min: 0, max: 2 }),
    errorCode: fc.constantFrom(131026, 131049),
  });
  const deliveries = fc
    .uniqueArray(specArb, { minLength: 2, maxLength: 7, selector: (s) => `${s.m}|${s.status}|${s.errorCode}` })
    .chain((specs) =>
      fc
        .array(fc.nat({ max: specs.length - 1 }), { minLength: 1, maxLength: 6 })
        .chain((repeats) =>
          fc.tuple(fc.constant(specs), fc.shuffledSubarray([...specs.keys(), ...repeats], { minLength: specs.length + repeats.length }), fc.boolean(), fc.boolean()),
        ),
    );

  /** The items after the statuses, minus the records whose timestamps are wall-clock (outbox bookkeeping). */
  const stateAfter = async (specs: readonly Spec[], order: readonly number[], concurrent: boolean, bsuidOnly: boolean) => {
    const rig = await startWebhookRig(endpoint());
    try {
      const messages = [await sentMessage(rig, 0), await sentMessage(rig, 1, { tagged: true }), theirMessage(2)];
      const bodies = order.map((i) => {
        const s = specs[i] as Spec;
        const m = messages[s.m] as SentMessage;
        return statusBody(m, s.status, m.sentAt + s.offset, { errorCode: s.errorCode, bsuidOnly: bsuidOnly && s.m === 1 });
      });
      if (concurrent) {
        const statuses = await Promise.all(bodies.map((b) => rig.post(b).then((r) => r.status)));
        expect(new Set(statuses)).toEqual(new Set([200]));
      } else {
        for (const b of bodies) expect((await rig.post(b)).status).toBe(200);
      }
      return withoutTtl((await rig.dump()).filter((i) => !String(i.pk).startsWith('E#') && i.pk !== 'ACCOUNTS'));
    } finally {
      rig.close();
    }
  };

  it('any statuses of three messages, shuffled, repeated, one after the other or all at once, leave the same items', async () => {
    await fc.assert(
      fc.asyncProperty(deliveries, async ([specs, order, concurrent, bsuidOnly]) => {
        const inOrder = await stateAfter(specs, [...specs.keys()], false, bsuidOnly);
        expect(await stateAfter(specs, order, concurrent, bsuidOnly)).toEqual(inOrder);
      }),
      // Each run stands up two tables and posts every body: dynalite manages a few hundred writes a second.
      { numRuns: 6 },
    );
  }, 300_000);
});

describe('statuses of one message that name the recipient differently', () => {
  // The recipient register keeps the wa_id over a BSUID (`least`); the message's person entry rides in it.
  it('converge on the same items in either order, the message person index entry included', async () => {
    const states = [];
    for (const order of [['sent', 'delivered'], ['delivered', 'sent']] as const) {
      const rig = await startWebhookRig(endpoint());
      try {
        // Another app's message: the message item holds its statuses.
        const message = theirMessage();
        for (const s of order) await rig.post(statusBody(message, s, message.sentAt, { bsuidOnly: s === 'delivered' }));
        const items = withoutTtl((await rig.dump()).filter((i) => !String(i.pk).startsWith('E#') && i.pk !== 'ACCOUNTS'));
        expect(items.find((i) => i.pk === `M#${message.wamid}`)).toMatchObject({ userId: WA });
        states.push(items);
      } finally {
        rig.close();
      }
    }
    expect(states[1]).toEqual(states[0]);
  });
});

describe("outcomeOn judges a write as DynamoDB's condition does", () => {
  let rig: WebhookRig;
  beforeAll(async () => {
    rig = await startWebhookRig(endpoint());
  });
  afterAll(() => rig.close());

  const order = fc.stringMatching(/^[0-9a-z#.:]{1,6}$/);
  const write: fc.Arbitrary<RegisterWrite> = fc.oneof(
    fc.record({
      register: fc.constant('r'),
      order,
      wins: fc.constantFrom<'later' | 'earlier'>('later', 'earlier'),
      rank: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    }),
    fc.record({ register: fc.constant('l'), order: fc.constant(''), wins: fc.constant<'least'>('least'), a: order, b: fc.integer({ min: 0, max: 3 }) }),
  ).map((w): RegisterWrite => {
    const target = { entity: 'message' as const, messageId: 'judge' };
    if (w.wins === 'least') return { target, register: w.register, order: '', wins: 'least', fields: { la: (w as { a: string }).a, lb: (w as { b: number }).b } };
    const { rank } = w as { rank?: number };
    return { target, register: w.register, order: w.order, wins: w.wins, ...(rank === undefined ? {} : { rank }), fields: { v: w.order } };
  });

  it('for any stored register and any write', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(write, { maxLength: 3 }), write, async (history, next) => {
        const key = { pk: `M#judge-${(n += 1)}`, sk: 'STATUS' };
        for (const w of history) await land(rig, w, key);
        const stored = (await rig.dump()).find((i) => i.pk === key.pk);
        const judged = outcomeOn(next, stored);
        expect({ judged, landed: await land(rig, next, key) }).toEqual({ judged, landed: judged !== 'loses' });
      }),
      { numRuns: 150 },
    );
  });
});

const land = async (rig: WebhookRig, write: RegisterWrite, key: { pk: string; sk: string }): Promise<boolean> => {
  try {
    await rig.client.send(new UpdateCommand({ TableName: rig.tableName, ...registerUpdate([write], key, {}) }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};
