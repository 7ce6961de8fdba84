/** Interface under test: the QuarantineStore port, on the DynamoDB adapter against dynalite (a fresh table per test: the listing is global). */
import { DynamoDbQuarantine } from '../../lambdas/adapters/dynamodb/quarantine';
import { describeQuarantineContract } from '../contract/quarantine.contract';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

const tables: ContractTable[] = [];

afterAll(() => tables.forEach((t) => t.close()));

describeQuarantineContract('DynamoDbQuarantine on dynalite', async (options) => {
  const table = await freshStateTable('contract-quarantine');
  tables.push(table);
  return new DynamoDbQuarantine(table.client, table.tableName, options);
});
