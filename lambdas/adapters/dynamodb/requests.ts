import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from './keys';

export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

export type WriteRequest = NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string][number];

export const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Enough for DynamoDB's unprocessed items to drain (~1.6 s in all), well inside the 10 s timeout. */
const MAX_BATCH_ATTEMPTS = 7;

/**
 * DynamoDB hands back unprocessed batch items under load; wait a little longer each time, and give
 * up with an error (so the webhook answers 500 and Meta retries) rather than run into the timeout.
 */
export const backOff = (attempt: number): Promise<void> => {
  if (attempt >= MAX_BATCH_ATTEMPTS) return Promise.reject(new Error(`DynamoDB left batch items unprocessed after ${attempt} attempts`));
  return attempt === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
};

/** Reads items by key, 100 per request, until DynamoDB has processed them all. Order is not kept. */
export const batchGetAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly ItemKey[],
  options: { projection?: string; consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for (const chunk of chunks(keys, BATCH_GET_LIMIT)) {
    let pending: Record<string, unknown>[] | undefined = chunk.map((key) => ({ ...key }));
    for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
      await backOff(attempt);
      const page: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: options.projection, ConsistentRead: options.consistent } },
        }),
      );
      items.push(...(page.Responses?.[tableName] ?? []));
      pending = page.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
};

/** Puts and deletes, 25 per request, until DynamoDB has processed them all. */
export const batchWriteAll = async (client: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> => {
  for (const chunk of chunks(requests, BATCH_WRITE_LIMIT)) await batchWriteChunk(client, tableName, chunk);
};

/** One batch of at most 25 writes, retried until DynamoDB has processed all of it. */
export const batchWriteChunk = async (client: DynamoDBDocumentClient, tableName: string, chunk: readonly WriteRequest[]): Promise<void> => {
  let pending: WriteRequest[] | undefined = [...chunk];
  for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
    await backOff(attempt);
    const result: BatchWriteCommandOutput = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = result.UnprocessedItems?.[tableName];
  }
};

/** Every item of one partition (those whose sort key starts with `skPrefix`, or sorts before `skBefore`, when given), page after page. */
export const queryPartition = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  options: { skPrefix?: string; skBefore?: string; projection?: string; consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  const [condition, bound] =
    options.skPrefix !== undefined ? ['pk = :pk AND begins_with(sk, :sk)', options.skPrefix] : options.skBefore !== undefined ? ['pk = :pk AND sk < :sk', options.skBefore] : ['pk = :pk', undefined];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: { ':pk': pk, ...(bound === undefined ? {} : { ':sk': bound }) },
        ProjectionExpression: options.projection,
        ConsistentRead: options.consistent,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

export const isConditionFailure = (error: unknown): boolean => error instanceof Error && error.name === 'ConditionalCheckFailedException';
