import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const DIGEST_BYTES = 32;

/**
 * Checks Meta's `X-Hub-Signature-256` (`sha256=<hex HMAC-SHA256 of the raw body keyed with the app
 * secret>`). The body must be the exact bytes Meta sent: Meta signs its escaped-unicode form, so a
 * re-serialised JSON would not match. Several secrets are accepted so the app secret can be rotated
 * without a window of refused webhooks. The legacy SHA-1 header is deliberately not accepted.
 */
export const isValidSignature = (rawBody: Buffer, header: string | undefined, secrets: readonly string[]): boolean => {
  if (!header?.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const received = Buffer.from(hex, 'hex');
  if (received.length !== DIGEST_BYTES) return false;
  let valid = false;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // No early exit: every configured secret is compared, in constant time each.
    valid = timingSafeEqual(expected, received) || valid;
  }
  return valid;
};

export const signBody = (rawBody: Buffer | string, secret: string): string =>
  PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex');
