import { compactOrderOf, type RegisterWrite, timeOfOrder } from '../state-writes';
import type { AutomationInbound } from './keyword-opt-out';

/**
 * Automation's own record of a person's conversation, on the contact beside the window registers.
 * The webhook has already written this message into those by the time automation runs, so they can't
 * say whether the person had been quiet before it; this register is what automation saw last.
 *
 * A new conversation is the person's first message automation ever saw, or the first after
 * `quietGapHours` without a message from them (by Meta's event times). The register's order is the
 * last message's (compactOrderOf: its time, then a hash of its key, 26 characters: the contact item
 * is rewritten by every webhook, and its size is billed per started KB), and `conversationStartedBy`
 * is the order of the message that started the conversation. Last event wins, as every register:
 * - a redelivered message finds itself as the starter, so it plans the same greeting under the same
 *   outbox key;
 * - a message older than the last one seen (Meta reordered them) never starts a conversation;
 * - once a newer conversation has started, an older starter's retry greets no more: the person was
 *   greeted since.
 */
export const CONVERSATION_REGISTER = 'conversation';
export const CONVERSATION_FIELDS = ['conversationStartedBy'] as const;

export interface ConversationState {
  lastInboundAt: number;
  /** The order of the event that started the current conversation. */
  startedBy: string;
  order: string;
}

export const conversationOf = (state: Record<string, unknown>): ConversationState | undefined => {
  const { conversationOrder: order, conversationStartedBy: startedBy } = state;
  if (typeof order !== 'string' || typeof startedBy !== 'string') return undefined;
  return { lastInboundAt: timeOfOrder(order), startedBy, order };
};

export interface ConversationStep {
  /** This event started a conversation (the first time automation sees it, and on every redelivery). */
  starts: boolean;
  write: RegisterWrite;
}

const HOUR_MS = 3_600_000;

export const conversationStep = (inbound: AutomationInbound, stored: ConversationState | undefined, quietGapHours: number): ConversationStep => {
  const order = compactOrderOf(inbound.occurredAt, inbound.eventKey);
  const starts =
    stored === undefined || stored.startedBy === order || (order > stored.order && inbound.occurredAt - stored.lastInboundAt >= quietGapHours * HOUR_MS);
  return {
    starts,
    // Lands only when this is the newest message seen; an older or repeated one changes nothing.
    write: {
      target: { entity: 'contact', contact: inbound.contact },
      register: CONVERSATION_REGISTER,
      order,
      wins: 'later',
      fields: { conversationStartedBy: starts || stored === undefined ? order : stored.startedBy },
    },
  };
};
