/**
 * How long the marketing ledger remembers a send, and so the longest window a frequency cap may
 * have: a longer one would forget sends it should count.
 */
export const LEDGER_RETENTION_HOURS = 720;

export interface CapCheck {
  /** When this contact was sent marketing, by any campaign, in any order. */
  sentAtMs: readonly number[];
  /** At most this many sends... */
  max: number;
  /** ...in any window of this length (1 per 48 h: max 1, windowMs 172 800 000). */
  windowMs: number;
  atMs: number;
}

export type CapDecision = { ok: true } | { ok: false; earliestAtMs: number };

/**
 * Our own per-contact marketing cap across campaigns, on top of Meta's per-person limits (WhatsApp
 * holds back marketing templates past its own, error 131049; Messenger caps marketing messages too):
 * being asked for less often is what keeps people from blocking or reporting the business.
 * A send at `s` counts while `atMs - s < windowMs`, so it stops counting at exactly `s + windowMs`.
 * Sends recorded after `atMs` count too: they happened, whatever clock asked.
 */
export const capAllows = (check: CapCheck): CapDecision => {
  const { max, windowMs, atMs } = check;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a whole number above 0, got ${max}`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be above 0, got ${windowMs}`);
  const counted = check.sentAtMs.filter((sentAt) => atMs - sentAt < windowMs).sort((a, b) => a - b);
  if (counted.length < max) return { ok: true };
  // Sending needs all but max - 1 of them to age out: the oldest of the newest `max` goes last.
  return { ok: false, earliestAtMs: Math.min(...counted.slice(-max)) + windowMs };
};
