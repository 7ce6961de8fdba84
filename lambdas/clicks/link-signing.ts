import type { LinkSigning } from '../domain/clicks/track-send';
import type { TrackingKeys } from '../ports/tracking-keys';

/** The deployment's click tracking (lib/config.ts `clicks`): where links point, how long they live, the key. */
export interface LinkTracking {
  keys: TrackingKeys;
  /** The redirect's base URL up to the token, ending in `/r/`. */
  redirectBase: string;
  /** How long a link works after its message is due to leave. */
  ttlMs: number;
}

/** What one send's links are signed with: the first key, valid `ttlMs` after the send is due. */
export type SigningFor = (dueAt: number) => LinkSigning;

export const signingOf = async (tracking: LinkTracking): Promise<SigningFor> => {
  const [key] = await tracking.keys.keys();
  if (!key) throw new Error('the tracking key is empty');
  return (dueAt) => ({ redirectBase: tracking.redirectBase, key, expiresAt: dueAt + tracking.ttlMs });
};
