import { compactOrderOf, timeOfOrder } from '../state-writes';
import { automatedReply } from './automated-reply';
import type { AutomationRule } from './rule';
import { textFor } from './texts';

/**
 * The last message the default reply answered, as the register's order alone: compactOrderOf(its
 * time, its key). The contact item is rewritten by every webhook and billed per started KB.
 */
export const DEFAULT_REPLY_REGISTER = 'defaultReply';
export const DEFAULT_REPLY_FIELDS = [] as const;

const answeredOrderOf = (state: Record<string, unknown>): string | undefined => (typeof state.defaultReplyOrder === 'string' ? state.defaultReplyOrder : undefined);

const HOUR_MS = 3_600_000;

/**
 * What nothing before it answered, at most once per person per `periodHours` (by Meta's event
 * times, so a redelivery decides as the first delivery did, and a reordered older message never
 * answers). A redelivered event it answered plans the same message under the same outbox key.
 */
export const defaultReplyRule: AutomationRule = ({ inbound, state, config, silenced, handled }) => {
  const reply = config.defaultReply;
  if (reply?.enabled !== true || silenced || handled) return undefined;
  const order = compactOrderOf(inbound.occurredAt, inbound.eventKey);
  const last = answeredOrderOf(state);
  if (last !== undefined && last !== order && inbound.occurredAt - timeOfOrder(last) < reply.periodHours * HOUR_MS) return undefined;
  return {
    rule: 'default_reply',
    writes: [
      {
        target: { entity: 'contact', contact: inbound.contact },
        register: DEFAULT_REPLY_REGISTER,
        order,
        wins: 'later',
        fields: {},
      },
    ],
    send: automatedReply('default_reply', inbound, textFor(reply.texts, config.defaultLanguage, state)),
    handled: true,
  };
};
