import type { AccountRef } from '../../domain/events';
import { conversionDay } from '../../domain/measurement/attribution';
import type { Conversion, Conversions, UnattributedDay } from '../../ports/conversions';

const accountKey = (a: AccountRef): string => `${a.channel}#${a.accountId}`;

/** Conversions in memory, with the DynamoDB adapter's rules: once per account and order id, unattributed ones counted per UTC day. */
export class InMemoryConversions implements Conversions {
  private readonly kept = new Map<string, Conversion>();
  private readonly days = new Map<string, UnattributedDay>();

  keep(conversion: Conversion): Promise<{ created: boolean; conversion: Conversion }> {
    const key = `${accountKey(conversion.account)}#${conversion.orderId}`;
    const stored = this.kept.get(key);
    if (stored !== undefined) return Promise.resolve({ created: false, conversion: structuredClone(stored) });
    this.kept.set(key, structuredClone(conversion));
    if (conversion.touch === undefined) {
      const dayKey = `${accountKey(conversion.account)}#${conversionDay(conversion.occurredAt)}`;
      const day = this.days.get(dayKey) ?? { day: conversionDay(conversion.occurredAt), orders: 0, revenue: {} };
      day.orders += 1;
      day.revenue[conversion.value.currency] = (day.revenue[conversion.value.currency] ?? 0) + conversion.value.amount;
      this.days.set(dayKey, day);
    }
    return Promise.resolve({ created: true, conversion });
  }

  unattributed(account: AccountRef, from: string, to: string): Promise<UnattributedDay[]> {
    const prefix = `${accountKey(account)}#`;
    const days = [...this.days.entries()]
      .filter(([key, day]) => key.startsWith(prefix) && day.day >= from && day.day <= to)
      .map(([, day]) => structuredClone(day))
      .sort((a, b) => (a.day < b.day ? -1 : 1));
    return Promise.resolve(days);
  }

  /** Every conversion kept, for tests. */
  all(): Conversion[] {
    return [...this.kept.values()].map((c) => structuredClone(c));
  }
}
