import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactRef } from '../../domain/events';
import { InvalidPersonCursor, type PersonData, type PersonItem, type PersonItemKind } from '../../ports/person-data';
import type { StoredAttributes } from '../../ports/state-store';
import { CONVERSION_PERSON_PREFIX, CUSTOMER_KEY_PERSON_PREFIX } from './conversion-keys';
import { type IndexEntry, indexPage } from './index-page';
import { contactPk, GSI2, INDEX_ATTRIBUTES, PERSON_ITEM, personPk } from './keys';
import { batchGetAll, queryPartition } from './requests';

/** Index entries read per round at most: each round is one or two Queries and one BatchGetItem. */
const ROUND = 50;
/** DynamoDB's largest item: a round reads no more entries than could still fit the page's bytes if each were that big. */
const MAX_ITEM_BYTES = 400 * 1024;

const KINDS: readonly [string, PersonItemKind][] = [
  [PERSON_ITEM.send, 'send'],
  [PERSON_ITEM.message, 'messageStatus'],
  [PERSON_ITEM.event, 'event'],
  [PERSON_ITEM.quarantine, 'quarantined'],
  [PERSON_ITEM.import, 'importRow'],
  [PERSON_ITEM.click, 'click'],
  [CONVERSION_PERSON_PREFIX, 'conversion'],
  [CUSTOMER_KEY_PERSON_PREFIX, 'customerKey'],
];

/**
 * A person's items in the state table (keys.ts): their contact partitions by key, the rest through
 * the person index (gsi2 `P#<channel>#<accountId>#<userId>`, keys only), fetched whole by key. Items
 * come back without their index attributes: those repeat the ids and times the item holds.
 */
export class DynamoDbPersonData implements PersonData {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async contactItems(contacts: readonly ContactRef[]): Promise<StoredAttributes[]> {
    const partitions = await Promise.all(contacts.map((contact) => queryPartition(this.client, this.tableName, contactPk(contact), { consistent: true })));
    return partitions.flat().map(withoutIndexFields);
  }

  async personItems(
    contacts: readonly ContactRef[],
    options: { cursor?: string; limit: number; maxBytes: number },
  ): Promise<{ items: PersonItem[]; cursor?: string }> {
    const listing = { index: GSI2, partitions: contacts.map(personPk) };
    const items: PersonItem[] = [];
    let bytes = 0;
    let cursor = options.cursor;
    do {
      const fits = Math.max(1, Math.floor((options.maxBytes - bytes) / MAX_ITEM_BYTES));
      const page = await this.page(listing, cursor, Math.min(ROUND, options.limit - items.length, fits));
      const found = await batchGetAll(this.client, this.tableName, page.entries.map(({ pk, sk }) => ({ pk: String(pk), sk: String(sk) })), { consistent: true });
      const byKey = new Map(found.map((item) => [`${String(item.pk)}\n${String(item.sk)}`, item]));
      for (const entry of page.entries) {
        const item = byKey.get(`${entry.pk}\n${entry.sk}`);
        // Gone between the index and the read (a TTL expiry): nothing left to hand out.
        if (item === undefined) continue;
        const kind = KINDS.find(([prefix]) => String(entry[GSI2.sk]).startsWith(prefix))?.[1];
        if (kind === undefined) continue;
        const plain = withoutIndexFields(item);
        items.push({ kind, item: plain });
        bytes += Buffer.byteLength(JSON.stringify(plain), 'utf8');
      }
      cursor = page.cursor;
    } while (cursor !== undefined && items.length < options.limit && bytes < options.maxBytes);
    return { items, ...(cursor === undefined ? {} : { cursor }) };
  }

  private async page(listing: Parameters<typeof indexPage>[2], cursor: string | undefined, limit: number): Promise<{ entries: IndexEntry[]; cursor?: string }> {
    try {
      return await indexPage(this.client, this.tableName, listing, cursor, limit);
    } catch (error) {
      if (error instanceof Error && /page cursor/.test(error.message)) throw new InvalidPersonCursor(error.message);
      throw error;
    }
  }
}

const withoutIndexFields = (item: Record<string, unknown>): StoredAttributes =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !(INDEX_ATTRIBUTES as readonly string[]).includes(name)).map(([name, value]) => [name, plain(value)]));

/** A DynamoDB set as an array, so the JSON answer holds its members. */
const plain = (value: unknown): unknown => (value instanceof Set ? [...(value as Set<unknown>)] : value);
