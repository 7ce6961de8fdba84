import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIENCE_INDEX } from './keys';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

/**
 * One page of a `gsi1` partition: its sort values (user ids, outbox ids) and a cursor to the next
 * page. It reads one entry more than asked, so the cursor is absent exactly when nothing follows
 * (DynamoDB alone hands back a key whenever a page is full, costing an empty last page).
 * The cursor is the last entry's key as base64url JSON: opaque to callers, and checked on the way
 * back so a mangled or foreign cursor fails clearly instead of as a DynamoDB validation error.
 */
export const indexPage = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  cursor: string | undefined,
  limit: number,
): Promise<{ values: string[]; cursor?: string }> => {
  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: AUDIENCE_INDEX,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': partition },
      Limit: limit + 1,
      ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor, partition),
    }),
  );
  const items = page.Items ?? [];
  const kept = items.slice(0, limit);
  const last = items.length > limit ? keyOf(kept[kept.length - 1] ?? {}) : page.LastEvaluatedKey;
  const values = kept.map((item) => String(item.gsi1sk));
  return last ? { values, cursor: Buffer.from(JSON.stringify(last)).toString('base64url') } : { values };
};

const keyOf = (item: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(KEY_ATTRIBUTES.map((name) => [name, item[name]]));

const decodeCursor = (cursor: string, partition: string): Record<string, string> => {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    Object.keys(key).length === KEY_ATTRIBUTES.length &&
    KEY_ATTRIBUTES.every((name) => typeof (key as Record<string, unknown>)[name] === 'string');
  if (!valid) throw new Error('malformed page cursor: pass back the cursor of the previous page unchanged');
  if ((key as Record<string, string>).gsi1pk !== partition) throw new Error('page cursor belongs to another listing');
  return key as Record<string, string>;
};
