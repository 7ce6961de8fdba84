/** Interface under test: the AutomationUsageStore port, on the DynamoDB adapter against dynalite (a fresh table). */
import { DynamoDbAutomationUsageStore } from '../../lambdas/adapters/dynamodb/automation-usage-store';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';
import { describeAutomationUsageStoreContract } from '../contract/automation-usage-store.contract';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-usage');
});

afterAll(() => table.close());

describeAutomationUsageStoreContract('DynamoDbAutomationUsageStore on dynalite', () => new DynamoDbAutomationUsageStore(table.client, table.tableName, () => Date.UTC(2026, 11, 6)));
