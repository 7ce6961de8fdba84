import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactRef } from '../../domain/events';
import { touchesOf } from '../../domain/measurement/touches';
import type { Outbox } from '../../ports/outbox';
import type { Touch, Touches } from '../../ports/touches';
import { GSI2, PERSON_ITEM, personPk } from './keys';

/** How far back a person's sends are looked at for their latest touch: a message read or clicked long after it was sent still counts. */
const TOUCH_LOOKBACK_MS = 35 * 24 * 3_600_000;
const TOUCH_PAGE = 25;

/**
 * A person's touches, read from their sends (the person index, gsi2 `SEND#<createdAt>`) and the
 * reads and clicks those records hold (touches.ts). Sends created after `until` are not read: a
 * message sent after the order can't have been touched before it.
 */
export class DynamoDbTouches implements Touches {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: Pick<Outbox, 'getMany'>,
  ) {}

  async latest(contact: ContactRef, since: number, until: number): Promise<Touch | undefined> {
    let best: Touch | undefined;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI2.name,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': GSI2.pk, '#sk': GSI2.sk },
          ExpressionAttributeValues: {
            ':pk': personPk(contact),
            ':from': `${PERSON_ITEM.send}${new Date(since - TOUCH_LOOKBACK_MS).toISOString()}`,
            ':to': `${PERSON_ITEM.send}${new Date(until).toISOString()}`,
          },
          ExclusiveStartKey: startKey,
          Limit: TOUCH_PAGE,
        }),
      );
      const ids = (page.Items ?? []).map((item) => String(item.pk).slice(2));
      for (const touch of touchesOf(await this.outbox.getMany(ids))) {
        if (touch.at >= since && touch.at <= until && (best === undefined || touch.at > best.at)) best = touch;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return best;
  }
}
