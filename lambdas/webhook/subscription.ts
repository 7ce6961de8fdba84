import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Meta's GET handshake: `hub.mode=subscribe` and the verify token typed in the App Dashboard.
 * Returns the challenge to echo, or undefined when the request must be refused (403).
 */
export const subscriptionChallenge = (
  query: Record<string, string | undefined>,
  verifyToken: string,
): string | undefined => {
  const challenge = query['hub.challenge'];
  if (query['hub.mode'] !== 'subscribe' || challenge === undefined || verifyToken.length === 0) return undefined;
  return sameText(query['hub.verify_token'] ?? '', verifyToken) ? challenge : undefined;
};

// Hashing first gives equal-length buffers, so the comparison time does not reveal the token length.
const sameText = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
