/**
 * Interface under test: `order.placed` on the local business bus (POST /local/events, README
 * "Conversions") after a message the person read, on the local stack with its send pipeline and the
 * Meta simulator: the order is attributed to that message (its `converted` milestone, the funnel's
 * converted count and revenue), and posting it again changes nothing. An order naming the customer by
 * the `customer_id` their profile carries finds them (the lookup the profile write keeps). An order
 * whose customer has no touch counts as unattributed for the account's day.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { conversionKey } from '../../lambdas/adapters/dynamodb/conversion-keys';
import { DynamoDbConversions } from '../../lambdas/adapters/dynamodb/conversions';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { funnelCounterKey } from '../../lambdas/adapters/dynamodb/keys';
import { funnelScopeOf } from '../../lambdas/domain/measurement/funnel-scope';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import type { OutboxRecord } from '../../lambdas/ports/outbox';
import { PHONE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';

const READER = '4915100000501';
const STRANGER = '4915100000502';
const ACCOUNT = { channel: 'whatsapp' as const, accountId: PHONE };

const text = (waId: string): SendIntent => ({ ...ACCOUNT, userId: waId, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Neu im Shop: Adventskalender' } });

describe('conversions on the local stack', () => {
  let stack: SendingStack;
  const client = documentClient({ endpoint: process.env.DDB_ENDPOINT, region: 'local' });
  afterAll(async () => {
    client.destroy();
    await stack?.close();
  });

  const putOrder = async (detail: Record<string, unknown>) => {
    const response = await fetch(`${stack.url}/local/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Entries: [{ Source: 'com.sampleshop.orders', DetailType: 'order.placed', Detail: JSON.stringify({ ...ACCOUNT, ...detail }) }] }),
    });
    return { status: response.status, body: (await response.json()) as { FailedEntryCount: number } };
  };
  const readRecord = async (outboxId: string, timeoutMs = 20_000): Promise<OutboxRecord> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await new DynamoDbOutbox(client, stack.tableName).get(outboxId);
      if (record?.delivery?.status === 'read') return record;
      if (Date.now() > deadline) throw new Error(`no read status: ${JSON.stringify({ status: record?.status, delivery: record?.delivery })}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const counters = async (record: OutboxRecord) =>
    (await client.send(new GetCommand({ TableName: stack.tableName, Key: funnelCounterKey(funnelScopeOf(record)!, record.outboxId), ConsistentRead: true }))).Item ?? {};

  it('attributes an order to the message the person read, once however often it is posted; an order without a touch is unattributed', async () => {
    // Prepare: a message to the reader, delivered and read (the simulator's default statuses)
    stack = await startSendingStack();
    await stack.openWhatsAppWindows([READER]);
    const sent = await fetch(`${stack.url}/admin/sends`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ intent: text(READER), idempotencyKey: 'advent-1' }),
    });
    const { outboxId } = (await sent.json()) as { outboxId: string };
    await stack.waitUntilDrained();
    const read = await readRecord(outboxId);
    stack.advance(3_600_000);
    const order = { userId: READER, orderId: 'SK-2001', value: 59.9, currency: 'EUR', occurredAt: new Date(stack.now()).toISOString() };

    // Act: the shop posts the order, then posts it again
    const first = await putOrder(order);
    const again = await putOrder(order);

    // Assess: attributed to the read message, counted once
    expect([first, again]).toEqual([
      { status: 200, body: expect.objectContaining({ FailedEntryCount: 0 }) as unknown },
      { status: 200, body: expect.objectContaining({ FailedEntryCount: 0 }) as unknown },
    ]);
    const converted = await new DynamoDbOutbox(client, stack.tableName).get(outboxId);
    expect(converted?.milestones?.converted).toBe(Date.parse(order.occurredAt));
    expect(await counters(read)).toMatchObject({ converted: 1, revenue_EUR: 59_900_000 });
    const kept = await client.send(new GetCommand({ TableName: stack.tableName, Key: conversionKey(ACCOUNT, 'SK-2001'), ConsistentRead: true }));
    expect(kept.Item).toMatchObject({ outboxId, touchKind: 'read', amount: 59.9, currency: 'EUR', userId: READER });

    // Act + Assess: the shop names the customer by its own id, which the contact's profile carries
    const profile = await fetch(`${stack.url}/admin/contacts/whatsapp/${PHONE}/${READER}/profile`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tags: [], attributes: { customer_id: 'C-1042' } }),
    });
    expect(profile.status).toBe(200);
    await putOrder({ customer: { attribute: 'customer_id', value: 'C-1042' }, orderId: 'SK-2004', value: 12, currency: 'EUR', occurredAt: new Date(stack.now()).toISOString() });
    const byKey = await client.send(new GetCommand({ TableName: stack.tableName, Key: conversionKey(ACCOUNT, 'SK-2004'), ConsistentRead: true }));
    expect(byKey.Item).toMatchObject({ outboxId, userId: READER });

    // Act + Assess: someone who never read a message orders; twice
    const stranger = { userId: STRANGER, orderId: 'SK-2002', value: 15, currency: 'EUR', occurredAt: new Date(stack.now()).toISOString() };
    await putOrder(stranger);
    await putOrder(stranger);
    const day = stranger.occurredAt.slice(0, 10);
    expect(await new DynamoDbConversions(client, stack.tableName).unattributed(ACCOUNT, day, day)).toEqual([{ day, orders: 1, revenue: { EUR: 15 } }]);
    expect(await counters(read)).toMatchObject({ converted: 1, revenue_EUR: 59_900_000 });
  });

  it('refuses an order.placed that names no customer, with the field to fix', async () => {
    const refused = await putOrder({ orderId: 'SK-2003', value: 1, currency: 'EUR', occurredAt: '2026-05-17T12:00:00Z' });

    expect(refused.body).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('detail.customer') as unknown }] });
  });
});
