import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingEntry, PendingWork } from '../../ports/pending-work';
import { DUE_KIND, DUE_PARTITIONS, dueBefore, GSI3 } from './keys';

/**
 * The pending-work index (gsi3, keys.ts): one Query per shard, `gsi3pk = DUE#<nn> AND gsi3sk <
 * <before>`, oldest first. The index is sparse and keys-only, so a sweep reads exactly the overdue
 * entries' keys, never a scan of the table.
 */
export class DynamoDbPendingWork implements PendingWork {
  readonly shards = DUE_PARTITIONS.length;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async dueBefore(shard: number, before: number, cursor: string | undefined, limit: number): Promise<{ entries: PendingEntry[]; cursor?: string }> {
    const partition = DUE_PARTITIONS[shard];
    if (partition === undefined) throw new RangeError(`shard must be an integer from 0 to ${this.shards - 1}, got ${shard}`);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI3.name,
        KeyConditionExpression: '#pk = :pk AND #sk < :before',
        ExpressionAttributeNames: { '#pk': GSI3.pk, '#sk': GSI3.sk },
        ExpressionAttributeValues: { ':pk': partition, ':before': dueBefore(before) },
        Limit: limit,
        ...(cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(cursor) }),
      }),
    );
    const entries = Items.flatMap((item) => parseDueSortKey(String(item[GSI3.sk])) ?? []);
    return LastEvaluatedKey === undefined ? { entries } : { entries, cursor: Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') };
  }
}

/** `<15-digit due ms>#<kind>#<id>` back to an entry; undefined for a kind this release doesn't know. */
export const parseDueSortKey = (sortKey: string): PendingEntry | undefined => {
  const [time = '', kind, ...rest] = sortKey.split('#');
  const dueAt = Number(time);
  if (!/^\d+$/.test(time) || rest.length === 0) return undefined;
  // Campaign ids and occurrence keys hold no `#` (schemas/dispatcher-input.ts); outbox ids neither.
  switch (kind) {
    case DUE_KIND.outbox:
      return rest.length === 1 ? { kind: 'outbox', dueAt, outboxId: rest[0] as string } : undefined;
    case DUE_KIND.occurrence:
      return rest.length === 2 ? { kind: 'occurrence', dueAt, campaignId: rest[0] as string, occurrenceKey: rest[1] as string } : undefined;
    case DUE_KIND.segment: {
      const segment = Number(rest[2]);
      return rest.length === 3 && Number.isInteger(segment) ? { kind: 'segment', dueAt, campaignId: rest[0] as string, occurrenceKey: rest[1] as string, segment } : undefined;
    }
    default:
      return undefined;
  }
};

/** A cursor is the Query's own LastEvaluatedKey (table and index keys), as base64url JSON; checked on the way back. */
const decodeCursor = (cursor: string): Record<string, string> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const valid = typeof parsed === 'object' && parsed !== null && ['pk', 'sk', GSI3.pk, GSI3.sk].every((k) => typeof (parsed as Record<string, unknown>)[k] === 'string');
  if (!valid) throw new Error('invalid pending-work cursor');
  return parsed as Record<string, string>;
};
