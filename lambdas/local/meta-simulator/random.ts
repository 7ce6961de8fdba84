import { randomBytes } from 'node:crypto';

/**
 * mulberry32: a tiny seeded PRNG, so a fault scenario replays identically for the same seed and the
 * same order of requests. Not for ids: those must stay unique across simulator instances.
 */
export const mulberry32 = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** Messenger / Instagram message id, `m_` and ~64 url-safe characters like Meta's. */
export const newMid = (): string => `m_${randomBytes(48).toString('base64url')}`;

/**
 * WhatsApp message id. Meta's are standard base64 (with `+`, `/` and `=`), which a client that puts
 * wamids in URLs or keys must cope with, so the simulator keeps that alphabet.
 */
export const newWamid = (): string => `wamid.${randomBytes(30).toString('base64')}`;

const NINETEEN_DIGITS = 10n ** 18n;

/** Marketing Message API tracking id: a 19-digit number as a string. */
export const newTrackingId = (): string =>
  (NINETEEN_DIGITS + (randomBytes(8).readBigUInt64BE() % (9n * NINETEEN_DIGITS))).toString();

export const newFbtraceId = (): string => randomBytes(17).toString('base64url');
