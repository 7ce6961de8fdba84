/**
 * Interface under test: the ImportJobs port, on the DynamoDB adapter against dynalite (a fresh table
 * per test: the job listing is global). Then what only the table shows: how long each item lives,
 * the chunk parts' sizes, and the row outcome filed under the person.
 */
import { createHash, randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CHUNK_PART_BYTES, DynamoDbImportJobs } from '../../lambdas/adapters/dynamodb/import-jobs';
import { importPk, importRowKey, personPk } from '../../lambdas/adapters/dynamodb/keys';
import { emptyImportCounts } from '../../lambdas/domain/import/import-counts';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';
import { describeImportJobsContract } from '../contract/import-jobs.contract';

const tables: ContractTable[] = [];

afterAll(() => tables.forEach((t) => t.close()));

const freshStore = async (): Promise<{ table: ContractTable; jobs: DynamoDbImportJobs }> => {
  const table = await freshStateTable('contract-imports');
  tables.push(table);
  return { table, jobs: new DynamoDbImportJobs(table.client, table.tableName) };
};

describeImportJobsContract('DynamoDbImportJobs on dynalite', async () => (await freshStore()).jobs);

describe('DynamoDbImportJobs items', () => {
  const T0 = Date.UTC(2026, 11, 6, 20);
  const THIRTY_DAYS_S = 30 * 86_400;
  const contact = { channel: 'whatsapp' as const, accountId: '109876543210987', userId: '4915100000001' };

  it('keeps job, chunks and errors 30 days after the job’s creation, splits a chunk into parts under 400 KB, and keeps row outcomes', async () => {
    // Prepare
    const { table, jobs } = await freshStore();
    const importId = 'imp-items';
    await jobs.create({
      importId,
      settings: { purpose: 'add_new', header: ['phone'], mapping: { phone: 'userId' }, doNotOverwrite: [], dryRun: false, defaults: {}, delimiter: ',', restoreErased: false },
      status: 'uploading',
      createdAt: T0,
      cursor: { chunk: 0, record: 0 },
      counts: emptyImportCounts(),
    });
    const bytes = randomBytes(1024 * 1024).map((b) => b & 0x7f);
    const csv = Buffer.from(bytes).toString('latin1');

    // Act
    await jobs.putChunk(importId, 0, { firstLine: 2, csv, sha256: createHash('sha256').update(csv).digest('hex'), records: 1 });
    await jobs.putErrors(importId, [{ line: 2, column: 'phone', reason: 'not a phone number' }]);
    await jobs.putRowOutcome(importId, 3, contact, 'created', ['userId'], T0 + 1000);

    // Assess
    const { Items: partition = [] } = await table.client.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': importPk(importId) } }),
    );
    const kinds = partition.map((item) => String(item.entity)).sort();
    expect(kinds).toEqual(['import_chunk', 'import_chunk_part', 'import_chunk_part', 'import_chunk_part', 'import_error', 'import_job']);
    expect(partition.every((item) => item.expiresAt === T0 / 1000 + THIRTY_DAYS_S)).toBe(true);
    const parts = partition.filter((item) => item.entity === 'import_chunk_part').map((item) => (item.data as Uint8Array).length);
    expect(parts.every((size) => size <= CHUNK_PART_BYTES)).toBe(true);
    expect(parts.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(800 * 1024);

    const { Items: rows = [] } = await table.client.send(
      new QueryCommand({ TableName: table.tableName, IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': personPk(contact) } }),
    );
    expect(rows).toEqual([expect.objectContaining({ ...importRowKey(importId, 3), gsi2sk: `IMPORT#${importId}#000000003` })]);
    const row = (await table.client.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': importRowKey(importId, 3).pk } }))).Items?.[0];
    expect(row).toMatchObject({ entity: 'import_row', importId, line: 3, outcome: 'created', fields: ['userId'], at: T0 + 1000, ...contact });
    expect(row?.expiresAt).toBeUndefined();

    // Dropped: only the job and its errors stay.
    await jobs.dropChunks(importId);
    const { Items: left = [] } = await table.client.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': importPk(importId) } }),
    );
    expect(left.map((item) => String(item.entity)).sort()).toEqual(['import_error', 'import_job']);
  });
});
