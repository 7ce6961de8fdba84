/** How patient the sweeper is; every time is in ms. */
export interface SweepSettings {
  /**
   * How long past its due time work is left to its normal path (an SQS delivery, a sender's own
   * take-over of a stale claim, a lease renewal) before the sweeper steps in. A claim is judged by
   * its deadline, which already includes the sender's stale-claim time.
   */
  graceMs: number;
  /**
   * The longest a re-enqueued job waits before it is looked at again. Each re-enqueue doubles the
   * wait (grace, 2 × grace, 4 × grace, ...), so a job still waiting behind a long send backlog is
   * put back a few times, not at every sweep.
   */
  maxBackoffMs: number;
  /** Entries read per shard per sweep (oldest first): bounds one run; the rest wait for the next. */
  maxPerShard: number;
  /** Dead-lettered jobs ended per sweep. */
  maxDeadLetters: number;
}

export const DEFAULT_SWEEP_SETTINGS: SweepSettings = {
  // Longer than a normal SQS backlog drains in a minute or two, short enough that a stuck job ends within the quarter hour.
  graceMs: 10 * 60_000,
  maxBackoffMs: 6 * 60 * 60_000,
  maxPerShard: 1000,
  maxDeadLetters: 500,
};
