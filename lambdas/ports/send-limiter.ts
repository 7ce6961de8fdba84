/**
 * The limiter every sender instance shares: Meta's limits hold across instances only if the counts
 * live in one place. Three independent gates, each one conditional write (or a batch of them):
 *
 * - **slots**: an account's send times, `1000 / ratePerSecond` ms apart across every caller;
 * - **pairs**: WhatsApp's one message per `gapMs` to the same person from one number;
 * - **reach**: a business portfolio's unique recipients per rolling 24 h (WhatsApp messaging limit).
 *
 * Times are the `now`/`at` each call takes (ms); the limiter keeps no clock. Implementations: the
 * DynamoDB adapter (lambdas/adapters/dynamodb/send-limiter.ts) and an in-memory fake, both held to
 * test/contract/send-limiter.contract.ts.
 */
export interface SlotRequest {
  /** The sending account (phone_number_id, Page id, Instagram id). */
  key: string;
  /** Slots per second handed out for the account, across all callers (headroom already applied). */
  ratePerSecond: number;
  /** Slots wanted (one per job of the caller's batch). */
  count: number;
  now: number;
  /** No slot later than `now + horizonMs` is taken: a job that would wait longer goes back to the queue. */
  horizonMs: number;
}

export interface SlotLease {
  /** The slots taken, ascending, each in [now, now + horizonMs]; fewer than asked (or none) when the account is busy. */
  slots: number[];
  /** When the caller may find a free slot again (after the ones just taken). */
  nextFreeAt: number;
}

export interface PairRequest {
  key: string;
  recipient: string;
  /** When the message will go out (its slot). */
  at: number;
  gapMs: number;
}

export interface ReachRequest {
  /** The business portfolio whose limit is shared. */
  portfolioId: string;
  /** The people to count, once each. */
  recipients: readonly string[];
  /** Unique people per rolling 24 h. */
  limit: number;
  now: number;
}

export interface ReachAnswer {
  /** Counted now, or already counted for the rolling 24 h: these may be sent to. */
  accepted: string[];
  /** Over the limit: not counted, not to be sent before `earliestAt`. */
  refused: string[];
  /** When the portfolio has room again (present when something was refused). */
  earliestAt?: number;
}

/** Would one more person fit the portfolio's rolling 24 h now? Read only: nothing is counted. */
export interface ReachPeek {
  portfolioId: string;
  recipient: string;
  limit: number;
  now: number;
}

export type ReachPeekAnswer = { ok: true } | { ok: false; earliestAt: number };

export interface SendLimiter {
  /** Takes up to `count` send slots of the account, none later than `now + horizonMs`. */
  takeSlots(request: SlotRequest): Promise<SlotLease>;
  /** Meta said slow down: no slot of the account before `until`. */
  backOff(request: { key: string; ratePerSecond: number; until: number }): Promise<void>;
  /** Reserves the pair (account, person) for a message at `at`; refused while the previous one's gap runs. */
  takePair(request: PairRequest): Promise<{ ok: true } | { ok: false; nextAllowedAt: number }>;
  /**
   * Counts each person in the portfolio's rolling 24 h, unless already counted; refuses those that
   * would take it over `limit`. Conservative: a person may be counted more than once, never less.
   */
  countRecipients(request: ReachRequest): Promise<ReachAnswer>;
  /**
   * What `countRecipients` would answer for one person now, without counting them: ok when they
   * are counted already in the rolling 24 h or the portfolio has room. For previews: a send's real
   * count happens when it goes out, so the answer can change by then.
   */
  peekReach(request: ReachPeek): Promise<ReachPeekAnswer>;
}
