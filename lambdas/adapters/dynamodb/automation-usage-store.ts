import { type DynamoDBDocumentClient, PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { addToTallies, type AutomatedSendUsage, type UsageTally } from '../../domain/automation/usage';
import type { AutomationRuleName } from '../../domain/automation/rule';
import type { Clock } from '../../domain/clock';
import type { AccountRef } from '../../domain/events';
import { expiresAtFor } from '../../domain/retention';
import type { PricingCategory } from '../../domain/send/policy-types';
import type { AutomationUsageStore } from '../../ports/automation-usage-store';
import { automationUsagePk, automationUsageSk } from './keys';
import { isConditionFailure } from './requests';

/** A year of days to compare with, and a month over; the items name no person. */
export const USAGE_RETENTION_DAYS = 400;

/** The separator after the day sorts below every rule name's characters, `~` above them. */
const dayRange = (fromDay: string, toDay: string) => ({ ':from': `${fromDay}#`, ':to': `${toDay}#~` });

/**
 * One small item per automated send (keys.ts), written once by a conditional put: the send's key is
 * its own idempotency, so a send recorded again (a redelivered hand-off, a retry after a crash
 * between the outbox job and the count) counts nothing, with no transaction (dynalite has none) and
 * no counter that a lost update could skew. A report reads the range and tallies: about 0.1 KB an
 * item, so a day of 1,000 automated sends is about 0.1 MB to read.
 */
export class DynamoDbAutomationUsageStore implements AutomationUsageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async record(send: AutomatedSendUsage): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: automationUsagePk(send.account),
            sk: automationUsageSk(send.day, send.rule, send.outboxId),
            ...(send.pricing === null ? {} : { pricing: send.pricing }),
            market: send.market,
            expiresAt: expiresAtFor(this.clock(), USAGE_RETENTION_DAYS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async tally(account: AccountRef, fromDay: string, toDay: string): Promise<UsageTally[]> {
    const tallies = new Map<string, UsageTally>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': automationUsagePk(account), ...dayRange(fromDay, toDay) },
          ProjectionExpression: 'sk, pricing, market',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const [day, rule] = String(item.sk).split('#') as [string, AutomationRuleName];
        addToTallies(tallies, { day, rule, pricing: typeof item.pricing === 'string' ? (item.pricing as PricingCategory) : null, market: String(item.market) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return [...tallies.values()];
  }
}
