import { marketOf } from '../campaign/recipient-market';
import { statusFlags } from './status-flags';
import type { Milestone, MilestoneEvent, StatusReport } from '../../ports/funnel-milestones';
import type { OutboxRecord } from '../../ports/outbox';
import type { CountedMilestone, LandedStatus } from '../../ports/status-funnel';

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
        return [
          {
            outboxId,
            milestone,
            at,
            ...(code === undefined ? {} : { errorCode: code }),
            ...(report.error?.title === undefined ? {} : { errorTitle: report.error.title }),
            ...(report.refusedAtSend ? { refusedAtSend: true as const } : {}),
          },
        ];
      }
      const event: MilestoneEvent = { outboxId, milestone, at };
      if (milestone !== 'delivered') return [event];
      const pricing = report.pricing ?? before.delivery?.pricing;
      if (pricing?.category === undefined) return [event];
      return [event, { outboxId, milestone: 'billed', at, pricing: { category: pricing.category, billable: pricing.billable !== false, market: marketOf(before.intent.channel, before.intent.userId) } }];
    });
};

/** The milestones landed statuses reached first, each with its send's record; a status that reached no send (its record expired) counts nothing. */
export const landedMilestones = (landed: readonly LandedStatus[]): CountedMilestone[] =>
  landed.flatMap(({ report, before }) => (before === undefined ? [] : statusMilestones(before, report).map((event) => ({ event, record: before }))));

/** The flags a status write sets (state-changes.ts `outboxReport`): a failure of either bucket is `failed`. */
const STATUS_FLAGS: readonly Milestone[] = ['delivered', 'read', 'failed'];

/**
 * The milestones one write of a send's outbox record reached first, from the record before and after
 * it (the state table's stream images, lambdas/handlers/funnel-stream.ts): the status flags `after`
 * holds and `before` didn't. One write carries one status (the state store never merges two events'
 * writes to an item), so the flags name it — `read` when it set `read`, else `delivered`, else a
 * failure — and `after` holds what that status reported: its time, its failure and the pricing
 * (the report's, or the one an earlier status stored), judged as `statusMilestones` judges the report.
 * The sender's write that ends the job `failed` on Meta's refusal at the send call flags `failed`
 * too (sender.ts): then the failure is the refusal's, its code and title on the record.
 */
export const flaggedMilestones = (before: OutboxRecord, after: OutboxRecord): MilestoneEvent[] => {
  const set = STATUS_FLAGS.filter((flag) => after.milestones?.[flag] !== undefined && before.milestones?.[flag] === undefined);
  if (set.length === 0) return [];
  const status = set.includes('read') ? 'read' : set.includes('delivered') ? 'delivered' : 'failed';
  const delivery = after.delivery;
  const refusal = status === 'failed' ? refusedAtSend(before, after) : undefined;
  const failure = status === 'failed' ? (refusal ?? delivery?.failure) : undefined;
  const report: StatusReport = {
    outboxId: before.outboxId,
    status,
    occurredAt: (status === 'failed' ? failure?.at : undefined) ?? delivery?.at ?? 0,
    ...(failure ? { error: { ...(failure.code === undefined ? {} : { code: failure.code }), ...(failure.title === undefined ? {} : { title: failure.title }) } } : {}),
    ...(delivery?.pricing ? { pricing: delivery.pricing } : {}),
    ...(refusal ? { refusedAtSend: true as const } : {}),
  };
  return statusMilestones(before, report);
};

/** Meta's refusal at the send call, when this write is the sender's that ended the job with it (a status never changes the job's status). */
const refusedAtSend = (before: OutboxRecord, after: OutboxRecord): NonNullable<OutboxRecord['delivery']>['failure'] | undefined =>
  before.status !== 'failed' && after.status === 'failed' && after.errorCode !== undefined
    ? { code: after.errorCode, ...(after.errorTitle === undefined ? {} : { title: after.errorTitle }), at: after.milestones?.failed ?? after.updatedAt }
    : undefined;
