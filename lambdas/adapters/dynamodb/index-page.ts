import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { InvalidPageCursor } from '../../ports/page-cursor';
import type { IndexKeys } from './keys';

/** A listing in one index: one or more partitions (the write shards of a key) read one after the other. */
export interface IndexListing {
  index: IndexKeys;
  partitions: readonly string[];
  /** Only entries whose index sort key starts with this. */
  skPrefix?: string;
  /** Sort order within a partition (default ascending). */
  forward?: boolean;
}

/** An index entry of a keys-only index: the table's key and the index's. */
export type IndexEntry = Record<string, string>;

/**
 * One page of a listing: its entries and a cursor to the next page. It reads one entry more than
 * asked (from the next partitions if need be), so the cursor is absent exactly when nothing follows
 * (DynamoDB alone hands back a key whenever a page is full, costing an empty last page).
 * The cursor names the partition it continues in and, within it, the last entry's key, as base64url
 * JSON: opaque to callers, and checked on the way back so a mangled or foreign cursor fails clearly
 * instead of as a DynamoDB validation error.
 */
export const indexPage = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  listing: IndexListing,
  cursor: string | undefined,
  limit: number,
): Promise<{ entries: IndexEntry[]; cursor?: string }> => {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const start = cursor === undefined ? { position: 0 } : decodeCursor(cursor, listing);
  const found: { at: number; entry: IndexEntry }[] = [];
  let position = start.position;
  let startKey = start.key;
  while (position < listing.partitions.length && found.length <= limit) {
    const page = await queryPartition(client, tableName, listing, listing.partitions[position] as string, startKey, limit + 1 - found.length);
    for (const item of page.Items ?? []) found.push({ at: position, entry: keyOf(listing.index, item) });
    if (found.length > limit) break;
    if (page.LastEvaluatedKey) {
      // Fewer than asked but not the end: the 1 MB page limit. Go on in the same partition.
      startKey = page.LastEvaluatedKey as IndexEntry;
    } else {
      position += 1;
      startKey = undefined;
    }
  }
  const kept = found.slice(0, limit);
  const entries = kept.map((f) => f.entry);
  const next = found[limit];
  const last = kept[kept.length - 1];
  if (next === undefined || last === undefined) return { entries };
  // The entry after the page starts a later partition: the page's partition is exhausted.
  const resume: CursorState = next.at === last.at ? { at: listing.partitions[last.at] as string, key: last.entry } : { at: listing.partitions[next.at] as string };
  return { entries, cursor: Buffer.from(JSON.stringify(resume)).toString('base64url') };
};

const queryPartition = (
  client: DynamoDBDocumentClient,
  tableName: string,
  listing: IndexListing,
  partition: string,
  startKey: IndexEntry | undefined,
  limit: number,
): Promise<QueryCommandOutput> =>
  client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: listing.index.name,
      KeyConditionExpression: listing.skPrefix === undefined ? '#pk = :p' : '#pk = :p AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': listing.index.pk, ...(listing.skPrefix === undefined ? {} : { '#sk': listing.index.sk }) },
      ExpressionAttributeValues: { ':p': partition, ...(listing.skPrefix === undefined ? {} : { ':prefix': listing.skPrefix }) },
      ScanIndexForward: listing.forward ?? true,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );

const keyAttributes = (index: IndexKeys): string[] => ['pk', 'sk', index.pk, index.sk];

const keyOf = (index: IndexKeys, item: Record<string, unknown>): IndexEntry =>
  Object.fromEntries(keyAttributes(index).map((name) => [name, String(item[name])]));

interface CursorState {
  /** The partition the next page starts in. */
  at: string;
  /** The last entry read in it; absent: from its start. */
  key?: IndexEntry;
}

const decodeCursor = (cursor: string, listing: IndexListing): { position: number; key?: IndexEntry } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const attributes = keyAttributes(listing.index);
  const isKey = (value: unknown): value is IndexEntry =>
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === attributes.length &&
    attributes.every((name) => typeof (value as Record<string, unknown>)[name] === 'string');
  const state = parsed as Partial<CursorState> | undefined;
  let resume: CursorState;
  if (typeof state === 'object' && state !== null && typeof state.at === 'string' && (state.key === undefined || isKey(state.key))) {
    resume = { at: state.at, key: state.key };
  } else if (isKey(parsed)) {
    // A cursor of the previous release: the bare key of the last entry, in the unsharded partition.
    resume = { at: parsed[listing.index.pk] as string, key: parsed };
  } else {
    throw new InvalidPageCursor('malformed page cursor: pass back the cursor of the previous page unchanged');
  }
  const position = listing.partitions.indexOf(resume.at);
  if (position < 0 || (resume.key !== undefined && resume.key[listing.index.pk] !== resume.at)) throw new InvalidPageCursor('page cursor belongs to another listing');
  return { position, key: resume.key };
};
