import { compactOrderOf, timeOfOrder } from '../state-writes';
import { automatedReply } from './automated-reply';
import { openingAt } from './business-hours';
import type { AutomationRule } from './rule';
import { textFor } from './texts';

/**
 * When the person was last told and the event that was answered, both in the register's order:
 * compactOrderOf(the run's clock when it told them, the event's key), nothing else stored (the
 * contact item is rewritten by every webhook and billed per started KB). A person told at or after
 * the current closed period's start was told within it: no opening lies between then and now,
 * however the business hours changed since (a period that now starts earlier, or later), so nothing
 * is said again.
 */
export const AWAY_REGISTER = 'away';
export const AWAY_FIELDS = [] as const;

const awayOrderOf = (state: Record<string, unknown>): string | undefined => (typeof state.awayOrder === 'string' ? state.awayOrder : undefined);

/** The event an order names (its hash after the time), whatever time it was written with. */
const eventOf = (order: string): string => order.slice(order.indexOf('#') + 1);

/**
 * Outside business hours (read at the run's clock: nobody is there now), once per person per closed
 * period. Away wins outside hours: the event it answers gets no greeting, and it handles every
 * later message of the period without a word, so neither greeting nor default reply speak until
 * the account opens (each is a billed service message on WhatsApp). A redelivered event it
 * answered plans the same message under the same outbox key, and writes nothing: a redelivery in a
 * later closed period doesn't count as telling the person in that one.
 */
export const awayRule: AutomationRule = ({ inbound, state, config, accountTimeZone, now, silenced, handled }) => {
  const { away, businessHours } = config;
  if (away?.enabled !== true || businessHours === undefined || silenced || handled) return undefined;
  const opening = openingAt(businessHours, accountTimeZone, now);
  if (opening.open) return undefined;
  const send = automatedReply('away', inbound, textFor(away.texts, config.defaultLanguage, state));
  const order = compactOrderOf(now, inbound.eventKey);
  const told = awayOrderOf(state);
  if (told !== undefined && eventOf(told) === eventOf(order)) return { rule: 'away', writes: [], send, handled: true };
  // Closed with no opening within the horizon: one period since ever.
  if (told !== undefined && timeOfOrder(told) >= (opening.since ?? 0)) return { rule: 'away', writes: [], handled: true };
  return {
    rule: 'away',
    writes: [
      {
        target: { entity: 'contact', contact: inbound.contact },
        register: AWAY_REGISTER,
        order,
        wins: 'later',
        fields: {},
      },
    ],
    send,
    handled: true,
  };
};
