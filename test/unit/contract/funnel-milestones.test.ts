/** Interface under test: the FunnelMilestones port (status path, counters, touches), on the in-memory adapter. */
import { InMemoryFunnelMilestones } from '../../../lambdas/adapters/memory/funnel-milestones';
import { InMemoryOutbox } from '../../../lambdas/adapters/memory/outbox';
import { statusFlags } from '../../../lambdas/domain/measurement/status-flags';
import type { Milestone } from '../../../lambdas/ports/funnel-milestones';
import { describeFunnelMilestonesContract } from '../../contract/funnel-milestones.contract';

describeFunnelMilestonesContract('InMemoryFunnelMilestones', () => {
  const outbox = new InMemoryOutbox();
  // The status write at the edge: it sets the status's flags where absent and answers the record it replaced.
  const flags = new Map<string, Partial<Record<Milestone, number>>>();
  const milestones = new InMemoryFunnelMilestones(outbox);
  return {
    outbox,
    milestones,
    touches: milestones,
    writeStatus: (record, report) => {
      const milestones = statusFlags(report.status, report.error?.code);
      if (milestones.length === 0) return Promise.resolve([]);
      const before = flags.get(record.outboxId) ?? {};
      flags.set(record.outboxId, { ...Object.fromEntries(milestones.map((m) => [m, report.occurredAt])), ...before });
      return Promise.resolve([{ report, before: { ...record, milestones: before } }]);
    },
  };
});
