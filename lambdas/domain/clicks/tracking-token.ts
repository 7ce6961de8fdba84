import { createHmac, timingSafeEqual } from 'node:crypto';
import { isOutboxId } from '../send/outbox-id';

/** What a tracking link names: a link of one sent message, valid until `expiresAt`. */
export interface TrackedLink {
  outboxId: string;
  /** The link's place among the targets stored on the outbox record (`links`). */
  target: number;
  /** Epoch ms, rounded down to the second the token holds. */
  expiresAt: number;
}

export type TokenCheck =
  | { ok: true; link: TrackedLink }
  /** `forged`: not a token afterchat signed with any of the keys (403); `expired`: signed, but past its expiry (410). */
  | { ok: false; reason: 'forged' | 'expired' };

/** A link names one of at most this many targets: a message carries a handful of links. */
export const MAX_TARGETS = 20;
const VERSION = 't1';
/**
 * 128 bits of HMAC-SHA256 (NIST SP 800-107 allows truncation to that length for authentication):
 * half the characters in every link a person sees, and still no forging within the key's life.
 */
const SIGNATURE_BYTES = 16;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{22})$/;

const signatureOf = (payloadPart: string, key: string): Buffer =>
  createHmac('sha256', key).update(`${VERSION}.${payloadPart}`).digest().subarray(0, SIGNATURE_BYTES);

/**
 * The token of a tracking link, `base64url(t1|outboxId|target|expiry seconds).base64url(signature)`:
 * the payload is readable by anyone and holds nothing personal (an outbox id is a hash), the
 * signature is the truncated HMAC-SHA256 of `t1.<payload part>` keyed with the tracking key.
 */
export const signTrackedLink = (link: TrackedLink, key: string): string => {
  if (key.length === 0) throw new Error('the tracking key is empty');
  if (!isOutboxId(link.outboxId)) throw new Error('a tracking link names an outbox record');
  if (!Number.isInteger(link.target) || link.target < 0 || link.target >= MAX_TARGETS) throw new Error(`a link target is 0 to ${MAX_TARGETS - 1}`);
  const payload = [VERSION, link.outboxId, link.target, Math.floor(link.expiresAt / 1000)].join('|');
  const payloadPart = Buffer.from(payload, 'utf8').toString('base64url');
  return `${payloadPart}.${signatureOf(payloadPart, key).toString('base64url')}`;
};

/**
 * Checks a token against every key given (the current one and, while rotating, the previous), in
 * constant time per key. The signature is checked before anything the payload says, so a forged
 * token reads as forged whatever expiry it claims; a genuine one past its expiry is `expired`.
 */
export const verifyTrackedLink = (token: string | undefined, keys: readonly string[], now: number): TokenCheck => {
  const match = TOKEN_SHAPE.exec(token ?? '');
  if (match === null) return { ok: false, reason: 'forged' };
  const [, payloadPart, signaturePart] = match as unknown as [string, string, string];
  const signature = Buffer.from(signaturePart, 'base64url');
  if (signature.length !== SIGNATURE_BYTES) return { ok: false, reason: 'forged' };
  let valid = false;
  for (const key of keys) {
    if (key.length === 0) continue;
    valid = timingSafeEqual(signatureOf(payloadPart, key), signature) || valid;
  }
  if (!valid) return { ok: false, reason: 'forged' };
  const link = payloadOf(payloadPart);
  // Signed by us yet unreadable: only a key shared with another program could have made it.
  if (link === undefined) return { ok: false, reason: 'forged' };
  return now > link.expiresAt ? { ok: false, reason: 'expired' } : { ok: true, link };
};

const payloadOf = (payloadPart: string): TrackedLink | undefined => {
  const [version, outboxId, target, expiry, ...rest] = Buffer.from(payloadPart, 'base64url').toString('utf8').split('|');
  if (version !== VERSION || rest.length > 0 || !isOutboxId(outboxId) || !/^\d{1,2}$/.test(target ?? '') || !/^\d{1,12}$/.test(expiry ?? '')) return undefined;
  const index = Number(target);
  return index < MAX_TARGETS ? { outboxId, target: index, expiresAt: Number(expiry) * 1000 } : undefined;
};
