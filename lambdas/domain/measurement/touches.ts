import { STATUS_RANK } from '../state-changes';
import type { OutboxRecord } from '../../ports/outbox';
import type { Touch } from '../../ports/touches';

/**
 * The touches sent messages hold: read (the delivery register at read or played, at its time) and
 * clicked (its first click). The outbox record is where they are kept, so a read costs no write of
 * its own; a conversion reads the person's recent sends (keys.ts, gsi2 `SEND#`) instead.
 */
export const touchesOf = (records: readonly OutboxRecord[]): Touch[] =>
  records.flatMap((record) => {
    const campaignId = record.group?.slice(0, record.group.indexOf('#'));
    const of = (kind: Touch['kind'], at: number): Touch => ({ outboxId: record.outboxId, kind, at, ...(campaignId ? { campaignId } : {}) });
    const touches: Touch[] = [];
    const delivery = record.delivery;
    if (delivery && (STATUS_RANK[delivery.status as keyof typeof STATUS_RANK] ?? 0) >= STATUS_RANK.read) touches.push(of('read', delivery.at));
    const clicked = record.milestones?.clicked;
    if (clicked !== undefined) touches.push(of('click', clicked));
    return touches;
  });
