import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountRef, Channel } from '../../domain/events';
import { conversionDay } from '../../domain/measurement/attribution';
import { DEFAULT_RETENTION_DAYS, expiresAtFor } from '../../domain/retention';
import type { Conversion, Conversions, UnattributedDay } from '../../ports/conversions';
import { conversionKey, conversionPersonEntry, unattributedDayKeys, unattributedKey } from './conversion-keys';
import { mapLimit } from '../../shared/map-limit';
import { batchGetAll, isConditionFailure } from './requests';

const REVENUE_PREFIX = 'rev_';
/** Days of unattributed orders read at once. */
const DAYS_IN_FLIGHT = 8;
/** Revenue is counted in millionths of the currency's unit, as the funnel counts it: sums stay integers. */
const MICROS = 1_000_000;

/**
 * Conversions on the state table (conversion-keys.ts). One conditional put per order keeps it once;
 * an unattributed one then counts in its day's shard under a condition naming the order id, so a
 * retry after a crash between the two writes counts it exactly once (no transaction: two writes of
 * one item each, and dynalite, the local stack, has none). A conversion names the person it was
 * filed under, so it lives as long as their sends (the outbox retention) and goes with an erasure.
 */
export class DynamoDbConversions implements Conversions {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: { retentionDays?: number } = {},
  ) {}

  async keep(conversion: Conversion): Promise<{ created: boolean; conversion: Conversion }> {
    const key = conversionKey(conversion.account, conversion.orderId);
    let kept: { created: boolean; conversion: Conversion };
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...key, ...this.itemOf(conversion) }, ConditionExpression: 'attribute_not_exists(pk)' }));
      kept = { created: true, conversion };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      kept = { created: false, conversion: conversionOf(stored.Item as Record<string, unknown>) };
    }
    if (kept.conversion.touch === undefined) await this.countUnattributed(kept.conversion);
    return kept;
  }

  /** One BatchGetItem of 16 keys per day, several days at once: a report's quarter answers in a few round trips. */
  async unattributed(account: AccountRef, from: string, to: string): Promise<UnattributedDay[]> {
    const days = await mapLimit(daysBetween(from, to), DAYS_IN_FLIGHT, async (day): Promise<UnattributedDay | undefined> => {
      const full = await batchGetAll(this.client, this.tableName, unattributedDayKeys(account, day));
      if (full.length === 0) return undefined;
      const revenue: Record<string, number> = {};
      let orders = 0;
      for (const item of full) {
        orders += Number(item.orders ?? 0);
        for (const [name, amount] of Object.entries(item)) {
          const currency = name.startsWith(REVENUE_PREFIX) ? name.slice(REVENUE_PREFIX.length) : undefined;
          if (currency !== undefined) revenue[currency] = (revenue[currency] ?? 0) + Number(amount);
        }
      }
      return { day, orders, revenue: Object.fromEntries(Object.entries(revenue).map(([currency, micros]) => [currency, micros / MICROS])) };
    });
    return days.filter((day): day is UnattributedDay => day !== undefined);
  }

  private async countUnattributed(conversion: Conversion): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: unattributedKey(conversion.account, conversionDay(conversion.occurredAt), conversion.orderId),
          UpdateExpression: 'ADD orders :one, #revenue :amount, orderIds :order',
          ConditionExpression: 'attribute_not_exists(orderIds) OR NOT contains(orderIds, :id)',
          ExpressionAttributeNames: { '#revenue': `${REVENUE_PREFIX}${conversion.value.currency}` },
          ExpressionAttributeValues: { ':one': 1, ':amount': Math.round(conversion.value.amount * MICROS), ':order': new Set([conversion.orderId]), ':id': conversion.orderId },
        }),
      );
    } catch (error) {
      // Counted before: this is the retry of a delivery that got that far.
      if (!isConditionFailure(error)) throw error;
    }
  }

  private itemOf(c: Conversion): Record<string, unknown> {
    return {
      entity: 'conversion',
      channel: c.account.channel,
      accountId: c.account.accountId,
      orderId: c.orderId,
      occurredAt: c.occurredAt,
      amount: c.value.amount,
      currency: c.value.currency,
      recordedAt: c.recordedAt,
      expiresAt: expiresAtFor(c.recordedAt, this.options.retentionDays ?? DEFAULT_RETENTION_DAYS.outbox),
      ...(c.contact === undefined ? {} : { userId: c.contact.userId, ...conversionPersonEntry(c.contact, c.occurredAt, c.orderId) }),
      ...(c.touch === undefined
        ? {}
        : { outboxId: c.touch.outboxId, touchKind: c.touch.kind, touchAt: c.touch.at, ...(c.touch.campaignId === undefined ? {} : { campaignId: c.touch.campaignId }) }),
    };
  }
}

const conversionOf = (item: Record<string, unknown>): Conversion => {
  const account = { channel: item.channel as Channel, accountId: String(item.accountId) };
  return {
    account,
    orderId: String(item.orderId),
    occurredAt: Number(item.occurredAt),
    value: { amount: Number(item.amount), currency: String(item.currency) },
    recordedAt: Number(item.recordedAt),
    ...(typeof item.userId === 'string' ? { contact: { ...account, userId: item.userId } } : {}),
    ...(typeof item.outboxId === 'string'
      ? {
          touch: {
            outboxId: item.outboxId,
            kind: item.touchKind === 'click' ? 'click' : 'read',
            at: Number(item.touchAt),
            ...(typeof item.campaignId === 'string' ? { campaignId: item.campaignId } : {}),
          },
        }
      : {}),
  };
};

/** UTC days from `from` to `to` inclusive, at most a year's: a report's range, not a scan. */
const daysBetween = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); at <= end && days.length < 366; at += 24 * 3600 * 1000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
};
