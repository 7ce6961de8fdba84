import type { AutomationInbound } from './keyword-opt-out';
import { automationIdempotencyKey } from './keyword-opt-out';
import type { AutomatedSend, AutomationRuleName } from './rule';

/** A bot's text reply to an inbound event, keyed by the rule and the event: a redelivery finds the same outbox job. */
export const automatedReply = (rule: AutomationRuleName, inbound: AutomationInbound, text: string): AutomatedSend => ({
  intent: {
    channel: inbound.contact.channel,
    accountId: inbound.contact.accountId,
    userId: inbound.contact.userId,
    kind: 'reply',
    author: 'bot',
    content: { type: 'text', text },
  },
  idempotencyKey: automationIdempotencyKey(rule, inbound.eventKey),
});
