/**
 * Interface under test: SharedPacer (the Pacer over the shared limiter), on the in-memory limiter
 * with an injected clock: batching of concurrent jobs, waiting vs handing back, pair rate, portfolio
 * limit and back-off across instances.
 */
import { InMemoryLimiterTable, InMemorySendLimiter } from '../../../lambdas/adapters/memory/send-limiter';
import type { PairRequest, ReachPeek, ReachRequest, SendLimiter, SlotRequest } from '../../../lambdas/ports/send-limiter';
import { SharedPacer } from '../../../lambdas/send/shared-pacer';

const T0 = Date.UTC(2026, 4, 17, 12, 0, 0);
const RATES = { whatsapp: 80, messenger: 40, instagram: 40 };

/** A limiter that records its calls, over the in-memory one. */
class CountingLimiter implements SendLimiter {
  readonly slotCalls: SlotRequest[] = [];
  readonly pairCalls: PairRequest[] = [];
  readonly reachCalls: ReachRequest[] = [];
  constructor(private readonly inner: SendLimiter) {}
  takeSlots(r: SlotRequest) {
    this.slotCalls.push(r);
    return this.inner.takeSlots(r);
  }
  backOff(r: { key: string; ratePerSecond: number; until: number }) {
    return this.inner.backOff(r);
  }
  takePair(r: PairRequest) {
    this.pairCalls.push(r);
    return this.inner.takePair(r);
  }
  countRecipients(r: ReachRequest) {
    this.reachCalls.push(r);
    return this.inner.countRecipients(r);
  }
  peekReach(r: ReachPeek) {
    return this.inner.peekReach(r);
  }
}

const setup = (table = new InMemoryLimiterTable(), options: { maxWaitMs?: number; headroom?: number } = {}) => {
  const time = { now: T0, slept: [] as number[] };
  const limiter = new CountingLimiter(new InMemorySendLimiter(table));
  const pacer = new SharedPacer({
    limiter,
    clock: () => time.now,
    // Sleeping doesn't move this clock: jobs that waited are judged by when they were told to send.
    sleep: (ms) => {
      time.slept.push(ms);
      return Promise.resolve();
    },
    defaultRates: RATES,
    ...options,
  });
  return { time, limiter, pacer, table };
};

describe('SharedPacer', () => {
  it('takes the slots of ten concurrent jobs in one limiter call and spaces them 1/rate apart', async () => {
    const { pacer, limiter, time } = setup(undefined, { headroom: 0 });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => pacer.acquire({ accountId: 'a', recipient: `r${i}`, channel: 'whatsapp' })));
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(limiter.slotCalls).toHaveLength(1);
    expect(limiter.slotCalls[0]).toMatchObject({ key: 'a', ratePerSecond: 80, count: 10, now: T0 });
    expect(time.slept.sort((x, y) => x - y)).toEqual(Array.from({ length: 9 }, (_, i) => (i + 1) * 12.5));
  });

  it('paces at the account’s Meta rate when the request names one, less 2 % headroom, and at the channel default otherwise', async () => {
    const { pacer, limiter } = setup();
    await pacer.acquire({ accountId: 'wa', recipient: 'r', channel: 'whatsapp', ratePerSecond: 1000 });
    await pacer.acquire({ accountId: 'page', recipient: 'r', channel: 'messenger' });
    expect(limiter.slotCalls.map((c) => c.ratePerSecond)).toEqual([980, 39.2]);
  });

  it('hands a job back instead of waiting past maxWaitMs, taking no slot for it', async () => {
    const table = new InMemoryLimiterTable();
    const busy = setup(table, { maxWaitMs: 1000 });
    // Another instance has taken every slot of the next second.
    await Promise.all(Array.from({ length: 80 }, (_, i) => busy.pacer.acquire({ accountId: 'a', recipient: `r${i}`, channel: 'whatsapp' })));
    const { pacer } = setup(table, { maxWaitMs: 1000 });
    const answer = await pacer.acquire({ accountId: 'a', recipient: 'late', channel: 'whatsapp' });
    expect(answer).toMatchObject({ ok: false, reason: 'paced' });
    expect((answer as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(1000);
    const stillFree = await new InMemorySendLimiter(table).takeSlots({ key: 'a', ratePerSecond: 78.4, count: 1, now: T0, horizonMs: 2000 });
    expect(stillFree.slots[0]).toBeLessThan(T0 + 1100);
  });

  it('holds a second WhatsApp message to the same person across instances, with a margin on the 6 s', async () => {
    const table = new InMemoryLimiterTable();
    const one = setup(table);
    const two = setup(table);
    expect(await one.pacer.acquire({ accountId: 'a', recipient: 'r', pairGapMs: 6000, channel: 'whatsapp' })).toEqual({ ok: true });
    const again = await two.pacer.acquire({ accountId: 'a', recipient: 'r', pairGapMs: 6000, channel: 'whatsapp' });
    expect(again).toMatchObject({ ok: false, reason: 'pair_rate' });
    expect((again as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(6000);
  });

  it('counts business-initiated sends in the portfolio once per person, in one call per batch, and refuses the one over the limit with when it may go', async () => {
    const { pacer, limiter } = setup();
    const limit = { portfolioId: 'p', limit: 3 };
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((recipient, i) => pacer.acquire({ accountId: `n${i % 2}`, recipient, channel: 'whatsapp', messagingLimit: limit })),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(3);
    const refused = answers.find((a) => !a.ok);
    expect(refused).toMatchObject({ ok: false, reason: 'messaging_limit_reached' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(24 * 3_600_000);
    expect(limiter.reachCalls).toHaveLength(1);
    // No limit named (in-window, or an unlimited tier): nothing is counted.
    await pacer.acquire({ accountId: 'n0', recipient: 'e', channel: 'whatsapp' });
    expect(limiter.reachCalls).toHaveLength(1);
  });

  it('pushes the account’s slots back for every instance when Meta says slow down', async () => {
    const table = new InMemoryLimiterTable();
    const one = setup(table, { maxWaitMs: 1000 });
    await one.pacer.acquire({ accountId: 'a', recipient: 'r0', channel: 'whatsapp' });
    one.pacer.backOff('a', 5000);
    await new Promise((resolve) => setImmediate(resolve));
    const two = setup(table, { maxWaitMs: 1000 });
    expect(await two.pacer.acquire({ accountId: 'a', recipient: 'r1', channel: 'whatsapp' })).toMatchObject({ ok: false, reason: 'paced' });
  });

  it('passes a limiter failure to every job of the batch', async () => {
    const failing: SendLimiter = {
      takeSlots: () => Promise.reject(new Error('throttled')),
      backOff: () => Promise.resolve(),
      takePair: () => Promise.resolve({ ok: true }),
      countRecipients: () => Promise.resolve({ accepted: [], refused: [] }),
      peekReach: () => Promise.resolve({ ok: true }),
    };
    const pacer = new SharedPacer({ limiter: failing, clock: () => T0, sleep: () => Promise.resolve(), defaultRates: RATES });
    const results = await Promise.allSettled([pacer.acquire({ accountId: 'a', recipient: 'x' }), pacer.acquire({ accountId: 'a', recipient: 'y' })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
