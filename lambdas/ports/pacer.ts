import type { Channel } from '../domain/events';

/** One send the pacer is asked about. */
export interface PaceRequest {
  accountId: string;
  recipient: string;
  /** WhatsApp: the pair rate's gap to the same person. */
  pairGapMs?: number;
  /** Picks the deployment's default rate when `ratePerSecond` is absent. */
  channel?: Channel;
  /** Meta's rate for this account (its tier or registration); absent: the pacer's default. */
  ratePerSecond?: number;
  /** Present when the send counts toward a WhatsApp portfolio's unique-recipient limit per rolling 24 h. */
  messagingLimit?: { portfolioId: string; limit: number };
}

/** Why a send may not go now: the account's rate, the pair rate, or the portfolio's messaging limit. */
export type PaceRefusal = 'paced' | 'pair_rate' | 'messaging_limit_reached';

export type PaceAnswer = { ok: true } | { ok: false; retryAfterMs: number; reason?: PaceRefusal };

/**
 * Keeps sends within Meta's limits: messages per second per sending account, (WhatsApp) one
 * message per 6 s to the same person, and (WhatsApp) the portfolio's unique people per rolling 24 h.
 */
export interface Pacer {
  /**
   * Reserves a send slot for `accountId` (and the pair `accountId`/`recipient` when `pairGapMs` is
   * set, and a seat in the portfolio's limit when `messagingLimit` is). Waits for it when it is
   * close; otherwise answers how long to wait. Durations, not times: the pacer keeps its own clock.
   */
  acquire(request: PaceRequest): Promise<PaceAnswer>;
  /** Meta said slow down (130429, 613, 80006...): push the account's next slot back by `forMs`. */
  backOff(accountId: string, forMs: number): void;
}
