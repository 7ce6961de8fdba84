import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AccountRef, ContactRef, WebhookEvent } from '../../domain/events';
import type { RegisterWrite } from '../../domain/state-writes';
import type { ContactRecord, FlagsLanded, MessageRecord, StateStore, StoredAttributes, TemplateRecord } from '../../ports/state-store';
import { mapLimit } from '../../shared/map-limit';
import {
  accountPolicyKey,
  contactPk,
  eventKeyOf,
  eventPersonFields,
  isAliasRecord,
  isBsuidRecord,
  LINK_FIELD,
  messageKey,
  milestoneFlag,
  OPTIN_PREFIX,
  STATE_SK,
  TAG_PREFIX,
  targetItem,
  templatePk,
  unlistsContact,
  withIndexFields,
} from './keys';
import { mergeContactStates } from './contact-merge';
import { outboxRecordOf } from './outbox';
import { asItemRejection } from './item-rejection';
import { BATCH_GET_LIMIT, BATCH_WRITE_LIMIT, batchGetAll, batchWriteChunk, chunks, isConditionFailure, queryPartition } from './requests';
import { ifAbsent, outcomeOn, registerUpdate } from './update-expression';
import { type Clock, systemClock } from '../../domain/clock';
import { expiresAtFor, type RetentionDays, retentionDays } from '../../domain/retention';

/** Fields that name another record of the same person. */
const IDENTITY_FIELDS = ['linkedUserId', 'bsuid', 'waId', 'previousWaId', 'previousBsuid'] as const;
/** A person who changed number and username a few times still reads as one; more hops cost reads on every send. */
const MAX_IDENTITY_HOPS = 3;
const DEFAULT_CONCURRENCY = 24;
/** BatchGetItems of one hop in flight: a page of 200 people and their BSUIDs is two of them. */
const BATCH_GETS_IN_FLIGHT = 4;
/** Rounds of refusal, look, rewrite of the winners, before each register is written on its own. */
const MAX_GROUP_ATTEMPTS = 4;

/**
 * Contact attributes written outside the registers (the profile, the marketing ledger). The register
 * merge would drop them, so a person's state takes them from the record of the `userId` it answers
 * with: the record callers then address their writes to.
 */
const UNREGISTERED_CONTACT_FIELDS = [
  'profileTags',
  'profileAttributes',
  'timeZone',
  'country',
  'profileUpdatedAt',
  'marketingLedger',
  'marketingLedgerVersion',
  // ports/contact-profiles.ts: a CSV import created the contact.
  'origin',
] as const;

export interface DynamoDbStateStoreOptions {
  tableName: string;
  /** Parallel UpdateItems per batch; a 1,000-event body must still answer well inside Meta's 5 s. */
  concurrency?: number;
  /**
   * Days event, message status and outbox records live (TTL `expiresAt`), lambdas/domain/retention.ts;
   * absent ones at their defaults. Event records from their receipt (30 days by default: long enough to
   * absorb Meta's 7-day WhatsApp retries); message status and the outbox records status webhooks reach
   * from their first write (`if_not_exists`, so the sender's creation time stays the outbox's).
   */
  retention?: Partial<RetentionDays>;
  /** The time a message or outbox record's TTL counts from when a write creates it. */
  clock?: Clock;
}

export class DynamoDbStateStore implements StateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoDbStateStoreOptions,
  ) {}

  /**
   * One conditional UpdateItem per item an event writes to. On the hot path it lands: every register
   * of the item beats what is stored. When it doesn't (a duplicate, a report overtaken by a newer
   * one, a concurrent write), the stored item (returned with the refusal in AWS, read here otherwise)
   * says which registers still win, and only those are written, conditionally again; nothing is
   * written when none does. A register can only move forward, so this never drops a winning write:
   * at worst a concurrent change refuses the write again and the loop looks again.
   */
  async apply(writes: readonly RegisterWrite[], landed?: FlagsLanded): Promise<void> {
    try {
      await mapLimit(groupByItem(writes), this.options.concurrency ?? DEFAULT_CONCURRENCY, (group) => this.applyGroup(group, landed));
    } catch (error) {
      // An item's own refusal (ItemRejected) lets the webhook quarantine that event; anything else answers 5xx.
      throw asItemRejection(error);
    }
  }

  /**
   * A write to a BSUID's record also refuses to list a record that turns out to be an alias (keys.ts,
   * contactListing): the stored item then says so, and the winners are written without the listing.
   */
  private async applyGroup(group: readonly RegisterWrite[], landed: FlagsLanded | undefined): Promise<void> {
    let pending = group;
    let alias = false;
    for (let attempt = 0; attempt < MAX_GROUP_ATTEMPTS; attempt += 1) {
      const refused = await this.update(pending, alias, landed);
      if (refused === undefined) return;
      const stored = refused.item ?? (await this.storedItem(pending[0] as RegisterWrite));
      alias = isAlias(pending[0] as RegisterWrite, stored);
      pending = pending.filter((write) => outcomeOn(write, stored) === 'wins');
      if (pending.length === 0) return;
    }
    // Still contended after that many rounds: let each register decide on its own.
    await Promise.all(pending.map((write) => this.updateAlone(write, alias, landed)));
  }

  /** One register on its own: refused, it lost, unless the refusal was the record being an alias. */
  private async updateAlone(write: RegisterWrite, alias: boolean, landed: FlagsLanded | undefined): Promise<void> {
    const refused = await this.update([write], alias, landed);
    if (refused === undefined || alias) return;
    if (isAlias(write, refused.item ?? (await this.storedItem(write)))) await this.update([write], true);
  }

  async knownEvents(eventKeys: readonly string[]): Promise<Set<string>> {
    const keys = [...new Set(eventKeys)].map(eventKeyOf);
    const items = await batchGetAll(this.client, this.options.tableName, keys, { projection: 'eventKey' });
    return new Set(items.map((item) => String(item.eventKey)));
  }

  async recordEvents(events: readonly WebhookEvent[], meta: { receivedAt: number; registered: (e: WebhookEvent) => boolean }): Promise<void> {
    const expiresAt = expiresAtFor(meta.receivedAt, this.retention.event);
    const items = events.map((event) => {
      const contact = 'contact' in event && event.contact ? event.contact : undefined;
      const where = contact ?? ('account' in event ? event.account : undefined);
      return {
        ...eventKeyOf(event.eventKey),
        entity: 'event',
        eventKey: event.eventKey,
        type: event.type,
        channel: where?.channel,
        accountId: where?.accountId,
        occurredAt: event.occurredAt,
        receivedAt: meta.receivedAt,
        registered: meta.registered(event),
        expiresAt,
        // The contact's user id and person index entry (keys.ts, gsi2): erasure finds the record.
        ...(contact ? eventPersonFields(contact, meta.receivedAt, event.eventKey) : {}),
      };
    });
    await mapLimit(chunks(items, BATCH_WRITE_LIMIT), 4, (chunk) =>
      batchWriteChunk(this.client, this.options.tableName, chunk.map((Item) => ({ PutRequest: { Item } }))),
    );
  }

  private get retention(): RetentionDays {
    return retentionDays(this.options.retention);
  }

  /**
   * The TTL a register write gives a record that holds a person's data outside their contact: a
   * message status, or an outbox record a status webhook reaches (or recreates after it expired).
   * Only where none is stored yet: a record expires counted from when it was first written.
   */
  private expiry(write: RegisterWrite): { expiresAt?: ReturnType<typeof ifAbsent> } {
    const days = write.target.entity === 'message' ? this.retention.messageStatus : write.target.entity === 'outbox' ? this.retention.outbox : undefined;
    if (days === undefined) return {};
    return { expiresAt: ifAbsent(expiresAtFor((this.options.clock ?? systemClock)(), days)) };
  }

  /**
   * Undefined when the write landed; when its condition refused it, the stored item if DynamoDB
   * returned it. `alias`: the target is a BSUID's record known to hold a link, so no listing.
   * Writes with funnel flags set them where absent and return the item they replaced (no capacity
   * of its own), which `landed` is given.
   */
  private async update(writes: readonly RegisterWrite[], alias: boolean, landed?: FlagsLanded): Promise<{ item?: Record<string, unknown> } | undefined> {
    const first = writes[0] as RegisterWrite;
    const { key, identity } = targetItem(first.target, { alias });
    const flagged = writes.filter((write) => write.flags !== undefined);
    try {
      const update = registerUpdate(writes.flatMap(withIndexFields), key, { ...identity, ...this.expiry(first), ...flagFields(flagged) });
      // A write that lists a BSUID's record lands only while it holds no link; the link's own write unlists it.
      if (first.target.entity === 'contact' && isBsuidRecord(first.target.contact) && !alias && !writes.some(unlistsContact)) {
        update.ConditionExpression = [update.ConditionExpression, 'attribute_not_exists(#link)'].filter(Boolean).join(' AND ');
        update.ExpressionAttributeNames['#link'] = LINK_FIELD;
      }
      const { Attributes } = await this.client.send(
        new UpdateCommand({ TableName: this.options.tableName, ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ...(flagged.length > 0 ? { ReturnValues: 'ALL_OLD' } : {}) }),
      );
      if (landed && flagged.length > 0) {
        // A record only a status wrote (its send's expired) is no send: nothing counts for it.
        const before = typeof Attributes?.idempotencyKey === 'string' ? outboxRecordOf(Attributes) : undefined;
        for (const write of flagged) landed(write, before);
      }
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The refused item comes back as DynamoDB JSON: the document client doesn't convert errors.
      const item = (error as { Item?: Record<string, AttributeValue> }).Item;
      return { item: item && unmarshall(item) };
    }
  }

  private async storedItem(write: RegisterWrite): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.options.tableName, Key: targetItem(write.target).key, ConsistentRead: true }));
    return Item;
  }

  async getPerson(contact: ContactRef, options: { consistent?: boolean } = {}): Promise<ContactRecord | undefined> {
    const [person] = await readPeople([contact], (refs) => Promise.all(refs.map((ref) => this.getContact(ref, options.consistent))));
    return person;
  }

  /**
   * WhatsApp people read a few BatchGetItems per hop (100 records each) instead of a Query per
   * record: a WhatsApp contact's partition holds no opt-in items (only Messenger and Instagram opt
   * in by token, state-changes.ts and send-feedback.ts), so its STATE item is all getContact finds.
   * The same read units (each item rounded to 4 KB, eventually consistent, as the Query), far fewer
   * requests. Other channels read as getPerson does.
   */
  async getPeople(contacts: readonly ContactRef[], concurrency: number, options: { consistent?: boolean } = {}): Promise<(ContactRecord | undefined)[]> {
    const people = new Array<ContactRecord | undefined>(contacts.length);
    const whatsapp = contacts.flatMap((contact, i) => (contact.channel === 'whatsapp' ? [i] : []));
    const others = contacts.flatMap((contact, i) => (contact.channel === 'whatsapp' ? [] : [i]));
    const [batched] = await Promise.all([
      readPeople(
        whatsapp.map((i) => contacts[i] as ContactRef),
        (refs) => this.stateRecords(refs, options.consistent === true),
      ),
      mapLimit(others, concurrency, async (i) => (people[i] = await this.getPerson(contacts[i] as ContactRef, options))),
    ]);
    whatsapp.forEach((i, n) => (people[i] = batched[n]));
    return people;
  }

  /** Contact records by their STATE item alone (no opt-ins), in the order asked. */
  private async stateRecords(refs: readonly ContactRef[], consistent: boolean): Promise<(ContactRecord | undefined)[]> {
    const pks = [...new Set(refs.map(contactPk))];
    const items = new Map<string, StoredAttributes>();
    await mapLimit(chunks(pks, BATCH_GET_LIMIT), BATCH_GETS_IN_FLIGHT, async (chunk) => {
      const found = await batchGetAll(this.client, this.options.tableName, chunk.map((pk) => ({ pk, sk: STATE_SK })), { consistent });
      for (const item of found) items.set(String(item.pk), item);
    });
    return refs.map((ref) => {
      const state = items.get(contactPk(ref));
      return state === undefined ? undefined : { ...ref, state, optIns: [] };
    });
  }

  private async getContact(contact: ContactRef, consistent?: boolean): Promise<ContactRecord | undefined> {
    // OPTIN# and STATE sort before TAG#: the profile's tag index entries are not read with the contact.
    const items = await queryPartition(this.client, this.options.tableName, contactPk(contact), { skBefore: TAG_PREFIX, consistent });
    if (items.length === 0) return undefined;
    return {
      ...contact,
      state: items.find((item) => item.sk === STATE_SK) ?? {},
      optIns: items.filter((item) => String(item.sk).startsWith(OPTIN_PREFIX)),
    };
  }

  async getMessage(messageId: string): Promise<MessageRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.options.tableName, Key: messageKey(messageId) }));
    return Item ? { ...Item, messageId } : undefined;
  }

  async listTemplates(account: AccountRef): Promise<TemplateRecord[]> {
    const items = await this.queryAll(templatePk(account));
    return items.map((item) => ({ ...item, name: String(item.name), language: String(item.language) }));
  }

  async getAccountPolicy(account: AccountRef): Promise<StoredAttributes | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.options.tableName, Key: accountPolicyKey(account) }));
    return Item;
  }

  private queryAll(pk: string): Promise<StoredAttributes[]> {
    return queryPartition(this.client, this.options.tableName, pk);
  }
}

type RecordReader = (refs: readonly ContactRef[]) => Promise<(ContactRecord | undefined)[]>;

/**
 * People from their records: each contact's record, then the person's other ids (wa_id, BSUID, and
 * those a number or username change replaced), followed a few hops so a person who changed ids twice
 * still reads as one. Every contact's hop is read together, one `read` per hop.
 */
const readPeople = async (contacts: readonly ContactRef[], read: RecordReader): Promise<(ContactRecord | undefined)[]> => {
  if (contacts.length === 0) return [];
  const firsts = await read(contacts);
  const chains = contacts.map((contact, i) => {
    const first = firsts[i];
    const records = first === undefined ? [] : [first];
    return { contact, first, records, frontier: records, seen: new Set([contact.userId]) };
  });
  for (let hop = 0; hop < MAX_IDENTITY_HOPS; hop += 1) {
    const asks = chains.flatMap((chain) => {
      const next = [...new Set(chain.frontier.flatMap((r) => IDENTITY_FIELDS.map((field) => r.state[field])))].filter(
        (id): id is string => typeof id === 'string' && !chain.seen.has(id),
      );
      for (const id of next) chain.seen.add(id);
      chain.frontier = [];
      return next.map((userId) => ({ chain, ref: { ...chain.contact, userId } }));
    });
    if (asks.length === 0) break;
    const found = await read(asks.map((ask) => ask.ref));
    asks.forEach(({ chain }, i) => {
      const record = found[i];
      if (record === undefined) return;
      chain.records.push(record);
      chain.frontier.push(record);
    });
  }
  return chains.map(({ contact, first, records }) => mergedPerson(contact, first, records));
};

const mergedPerson = (contact: ContactRef, first: ContactRecord | undefined, records: readonly ContactRecord[]): ContactRecord | undefined => {
  if (records.length === 0) return undefined;
  const state = mergeContactStates(records.map((r) => r.state));
  const userId = typeof state.waId === 'string' ? state.waId : typeof state.linkedUserId === 'string' ? state.linkedUserId : contact.userId;
  const stored = records.find((r) => r.userId === userId);
  const home = stored ?? first;
  for (const field of UNREGISTERED_CONTACT_FIELDS) if (home?.state[field] !== undefined) state[field] = home.state[field];
  return { ...contact, userId, state, optIns: records.flatMap((r) => r.optIns), homeListed: stored !== undefined && !isAliasRecord(stored, stored.state) };
};

/**
 * A status's flag holds no time: which copy of a status lands first must not change the record (the
 * status registers converge whatever the order), and the status's time is the delivery register's.
 */
const STATUS_FLAG = 0;

/** The funnel flags of `writes` (keys.ts `fm_<milestone>`), set where absent. */
const flagFields = (writes: readonly RegisterWrite[]): Record<string, ReturnType<typeof ifAbsent>> =>
  Object.fromEntries(writes.flatMap(({ flags }) => (flags ?? []).map((milestone) => [milestoneFlag(milestone), ifAbsent(STATUS_FLAG)])));

/** Whether a write's target is a contact record that `stored` shows to be an alias (keys.ts). */
const isAlias = (write: RegisterWrite, stored: Record<string, unknown> | undefined): boolean =>
  write.target.entity === 'contact' && isAliasRecord(write.target.contact, stored);

/** Writes of one event to one item travel together; other writes stay on their own. */
const groupByItem = (writes: readonly RegisterWrite[]): RegisterWrite[][] => {
  const groups = new Map<string, RegisterWrite[]>();
  for (const write of writes) {
    const { key } = targetItem(write.target);
    const id = `${key.pk}\u0000${key.sk}\u0000${write.order}`;
    const group = groups.get(id);
    if (group) group.push(write);
    else groups.set(id, [write]);
  }
  return [...groups.values()];
};
