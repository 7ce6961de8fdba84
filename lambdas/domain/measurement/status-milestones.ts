import { marketOf } from '../campaign/recipient-market';
import { statusFlags } from './status-flags';
import type { MilestoneEvent, StatusReport } from '../../ports/funnel-milestones';
import type { OutboxRecord } from '../../ports/outbox';

/**
 * The milestones a status write reached first, from its outbox record as it was just before the
 * write (the write sets the status's flags where absent, status-flags.ts, and returns the record it
 * replaced): those of its flags the record did not hold. `billed` comes with `delivered`, priced by
 * the report's pricing or the one an earlier status stored.
 */
export const statusMilestones = (before: OutboxRecord, report: StatusReport): MilestoneEvent[] => {
  const { outboxId } = before;
  const at = report.occurredAt;
  const code = report.error?.code;
  return statusFlags(report.status, code)
    // A failure is flagged as `failed` whatever its bucket (state-changes.ts): one failure per message counts.
    .filter((milestone) => before.milestones?.[milestone === 'limited' ? 'failed' : milestone] === undefined)
    .flatMap((milestone): MilestoneEvent[] => {
      if (milestone === 'failed' || milestone === 'limited') {
        return [{ outboxId, milestone, at, ...(code === undefined ? {} : { errorCode: code }), ...(report.error?.title === undefined ? {} : { errorTitle: report.error.title }) }];
      }
      const event: MilestoneEvent = { outboxId, milestone, at };
      if (milestone !== 'delivered') return [event];
      const pricing = report.pricing ?? before.delivery?.pricing;
      if (pricing?.category === undefined) return [event];
      return [event, { outboxId, milestone: 'billed', at, pricing: { category: pricing.category, billable: pricing.billable !== false, market: marketOf(before.intent.channel, before.intent.userId) } }];
    });
};
