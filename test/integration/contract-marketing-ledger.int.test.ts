/**
 * Interface under test: the MarketingLedger port, on the DynamoDB adapter against dynalite (a fresh
 * table), read back through the state store as the dispatcher reads it.
 */
import { DynamoDbMarketingLedger } from '../../lambdas/adapters/dynamodb/marketing-ledger';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { ledgerSnapshotOf } from '../../lambdas/campaign/contact-view';
import { describeMarketingLedgerContract } from '../contract/marketing-ledger.contract';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-ledger');
});

afterAll(() => table.close());

describeMarketingLedgerContract('DynamoDbMarketingLedger on dynalite', () => {
  const store = new DynamoDbStateStore(table.client, { tableName: table.tableName });
  return {
    ledger: new DynamoDbMarketingLedger(table.client, table.tableName),
    read: async (contact) => ledgerSnapshotOf((await store.getPerson(contact))?.state ?? {}),
  };
});
