import { createHash } from 'node:crypto';

/**
 * Event identities are built from Meta's ids so a re-delivery (Meta retries, several subscribed apps)
 * yields the same key. Free text (postback payloads, refs) is hashed so keys stay short and ASCII.
 * Keys can contain platform user ids (PSID, wa_id): they are stored, never logged.
 */
export const eventKey = (...parts: (string | number | undefined)[]): string =>
  parts.map((p) => (p === undefined ? '-' : String(p))).join('#');

export const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
