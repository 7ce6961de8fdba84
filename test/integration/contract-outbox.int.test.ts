/** Interface under test: the Outbox port, on the DynamoDB adapter against dynalite (a fresh table). */
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { describeOutboxContract } from '../contract/outbox.contract';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-outbox');
});

afterAll(() => table.close());

describeOutboxContract('DynamoDbOutbox on dynalite', () => new DynamoDbOutbox(table.client, table.tableName));
