/** Interface under test: the AuditLog port, on the DynamoDB adapter against dynalite (a fresh table). */
import { DynamoDbAuditLog } from '../../lambdas/adapters/dynamodb/audit-log';
import { CONTRACT_AUDIT_RETENTION_DAYS, describeAuditLogContract } from '../contract/audit-log.contract';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

let table: ContractTable;

beforeAll(async () => {
  table = await freshStateTable('contract-audit');
});

afterAll(() => table.close());

describeAuditLogContract('DynamoDbAuditLog on dynalite', () => new DynamoDbAuditLog(table.client, table.tableName, { retentionDays: CONTRACT_AUDIT_RETENTION_DAYS }));
