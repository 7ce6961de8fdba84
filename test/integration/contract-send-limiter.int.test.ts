/** Interface under test: the SendLimiter port, on the DynamoDB adapter against dynalite (a fresh table). */
import { DynamoDbSendLimiter } from '../../lambdas/adapters/dynamodb/send-limiter';
import { describeSendLimiterContract } from '../contract/send-limiter.contract';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-send-limiter');
});

afterAll(() => table.close());

describeSendLimiterContract('DynamoDbSendLimiter on dynalite', () => () => new DynamoDbSendLimiter(table.client, table.tableName));
