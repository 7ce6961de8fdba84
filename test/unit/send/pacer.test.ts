/** Interface under test: InMemoryPacer, the per-account rate and WhatsApp pair-rate gate, with an injected clock. */
import { InMemoryPacer } from '../../../lambdas/adapters/memory/pacer';

const fakeTime = () => {
  const t = { now: 0, slept: [] as number[] };
  return {
    t,
    clock: () => t.now,
    sleep: (ms: number) => {
      t.slept.push(ms);
      t.now += ms;
      return Promise.resolve();
    },
  };
};

describe('InMemoryPacer', () => {
  it('spaces sends of one account 1/rate apart: 80 per second', async () => {
    const { t, clock, sleep } = fakeTime();
    const pacer = new InMemoryPacer({ ratePerSecond: 80, clock, sleep, headroom: 0 });
    for (let i = 0; i < 160; i += 1) expect((await pacer.acquire({ accountId: 'a', recipient: `r${i}` })).ok).toBe(true);
    // 160 sends take 159 intervals of 12.5 ms: within the second they started, 80 went out.
    expect(t.now).toBeCloseTo(159 * 12.5, 5);
  });

  it('leaves 2 % of the rate unused by default, so no calendar second ever holds more than 79 of 80', async () => {
    const { t, clock, sleep } = fakeTime();
    const pacer = new InMemoryPacer({ ratePerSecond: 80, clock, sleep });
    const times: number[] = [];
    for (let i = 0; i < 400; i += 1) {
      await pacer.acquire({ accountId: 'a', recipient: `r${i}` });
      times.push(t.now);
    }
    const perSecond = new Map<number, number>();
    for (const at of times) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBe(79);
  });

  it('keeps accounts apart', async () => {
    const { t, clock, sleep } = fakeTime();
    const pacer = new InMemoryPacer({ ratePerSecond: 1, clock, sleep });
    await pacer.acquire({ accountId: 'a', recipient: 'x' });
    await pacer.acquire({ accountId: 'b', recipient: 'x' });
    expect(t.now).toBe(0);
  });

  it('holds a second message to the same person 6 s back, deferring instead of waiting that long', async () => {
    const { clock, sleep } = fakeTime();
    const pacer = new InMemoryPacer({ ratePerSecond: 80, clock, sleep, maxWaitMs: 2000 });
    expect(await pacer.acquire({ accountId: 'a', recipient: 'r', pairGapMs: 6000 })).toEqual({ ok: true });
    expect(await pacer.acquire({ accountId: 'a', recipient: 'r', pairGapMs: 6000 })).toEqual({ ok: false, retryAfterMs: 6000 });
    expect(await pacer.acquire({ accountId: 'a', recipient: 'other', pairGapMs: 6000 })).toEqual({ ok: true });
  });

  it('backs the account off when Meta says slow down', async () => {
    const { clock, sleep } = fakeTime();
    const pacer = new InMemoryPacer({ ratePerSecond: 80, clock, sleep, maxWaitMs: 2000 });
    pacer.backOff('a', 5000);
    expect(await pacer.acquire({ accountId: 'a', recipient: 'r' })).toEqual({ ok: false, retryAfterMs: 5000 });
  });
});
