/**
 * Interface under test: DynamoDbMarketingLedger.reserve over a scripted DynamoDB client: a refused
 * condition is a conflict the planner resolves by reading again, but any other failure (throttling,
 * a network error) is thrown, never taken for "someone else reserved first". Written for mutants
 * StrykerJS found surviving in adapters/dynamodb/marketing-ledger.ts (README, "Mutation testing").
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbMarketingLedger } from '../../../lambdas/adapters/dynamodb/marketing-ledger';
import type { ContactRef } from '../../../lambdas/domain/events';

const contact: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' };
const T0 = Date.UTC(2026, 4, 17, 12);

const named = (name: string): Error => Object.assign(new Error(name), { name });

/** A client whose UpdateItem fails with `updateError`, and whose GetItem answers an empty ledger. */
const ledgerOver = (updateError: Error) => {
  const sent: string[] = [];
  const client = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return command.constructor.name === 'UpdateCommand' ? Promise.reject(updateError) : Promise.resolve({ Item: {} });
    },
  } as unknown as DynamoDBDocumentClient;
  return { ledger: new DynamoDbMarketingLedger(client, 'afterchat'), sent };
};

describe('a reservation DynamoDB does not take', () => {
  it('throws a failure other than a refused condition, without reading the ledger again', async () => {
    const { ledger, sent } = ledgerOver(named('ProvisionedThroughputExceededException'));
    await expect(ledger.reserve(contact, { key: 'cm-1', atMs: T0 }, { entries: [], version: 0 })).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(sent).toEqual(['UpdateCommand']);
  });

  it('answers a refused condition with the ledger as it now stands', async () => {
    const { ledger, sent } = ledgerOver(named('ConditionalCheckFailedException'));
    expect(await ledger.reserve(contact, { key: 'cm-1', atMs: T0 }, { entries: [], version: 0 })).toEqual({ ok: false, current: { entries: [], version: 0 } });
    expect(sent).toEqual(['UpdateCommand', 'GetCommand']);
  });
});
