import type { GraphError } from './errors';
import type { SimulatorConfig } from './options';
import type { AcceptedMessage, SimulatorState } from './simulator-state';

/** Builds one webhook body; `at` is the simulator's now when it is posted. */
export type WebhookBuilder = (at: number) => unknown;

/** What one send endpoint decided: Meta accepted the message (and will post these webhooks), or refused it. */
export type SendOutcome = { accepted: AcceptedMessage; response: unknown; webhooks: WebhookBuilder[] } | { error: GraphError };

/** What a send endpoint sees of the request's surroundings. */
export interface SendContext {
  config: SimulatorConfig;
  state: SimulatorState;
  /** The account in the path: Page id, Instagram account id, phone_number_id or `act_<id>`. */
  accountId: string;
  now: number;
}

export const DAY_MS = 24 * 3_600_000;
