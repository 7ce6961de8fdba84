/** Interface under test: the PendingWork port on gsi3, with the DynamoDB outbox and occurrence store that write it, on dynalite. */
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbPendingWork } from '../../lambdas/adapters/dynamodb/pending-work';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';
import { describePendingWorkContract } from '../contract/pending-work.contract';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-pending-work');
});

afterAll(() => table.close());

describePendingWorkContract('DynamoDbPendingWork on dynalite', () => ({
  pending: new DynamoDbPendingWork(table.client, table.tableName),
  outbox: new DynamoDbOutbox(table.client, table.tableName),
  occurrences: new DynamoDbOccurrenceStore(table.client, table.tableName),
}));
