/**
 * Interface under test: DynamoDbStateStore.apply against a mocked DynamoDB client: the UpdateItems
 * it sends, and what it does when one is refused. In AWS a refused UpdateItem returns the stored item
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), so no read is needed; dynalite returns none, which
 * the integration tests cover (a consistent GetItem instead).
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbStateStore } from '../../../lambdas/adapters/dynamodb/state-store';
import type { RegisterWrite } from '../../../lambdas/domain/state-writes';

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbStateStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), { tableName: 't' });

const target = { entity: 'message', messageId: 'wamid.1' } as const;
const order = (s: string) => `001779003002000#whatsapp#1#status#wamid.1#${s}`;
const delivered: RegisterWrite[] = [
  { target, register: 'status', wins: 'earlier', rank: 3, order: order('delivered'), fields: { status: 'delivered', statusAt: 1 } },
  { target, register: 'pricing', wins: 'later', rank: 3, order: order('delivered'), fields: { pricingCategory: 'marketing' } },
  { target, register: 'callback', wins: 'least', order: order('delivered'), fields: { callbackData: 'ob_x' } },
];
const refused = (item: Record<string, unknown> | undefined) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });

const namesOf = (call: number): string[] => Object.values(ddb.commandCalls(UpdateCommand)[call]?.args[0].input.ExpressionAttributeNames ?? {});

describe('DynamoDbStateStore.apply', () => {
  beforeEach(() => ddb.reset());

  it("writes an event's registers on one item with one UpdateItem, asking for the stored item should it be refused", async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.apply(delivered);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({ ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  });

  it('after a refusal, writes only the registers that still win, judged on the item the refusal returned: no read', async () => {
    // A read overtook this delivered; no pricing yet, the same callback data.
    const stored = { pk: 'M#wamid.1', sk: 'STATUS', status: 'read', statusRank: 4, statusOrder: order('read'), callbackData: 'ob_x' };
    ddb.on(UpdateCommand).rejectsOnce(refused(stored)).resolves({});
    await store.apply(delivered);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(2);
    expect(namesOf(1)).toEqual(expect.arrayContaining(['pricingCategory', 'pricingOrder']));
    expect(namesOf(1)).not.toContain('status');
    expect(namesOf(1)).not.toContain('callbackData');
  });

  it('a duplicate costs the one refused UpdateItem and nothing more', async () => {
    const stored = {
      status: 'delivered',
      statusRank: 3,
      statusOrder: order('delivered'),
      pricingCategory: 'marketing',
      pricingRank: 3,
      pricingOrder: order('delivered'),
      callbackData: 'ob_x',
    };
    ddb.on(UpdateCommand).rejects(refused(stored));
    await store.apply(delivered);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('reads the item when the refusal carries none, and looks again when a concurrent write refuses the rewrite', async () => {
    const afterRead = { status: 'read', statusRank: 4, statusOrder: order('read') };
    const afterPricing = { ...afterRead, pricingCategory: 'x', pricingRank: 4, pricingOrder: order('read') };
    ddb.on(UpdateCommand).rejectsOnce(refused(undefined)).rejectsOnce(refused(undefined)).resolves({});
    ddb.on(GetCommand).resolvesOnce({ Item: afterRead }).resolvesOnce({ Item: afterPricing });
    await store.apply(delivered);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(2);
    // Both the status and the pricing lost by then; the callback data was absent: it still lands.
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(3);
    expect(namesOf(2)).toEqual(expect.arrayContaining(['callbackData']));
    expect(namesOf(2)).not.toContain('pricingCategory');
  });

  it('leaves a storage error to the caller, so the webhook answers 500', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(store.apply(delivered)).rejects.toThrow('throttled');
  });
});
