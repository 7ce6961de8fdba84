import { STATUS_RANK } from '../state-changes';

/**
 * The life of one send job. The outbox adapter's conditional writes only allow these moves, so a
 * replayed or reordered update can never take a sent message back to queued.
 *
 *   queued → claimed → sent
 *                    ↘ failed (code) / skipped (reason) / unknown (sent, no answer) / queued (retry)
 *   sent / unknown → delivered → read, or failed        (from status webhooks: see `effectiveStatus`)
 */
export type OutboxStatus = 'queued' | 'claimed' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped' | 'unknown';

/** A status Meta reported for a message (outbox `delivery` register, or the message record). */
export interface StatusReport {
  status: string;
}

const rankOf = (report: StatusReport | undefined): number =>
  report === undefined ? 0 : (STATUS_RANK[report.status as keyof typeof STATUS_RANK] ?? 0);

/** The further-along of two reports about the same message (delivered beats sent, read beats delivered). */
export const laterReport = <T extends StatusReport>(a: T | undefined, b: T | undefined): T | undefined => (rankOf(b) > rankOf(a) ? b : a);

/**
 * What a send's status is once Meta's status webhooks are taken into account: a sent (or unknown)
 * job whose message was delivered or read shows that; a failed webhook after a sent answer shows failed.
 */
export const effectiveStatus = (status: OutboxStatus, delivery?: StatusReport): OutboxStatus => {
  if (!delivery || !['sent', 'unknown', 'claimed'].includes(status)) return status;
  const reported = (delivery.status === 'played' ? 'read' : delivery.status) as OutboxStatus;
  if (status !== 'sent') return reported;
  return rankOf(delivery) > STATUS_RANK.sent ? reported : status;
};
