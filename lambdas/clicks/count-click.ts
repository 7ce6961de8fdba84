import type { Clicked, ClickLog } from '../ports/click-log';
import type { FunnelMilestones } from '../ports/funnel-milestones';
import type { OutboxRecord } from '../ports/outbox';

export interface ClickCounting {
  funnel: FunnelMilestones;
  clicks: ClickLog;
}

/**
 * A person's click on a message afterchat sent: the funnel's `clicked` milestone (once per message,
 * however often they click) and the click in their history. The milestone goes first: a crash
 * between the two loses a history entry, never a count.
 */
export const countClick = async (deps: ClickCounting, record: OutboxRecord, clicked: Clicked, at: number): Promise<boolean> => {
  const first = await deps.funnel.record({ outboxId: record.outboxId, milestone: 'clicked', at });
  const { channel, accountId, userId } = record.intent;
  await deps.clicks.add({ outboxId: record.outboxId, contact: { channel, accountId, userId }, clicked, at });
  return first;
};
