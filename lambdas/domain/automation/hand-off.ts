import type { WebhookEvent } from '../events';
import type { AutomationInbound } from './keyword-opt-out';

/** Openers that are the person writing or tapping: what automation answers (reactions and referrals are not). */
const ANSWERED = new Set(['message', 'postback', 'ad_referral']);

/**
 * The events of one webhook body automation acts on, as the webhook hands them off: every inbound
 * message and postback of a registered account (any of them may open a conversation, fall outside
 * business hours or be a keyword). Ids, time, and the text or payload only when it is short enough
 * to be a keyword (said.ts): no message bodies leave the webhook.
 */
export const automationInbound = (events: readonly WebhookEvent[], registered: (e: WebhookEvent) => boolean): AutomationInbound[] =>
  events.flatMap((event) =>
    event.type === 'inbound' && ANSWERED.has(event.opener) && registered(event)
      ? [
          {
            eventKey: event.eventKey,
            occurredAt: event.occurredAt,
            contact: event.contact,
            ...event.said,
            ...(event.standby === true ? { standby: true } : {}),
          },
        ]
      : [],
  );
