import { addTally, counterAdds, emptyTally, type FunnelTally, titleField } from '../../domain/measurement/funnel-counts';
import { funnelScopeOf, type FunnelScope, scopeLabel } from '../../domain/measurement/funnel-scope';
import { statusMilestones } from '../../domain/measurement/status-milestones';
import type { ContactRef } from '../../domain/events';
import { type FunnelCounters, type FunnelMilestones, type FunnelReadScope, type Milestone, type MilestoneEvent, MILESTONES } from '../../ports/funnel-milestones';
import type { CountedMilestone, LandedStatus, StatusFunnel } from '../../ports/status-funnel';
import type { OutboxRecord } from '../../ports/outbox';
import type { Touch, Touches } from '../../ports/touches';

const contactKey = (c: ContactRef): string => `${c.channel}#${c.accountId}#${c.userId}`;

/**
 * Funnel milestones in memory, with the DynamoDB adapter's rules (the shared contract suite in
 * test/contract runs against both): a milestone counts once per outbox record, an unknown record
 * counts nothing, and a read or a click leaves the person a touch. The flags are kept here, not on
 * the records: a landed status's milestones are judged against them as the DynamoDB adapter judges
 * the record its status write replaced.
 */
export class InMemoryFunnelMilestones implements FunnelMilestones, StatusFunnel, Touches, FunnelCounters {
  private readonly recorded = new Map<string, number>();
  private readonly tallies = new Map<string, FunnelTally>();
  private readonly touches = new Map<string, Touch[]>();

  constructor(private readonly outbox: { get(outboxId: string): Promise<OutboxRecord | undefined> }) {}

  async record(event: MilestoneEvent): Promise<boolean> {
    const record = await this.outbox.get(event.outboxId);
    return record !== undefined && this.count(record, event);
  }

  countStatuses(landed: readonly LandedStatus[]): Promise<CountedMilestone[]> {
    const counted: CountedMilestone[] = [];
    for (const { report, before } of landed) {
      if (before === undefined) continue;
      for (const event of statusMilestones(this.asFlagged(before), report)) if (this.count(before, event)) counted.push({ event, record: before });
    }
    return Promise.resolve(counted);
  }

  /** Whether `milestone` was recorded for the outbox record. */
  has(outboxId: string, milestone: Milestone): boolean {
    return this.recorded.has(`${outboxId}#${milestone}`);
  }

  read(scope: FunnelReadScope): Promise<FunnelTally> {
    const labels = [...this.tallies.keys()].filter((label) => inScope(label, scope));
    return Promise.resolve(structuredClone(labels.reduce((sum, label) => addTally(sum, this.tallies.get(label) as FunnelTally), emptyTally())));
  }

  /** A scope's counters at once, for tests: an occurrence's campaign sums every occurrence of it. */
  tally(scope: FunnelScope | { kind: 'campaign'; campaignId: string }): FunnelTally {
    if (scope.kind === 'campaign' || scope.kind === 'occurrence') {
      const labels = [...this.tallies.keys()].filter((label) => inScope(label, scope));
      return structuredClone(labels.reduce((sum, label) => addTally(sum, this.tallies.get(label) as FunnelTally), emptyTally()));
    }
    return structuredClone(this.tallies.get(scopeLabel(scope)) ?? emptyTally());
  }

  latest(contact: ContactRef, since: number, until: number): Promise<Touch | undefined> {
    const found = (this.touches.get(contactKey(contact)) ?? []).filter((t) => t.at >= since && t.at <= until).sort((a, b) => b.at - a.at || (a.outboxId < b.outboxId ? 1 : -1))[0];
    return Promise.resolve(found && { ...found });
  }

  /** Adds to the counters of a record's scope, as another adapter's counter write does in DynamoDB (conversion-revenue.ts). */
  addCounts(record: OutboxRecord, counts: Record<string, number>): void {
    const scope = funnelScopeOf(record);
    if (scope === undefined) return;
    const tally = this.tallies.get(scopeLabel(scope)) ?? emptyTally();
    this.tallies.set(scopeLabel(scope), addTally(tally, { counts, titles: {} }));
  }

  private count(record: OutboxRecord, event: MilestoneEvent): boolean {
    const key = `${record.outboxId}#${event.milestone}`;
    if (this.recorded.has(key)) return false;
    this.recorded.set(key, event.at);
    const scope = funnelScopeOf(record);
    if (scope !== undefined) {
      const title = titleField(event);
      const tally = this.tallies.get(scopeLabel(scope)) ?? emptyTally();
      addTally(tally, { counts: counterAdds(event), titles: title ? { [title.code]: title.title } : {} });
      this.tallies.set(scopeLabel(scope), tally);
    }
    if (event.milestone === 'read' || event.milestone === 'clicked') {
      const contact = contactKey(record.intent);
      const campaignId = scope?.kind === 'occurrence' ? scope.campaignId : undefined;
      const touch: Touch = { outboxId: record.outboxId, kind: event.milestone === 'read' ? 'read' : 'click', at: event.at, ...(campaignId ? { campaignId } : {}) };
      this.touches.set(contact, [...(this.touches.get(contact) ?? []), touch]);
    }
    return true;
  }

  /** The record with the flags recorded here too, as the DynamoDB adapter's status write finds them on the record. */
  private asFlagged(record: OutboxRecord): OutboxRecord {
    const milestones = Object.fromEntries(MILESTONES.flatMap((m) => (this.has(record.outboxId, m) ? [[m, this.recorded.get(`${record.outboxId}#${m}`) as number]] : [])));
    return { ...record, milestones: { ...record.milestones, ...milestones } };
  }
}

const inScope = (label: string, scope: FunnelReadScope): boolean => {
  switch (scope.kind) {
    case 'occurrence':
      return label === `occurrence#${scope.campaignId}#${scope.occurrenceKey}`;
    case 'campaign':
      return label.startsWith(`occurrence#${scope.campaignId}#`);
    case 'trigger':
      return label.startsWith(`trigger#${scope.detailType}#`) && dayIn(label, scope);
    case 'sends':
      return label.startsWith(`sends#${scope.account.channel}#${scope.account.accountId}#`) && dayIn(label, scope);
  }
};

const dayIn = (label: string, range: { from: string; to: string }): boolean => {
  const day = label.slice(label.lastIndexOf('#') + 1);
  return day >= range.from && day <= range.to;
};
