import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { revenueAdds } from '../../domain/measurement/funnel-counts';
import { funnelScopeOf } from '../../domain/measurement/funnel-scope';
import type { AttributedConversion, ConversionRevenue } from '../../ports/conversion-revenue';
import type { Outbox } from '../../ports/outbox';
import { conversionKey } from './conversion-keys';
import { funnelCounterKey } from './keys';
import { isConditionFailure } from './requests';

/**
 * Order revenue in the funnel counters (keys.ts `FUNNEL#…`, the shard of the message's outbox id).
 * The order's flag (`revenueCounted`) is set on its conversion item where absent, then the value is
 * added: at most once per order, as the funnel counts its milestones (funnel-milestones.ts), so a
 * crash between the two writes loses that order's revenue and the retry finds the flag set. The
 * flag lives on the conversion, not the message: a message holds no list of its orders.
 */
export class DynamoDbConversionRevenue implements ConversionRevenue {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: Pick<Outbox, 'get'>,
  ) {}

  async count(conversion: AttributedConversion): Promise<boolean> {
    const record = await this.outbox.get(conversion.touch.outboxId);
    const scope = record && funnelScopeOf(record);
    if (scope === undefined) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: conversionKey(conversion.account, conversion.orderId),
          UpdateExpression: 'SET revenueCounted = :yes',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revenueCounted)',
          ExpressionAttributeValues: { ':yes': true },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    const adds = Object.entries(revenueAdds(conversion.value));
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: funnelCounterKey(scope, conversion.touch.outboxId),
        UpdateExpression: `ADD ${adds.map((_, i) => `#r${i} :r${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(adds.map(([name], i) => [`#r${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(adds.map(([, amount], i) => [`:r${i}`, amount])),
      }),
    );
    return true;
  }
}
