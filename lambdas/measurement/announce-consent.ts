import { webhookConsentEvent } from '../domain/measurement/events-out';
import type { WebhookEvent } from '../domain/events';
import type { BusinessBus } from '../ports/business-bus';

/**
 * `contact.opted_out` / `contact.opted_in` for the consent changes Meta reported in a webhook body
 * (WhatsApp `user_preferences`, Messenger and Instagram `messaging_optins`). The webhook passes the
 * events it is about to record for the first time, so each event key is put once; a failure throws,
 * the webhook answers 5xx and Meta's retry puts them again (at least once: a consumer dedupes on
 * `eventKey`).
 */
export const announceConsent = async (bus: BusinessBus, fresh: readonly WebhookEvent[]): Promise<void> => {
  const events = fresh.flatMap((event) => webhookConsentEvent(event) ?? []);
  if (events.length > 0) await bus.put(events);
};
