import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AccountRef, ContactRef, WebhookEvent } from '../../domain/events';
import type { RegisterWrite } from '../../domain/state-writes';
import type { ContactRecord, MessageRecord, StateStore, StoredAttributes, TemplateRecord } from '../../ports/state-store';
import { mapLimit } from '../../shared/map-limit';
import { accountPolicyKey, contactPk, eventKeyOf, messageKey, OPTIN_PREFIX, STATE_SK, targetItem, templatePk } from './keys';
import { mergeContactStates } from './contact-merge';
import { registerUpdate } from './update-expression';

/** Event records live 30 days: long enough to absorb Meta's 7-day WhatsApp retries, short for PII. */
const EVENT_TTL_SECONDS = 30 * 24 * 3600;
const DEFAULT_CONCURRENCY = 24;
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;

export interface DynamoDbStateStoreOptions {
  tableName: string;
  /** Parallel UpdateItems per batch; a 1,000-event body must still answer well inside Meta's 5 s. */
  concurrency?: number;
}

export class DynamoDbStateStore implements StateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoDbStateStoreOptions,
  ) {}

  async apply(writes: readonly RegisterWrite[]): Promise<void> {
    await mapLimit(groupByItem(writes), this.options.concurrency ?? DEFAULT_CONCURRENCY, async (group) => {
      if (await this.update(group)) return;
      // Some register on the item is already newer: let each register decide on its own.
      if (group.length > 1) await Promise.all(group.map((write) => this.update([write])));
    });
  }

  async knownEvents(eventKeys: readonly string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (const chunk of chunks([...new Set(eventKeys)], BATCH_GET_LIMIT)) {
      let keys: Record<string, unknown>[] | undefined = chunk.map((k) => ({ ...eventKeyOf(k) }));
      for (let attempt = 0; keys && keys.length > 0; attempt += 1) {
        await backOff(attempt);
        const page: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.options.tableName]: { Keys: keys, ProjectionExpression: 'eventKey' } } }),
        );
        for (const item of page.Responses?.[this.options.tableName] ?? []) known.add(String(item.eventKey));
        keys = page.UnprocessedKeys?.[this.options.tableName]?.Keys;
      }
    }
    return known;
  }

  async recordEvents(events: readonly WebhookEvent[], meta: { receivedAt: number; registered: (e: WebhookEvent) => boolean }): Promise<void> {
    const expiresAt = Math.floor(meta.receivedAt / 1000) + EVENT_TTL_SECONDS;
    const items = events.map((event) => {
      const where = 'contact' in event && event.contact ? event.contact : 'account' in event ? event.account : undefined;
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
      };
    });
    await mapLimit(chunks(items, BATCH_WRITE_LIMIT), 4, async (chunk) => {
      let requests: NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string] | undefined = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests && requests.length > 0; attempt += 1) {
        await backOff(attempt);
        const result: BatchWriteCommandOutput = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.options.tableName]: requests } }));
        requests = result.UnprocessedItems?.[this.options.tableName];
      }
    });
  }

  /** true when the write landed, false when its condition said the stored registers are newer. */
  private async update(writes: readonly RegisterWrite[]): Promise<boolean> {
    const first = writes[0] as RegisterWrite;
    const { key, identity } = targetItem(first.target);
    try {
      await this.client.send(new UpdateCommand({ TableName: this.options.tableName, ...registerUpdate(writes, key, identity) }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getPerson(contact: ContactRef): Promise<ContactRecord | undefined> {
    const first = await this.getContact(contact);
    const others = new Set<string>();
    for (const id of [first?.state.linkedUserId, first?.state.bsuid, first?.state.waId]) {
      if (typeof id === 'string' && id !== contact.userId) others.add(id);
    }
    const linked = await Promise.all([...others].map((userId) => this.getContact({ ...contact, userId })));
    const records = [first, ...linked].filter((r): r is ContactRecord => r !== undefined);
    if (records.length === 0) return undefined;
    const state = mergeContactStates(records.map((r) => r.state));
    const userId = typeof state.waId === 'string' ? state.waId : typeof state.linkedUserId === 'string' ? state.linkedUserId : contact.userId;
    return { ...contact, userId, state, optIns: records.flatMap((r) => r.optIns) };
  }

  private async getContact(contact: ContactRef): Promise<ContactRecord | undefined> {
    const items = await this.queryAll(contactPk(contact));
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

  private async queryAll(pk: string): Promise<StoredAttributes[]> {
    const items: StoredAttributes[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

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

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Enough for DynamoDB's unprocessed items to drain (~1.6 s in all), well inside the 10 s timeout. */
const MAX_BATCH_ATTEMPTS = 7;

/**
 * DynamoDB hands back unprocessed batch items under load; wait a little longer each time, and give
 * up with an error (so the webhook answers 500 and Meta retries) rather than run into the timeout.
 */
const backOff = (attempt: number): Promise<void> => {
  if (attempt >= MAX_BATCH_ATTEMPTS) return Promise.reject(new Error(`DynamoDB left batch items unprocessed after ${attempt} attempts`));
  return attempt === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
};

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
