import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactRef } from '../../domain/events';
import type { TurnLog } from '../../domain/measurement/conversation-turns';
import type { ConversationTurnStore } from '../../ports/conversation-turns';
import { turnLogKey } from './keys';
import { isConditionFailure } from './requests';

/**
 * A person's turn log: one item in their contact partition (keys.ts), so erasure removes it with the
 * partition. The log is one JSON attribute (at most MAX_ENTRIES entries, a few KB) beside its version,
 * which every write is conditioned on.
 */
export class DynamoDbConversationTurns implements ConversationTurnStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(contact: ContactRef): Promise<TurnLog | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: turnLogKey(contact), ConsistentRead: true }));
    return typeof Item?.log === 'string' ? (JSON.parse(Item.log) as TurnLog) : undefined;
  }

  async write(contact: ContactRef, log: TurnLog, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...turnLogKey(contact), version: log.version, log: JSON.stringify(log) },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
