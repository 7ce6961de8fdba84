import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeletionRequestRecord, DeletionRequests } from '../../ports/deletion-requests';
import { deletionRequestKey } from './keys';

/** Meta's data deletion requests (keys.ts `DDR#<code>`), kept as long as the table: the status URL must keep answering. */
export class DynamoDbDeletionRequests implements DeletionRequests {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(confirmationCode: string): Promise<DeletionRequestRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: deletionRequestKey(confirmationCode), ConsistentRead: true }));
    if (!Item) return undefined;
    return Object.fromEntries(Object.entries(Item).filter(([name]) => name !== 'pk' && name !== 'sk')) as unknown as DeletionRequestRecord;
  }

  async put(record: DeletionRequestRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...deletionRequestKey(record.confirmationCode), ...record } }));
  }
}
