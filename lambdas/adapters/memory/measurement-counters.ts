import type { AccountRef } from '../../domain/events';
import type { Contribution, DayCounts } from '../../domain/measurement/day-counters';
import type { MeasurementCounters } from '../../ports/measurement-counters';

/** Day counters in memory, with the DynamoDB adapter's rules (the contract suite in test/contract runs against both). */
export class InMemoryMeasurementCounters implements MeasurementCounters {
  private readonly counts = new Map<string, Map<string, Record<string, number>>>();
  private readonly applied = new Set<string>();

  add(account: AccountRef, contribution: Contribution): Promise<boolean> {
    const id = `${account.channel}#${account.accountId}`;
    const appliedKey = `${id}#${contribution.day}#${contribution.key}`;
    if (this.applied.has(appliedKey)) return Promise.resolve(false);
    this.applied.add(appliedKey);
    const days = this.counts.get(id) ?? new Map<string, Record<string, number>>();
    const counts = days.get(contribution.day) ?? {};
    for (const [name, n] of Object.entries(contribution.deltas)) counts[name] = (counts[name] ?? 0) + n;
    days.set(contribution.day, counts);
    this.counts.set(id, days);
    return Promise.resolve(true);
  }

  days(account: AccountRef, fromDay: string, toDay: string): Promise<DayCounts[]> {
    const days = this.counts.get(`${account.channel}#${account.accountId}`) ?? new Map<string, Record<string, number>>();
    return Promise.resolve(
      [...days]
        .filter(([day]) => day >= fromDay && day <= toDay)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, counts]) => ({ day, counts: { ...counts } })),
    );
  }
}
