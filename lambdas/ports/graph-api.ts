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

/**
 * Conversation Routing on a Page or Instagram account (messenger-platform.md §2.9): `pass` gives the
 * thread to another app (the Page inbox, a helpdesk), `take` takes it back. WhatsApp has no such call
 * for a third-party app.
 */
export type ThreadControlRequest = {
  channel: 'messenger' | 'instagram';
  /** The Page id or Instagram account id. */
  accountId: string;
  /** PSID or IGSID. */
  userId: string;
  /** Reaches the other app in its `messaging_handovers` webhook. */
  metadata?: string;
} & ({ action: 'pass'; targetAppId: string } | { action: 'take' });

export type ThreadControlResult = { ok: true } | { ok: false; failure: GraphFailure; message?: string };

export interface ThreadControlApi {
  threadControl(request: ThreadControlRequest): Promise<ThreadControlResult>;
}
