/**
 * Interface under test: DynamoDbOutbox against a mocked DynamoDB client, for what dynalite can't
 * show (the contract suite runs on dynalite): a read that must see the latest claim (dynalite is always
 * consistent, DynamoDB only when asked), an outbox item that only a status webhook has written so far,
 * and a storage failure on create. Written for mutants StrykerJS found surviving (README, "Mutation
 * testing").
 */
import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { outboxKey } from '../../../lambdas/adapters/dynamodb/keys';
import { DynamoDbOutbox } from '../../../lambdas/adapters/dynamodb/outbox';
import { outboxIdFor } from '../../../lambdas/domain/send/outbox-id';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { compactOrderOf } from '../../../lambdas/domain/state-writes';
import { newOutboxRecord, type OutboxRecord } from '../../../lambdas/ports/outbox';

const ddb = mockClient(DynamoDBDocumentClient);
const outbox = new DynamoDbOutbox(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), 'state');

const T0 = Date.UTC(2026, 4, 17, 12);
const intent: SendIntent = {
  channel: 'whatsapp',
  accountId: '109876543210987',
  userId: '4915100000001',
  kind: 'utility',
  author: 'bot',
  content: { type: 'template', name: 'order_update', language: 'de' },
};
const job = (key: string) => newOutboxRecord({ idempotencyKey: key, intent, now: T0 });
/** The item the adapter stores for a record: keyed by the outbox id, which it doesn't repeat. */
const item = ({ outboxId, ...rest }: OutboxRecord): Record<string, unknown> => ({ ...outboxKey(outboxId), entity: 'outbox', ...rest });
/** What a status webhook leaves on an outbox id it saw before the job existed: no idempotency key, no intent. */
const statusOnly = (key: string) => ({ ...outboxKey(outboxIdFor(key)), deliveryRank: 3, deliveryOrder: compactOrderOf(T0, 'delivered') });

describe('DynamoDbOutbox on a mocked client', () => {
  beforeEach(() => ddb.reset());

  it('reads a record with a strongly consistent read, so a claim just written is seen', async () => {
    const record = job('k1');
    ddb.on(GetCommand).resolves({ Item: item(record) });

    expect(await outbox.get(record.outboxId)).toMatchObject({ outboxId: record.outboxId, status: 'queued' });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
  });

  it('reads many records with strongly consistent reads too', async () => {
    const a = job('a');
    ddb.on(BatchGetCommand).resolves({ Responses: { state: [item(a)] } });

    expect((await outbox.getMany([a.outboxId])).map((r) => r.outboxId)).toEqual([a.outboxId]);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.state).toMatchObject({ ConsistentRead: true });
  });

  it("reads what Meta's status webhooks reported for the job as its delivery, and no delivery before any report", async () => {
    const record = job('delivered');
    // The delivery register's rank is the status, its order starts with the status's time; Meta's id is the record's.
    const reported = {
      ...item(record),
      messageId: 'wamid.1',
      deliveryRank: 4,
      deliveryOrder: compactOrderOf(T0 + 60_000, 'read'),
      pricingRank: 3,
      pricingOrder: compactOrderOf(T0 + 2000, 'delivered'),
      pricingCategory: 'marketing',
      pricingType: 'regular',
      pricingModel: 'PMP',
      billable: true,
      failureOrder: compactOrderOf(T0 + 1000, 'failed'),
      failureCode: 131026,
      failureTitle: 'Message undeliverable',
    };
    ddb.on(GetCommand).resolves({ Item: reported });
    const read = await outbox.get(record.outboxId);
    expect(read?.delivery).toEqual({
      status: 'read',
      at: T0 + 60_000,
      messageId: 'wamid.1',
      errorCode: undefined,
      pricing: { category: 'marketing', type: 'regular', model: 'PMP', billable: true },
      failure: { code: 131026, title: 'Message undeliverable', at: T0 + 1000 },
    });
    // The registers' bookkeeping stays in storage.
    expect(Object.keys(read ?? {}).filter((k) => /Order$|Rank$|^pricing[A-Z]|^failure|^billable/.test(k))).toEqual([]);

    // A record the previous release's webhooks wrote to: the report in fields of its own.
    ddb.on(GetCommand).resolves({ Item: { ...item(record), deliveryStatus: 'failed', deliveryAt: T0 + 5000, deliveryMessageId: 'wamid.1', deliveryErrorCode: 131026 } });
    expect((await outbox.get(record.outboxId))?.delivery).toEqual({ status: 'failed', at: T0 + 5000, messageId: 'wamid.1', errorCode: 131026 });

    ddb.on(GetCommand).resolves({ Item: item(record) });
    expect(await outbox.get(record.outboxId)).not.toHaveProperty('delivery');
  });

  it('does not take an item only a status webhook wrote for a job: get answers undefined, getMany leaves it out', async () => {
    const real = job('real');
    ddb.on(GetCommand).resolves({ Item: statusOnly('early') });
    ddb.on(BatchGetCommand).resolves({ Responses: { state: [statusOnly('early'), item(real)] } });

    expect(await outbox.get(outboxIdFor('early'))).toBeUndefined();
    expect((await outbox.getMany([outboxIdFor('early'), real.outboxId])).map((r) => r.outboxId)).toEqual([real.outboxId]);
  });

  it('fails a create that storage refused for a reason other than an existing record, instead of reporting the job as there', async () => {
    ddb.on(PutCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    ddb.on(GetCommand).resolves({});

    await expect(outbox.create({ idempotencyKey: 'k2', intent, now: T0 })).rejects.toThrow('slow down');
  });

  it('fails a claim or a finish that storage refused for a reason other than the claim, instead of reporting the job as taken', async () => {
    const record = job('k4');
    ddb.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: item(record) });

    await expect(outbox.claim(record.outboxId, T0, 120_000)).rejects.toThrow('slow down');
    await expect(outbox.finish(record.outboxId, 'token', T0, { status: 'skipped', reason: 'window_closed' })).rejects.toThrow('slow down');
  });

  it('answers the stored record for a key used before', async () => {
    const stored = newOutboxRecord({ idempotencyKey: 'k3', intent, now: T0 - 1000 });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: { ...item(stored), status: 'sent' } });

    expect(await outbox.create({ idempotencyKey: 'k3', intent, now: T0 })).toMatchObject({ created: false, record: { outboxId: stored.outboxId, status: 'sent', createdAt: T0 - 1000 } });
  });
});
