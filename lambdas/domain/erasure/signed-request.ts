import { createHmac, timingSafeEqual } from 'node:crypto';

/** What Meta's data deletion callback carries once verified: the app-scoped id of the person who asked. */
export interface DeletionRequest {
  /** The app-scoped user id (ASID): the person as this app knows them through Facebook Login, not a PSID, IGSID or wa_id. */
  userId: string;
  /** Meta's time of the request, epoch seconds, when the payload names it. */
  issuedAt?: number;
}

export type SignedRequestCheck =
  | { ok: true; request: DeletionRequest }
  /** `malformed`: not `<signature>.<payload>` in base64url with a JSON payload naming a user (400); `forged`: the signature doesn't match (403); `algorithm`: not HMAC-SHA256 (400). */
  | { ok: false; reason: 'malformed' | 'forged' | 'algorithm' };

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const DIGEST_BYTES = 32;
const ALGORITHM = 'HMAC-SHA256';

/**
 * Verifies a Facebook `signed_request` (`base64url(signature).base64url(payload)`): the signature is
 * the HMAC-SHA256 of the payload part as sent (its base64url text, not the decoded JSON) keyed with
 * the app secret, compared in constant time against every secret given (the current one and the
 * previous while rotating, as the webhook's signature). The payload must say `HMAC-SHA256`: a
 * request claiming another algorithm is refused even with a matching signature.
 */
export const verifySignedRequest = (signedRequest: string | undefined, secrets: readonly string[]): SignedRequestCheck => {
  const parts = signedRequest?.split('.') ?? [];
  const [signaturePart, payloadPart] = parts;
  if (parts.length !== 2 || !signaturePart || !payloadPart || !BASE64URL.test(signaturePart) || !BASE64URL.test(payloadPart)) return { ok: false, reason: 'malformed' };
  const signature = Buffer.from(signaturePart, 'base64url');
  if (signature.length !== DIGEST_BYTES) return { ok: false, reason: 'malformed' };
  let valid = false;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const expected = createHmac('sha256', secret).update(payloadPart).digest();
    valid = timingSafeEqual(expected, signature) || valid;
  }
  if (!valid) return { ok: false, reason: 'forged' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'malformed' };
  const { algorithm, user_id: userId, issued_at: issuedAt } = payload as Record<string, unknown>;
  if (typeof algorithm !== 'string' || algorithm.toUpperCase() !== ALGORITHM) return { ok: false, reason: 'algorithm' };
  const id = typeof userId === 'number' && Number.isSafeInteger(userId) ? String(userId) : userId;
  if (typeof id !== 'string' || !/^\d{1,32}$/.test(id)) return { ok: false, reason: 'malformed' };
  return { ok: true, request: { userId: id, ...(typeof issuedAt === 'number' ? { issuedAt } : {}) } };
};

/** A signed request as Meta builds one: for tests, and to call the local stack's callback. */
export const signRequest = (payload: Record<string, unknown>, secret: string): string => {
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${createHmac('sha256', secret).update(encoded).digest('base64url')}.${encoded}`;
};

/**
 * The confirmation code of a request: the same for Meta's retry of the same request (same person,
 * same time), so a retry finds the erasure it started. 20 hex digits of SHA-256; it names no id.
 */
export const confirmationCodeOf = (request: DeletionRequest, digest: (text: string) => string): string =>
  digest(`meta-data-deletion#${request.userId}#${request.issuedAt ?? ''}`).slice(0, 20);
