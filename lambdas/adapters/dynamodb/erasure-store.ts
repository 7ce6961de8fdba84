import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UNASSIGNED_PORTFOLIO } from '../../domain/send/send-limits';
import { type ErasureCounts, noneErased } from '../../domain/erasure/tombstone';
import type { ContactRef } from '../../domain/events';
import type { ErasureStore, LimiterScope, Tombstone } from '../../ports/erasure-store';
import type { StoredAttributes } from '../../ports/state-store';
import { contactPk, GSI2, type ItemKey, OPTIN_PREFIX, PERSON_ITEM, personPk, STATE_SK, TAG_PREFIX, tombstoneKey } from './keys';
import { mapLimit } from '../../shared/map-limit';
import { BATCH_WRITE_LIMIT, batchWriteChunk, chunks, queryPartition } from './requests';
import { pairItemKey, seatItemKey } from './send-limiter';

const PERSON_KINDS: readonly [string, keyof ErasureCounts][] = [
  [PERSON_ITEM.send, 'sends'],
  [PERSON_ITEM.message, 'messageStatuses'],
  [PERSON_ITEM.event, 'events'],
  [PERSON_ITEM.quarantine, 'quarantined'],
  [PERSON_ITEM.import, 'importRows'],
];

/**
 * Delete batches in flight: a person with years of sends holds thousands of items, which one batch
 * after another would take longer than the admin API's 29 s to remove. Their keys spread over
 * partitions (one per send, per event), so 8 × 25 deletes at once throttle nothing.
 */
const DELETE_BATCHES_IN_FLIGHT = 8;

const contactKindOf = (sk: string): keyof ErasureCounts => {
  if (sk === STATE_SK) return 'contactRecords';
  if (sk.startsWith(OPTIN_PREFIX)) return 'optIns';
  if (sk.startsWith(TAG_PREFIX)) return 'tags';
  return 'otherContactItems';
};

/**
 * Erasure on the state table (keys.ts): each id's contact partition (one Query), its person index
 * partition on gsi2 (`P#<channel>#<accountId>#<userId>`, keys only: the entries name the items' table
 * keys), and the limiter's pair and seat items, whose keys hold the recipient. Index entries go with
 * their items. The index is read whole before anything is deleted (it is eventually consistent, so
 * paging while deleting could hand back entries already gone); an entry whose item a TTL removed in
 * between is deleted again, which DynamoDB takes as done.
 */
export class DynamoDbErasureStore implements ErasureStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async contactState(contact: ContactRef): Promise<StoredAttributes | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: contactPk(contact), sk: STATE_SK }, ConsistentRead: true }));
    return Item;
  }

  async eraseItems(contacts: readonly ContactRef[], limiter: LimiterScope): Promise<ErasureCounts> {
    const counts = noneErased();
    const keys: ItemKey[] = [];
    for (const contact of contacts) {
      for (const item of await queryPartition(this.client, this.tableName, contactPk(contact), { projection: 'pk, sk', consistent: true })) {
        counts[contactKindOf(String(item.sk))] += 1;
        keys.push({ pk: String(item.pk), sk: String(item.sk) });
      }
      for (const entry of await this.personEntries(contact)) {
        const kind = PERSON_KINDS.find(([prefix]) => entry.gsi2sk.startsWith(prefix))?.[1];
        // A kind a later issue files here (clicks, conversions) is the person's too.
        counts[kind ?? 'otherContactItems'] += 1;
        keys.push({ pk: entry.pk, sk: entry.sk });
      }
    }
    const unique = [...new Map(keys.map((key) => [`${key.pk}\n${key.sk}`, key])).values()];
    const deletes = unique.map((Key) => ({ DeleteRequest: { Key } }));
    await mapLimit(chunks(deletes, BATCH_WRITE_LIMIT), DELETE_BATCHES_IN_FLIGHT, (chunk) => batchWriteChunk(this.client, this.tableName, chunk));
    counts.limiterItems = await this.eraseLimiterItems(contacts, limiter);
    return counts;
  }

  async putTombstones(tombstones: readonly Tombstone[]): Promise<void> {
    await Promise.all(
      tombstones.map(({ hash, erasedAt }) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: tombstoneKey(hash),
            UpdateExpression: 'SET erasedAt = if_not_exists(erasedAt, :at), #kind = :kind',
            ExpressionAttributeNames: { '#kind': 'entity' },
            ExpressionAttributeValues: { ':at': erasedAt, ':kind': 'tombstone' },
          }),
        ),
      ),
    );
  }

  async hasTombstone(hash: string): Promise<boolean> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: tombstoneKey(hash), ConsistentRead: true, ProjectionExpression: 'pk' }));
    return Item !== undefined;
  }

  private async personEntries(contact: ContactRef): Promise<{ pk: string; sk: string; gsi2sk: string }[]> {
    const entries: { pk: string; sk: string; gsi2sk: string }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI2.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': GSI2.pk },
          ExpressionAttributeValues: { ':pk': personPk(contact) },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) entries.push({ pk: String(item.pk), sk: String(item.sk), gsi2sk: String(item[GSI2.sk]) });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries;
  }

  /** The pair item (per sending account and recipient) and the seat (per portfolio and recipient): each deleted by key, counted when it was there. */
  private async eraseLimiterItems(contacts: readonly ContactRef[], limiter: LimiterScope): Promise<number> {
    const keys = contacts.flatMap((contact) => [
      pairItemKey(contact.accountId, contact.userId),
      ...(contact.channel === 'whatsapp' ? [seatItemKey(limiter.portfolioId ?? UNASSIGNED_PORTFOLIO, contact.userId)] : []),
    ]);
    const removed = await Promise.all(
      keys.map(async (Key) => (await this.client.send(new DeleteCommand({ TableName: this.tableName, Key, ReturnValues: 'ALL_OLD' }))).Attributes !== undefined),
    );
    return removed.filter(Boolean).length;
  }
}
