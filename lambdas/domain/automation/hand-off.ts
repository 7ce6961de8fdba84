import type { EchoEvent, WebhookEvent } from '../events';
import { outboxIdOfCallback } from '../send/callback-data';
import type { AutomationInbound } from './keyword-opt-out';

/** Openers that are the person writing or tapping: what automation answers (reactions and referrals are not). */
const ANSWERED = new Set(['message', 'postback', 'ad_referral']);

/**
 * A human at the business answered the person from another tool: an echo of a Messenger message
 * afterchat did not send (its own carry their outbox id as `metadata`), such as a reply from the Page
 * inbox, or one from the WhatsApp Business app (the Cloud API echoes nothing of afterchat's own).
 * Marketing-message echoes are campaigns, not a reply; echoes on standby are the thread holder's
 * (another app, Meta's agent), whose thread control already silences automation and gives the
 * conversation back when it ends. Instagram echoes carry neither `app_id` nor `metadata`, so
 * afterchat's own replies can't be told from a person's there: they pause nothing.
 */
const humanReply = (event: EchoEvent): boolean =>
  event.contact.channel !== 'instagram' && event.standby !== true && event.origin !== 'marketing_message' && outboxIdOfCallback(event.metadata) === undefined;

/**
 * The events of one webhook body automation acts on, as the webhook hands them off: every inbound
 * message and postback of a registered account (any of them may open a conversation, fall outside
 * business hours or be a keyword), and the business's replies from other tools (they pause
 * automation). Ids, time, and the text or payload only when it is short enough to be a keyword
 * (said.ts): no message bodies leave the webhook.
 */
export const automationInbound = (events: readonly WebhookEvent[], registered: (e: WebhookEvent) => boolean): AutomationInbound[] =>
  events.flatMap((event): AutomationInbound[] => {
    if (!registered(event)) return [];
    if (event.type === 'echo') {
      return humanReply(event) ? [{ kind: 'echo', eventKey: event.eventKey, occurredAt: event.occurredAt, contact: event.contact }] : [];
    }
    return event.type === 'inbound' && ANSWERED.has(event.opener)
      ? [
          {
            eventKey: event.eventKey,
            occurredAt: event.occurredAt,
            contact: event.contact,
            ...event.said,
            ...(event.standby === true ? { standby: true } : {}),
          },
        ]
      : [];
  });
