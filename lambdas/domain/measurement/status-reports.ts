import type { WebhookEvent } from '../events';
import { outboxIdOfCallback } from '../send/callback-data';
import type { StatusReport } from '../../ports/funnel-milestones';

/** The statuses among `events` that name an outbox record (afterchat sent the message) and may move its funnel: `sent` moves none. */
export const statusReports = (events: readonly WebhookEvent[]): StatusReport[] =>
  events.flatMap((event) => {
    if (event.type !== 'message_status' || event.status === 'sent') return [];
    const outboxId = outboxIdOfCallback(event.callbackData);
    if (outboxId === undefined) return [];
    return [
      {
        outboxId,
        status: event.status,
        occurredAt: event.occurredAt,
        ...(event.error ? { error: event.error } : {}),
        ...(event.pricing ? { pricing: { category: event.pricing.category, billable: event.pricing.billable } } : {}),
      },
    ];
  });
