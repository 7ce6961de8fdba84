import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../domain/clock';
import type { AccountRef } from '../../domain/events';
import { type Contribution, type DayCounts } from '../../domain/measurement/day-counters';
import { expiresAtFor } from '../../domain/retention';
import type { MeasurementCounters } from '../../ports/measurement-counters';
import { measurementDayKey, measurementPk } from './keys';
import { isConditionFailure } from './requests';

/** A year of days to compare with, and a month over; the items name no person. */
export const MEASUREMENT_RETENTION_DAYS = 400;

const NOT_COUNTS = new Set(['pk', 'sk', 'applied', 'expiresAt']);

/**
 * The day counters (keys.ts): one item per account, local day and write shard. A contribution is one
 * UpdateItem that adds its deltas and its key to the item's `applied` set on condition the key isn't
 * there yet, so a repeat counts nothing and a crash leaves either all of it or none: exact with no
 * transaction (dynalite has none). The key picks the shard, so its repeats meet it. A key is 16 hex
 * characters; an item holds about 20,000 of them before DynamoDB's 400 KB, so the 8 shards take
 * about 160,000 contributions an account-day (two or three per conversation turn).
 */
export class DynamoDbMeasurementCounters implements MeasurementCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async add(account: AccountRef, contribution: Contribution): Promise<boolean> {
    const names: Record<string, string> = { '#applied': 'applied', '#expiresAt': 'expiresAt' };
    const values: Record<string, unknown> = {
      ':key': contribution.key,
      ':keys': new Set([contribution.key]),
      ':expiresAt': expiresAtFor(this.clock(), MEASUREMENT_RETENTION_DAYS),
    };
    const adds = ['#applied :keys'];
    Object.entries(contribution.deltas).forEach(([name, n], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = n;
      adds.push(`#c${i} :c${i}`);
    });
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: measurementDayKey(account, contribution.day, contribution.key),
          UpdateExpression: `ADD ${adds.join(', ')} SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)`,
          ConditionExpression: 'NOT contains(#applied, :key)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async days(account: AccountRef, fromDay: string, toDay: string): Promise<DayCounts[]> {
    const byDay = new Map<string, Record<string, number>>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          // `#` sorts below the shard digits and `~` above them.
          ExpressionAttributeValues: { ':pk': measurementPk(account), ':from': `${fromDay}#`, ':to': `${toDay}#~` },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const day = String(item.sk).slice(0, 10);
        const counts = byDay.get(day) ?? {};
        for (const [name, value] of Object.entries(item)) {
          if (!NOT_COUNTS.has(name) && typeof value === 'number') counts[name] = (counts[name] ?? 0) + value;
        }
        byDay.set(day, counts);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, counts]) => ({ day, counts }));
  }
}
