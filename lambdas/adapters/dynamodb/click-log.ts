import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_RETENTION_DAYS, expiresAtFor } from '../../domain/retention';
import { type Click, type ClickLog, clickedLabel } from '../../ports/click-log';
import { clickKey, clickPersonEntry } from './keys';

/**
 * Clicks in the state table (keys.ts): one item per click under its message, filed in the person
 * index so erasure and the access export find it, living as long as the outbox records (whose
 * retention setting it takes). Written with UpdateItem, which the webhook and the redirect hold
 * already: the same click written twice is the same item.
 */
export class DynamoDbClickLog implements ClickLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number = DEFAULT_RETENTION_DAYS.outbox,
  ) {}

  async add(click: Click): Promise<void> {
    const clicked = clickedLabel(click.clicked);
    const values = {
      entity: 'click',
      ...clickPersonEntry(click.contact, click.at, click.outboxId),
      userId: click.contact.userId,
      clicked,
      at: click.at,
      expiresAt: expiresAtFor(click.at, this.retentionDays),
    };
    const names = Object.keys(values);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: clickKey(click.outboxId, click.at, clicked),
        UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#n${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(Object.values(values).map((value, i) => [`:v${i}`, value])),
      }),
    );
  }
}
