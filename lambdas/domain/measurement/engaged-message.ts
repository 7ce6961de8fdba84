import { STATUS_RANK } from '../state-changes';
import type { OutboxRecord } from '../../ports/outbox';
import { funnelScopeOf } from './funnel-scope';

/** A reply or an opt-out counts for the message it follows within this long. */
export const ENGAGEMENT_WINDOW_MS = 72 * 3_600_000;

/**
 * The message a person's reply or opt-out at `at` answers: the newest of their sends that Meta
 * delivered (or read), sent at most 72 h before, and measured somewhere (an automated reply is not).
 * The window runs from the send: its delivery is not kept apart from its read, and comes seconds later.
 */
export const engagedMessage = (records: readonly OutboxRecord[], at: number): OutboxRecord | undefined =>
  records
    .filter((r) => {
      const sentAt = r.sentAt ?? r.createdAt;
      const rank = r.delivery ? (STATUS_RANK[r.delivery.status as keyof typeof STATUS_RANK] ?? 0) : 0;
      // Meta stamps a reply in whole seconds: one in the second the message left reads up to 999 ms before it.
      const sentSecond = Math.floor(sentAt / 1000) * 1000;
      return rank >= STATUS_RANK.delivered && sentSecond <= at && at - sentAt <= ENGAGEMENT_WINDOW_MS && funnelScopeOf(r) !== undefined;
    })
    .sort((a, b) => (b.sentAt ?? b.createdAt) - (a.sentAt ?? a.createdAt))[0];
