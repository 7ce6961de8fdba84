/**
 * The OccurrenceStore contract: what the dispatcher's leases, hand-overs and resumption rely on. Run
 * against the DynamoDB adapter on dynalite (integration project) and the in-memory adapter (unit
 * project).
 *
 * Port level only: no keys. Time is the `now` each call takes. Each test uses a campaign id of its
 * own, so a subject may share one table.
 */
import { randomUUID } from 'node:crypto';
import type { AcquireRequest, LeaseResult, Occurrence, OccurrenceStore, PageUpdate } from '../../lambdas/ports/occurrence-store';
import { type Campaign, CampaignSchema } from '../../lambdas/schemas/campaign';
import { loadEvent } from '../helpers/events';

const T0 = Date.UTC(2026, 4, 18, 8);
const LEASE_MS = 60_000;
const KEY = '2026-05-18T08:00:00.000Z';

const definition = (id: string, name = 'Weekly deals'): Campaign => ({ ...CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json')), id, name });

const page = (changes: Partial<PageUpdate> = {}): PageUpdate => ({
  pages: 1,
  cursor: 'cursor-1',
  counts: { audience: 100, enqueued: 90, notDue: 0, skipped: { quiet_hours: 10 } },
  costByCurrency: { EUR: 9.5 },
  status: 'running',
  now: T0 + 1000,
  leaseUntil: T0 + 1000 + LEASE_MS,
  ...changes,
});

export const describeOccurrenceStoreContract = (name: string, makeStore: () => OccurrenceStore | Promise<OccurrenceStore>): void => {
  describe(`OccurrenceStore contract: ${name}`, () => {
    let store: OccurrenceStore;
    let campaignId: string;
    beforeEach(async () => {
      store = await makeStore();
      campaignId = `contract-${randomUUID().slice(0, 8)}`;
    });

    /** A firing's request (creates when absent); pass `create: undefined` for a continuation. */
    const request = (changes: Partial<AcquireRequest> = {}): AcquireRequest => ({
      campaignId,
      occurrenceKey: KEY,
      firingAt: T0,
      now: T0,
      leaseMs: LEASE_MS,
      create: definition(campaignId),
      ...changes,
    });

    const continuation = (changes: Partial<AcquireRequest> = {}): AcquireRequest => request({ create: undefined, ...changes });

    /** Acquires a lease that must be granted. */
    const leased = async (changes: Partial<AcquireRequest> = {}): Promise<Extract<LeaseResult, { acquired: true }>> => {
      const lease = await store.acquire(request(changes));
      if (!lease.acquired) throw new Error(`expected the lease, found ${JSON.stringify(lease.occurrence)}`);
      return lease;
    };

    const read = async (occurrenceKey = KEY): Promise<Occurrence> => {
      const found = await store.get(campaignId, occurrenceKey);
      if (!found) throw new Error(`no occurrence ${campaignId}/${occurrenceKey}`);
      return found;
    };

    describe('acquire', () => {
      it("creates a firing's occurrence running, empty, holding the lease, with the definition it started with", async () => {
        const lease = await leased();

        expect(lease.occurrence).toEqual({
          campaignId,
          occurrenceKey: KEY,
          firingAt: T0,
          status: 'running',
          startedAt: T0,
          updatedAt: T0,
          pages: 0,
          counts: { audience: 0, enqueued: 0, notDue: 0, skipped: {} },
          costByCurrency: {},
          leaseUntil: T0 + LEASE_MS,
          campaign: definition(campaignId),
        });
        expect(typeof lease.leaseToken).toBe('string');
        expect(lease.leaseToken.length).toBeGreaterThan(0);
        expect(await read()).toEqual(lease.occurrence);
      });

      it('never shows the lease token on an occurrence it answers with', async () => {
        const lease = await leased();
        const refused = await store.acquire(request({ now: T0 + 1 }));

        for (const occurrence of [lease.occurrence, refused.occurrence, await read(), ...(await store.list(campaignId, 10))]) {
          expect(occurrence).not.toHaveProperty('leaseToken');
          expect(JSON.stringify(occurrence)).not.toContain(lease.leaseToken);
        }
      });

      it('creates nothing for a continuation of an occurrence that does not exist', async () => {
        expect(await store.acquire(continuation())).toEqual({ acquired: false, occurrence: undefined });
        expect(await store.get(campaignId, KEY)).toBeUndefined();
      });

      it('refuses a repeated firing while the lease lives, answering with the occurrence as first created', async () => {
        await leased();

        const again = await store.acquire(request({ now: T0 + LEASE_MS - 1, create: definition(campaignId, 'Edited since') }));

        expect(again).toMatchObject({ acquired: false, occurrence: { status: 'running', startedAt: T0, campaign: { name: 'Weekly deals' } } });
        expect((await store.acquire(continuation({ now: T0 + LEASE_MS - 1 }))).acquired).toBe(false);
      });

      it('lets exactly one of concurrent firings create the occurrence', async () => {
        const results = await Promise.all(Array.from({ length: 4 }, () => store.acquire(request())));

        expect(results.filter((r) => r.acquired)).toHaveLength(1);
      });

      it('takes over an expired lease with a fresh token and a renewed expiry, keeping the progress; the old holder can no longer save', async () => {
        const first = await leased();
        expect(await store.savePage(campaignId, KEY, first.leaseToken, page())).toBe(true);
        const expiry = T0 + 1000 + LEASE_MS;

        const takeover = await store.acquire(continuation({ now: expiry }));

        if (!takeover.acquired) throw new Error('an expired lease must be taken over');
        expect(takeover.leaseToken).not.toBe(first.leaseToken);
        expect(takeover.occurrence).toMatchObject({
          status: 'running',
          leaseUntil: expiry + LEASE_MS,
          updatedAt: expiry,
          startedAt: T0,
          pages: 1,
          cursor: 'cursor-1',
          counts: page().counts,
          costByCurrency: { EUR: 9.5 },
        });
        expect(await store.savePage(campaignId, KEY, first.leaseToken, page({ pages: 2, now: expiry + 1 }))).toBe(false);
        expect(await store.savePage(campaignId, KEY, takeover.leaseToken, page({ pages: 2, now: expiry + 1 }))).toBe(true);
      });

      it('counts a lease live until its expiry, and free from that instant', async () => {
        await leased();

        expect((await store.acquire(continuation({ now: T0 + LEASE_MS - 1 }))).acquired).toBe(false);
        expect((await store.acquire(continuation({ now: T0 + LEASE_MS }))).acquired).toBe(true);
      });

      it('lets a repeated firing take over an expired lease too, without re-creating the occurrence', async () => {
        const first = await leased();
        await store.savePage(campaignId, KEY, first.leaseToken, page());

        const retry = await store.acquire(request({ now: T0 + 10 * LEASE_MS, create: definition(campaignId, 'Edited since') }));

        expect(retry).toMatchObject({ acquired: true, occurrence: { pages: 1, startedAt: T0, campaign: { name: 'Weekly deals' } } });
      });

      it('lets exactly one of concurrent takeovers of an expired lease win', async () => {
        await leased();

        const results = await Promise.all(Array.from({ length: 4 }, () => store.acquire(continuation({ now: T0 + 2 * LEASE_MS }))));

        expect(results.filter((r) => r.acquired)).toHaveLength(1);
      });

      it('hands the lease over once, before it expires, to whoever carries its token', async () => {
        const first = await leased();

        const handedOver = await store.acquire(continuation({ now: T0 + 1000, handoverToken: first.leaseToken }));
        const again = await store.acquire(continuation({ now: T0 + 2000, handoverToken: first.leaseToken }));
        const madeUp = await store.acquire(continuation({ now: T0 + 2000, handoverToken: 'made-up' }));

        if (!handedOver.acquired) throw new Error('the handover token must take the lease over');
        expect(handedOver.leaseToken).not.toBe(first.leaseToken);
        expect(handedOver.occurrence.leaseUntil).toBe(T0 + 1000 + LEASE_MS);
        expect(again.acquired).toBe(false);
        expect(madeUp.acquired).toBe(false);
        expect(await store.savePage(campaignId, KEY, first.leaseToken, page())).toBe(false);
      });

      it('never takes a done or a stopped occurrence: not by expiry, not by handover, not by a new firing', async () => {
        for (const [occurrenceKey, finish] of [
          ['2026-05-18T08:00:00.000Z', { status: 'done', cursor: undefined, leaseUntil: 0 }],
          ['2026-05-19T08:00:00.000Z', { status: 'stopped', stopReason: 'campaign_deleted', leaseUntil: 0 }],
          ['2026-05-20T08:00:00.000Z', { status: 'done', cursor: undefined, leaseUntil: T0 + 5 * LEASE_MS }],
        ] as const) {
          const lease = await leased({ occurrenceKey });
          expect(await store.savePage(campaignId, occurrenceKey, lease.leaseToken, page(finish))).toBe(true);

          for (const later of [T0 + 2000, T0 + 10 * LEASE_MS, T0 + 365 * 24 * 3_600_000]) {
            const byFiring = await store.acquire(request({ occurrenceKey, now: later }));
            expect(byFiring).toMatchObject({ acquired: false, occurrence: { status: finish.status } });
            expect((await store.acquire(continuation({ occurrenceKey, now: later, handoverToken: lease.leaseToken }))).acquired).toBe(false);
          }
          expect((await read(occurrenceKey)).status).toBe(finish.status);
        }
      });

      it('takes a paused occurrence back to running once its lease is free', async () => {
        const lease = await leased();
        expect(await store.savePage(campaignId, KEY, lease.leaseToken, page({ status: 'paused', leaseUntil: 0 }))).toBe(true);

        const resumed = await store.acquire(continuation({ now: T0 + 2000 }));

        expect(resumed).toMatchObject({ acquired: true, occurrence: { status: 'running', pages: 1, cursor: 'cursor-1', leaseUntil: T0 + 2000 + LEASE_MS } });
      });
    });

    describe('savePage', () => {
      it("saves a page's progress under the lease and renews it", async () => {
        const lease = await leased();

        expect(await store.savePage(campaignId, KEY, lease.leaseToken, page())).toBe(true);

        expect(await read()).toEqual({
          ...lease.occurrence,
          pages: 1,
          cursor: 'cursor-1',
          counts: { audience: 100, enqueued: 90, notDue: 0, skipped: { quiet_hours: 10 } },
          costByCurrency: { EUR: 9.5 },
          status: 'running',
          updatedAt: T0 + 1000,
          leaseUntil: T0 + 1000 + LEASE_MS,
        });
        // The renewed lease holds past the first expiry.
        expect((await store.acquire(continuation({ now: T0 + LEASE_MS }))).acquired).toBe(false);
      });

      it('refuses a page without the lease token, or for an occurrence that does not exist, and changes nothing', async () => {
        const lease = await leased();
        const before = await read();

        expect(await store.savePage(campaignId, KEY, 'made-up', page())).toBe(false);
        expect(await store.savePage(campaignId, '2026-05-21T08:00:00.000Z', lease.leaseToken, page())).toBe(false);

        expect(await read()).toEqual(before);
        expect(await store.get(campaignId, '2026-05-21T08:00:00.000Z')).toBeUndefined();
      });

      it('finishes an occurrence: done with its end time, the cursor gone, the lease released', async () => {
        const lease = await leased();
        await store.savePage(campaignId, KEY, lease.leaseToken, page());

        expect(await store.savePage(campaignId, KEY, lease.leaseToken, page({ pages: 2, cursor: undefined, status: 'done', now: T0 + 2000, leaseUntil: 0 }))).toBe(true);

        const done = await read();
        expect(done).toMatchObject({ status: 'done', pages: 2, finishedAt: T0 + 2000, updatedAt: T0 + 2000, leaseUntil: 0 });
        expect(done).not.toHaveProperty('cursor');
      });

      it('records why a stopped occurrence stopped; a later save without a reason clears it', async () => {
        const lease = await leased();

        await store.savePage(campaignId, KEY, lease.leaseToken, page({ status: 'stopped', stopReason: 'recipient_cap', now: T0 + 2000 }));
        expect(await read()).toMatchObject({ status: 'stopped', stopReason: 'recipient_cap', finishedAt: T0 + 2000 });

        const other = await leased({ occurrenceKey: '2026-05-19T08:00:00.000Z' });
        await store.savePage(campaignId, '2026-05-19T08:00:00.000Z', other.leaseToken, page({ stopReason: 'recipient_cap' }));
        await store.savePage(campaignId, '2026-05-19T08:00:00.000Z', other.leaseToken, page({ pages: 2 }));
        const running = await read('2026-05-19T08:00:00.000Z');
        expect(running).not.toHaveProperty('stopReason');
        expect(running).not.toHaveProperty('finishedAt');
      });

      it('saves a hold with the page; any later save without one clears it', async () => {
        const lease = await leased();
        const held = { until: T0 + 15 * LEASE_MS, reason: 'page_restricted', account: 'messenger#1234567890123456' };

        await store.savePage(campaignId, KEY, lease.leaseToken, page({ held, leaseUntil: held.until + LEASE_MS }));
        expect(await read()).toMatchObject({ status: 'running', heldUntil: held.until, heldReason: 'page_restricted', heldAccount: held.account, leaseUntil: held.until + LEASE_MS });
        // The hold keeps the lease: a repeated firing meanwhile finds it live.
        expect((await store.acquire(request({ now: held.until }))).acquired).toBe(false);

        const woken = await store.acquire(continuation({ now: held.until, handoverToken: lease.leaseToken }));
        if (!woken.acquired) throw new Error('the continuation carrying the lease must take it over');
        expect(woken.occurrence).toMatchObject({ heldUntil: held.until });
        await store.savePage(campaignId, KEY, woken.leaseToken, page({ pages: 2, now: held.until + 1000, leaseUntil: held.until + 1000 + LEASE_MS }));

        const cleared = await read();
        for (const gone of ['heldUntil', 'heldReason', 'heldAccount']) expect(cleared).not.toHaveProperty(gone);
      });

      it('hands out copies: changing a returned occurrence changes nothing stored', async () => {
        const lease = await leased();
        lease.occurrence.counts.enqueued = 999;
        const got = await read();
        got.costByCurrency.EUR = 1;
        got.campaign.name = 'changed';

        expect(await read()).toMatchObject({ counts: { enqueued: 0 }, costByCurrency: {}, campaign: { name: 'Weekly deals' } });
      });
    });

    describe('get and list', () => {
      it('answers undefined for an occurrence that does not exist', async () => {
        expect(await store.get(campaignId, KEY)).toBeUndefined();
      });

      it("lists a campaign's occurrences newest first, up to the limit, and no other campaign's", async () => {
        for (const day of [19, 18, 21, 20]) await leased({ occurrenceKey: new Date(Date.UTC(2026, 4, day, 8)).toISOString() });
        const otherId = `${campaignId}-other`;
        await store.acquire({ ...request(), campaignId: otherId, occurrenceKey: '2026-05-22T08:00:00.000Z', create: definition(otherId) });

        const listed = await store.list(campaignId, 3);

        expect(listed.map((o) => o.occurrenceKey)).toEqual(['2026-05-21T08:00:00.000Z', '2026-05-20T08:00:00.000Z', '2026-05-19T08:00:00.000Z']);
        expect(listed[0]).toEqual(await read('2026-05-21T08:00:00.000Z'));
        expect((await store.list(campaignId, 10)).map((o) => o.occurrenceKey)).toHaveLength(4);
        expect(await store.list(`${campaignId}-none`, 10)).toEqual([]);
      });
    });

    describe('saveFunnel', () => {
      const counts = (jobs: number, at: number) => ({ jobs, pending: 0, sent: jobs - 1, delivered: jobs - 2, read: 1, failed: 1, skippedAtSend: { quiet_hours: 0 }, unknown: 0, at });

      it('keeps a count on the occurrence, where get and list show it, leaving its progress be', async () => {
        const lease = await leased();
        expect(await store.savePage(campaignId, KEY, lease.leaseToken, page())).toBe(true);
        const before = await read();

        expect(await store.saveFunnel(campaignId, KEY, counts(50, T0 + 1))).toBe(true);

        expect(await read()).toEqual({ ...before, funnel: counts(50, T0 + 1) });
        expect((await store.list(campaignId, 1))[0]?.funnel).toEqual(counts(50, T0 + 1));
        // The lease still holds: the holder saves its next page.
        expect(await store.savePage(campaignId, KEY, lease.leaseToken, page({ pages: 2 }))).toBe(true);
        expect((await read()).funnel).toEqual(counts(50, T0 + 1));
      });

      it('replaces a count by one of as many jobs or more, never by one of fewer (outbox records expired)', async () => {
        await leased();
        expect(await store.saveFunnel(campaignId, KEY, counts(50, T0 + 1))).toBe(true);
        expect(await store.saveFunnel(campaignId, KEY, counts(50, T0 + 2))).toBe(true);
        expect(await store.saveFunnel(campaignId, KEY, counts(60, T0 + 3))).toBe(true);

        expect(await store.saveFunnel(campaignId, KEY, counts(10, T0 + 4))).toBe(false);

        expect((await read()).funnel).toEqual(counts(60, T0 + 3));
      });

      it('creates nothing for an occurrence that does not exist', async () => {
        expect(await store.saveFunnel(campaignId, KEY, counts(5, T0))).toBe(false);
        expect(await store.get(campaignId, KEY)).toBeUndefined();
      });
    });
  });
};
