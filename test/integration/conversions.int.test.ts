/**
 * Interface under test: `order.placed` on the local business bus (POST /local/events, README
 * "Conversions") after a message the person read, on the local stack with its send pipeline and the
 * Meta simulator: the order is attributed to that message (its `converted` milestone, the funnel's
 * converted count and revenue), and posting it again changes nothing. An order naming the customer by
 * the `customer_id` their profile carries finds them (the lookup the profile write keeps), and adds
 * its value to the same message's revenue while the message stays converted once. An order whose
 * customer has no touch counts as unattributed for the account's day. An order placed before the
 * person read a later message goes to the message they read before it.
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
import { expectContract } from '../helpers/admin-contract';
import { PHONE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';

const READER = '4915100000501';
const STRANGER = '4915100000502';
const LATE_READER = '4915100000503';
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
    // A second order from the same message: its revenue adds, the message converts once; posting it again adds nothing
    expect(await counters(read)).toMatchObject({ converted: 1, revenue_EUR: 71_900_000 });
    await putOrder({ customer: { attribute: 'customer_id', value: 'C-1042' }, orderId: 'SK-2004', value: 12, currency: 'EUR', occurredAt: new Date(stack.now()).toISOString() });
    expect(await counters(read)).toMatchObject({ converted: 1, revenue_EUR: 71_900_000 });

    // Act + Assess: someone who never read a message orders; twice
    const stranger = { userId: STRANGER, orderId: 'SK-2002', value: 15, currency: 'EUR', occurredAt: new Date(stack.now()).toISOString() };
    await putOrder(stranger);
    await putOrder(stranger);
    const day = stranger.occurredAt.slice(0, 10);
    const dayAround = (days: number) => new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);
    expect(await new DynamoDbConversions(client, stack.tableName).unattributed(ACCOUNT, dayAround(-10), dayAround(10))).toEqual([{ day, orders: 1, revenue: { EUR: 15 } }]);
    expect(await counters(read)).toMatchObject({ converted: 1, revenue_EUR: 71_900_000 });

    // Assess: the sends report shows the message converted once with both orders' revenue, and the stranger's order beside it
    const path = `/admin/reports/sends?channel=whatsapp&accountId=${PHONE}&from=${day}&to=${day}`;
    const reported = await fetch(`${stack.url}${path}`);
    const body = (await reported.json()) as { report: { converted: number; money: { revenue: Record<string, number> } }; unattributed: unknown };
    expectContract('GET', path.split('?')[0]!, reported.status, body);
    expect(body.report).toMatchObject({ converted: 1, money: { revenue: { EUR: 71.9 } } });
    expect(body.unattributed).toEqual({ orders: 1, revenue: { EUR: 15 }, days: [{ day, orders: 1, revenue: { EUR: 15 } }] });
  });

  it('attributes an order to the message read before it, not to one the person read after it', async () => {
    // Prepare: two messages to the same person, read an hour apart
    await stack.openWhatsAppWindows([LATE_READER]);
    const send = async (key: string) => {
      const sent = await fetch(`${stack.url}/admin/sends`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ intent: text(LATE_READER), idempotencyKey: key }),
      });
      await stack.waitUntilDrained();
      return readRecord(((await sent.json()) as { outboxId: string }).outboxId);
    };
    const earlier = await send('late-1');
    stack.advance(3_600_000);
    const later = await send('late-2');
    const placedAt = earlier.delivery!.at + 30 * 60_000;
    expect(later.delivery!.at).toBeGreaterThan(placedAt);

    // Act: the shop posts, after the second read, an order placed between the two
    await putOrder({ userId: LATE_READER, orderId: 'SK-2005', value: 25, currency: 'EUR', occurredAt: new Date(placedAt).toISOString() });

    // Assess
    const kept = await client.send(new GetCommand({ TableName: stack.tableName, Key: conversionKey(ACCOUNT, 'SK-2005'), ConsistentRead: true }));
    expect(kept.Item).toMatchObject({ outboxId: earlier.outboxId, touchKind: 'read', userId: LATE_READER });
    const outbox = new DynamoDbOutbox(client, stack.tableName);
    expect([(await outbox.get(earlier.outboxId))?.milestones?.converted, (await outbox.get(later.outboxId))?.milestones?.converted]).toEqual([placedAt, undefined]);
  });

  it('refuses an order.placed that names no customer, with the field to fix', async () => {
    const refused = await putOrder({ orderId: 'SK-2003', value: 1, currency: 'EUR', occurredAt: '2026-05-17T12:00:00Z' });

    expect(refused.body).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('detail.customer') as unknown }] });
  });
});
