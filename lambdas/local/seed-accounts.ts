import * as z from 'zod';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { AccountSchema } from '../schemas/account';
import type { LocalStack } from './local-stack';

/** Registers the sample accounts the files in events/ are addressed to, unless accounts exist already. */
export const seedAccounts = async (stack: LocalStack, accountsJson: unknown): Promise<number> => {
  const accounts = z.array(AccountSchema).parse(accountsJson);
  const raw = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const registry = new DynamoDbAccountRegistry(DynamoDBDocumentClient.from(raw), stack.tableName, Date.now);
    if ((await registry.list()).length > 0) return 0;
    for (const account of accounts) await registry.put(account);
    return accounts.length;
  } finally {
    raw.destroy();
  }
};
