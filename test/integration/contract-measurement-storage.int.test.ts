/** Interface under test: the MeasurementCounters and ConversationTurnStore ports, on the DynamoDB adapters against dynalite (a fresh table). */
import { DynamoDbConversationTurns } from '../../lambdas/adapters/dynamodb/conversation-turns';
import { DynamoDbMeasurementCounters } from '../../lambdas/adapters/dynamodb/measurement-counters';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';
import { describeMeasurementContract } from '../contract/measurement-counters.contract';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-measurement');
});

afterAll(() => table.close());

describeMeasurementContract('DynamoDB on dynalite', () => ({
  counters: new DynamoDbMeasurementCounters(table.client, table.tableName, () => Date.UTC(2026, 11, 6)),
  turns: new DynamoDbConversationTurns(table.client, table.tableName),
}));
