import type { BusinessBusEvent } from '../domain/automation/rule';

/**
 * The business's EventBridge bus, for what afterchat tells the shop (e.g. `handoff.requested`). At
 * least once: a call that fails is retried whole, so a consumer may see an event twice and dedupes
 * on an id in its detail.
 */
export interface BusinessBus {
  put(events: readonly BusinessBusEvent[]): Promise<void>;
}
