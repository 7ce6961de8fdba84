/**
 * The SendLimiter contract: what pacing across sender instances relies on. Run against the DynamoDB
 * adapter on dynalite (integration project) and the in-memory fake (unit project).
 *
 * Port level only: no keys, no item layout. `instance()` makes another limiter on the same storage,
 * as another Lambda instance would be; each test uses accounts and portfolios of its own, so a
 * subject may share one table. Time is the `now` each call takes.
 */
import { randomUUID } from 'node:crypto';
import type { SendLimiter } from '../../lambdas/ports/send-limiter';

const HOUR = 3_600_000;
// Half past: hour buckets and slot lattices must not depend on a round start.
const T0 = Date.UTC(2026, 4, 17, 12, 30, 0, 250);
const EPSILON = 1e-6;

const gaps = (times: readonly number[]): number[] => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - (sorted[i] as number));
};

export const describeSendLimiterContract = (name: string, storage: () => Promise<() => SendLimiter> | (() => SendLimiter)): void => {
  describe(`SendLimiter contract: ${name}`, () => {
    let instance: () => SendLimiter;
    let id: string;
    beforeEach(async () => {
      instance = await storage();
      id = randomUUID().replaceAll('-', '').slice(0, 12);
    });
    const account = (n = 0) => `acct${id}${n}`;
    const portfolio = (n = 0) => `pf${id}${n}`;

    describe('slots', () => {
      it('hands out the slots asked for, 1/rate apart, none before now or beyond the horizon', async () => {
        const lease = await instance().takeSlots({ key: account(), ratePerSecond: 80, count: 10, now: T0, horizonMs: 1000 });
        expect(lease.slots).toHaveLength(10);
        expect(lease.slots).toEqual([...lease.slots].sort((a, b) => a - b));
        expect(lease.slots[0]).toBeGreaterThanOrEqual(T0);
        expect(lease.slots.at(-1)).toBeLessThanOrEqual(T0 + 1000);
        for (const gap of gaps(lease.slots)) expect(gap).toBeGreaterThanOrEqual(12.5 - EPSILON);
        expect(lease.nextFreeAt).toBeGreaterThan(lease.slots.at(-1) as number);
      });

      it('shares the horizon between instances: together they get one rate’s worth, then nothing, told when slots are free again', async () => {
        const [a, b] = [instance(), instance()];
        const first = await a.takeSlots({ key: account(), ratePerSecond: 80, count: 50, now: T0, horizonMs: 1000 });
        const second = await b.takeSlots({ key: account(), ratePerSecond: 80, count: 50, now: T0, horizonMs: 1000 });
        const all = [...first.slots, ...second.slots];
        expect(all.length).toBeGreaterThanOrEqual(80);
        expect(all.length).toBeLessThanOrEqual(81);
        for (const gap of gaps(all)) expect(gap).toBeGreaterThanOrEqual(12.5 - EPSILON);
        const none = await a.takeSlots({ key: account(), ratePerSecond: 80, count: 1, now: T0, horizonMs: 1000 });
        expect(none.slots).toEqual([]);
        expect(none.nextFreeAt).toBeGreaterThan(Math.max(...all));
        expect(none.nextFreeAt).toBeGreaterThan(T0 + 1000 - 12.5);
      });

      it('gives part of a batch when only part fits the horizon', async () => {
        const limiter = instance();
        await limiter.takeSlots({ key: account(), ratePerSecond: 10, count: 8, now: T0, horizonMs: 1000 });
        const rest = await limiter.takeSlots({ key: account(), ratePerSecond: 10, count: 8, now: T0, horizonMs: 1000 });
        // 10 per second: 11 times fit [T0, T0 + 1 s] at most; 8 were taken before.
        expect(rest.slots.length).toBeGreaterThanOrEqual(2);
        expect(rest.slots.length).toBeLessThanOrEqual(3);
      });

      it('1,000 msg/s: eight instances asking at once get every slot of the horizon exactly once, none closer than 1 ms', async () => {
        const limiters = Array.from({ length: 8 }, () => instance());
        const all: number[] = [];
        // An instance tries the two items it believes least busy; two empty rounds in a row: every item is full.
        for (let round = 0, empty = 0; round < 40 && empty < 2; round += 1) {
          const leases = await Promise.all(limiters.map((l) => l.takeSlots({ key: account(), ratePerSecond: 1000, count: 10, now: T0, horizonMs: 500 })));
          const taken = leases.flatMap((l) => l.slots);
          empty = taken.length === 0 ? empty + 1 : 0;
          all.push(...taken);
        }
        expect(new Set(all).size).toBe(all.length);
        for (const gap of gaps(all)) expect(gap).toBeGreaterThanOrEqual(1 - EPSILON);
        expect(all.length).toBeGreaterThanOrEqual(500);
        expect(all.length).toBeLessThanOrEqual(501);
      });

      it('1,000 msg/s: an instance that last saw the account a while ago takes the slots free now, not those behind a backlog another instance built', async () => {
        const [early, busy] = [instance(), instance()];
        await early.takeSlots({ key: account(), ratePerSecond: 1000, count: 10, now: T0, horizonMs: 2000 });
        const backlog = await busy.takeSlots({ key: account(), ratePerSecond: 1000, count: 400, now: T0, horizonMs: 2000 });
        expect(Math.max(...backlog.slots)).toBeGreaterThan(T0 + 500);
        const later = await early.takeSlots({ key: account(), ratePerSecond: 1000, count: 10, now: T0 + 10, horizonMs: 2000 });
        expect(later.slots).toHaveLength(10);
        expect(Math.max(...later.slots)).toBeLessThan(T0 + 100);
      });

      it('never hands out a slot in the past: an account idle for a while starts again at now', async () => {
        const limiter = instance();
        await limiter.takeSlots({ key: account(), ratePerSecond: 80, count: 10, now: T0, horizonMs: 1000 });
        const later = await instance().takeSlots({ key: account(), ratePerSecond: 80, count: 3, now: T0 + 60_000, horizonMs: 1000 });
        expect(later.slots).toHaveLength(3);
        expect(later.slots[0]).toBeGreaterThanOrEqual(T0 + 60_000);
        expect(later.slots[0]).toBeLessThan(T0 + 60_000 + 12.5 + EPSILON);
      });

      it('keeps accounts apart', async () => {
        const limiter = instance();
        await limiter.takeSlots({ key: account(1), ratePerSecond: 80, count: 80, now: T0, horizonMs: 1000 });
        const other = await limiter.takeSlots({ key: account(2), ratePerSecond: 80, count: 1, now: T0, horizonMs: 1000 });
        expect(other.slots[0]).toBeLessThan(T0 + 12.5 + EPSILON);
      });

      it.each([80, 1000])('a back-off (%d msg/s) pushes every slot of the account past its end, for every instance', async (rate) => {
        await instance().backOff({ key: account(), ratePerSecond: rate, until: T0 + 5000 });
        const limiter = instance();
        const soon = await limiter.takeSlots({ key: account(), ratePerSecond: rate, count: 5, now: T0, horizonMs: 1000 });
        expect(soon.slots).toEqual([]);
        expect(soon.nextFreeAt).toBeGreaterThanOrEqual(T0 + 5000);
        const after = await limiter.takeSlots({ key: account(), ratePerSecond: rate, count: 5, now: T0, horizonMs: 10_000 });
        expect(after.slots).toHaveLength(5);
        expect(Math.min(...after.slots)).toBeGreaterThanOrEqual(T0 + 5000);
      });
    });

    describe('pairs', () => {
      it('holds a second message to the same person until the gap has run, to the millisecond', async () => {
        const limiter = instance();
        expect(await limiter.takePair({ key: account(), recipient: 'r1', at: T0, gapMs: 6000 })).toEqual({ ok: true });
        expect(await instance().takePair({ key: account(), recipient: 'r1', at: T0 + 5999, gapMs: 6000 })).toEqual({ ok: false, nextAllowedAt: T0 + 6000 });
        expect(await instance().takePair({ key: account(), recipient: 'r1', at: T0 + 6000, gapMs: 6000 })).toEqual({ ok: true });
      });

      it('keeps other people and other accounts apart', async () => {
        const limiter = instance();
        await limiter.takePair({ key: account(), recipient: 'r1', at: T0, gapMs: 6000 });
        expect(await limiter.takePair({ key: account(), recipient: 'r2', at: T0, gapMs: 6000 })).toEqual({ ok: true });
        expect(await limiter.takePair({ key: account(9), recipient: 'r1', at: T0, gapMs: 6000 })).toEqual({ ok: true });
      });

      it('lets exactly one of two instances asking for the same pair at once through', async () => {
        const answers = await Promise.all([instance(), instance(), instance()].map((l) => l.takePair({ key: account(), recipient: 'r1', at: T0, gapMs: 6000 })));
        expect(answers.filter((a) => a.ok)).toHaveLength(1);
      });
    });

    describe('portfolio reach (unique people per rolling 24 h)', () => {
      const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

      it('counts people up to the limit and refuses the next one until a seat of the rolling 24 h comes free', async () => {
        const limiter = instance();
        expect(await limiter.countRecipients({ portfolioId: portfolio(), recipients: people('a', 5), limit: 5, now: T0 })).toEqual({ accepted: people('a', 5), refused: [] });
        const over = await instance().countRecipients({ portfolioId: portfolio(), recipients: ['b0'], limit: 5, now: T0 + HOUR });
        expect(over.accepted).toEqual([]);
        expect(over.refused).toEqual(['b0']);
        // Meta counts a person for 24 h from delivery: never sooner; the wait is at most a couple of hours longer.
        expect(over.earliestAt).toBeGreaterThan(T0 + 24 * HOUR);
        expect(over.earliestAt).toBeLessThanOrEqual(T0 + 26 * HOUR);
        expect((await limiter.countRecipients({ portfolioId: portfolio(), recipients: ['b0'], limit: 5, now: T0 + 24 * HOUR - 1 })).refused).toEqual(['b0']);
        expect(await instance().countRecipients({ portfolioId: portfolio(), recipients: ['b0'], limit: 5, now: over.earliestAt as number })).toEqual({ accepted: ['b0'], refused: [] });
      });

      it('counts a person once: people already counted are accepted again when the limit is reached, and a batch names each once', async () => {
        const limiter = instance();
        await limiter.countRecipients({ portfolioId: portfolio(), recipients: ['a', 'b', 'a'], limit: 2, now: T0 });
        const again = await instance().countRecipients({ portfolioId: portfolio(), recipients: ['a', 'b', 'c'], limit: 2, now: T0 + 1000 });
        expect(again.accepted.sort()).toEqual(['a', 'b']);
        expect(again.refused).toEqual(['c']);
      });

      it('counts a person sent to again for 24 h from the later send, still as one', async () => {
        const limiter = instance();
        await limiter.countRecipients({ portfolioId: portfolio(), recipients: ['a', 'b'], limit: 2, now: T0 });
        expect((await limiter.countRecipients({ portfolioId: portfolio(), recipients: ['a'], limit: 2, now: T0 + 5 * HOUR })).accepted).toEqual(['a']);
        const c = await instance().countRecipients({ portfolioId: portfolio(), recipients: ['c'], limit: 2, now: T0 + 5 * HOUR });
        expect(c.refused).toEqual(['c']);
        // b's seat comes free a day after T0; a's does not: it was sent to again at T0 + 5 h.
        expect(c.earliestAt).toBeLessThanOrEqual(T0 + 26 * HOUR);
        const later = c.earliestAt as number;
        expect((await instance().countRecipients({ portfolioId: portfolio(), recipients: ['c'], limit: 2, now: later })).accepted).toEqual(['c']);
        const d = await instance().countRecipients({ portfolioId: portfolio(), recipients: ['d'], limit: 2, now: later });
        expect(d.refused).toEqual(['d']);
        expect(d.earliestAt).toBeGreaterThan(T0 + 29 * HOUR);
      });

      it('admits exactly the limit when instances count different people at once', async () => {
        const limiters = [instance(), instance(), instance()];
        const answers = await Promise.all(limiters.map((l, n) => l.countRecipients({ portfolioId: portfolio(), recipients: people(`p${n}-`, 10), limit: 25, now: T0 })));
        expect(answers.reduce((sum, a) => sum + a.accepted.length, 0)).toBe(25);
        expect(answers.reduce((sum, a) => sum + a.refused.length, 0)).toBe(5);
      });

      it('keeps portfolios apart', async () => {
        await instance().countRecipients({ portfolioId: portfolio(1), recipients: people('x', 3), limit: 3, now: T0 });
        expect((await instance().countRecipients({ portfolioId: portfolio(2), recipients: people('x', 3), limit: 3, now: T0 })).accepted).toHaveLength(3);
      });

      it('peeks without counting: room, a person already counted, and a full portfolio answered as counting would', async () => {
        const id = portfolio();
        expect(await instance().peekReach({ portfolioId: id, recipient: 'a0', limit: 2, now: T0 })).toEqual({ ok: true });
        expect(await instance().peekReach({ portfolioId: id, recipient: 'a1', limit: 2, now: T0 })).toEqual({ ok: true });
        // The two peeks took no seat: both people are still admitted, then the portfolio is full.
        expect(await instance().countRecipients({ portfolioId: id, recipients: ['a0', 'a1'], limit: 2, now: T0 + 1000 })).toEqual({ accepted: ['a0', 'a1'], refused: [] });
        expect(await instance().peekReach({ portfolioId: id, recipient: 'a0', limit: 2, now: T0 + 2 * HOUR })).toEqual({ ok: true });
        const peeked = await instance().peekReach({ portfolioId: id, recipient: 'b0', limit: 2, now: T0 + 2 * HOUR });
        const counted = await instance().countRecipients({ portfolioId: id, recipients: ['b0'], limit: 2, now: T0 + 2 * HOUR });
        expect(peeked).toEqual({ ok: false, earliestAt: counted.earliestAt });
        expect(await instance().peekReach({ portfolioId: id, recipient: 'b0', limit: 2, now: peeked.ok ? 0 : peeked.earliestAt })).toEqual({ ok: true });
      });
    });
  });
};
