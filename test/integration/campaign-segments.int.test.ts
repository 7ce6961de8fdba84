/** Interface under test: the OccurrenceStore port's fan-out (segments, summed view, caps' reservations), on the DynamoDB adapter against dynalite. */
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';
import { describeOccurrenceSegmentsContract } from '../helpers/occurrence-segments-contract';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('campaign-segments');
});

afterAll(() => table.close());

describeOccurrenceSegmentsContract('DynamoDbOccurrenceStore on dynalite', () => new DynamoDbOccurrenceStore(table.client, table.tableName));
