import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountRef, ContactRef, WebhookEvent } from '../../domain/events';
import type { RegisterWrite } from '../../domain/state-writes';
import type { ContactRecord, MessageRecord, StateStore, StoredAttributes, TemplateRecord } from '../../ports/state-store';
import { mapLimit } from '../../shared/map-limit';
import { accountPolicyKey, contactPk, eventKeyOf, messageKey, OPTIN_PREFIX, STATE_SK, targetItem, templatePk } from './keys';
import { registerUpdate } from './update-expression';

/** Event records live 30 days: long enough to absorb Meta's 7-day WhatsApp retries, short for PII. */
const EVENT_TTL_SECONDS = 30 * 24 * 3600;
const DEFAULT_CONCURRENCY = 24;

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
    await mapLimit(writes, this.options.concurrency ?? DEFAULT_CONCURRENCY, async (write) => {
      const { key, identity } = targetItem(write.target);
      try {
        await this.client.send(new UpdateCommand({ TableName: this.options.tableName, ...registerUpdate(write, key, identity) }));
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    });
  }

  async recordEvent(event: WebhookEvent, meta: { receivedAt: number; registered: boolean }): Promise<'new' | 'duplicate'> {
    const where = 'contact' in event && event.contact ? event.contact : 'account' in event ? event.account : undefined;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...eventKeyOf(event.eventKey),
            entity: 'event',
            type: event.type,
            channel: where?.channel,
            accountId: where?.accountId,
            occurredAt: event.occurredAt,
            receivedAt: meta.receivedAt,
            registered: meta.registered,
            expiresAt: Math.floor(meta.receivedAt / 1000) + EVENT_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'new';
    } catch (error) {
      if (isConditionFailure(error)) return 'duplicate';
      throw error;
    }
  }

  async resolveLinkedUser(contact: ContactRef): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { pk: contactPk(contact), sk: STATE_SK },
        ProjectionExpression: 'linkedUserId',
      }),
    );
    return typeof Item?.linkedUserId === 'string' ? Item.linkedUserId : undefined;
  }

  async getContact(contact: ContactRef): Promise<ContactRecord | undefined> {
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

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
