import type { WebhookEvent } from '../events';
import type { AutomationInbound } from './keyword-opt-out';
import { matchKeyword } from './keywords';

/** Openers that are the person writing or tapping: what automation answers (reactions and referrals are not). */
const ANSWERED = new Set(['message', 'postback', 'ad_referral']);

/**
 * The events of one webhook body automation could act on, as the webhook hands them off: inbound
 * messages and postbacks of registered accounts that a rule answers. Today that is the keywords
 * alone, so only a keyword costs the webhook a hand-off; the greeting, away message and default
 * reply (issue 13 continues) widen this to every fresh message. Ids, time and the keyword's text only.
 */
export const automationInbound = (events: readonly WebhookEvent[], registered: (e: WebhookEvent) => boolean): AutomationInbound[] =>
  events.flatMap((event) =>
    event.type === 'inbound' && ANSWERED.has(event.opener) && event.said !== undefined && matchKeyword(event.said) !== undefined && registered(event)
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
