import type { AutomationInbound } from '../domain/automation/keyword-opt-out';

/** Where the webhook hands inbound events to automation: one message per webhook body. */
export interface AutomationQueue {
  handOff(events: readonly AutomationInbound[]): Promise<void>;
}
