import type { ContactRef } from '../domain/events';
import { engagedMessage } from '../domain/measurement/engaged-message';
import type { FunnelMilestones } from '../ports/funnel-milestones';
import type { Outbox } from '../ports/outbox';

export interface EngagementDeps {
  outbox: Pick<Outbox, 'listByContact' | 'getMany'>;
  milestones: FunnelMilestones;
}

/** A person's recent sends looked at: caps and campaigns keep them few within 72 h. */
const RECENT_SENDS = 10;

/**
 * A person wrote (`replied`) or stopped marketing (`opted_out`) at `at`: recorded once on the message
 * it follows (engaged-message.ts), through their sends in the person index; nothing when none is.
 */
export const recordEngagement = async (deps: EngagementDeps, contact: ContactRef, at: number, milestones: readonly ('replied' | 'opted_out')[]): Promise<void> => {
  if (milestones.length === 0) return;
  const page = await deps.outbox.listByContact(contact, undefined, RECENT_SENDS);
  const engaged = engagedMessage(await deps.outbox.getMany(page.outboxIds), at);
  if (engaged === undefined) return;
  for (const milestone of milestones) await deps.milestones.record({ outboxId: engaged.outboxId, milestone, at });
};
