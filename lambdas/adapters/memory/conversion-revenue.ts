import { revenueAdds } from '../../domain/measurement/funnel-counts';
import { funnelScopeOf } from '../../domain/measurement/funnel-scope';
import type { AttributedConversion, ConversionRevenue } from '../../ports/conversion-revenue';
import type { OutboxRecord } from '../../ports/outbox';
import type { InMemoryFunnelMilestones } from './funnel-milestones';

/** Order revenue in memory, with the DynamoDB adapter's rules: each account's order id once, into the counters of its message's scope. */
export class InMemoryConversionRevenue implements ConversionRevenue {
  private readonly counted = new Set<string>();

  constructor(
    private readonly outbox: { get(outboxId: string): Promise<OutboxRecord | undefined> },
    private readonly funnel: Pick<InMemoryFunnelMilestones, 'addCounts'>,
  ) {}

  async count(conversion: AttributedConversion): Promise<boolean> {
    const record = await this.outbox.get(conversion.touch.outboxId);
    if (record === undefined || funnelScopeOf(record) === undefined) return false;
    const key = `${conversion.account.channel}#${conversion.account.accountId}#${conversion.orderId}`;
    if (this.counted.has(key)) return false;
    this.counted.add(key);
    this.funnel.addCounts(record, revenueAdds(conversion.value));
    return true;
  }
}
