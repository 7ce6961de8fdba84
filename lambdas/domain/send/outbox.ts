/**
 * The life of one send job. Transitions only move along these edges, so a replayed or reordered
 * update can never take a sent message back to queued.
 *
 *   queued → claimed → sent → delivered → read
 *                    ↘ failed (code) / skipped (reason) / unknown (sent, no answer) / queued (retry)
 *   unknown → sent / delivered / read / failed   (reconciled from status webhooks)
 */
export type OutboxStatus = 'queued' | 'claimed' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped' | 'unknown';

const NEXT: Record<OutboxStatus, readonly OutboxStatus[]> = {
  queued: ['claimed', 'skipped'],
  claimed: ['sent', 'failed', 'skipped', 'unknown', 'queued'],
  sent: ['delivered', 'read', 'failed'],
  delivered: ['read'],
  read: [],
  failed: ['delivered', 'read'],
  skipped: [],
  unknown: ['sent', 'delivered', 'read', 'failed'],
};

export const canMove = (from: OutboxStatus, to: OutboxStatus): boolean => NEXT[from].includes(to);

/** Statuses from which a status webhook may move the record (sent and beyond, or unknown). */
export const previousStatusesOf = (to: OutboxStatus): OutboxStatus[] =>
  (Object.keys(NEXT) as OutboxStatus[]).filter((from) => NEXT[from].includes(to));

export const isTerminal = (status: OutboxStatus): boolean => NEXT[status].length === 0 || status === 'failed';

const DELIVERY_RANK: Record<string, number> = { sent: 1, failed: 2, delivered: 3, read: 4, played: 5 };

/**
 * What a send's status is once Meta's status webhooks are taken into account: a sent (or unknown)
 * job whose message was delivered or read shows that; a failed webhook after a sent answer shows failed.
 */
export const effectiveStatus = (status: OutboxStatus, delivery?: { status: string }): OutboxStatus => {
  if (!delivery || !['sent', 'unknown', 'claimed'].includes(status)) return status;
  const reported = delivery.status === 'played' ? 'read' : delivery.status;
  if (status !== 'sent') return reported as OutboxStatus;
  return (DELIVERY_RANK[reported] ?? 0) > DELIVERY_RANK.sent! ? (reported as OutboxStatus) : status;
};
