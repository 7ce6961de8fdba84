/**
 * A fresh state table on the integration project's dynalite, created as the local stack creates it:
 * one per contract suite, so a suite never sees another's items.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { ensureStateTable } from '../../lambdas/local/table';

export interface ContractTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  close(): void;
}

export const freshStateTable = async (prefix: string): Promise<ContractTable> => {
  const endpoint = process.env.DDB_ENDPOINT;
  if (!endpoint) throw new Error('DDB_ENDPOINT is not set: run through the jest integration project');
  const raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const client = documentClient({ endpoint, region: 'local' });
  const tableName = `${prefix}-${randomUUID()}`;
  await ensureStateTable(raw, tableName);
  return {
    client,
    tableName,
    close: () => {
      raw.destroy();
      client.destroy();
    },
  };
};
