import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_QUARANTINE_RETENTION_DAYS, quarantineExpiresAt } from '../../domain/quarantine/quarantine-entry';
import { InvalidQuarantineCursor, type QuarantineEntry, type QuarantinedItem, type QuarantinePage, type QuarantineStore } from '../../ports/quarantine';
import { mapLimit } from '../../shared/map-limit';
import { GSI1, QUARANTINE_LISTING, quarantineKey, quarantineListingEntry, quarantinePersonEntry } from './keys';
import { BATCH_WRITE_LIMIT, batchGetAll, batchWriteChunk, chunks } from './requests';
import { allShardKeys } from './shards';

/** A listing sort key: `<receivedAt ISO>#<quarantineId>`. */
const LISTING_SK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{1,64}$/;

/**
 * Quarantined webhook items in the state table (keys.ts): `Q#<id>` / `QUARANTINE`, with the table's
 * TTL attribute `expiresAt` (seconds), listed newest first through gsi1 (`QUAR#<nn>`, 16 write
 * shards, so a flood of poisoned items can't make a hot key), and filed under the person (gsi2
 * `P#…` / `QUAR#…`) when the item names a valid contact, so erasure finds it.
 */
export class DynamoDbQuarantine implements QuarantineStore {
  private readonly retentionDays: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { retentionDays?: number } = {},
  ) {
    this.retentionDays = options.retentionDays ?? DEFAULT_QUARANTINE_RETENTION_DAYS;
  }

  async put(entries: readonly QuarantineEntry[], receivedAt: number): Promise<void> {
    const expiresAt = quarantineExpiresAt(receivedAt, this.retentionDays) / 1000;
    const items = entries.map((entry) => {
      const { channel, accountId, userId } = entry;
      const person = channel !== undefined && accountId !== undefined && userId !== undefined;
      return {
        ...quarantineKey(entry.quarantineId),
        entity: 'quarantine',
        ...entry,
        receivedAt,
        expiresAt,
        ...quarantineListingEntry(entry.quarantineId, receivedAt),
        ...(person ? quarantinePersonEntry({ channel, accountId, userId }, receivedAt, entry.quarantineId) : {}),
      };
    });
    // Two deliveries of one item in a body are one entry: a batch may not name a key twice.
    const unique = [...new Map(items.map((item) => [item.pk, item])).values()];
    await mapLimit(chunks(unique, BATCH_WRITE_LIMIT), 4, (chunk) =>
      batchWriteChunk(this.client, this.tableName, chunk.map((Item) => ({ PutRequest: { Item } }))),
    );
  }

  /**
   * Every shard read backwards from the cursor, at most `limit` + 1 entries each, merged by listing
   * key (16 Queries and one BatchGet per page). Entries received before `now` minus the retention
   * have expired: the key condition stops there, so pages never walk items DynamoDB hasn't deleted yet.
   */
  async list(query: { limit: number; cursor?: string; now: number }): Promise<QuarantinePage> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const oldest = new Date(Math.max(0, query.now - this.retentionDays * 86_400_000)).toISOString();
    const pages = await Promise.all(allShardKeys(QUARANTINE_LISTING).map((pk) => this.shardPage(pk, oldest, before, query.limit + 1)));
    const merged = pages.flat().sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
    const taken = merged.slice(0, query.limit);
    const stored = await batchGetAll(this.client, this.tableName, taken.map((e) => quarantineKey(e.id)));
    const byId = new Map(stored.map((item) => [String(item.quarantineId), item]));
    const items = taken
      .map((e) => byId.get(e.id))
      .filter((item): item is Record<string, unknown> => item !== undefined)
      .map(toQuarantinedItem)
      .filter((item) => item.expiresAt > query.now);
    const last = taken[taken.length - 1];
    return { items, ...(merged.length > query.limit && last ? { cursor: Buffer.from(last.sk).toString('base64url') } : {}) };
  }

  private async shardPage(pk: string, oldest: string, before: string | undefined, limit: number): Promise<{ sk: string; id: string }[]> {
    // The cursor's entry has expired since: nothing older is left (and BETWEEN refuses bounds out of order).
    if (before !== undefined && before < oldest) return [];
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1.name,
        KeyConditionExpression: before === undefined ? '#pk = :pk AND #sk >= :oldest' : '#pk = :pk AND #sk BETWEEN :oldest AND :before',
        ExpressionAttributeNames: { '#pk': GSI1.pk, '#sk': GSI1.sk },
        ExpressionAttributeValues: { ':pk': pk, ':oldest': oldest, ...(before === undefined ? {} : { ':before': before }) },
        ScanIndexForward: false,
        // BETWEEN includes the cursor's own entry: one more, dropped below.
        Limit: limit + 1,
      }),
    );
    return (Items ?? [])
      .map((item) => String(item[GSI1.sk]))
      .filter((sk) => sk !== before)
      .slice(0, limit)
      .map((sk) => ({ sk, id: sk.slice(sk.indexOf('#') + 1) }));
  }
}

const decodeCursor = (cursor: string): string => {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!LISTING_SK.test(sk)) throw new InvalidQuarantineCursor();
  return sk;
};

const toQuarantinedItem = (item: Record<string, unknown>): QuarantinedItem => ({
  quarantineId: String(item.quarantineId),
  reason: item.reason as QuarantinedItem['reason'],
  issues: (item.issues as QuarantinedItem['issues'] | undefined) ?? [],
  type: String(item.type),
  ...(typeof item.channel === 'string' ? { channel: item.channel as QuarantinedItem['channel'] & string } : {}),
  ...(typeof item.accountId === 'string' ? { accountId: item.accountId } : {}),
  ...(typeof item.userId === 'string' ? { userId: item.userId } : {}),
  item: String(item.item),
  itemTruncated: item.itemTruncated === true,
  receivedAt: Number(item.receivedAt),
  expiresAt: Number(item.expiresAt) * 1000,
});
