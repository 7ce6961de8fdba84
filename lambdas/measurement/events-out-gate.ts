import { isAfterchatEventType } from '../schemas/afterchat-events';
import type { BusinessBus } from '../ports/business-bus';

/**
 * The stage switch for afterchat's message and consent events (`message.delivered`, …,
 * `contact.opted_in`; lib/config.ts `eventsOut`): off, they never reach the bus, so no PutEvents is
 * made or billed ($1.00 per million events: three per message would add about $3 per million sends,
 * the whole of the status webhook's cost goal). Every other event (`handoff.requested`) passes.
 */
export const gateEventsOut = (bus: BusinessBus, enabled: boolean): BusinessBus =>
  enabled
    ? bus
    : {
        put: async (events) => {
          const kept = events.filter((event) => !isAfterchatEventType(event.detailType));
          if (kept.length > 0) await bus.put(kept);
        },
      };
