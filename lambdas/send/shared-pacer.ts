import type { Clock } from '../domain/clock';
import type { Channel } from '../domain/events';
import type { PaceAnswer, PaceRequest, Pacer } from '../ports/pacer';
import type { ReachAnswer, SendLimiter, SlotLease } from '../ports/send-limiter';

export interface SharedPacerOptions {
  limiter: SendLimiter;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** Messages per second per account when the request names no rate (Messenger/Instagram: the deployment's setting). */
  defaultRates: Record<Channel, number>;
  /**
   * The longest a job waits for its slot inside the invocation (billed). A job whose slot is further
   * away goes back to the queue with a delay instead, and takes no slot. Default 2 s.
   */
  maxWaitMs?: number;
  /**
   * Share of Meta's rate left unused (default 2 %): Meta counts per second, and the jitter of the
   * request's way to Meta can carry a message into the next second.
   */
  headroom?: number;
  /** Slots (and seats) asked for in one limiter call at most: the jobs of one SQS batch. Default 10. */
  maxBatch?: number;
  /** Added to the pair gap: the way to Meta is not equally long for two messages. Default 500 ms. */
  pairMarginMs?: number;
  /** Errors of a fire-and-forget back-off. */
  onError?: (error: unknown) => void;
}

type SlotAnswer = { slot: number } | { retryAt: number };

interface Waiter<T, A> {
  request: T;
  resolve: (answer: A) => void;
  reject: (error: unknown) => void;
}

/**
 * Batches the calls of concurrent jobs to one limiter call: the first job's call goes out on the
 * next turn of the event loop, carrying every job that asked meanwhile; jobs that ask while it is in
 * flight go in the next one. One call in flight per key, so a batch of 10 jobs costs a few writes.
 */
class Coalescer<T, A> {
  private readonly queues = new Map<string, { waiters: Waiter<T, A>[]; running: boolean }>();

  constructor(
    private readonly maxBatch: number,
    private readonly call: (key: string, requests: T[]) => Promise<A[]>,
  ) {}

  ask(key: string, request: T): Promise<A> {
    const queue = this.queues.get(key) ?? { waiters: [], running: false };
    this.queues.set(key, queue);
    return new Promise<A>((resolve, reject) => {
      queue.waiters.push({ request, resolve, reject });
      if (!queue.running) {
        queue.running = true;
        void this.drain(key, queue);
      }
    });
  }

  private async drain(key: string, queue: { waiters: Waiter<T, A>[]; running: boolean }): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.waiters.length > 0) {
      const batch = queue.waiters.splice(0, this.maxBatch);
      try {
        const answers = await this.call(
          key,
          batch.map((w) => w.request),
        );
        batch.forEach((w, i) => w.resolve(answers[i] as A));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    queue.running = false;
    this.queues.delete(key);
  }
}

/**
 * The Pacer over the shared limiter: every sender instance takes its slots, pairs and portfolio
 * seats from the same items, so Meta's limits hold however many instances run.
 *
 * Per job, the refusals that cost no slot first: — a business-initiated send outside the window —
 * a seat in the portfolio's rolling 24 h (batched with the instance's other jobs); — WhatsApp — the
 * pair, held from now to the latest the slot can be plus the gap; then the slot (batched). A slot
 * within `maxWaitMs` is waited for; a later one is not taken, and the job is answered "retry after"
 * so the sender hands it back to SQS with a delay: Lambda never bills long idle waits. A seat or a
 * pair taken for a job handed back stays taken (conservative: the person is counted, the pair held
 * a few seconds); slots are never wasted on a refusal.
 */
export class SharedPacer implements Pacer {
  private readonly maxWaitMs: number;
  private readonly slots: Coalescer<{ rate: number }, SlotAnswer>;
  private readonly seats: Coalescer<{ recipient: string; limit: number }, { ok: true } | { ok: false; earliestAt: number }>;
  /** The rate each account was last paced at, for back-offs. */
  private readonly rates = new Map<string, number>();
  /** When each account's next slot is free, as this instance last learnt it (a lower bound). */
  private readonly busyUntil = new Map<string, number>();

  constructor(private readonly options: SharedPacerOptions) {
    this.maxWaitMs = options.maxWaitMs ?? 2000;
    const maxBatch = options.maxBatch ?? 10;
    this.slots = new Coalescer(maxBatch, (key, requests) => this.takeSlots(key, requests));
    this.seats = new Coalescer(maxBatch, (portfolioId, requests) => this.countSeats(portfolioId, requests));
  }

  async acquire(request: PaceRequest): Promise<PaceAnswer> {
    const { clock, limiter } = this.options;
    const now = clock();
    const rate = this.rateOf(request);
    this.rates.set(request.accountId, rate);
    // The account's slots are taken further out than a job may wait (as last seen): hand it back without a call.
    const busyUntil = this.busyUntil.get(request.accountId) ?? 0;
    if (busyUntil > now + this.maxWaitMs) return this.handBack(busyUntil, now);
    if (request.messagingLimit) {
      const { portfolioId, limit } = request.messagingLimit;
      const seat = await this.seats.ask(portfolioId, { recipient: request.recipient, limit });
      if (!seat.ok) return { ok: false, retryAfterMs: Math.max(1000, seat.earliestAt - now), reason: 'messaging_limit_reached' };
    }
    if (request.pairGapMs) {
      // Reserved from now until the latest the slot can be (maxWaitMs), plus the gap and a margin
      // for the way to Meta: a person messaged seconds ago costs no slot.
      const gapMs = this.maxWaitMs + request.pairGapMs + (this.options.pairMarginMs ?? 500);
      const pair = await limiter.takePair({ key: request.accountId, recipient: request.recipient, at: now, gapMs });
      if (!pair.ok) return { ok: false, retryAfterMs: Math.max(1000, pair.nextAllowedAt - now), reason: 'pair_rate' };
    }
    const slot = await this.slots.ask(request.accountId, { rate });
    if ('retryAt' in slot) return this.handBack(slot.retryAt, now);
    const wait = slot.slot - clock();
    if (wait > 0) await this.options.sleep(wait);
    return { ok: true };
  }

  /** Back to the queue until the account's backlog is about half a wait away again. */
  private handBack(freeAt: number, now: number): PaceAnswer {
    return { ok: false, retryAfterMs: Math.max(1000, freeAt - now - this.maxWaitMs / 2), reason: 'paced' };
  }

  backOff(accountId: string, forMs: number): void {
    const rate = this.rates.get(accountId);
    if (rate === undefined) return;
    const until = this.options.clock() + forMs;
    this.busyUntil.set(accountId, Math.max(this.busyUntil.get(accountId) ?? 0, until));
    this.options.limiter.backOff({ key: accountId, ratePerSecond: rate, until }).catch((error: unknown) => this.options.onError?.(error));
  }

  private rateOf(request: PaceRequest): number {
    const meta = request.ratePerSecond ?? this.options.defaultRates[request.channel ?? 'whatsapp'];
    return meta * (1 - (this.options.headroom ?? 0.02));
  }

  private async takeSlots(key: string, requests: { rate: number }[]): Promise<SlotAnswer[]> {
    const now = this.options.clock();
    const lease: SlotLease = await this.options.limiter.takeSlots({
      key,
      ratePerSecond: (requests[0] as { rate: number }).rate,
      count: requests.length,
      now,
      horizonMs: this.maxWaitMs,
    });
    this.busyUntil.set(key, lease.nextFreeAt);
    return requests.map((_, i) => {
      const slot = lease.slots[i];
      return slot === undefined ? { retryAt: Math.max(lease.nextFreeAt, now + this.maxWaitMs) } : { slot };
    });
  }

  private async countSeats(portfolioId: string, requests: { recipient: string; limit: number }[]): Promise<({ ok: true } | { ok: false; earliestAt: number })[]> {
    const answer: ReachAnswer = await this.options.limiter.countRecipients({
      portfolioId,
      recipients: requests.map((r) => r.recipient),
      limit: Math.min(...requests.map((r) => r.limit)),
      now: this.options.clock(),
    });
    const refused = new Set(answer.refused);
    return requests.map((r) => (refused.has(r.recipient) ? { ok: false as const, earliestAt: answer.earliestAt ?? this.options.clock() } : { ok: true as const }));
  }
}
