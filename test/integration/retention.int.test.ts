/**
 * Interface under test: the TTL (`expiresAt`, epoch seconds, the state table's TTL attribute) on every
 * record holding a person's data outside their contact (issue 11, item 8), as the DynamoDB adapters
 * write it on dynalite: counted from the injected clock (or the record's own time) and the retention
 * settings, defaults when none are given.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAuditLog } from '../../lambdas/adapters/dynamodb/audit-log';
import { auditKey, eventKeyOf, messageKey, outboxKey } from '../../lambdas/adapters/dynamodb/keys';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { auditDay, auditId } from '../../lambdas/domain/audit/audit-entry';
import type { ContactRef, InboundEvent, MessageStatusEvent } from '../../lambdas/domain/events';
import { DEFAULT_RETENTION_DAYS } from '../../lambdas/domain/retention';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { stateChanges } from '../../lambdas/domain/state-changes';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

const T0 = Date.UTC(2026, 4, 17, 12, 0, 0, 700);
const DAY_S = 24 * 3600;
const seconds = (ms: number) => Math.floor(ms / 1000);

let table: ContractTable;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  table = await freshStateTable('retention');
  client = table.client;
});

afterAll(() => table.close());

const item = async (key: { pk: string; sk: string }) => (await client.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;

const contact: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' };
const intent: SendIntent = { channel: 'whatsapp', accountId: contact.accountId, userId: contact.userId, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hallo' } };

describe('retention: records carry a TTL', () => {
  it('an outbox record expires its retention after its creation (90 days by default), and the TTL is not part of the record', async () => {
    const defaults = new DynamoDbOutbox(client, table.tableName);
    const short = new DynamoDbOutbox(client, table.tableName, { retentionDays: 7 });

    const { record } = await defaults.create({ idempotencyKey: `ret-${randomUUID()}`, intent, now: T0 });
    const { record: other } = await short.create({ idempotencyKey: `ret-${randomUUID()}`, intent, now: T0 + 5_000 });

    expect((await item(outboxKey(record.outboxId)))?.expiresAt).toBe(seconds(T0) + 90 * DAY_S);
    expect((await item(outboxKey(other.outboxId)))?.expiresAt).toBe(seconds(T0 + 5_000) + 7 * DAY_S);
    expect(DEFAULT_RETENTION_DAYS.outbox).toBe(90);
    expect(await defaults.get(record.outboxId)).not.toHaveProperty('expiresAt');
  });

  it('event records expire their retention after receipt; message statuses after their first write, on the store’s clock', async () => {
    const time = { now: T0 };
    const store = new DynamoDbStateStore(client, { tableName: table.tableName, clock: () => time.now, retention: { event: 3, messageStatus: 10 } });
    const eventKey = `ret-${randomUUID()}`;
    const inbound: InboundEvent = { type: 'inbound', eventKey, occurredAt: T0 - 1000, contact, opener: 'message' };
    await store.recordEvents([inbound], { receivedAt: T0 + 2_000, registered: () => true });
    expect((await item(eventKeyOf(eventKey)))?.expiresAt).toBe(seconds(T0 + 2_000) + 3 * DAY_S);

    const messageId = `wamid.${randomUUID()}`;
    const status = (value: 'sent' | 'delivered', at: number): MessageStatusEvent => ({ type: 'message_status', eventKey: `${messageId}#${value}`, occurredAt: at, messageId, status: value });
    // Meta's times don't count: a status Meta dated 40 days back (a late retry) still expires 10 days after we wrote it.
    await store.apply(stateChanges(status('sent', T0 - 40 * DAY_S * 1000)));
    expect((await item(messageKey(messageId)))?.expiresAt).toBe(seconds(T0) + 10 * DAY_S);
    // A later status leaves the expiry as first written.
    time.now = T0 + 5 * DAY_S * 1000;
    await store.apply(stateChanges(status('delivered', T0 + 60_000)));
    const stored = await item(messageKey(messageId));
    expect(stored).toMatchObject({ status: 'delivered', expiresAt: seconds(T0) + 10 * DAY_S });
  });

  it('a status webhook that reaches an outbox record gives it a TTL where it had none (a record it creates, or one the TTL already removed)', async () => {
    const store = new DynamoDbStateStore(client, { tableName: table.tableName, clock: () => T0 });
    const outboxId = `ob_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    await store.apply([{ target: { entity: 'outbox', outboxId }, register: 'delivery', order: '1', wins: 'later', fields: { deliveryStatus: 'delivered', deliveryAt: T0 } }]);

    expect((await item(outboxKey(outboxId)))?.expiresAt).toBe(seconds(T0) + DEFAULT_RETENTION_DAYS.outbox * DAY_S);
  });

  it('an audit entry expires its retention after the request (365 days by default)', async () => {
    const at = T0 + 123;
    const entry = { id: auditId(at, randomUUID()), at, principal: 'arn:aws:iam::1:user/ops', action: 'DELETE /admin/accounts/{channel}/{accountId}', target: { channel: 'whatsapp', accountId: contact.accountId } };
    await new DynamoDbAuditLog(client, table.tableName).append(entry);
    await new DynamoDbAuditLog(client, table.tableName, { retentionDays: 30 }).append({ ...entry, id: auditId(at, randomUUID()) });

    expect((await item(auditKey(auditDay(at), entry.id)))?.expiresAt).toBe(seconds(at) + 365 * DAY_S);
    const page = await new DynamoDbAuditLog(client, table.tableName, { retentionDays: 30 }).list({ to: at, limit: 10, now: at });
    expect(page.entries.map((e) => e.expiresAt).sort()).toEqual([(seconds(at) + 30 * DAY_S) * 1000, (seconds(at) + 365 * DAY_S) * 1000]);
  });
});
