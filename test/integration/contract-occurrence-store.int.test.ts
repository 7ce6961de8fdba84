/** Interface under test: the OccurrenceStore port, on the DynamoDB adapter against dynalite (a fresh table). */
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { describeOccurrenceStoreContract } from '../contract/occurrence-store.contract';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-occurrences');
});

afterAll(() => table.close());

describeOccurrenceStoreContract('DynamoDbOccurrenceStore on dynalite', () => new DynamoDbOccurrenceStore(table.client, table.tableName));
