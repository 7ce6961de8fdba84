import { compactOrderOf, timeOfOrder } from '../state-writes';
import { automatedReply } from './automated-reply';
import { openingAt } from './business-hours';
import type { AutomationRule } from './rule';
import { textFor } from './texts';

/**
 * The closed period a person was last told about and the event that was answered, both in the
 * register's order: compactOrderOf(the period's start, the event's key), nothing else stored (the
 * contact item is rewritten by every webhook and billed per started KB). A period starting at or
 * after the current one's start was told within the current closed period (even under business
 * hours changed since), so nothing is said again.
 */
export const AWAY_REGISTER = 'away';
export const AWAY_FIELDS = [] as const;

const awayOrderOf = (state: Record<string, unknown>): string | undefined => (typeof state.awayOrder === 'string' ? state.awayOrder : undefined);

/**
 * Outside business hours (read at the run's clock: nobody is there now), once per person per closed
 * period. Away wins outside hours: the event it answers gets no greeting, and it handles every
 * later message of the period without a word, so neither greeting nor default reply speak until
 * the account opens (each is a billed service message on WhatsApp). A redelivered event it
 * answered plans the same message under the same outbox key.
 */
export const awayRule: AutomationRule = ({ inbound, state, config, accountTimeZone, now, silenced, handled }) => {
  const { away, businessHours } = config;
  if (away?.enabled !== true || businessHours === undefined || silenced || handled) return undefined;
  const opening = openingAt(businessHours, accountTimeZone, now);
  if (opening.open) return undefined;
  // Closed with no opening within the horizon: one period since ever.
  const since = opening.since ?? 0;
  const order = compactOrderOf(since, inbound.eventKey);
  const told = awayOrderOf(state);
  if (told !== undefined && told !== order && timeOfOrder(told) >= since) return { rule: 'away', writes: [], handled: true };
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
    send: automatedReply('away', inbound, textFor(away.texts, config.defaultLanguage, state)),
    handled: true,
  };
};
