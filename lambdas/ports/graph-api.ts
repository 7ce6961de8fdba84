import type { GraphFailure } from '../domain/send/error-classification';
import type { Channel } from '../domain/events';

/** One Graph API call, already shaped for its endpoint. */
export interface GraphRequest {
  channel: Channel;
  /** The id the token belongs to and the path starts with: Page id, IG account id, phone_number_id, or `act_<ad account>`. */
  accountId: string;
  /** Path below `/<version>/`, e.g. `1234/messages` or `act_42/messages`. */
  path: string;
  body: Record<string, unknown>;
}

export type GraphResult =
  | { ok: true; messageId: string; status?: string }
  | { ok: false; failure: GraphFailure; message?: string };

export interface GraphApi {
  send(request: GraphRequest): Promise<GraphResult>;
}
