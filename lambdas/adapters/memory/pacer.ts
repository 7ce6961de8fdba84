import type { Clock } from '../../domain/clock';
import type { Pacer } from '../../ports/pacer';

export interface InMemoryPacerOptions {
  /** Messages per second for each sending account in this process. */
  ratePerSecond: number;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** A slot further away than this is not waited for: the job is deferred instead. */
  maxWaitMs?: number;
  /**
   * Share of the rate left unused (default 2 %). Meta counts messages per second; network jitter can
   * carry a message sent at the end of one second into the next, and the headroom absorbs it.
   */
  headroom?: number;
}

/**
 * Spaces sends evenly (1/rate apart) per account, and per recipient by `pairGapMs`. Reservation is
 * synchronous, so concurrent sends in one process never share a slot. One process only (the
 * `bench:send` benchmark): the Lambda sender and the local stack pace through the shared limiter
 * (lambdas/send/shared-pacer.ts), which holds across instances.
 */
export class InMemoryPacer implements Pacer {
  private readonly nextAt = new Map<string, number>();
  private readonly pairNextAt = new Map<string, number>();

  constructor(private readonly options: InMemoryPacerOptions) {}

  async acquire({ accountId, recipient, pairGapMs }: { accountId: string; recipient: string; pairGapMs?: number }) {
    const now = this.options.clock();
    const pairKey = `${accountId}#${recipient}`;
    const slot = Math.max(now, this.nextAt.get(accountId) ?? 0, pairGapMs ? (this.pairNextAt.get(pairKey) ?? 0) : 0);
    if (slot - now > (this.options.maxWaitMs ?? 2000)) return { ok: false as const, retryAfterMs: slot - now };
    this.nextAt.set(accountId, slot + 1000 / (this.options.ratePerSecond * (1 - (this.options.headroom ?? 0.02))));
    if (pairGapMs) this.pairNextAt.set(pairKey, slot + pairGapMs);
    if (slot > now) await this.options.sleep(slot - now);
    return { ok: true as const };
  }

  backOff(accountId: string, forMs: number): void {
    this.nextAt.set(accountId, Math.max(this.nextAt.get(accountId) ?? 0, this.options.clock() + forMs));
  }
}
