/**
 * Keeps sends within Meta's limits: messages per second per sending account, and (WhatsApp) one
 * message per 6 s to the same person.
 */
export interface Pacer {
  /**
   * Reserves a send slot for `accountId` (and the pair `accountId`/`recipient` when `pairGapMs` is
   * set). Waits for it when it is close; otherwise answers how long to wait. Durations, not times:
   * the pacer keeps its own clock.
   */
  acquire(request: { accountId: string; recipient: string; pairGapMs?: number }): Promise<{ ok: true } | { ok: false; retryAfterMs: number }>;
  /** Meta said slow down (130429, 613, 80006...): push the account's next slot back by `forMs`. */
  backOff(accountId: string, forMs: number): void;
}
