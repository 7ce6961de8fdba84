/**
 * The OccurrenceStore's fan-out contract: fanned-out occurrences, their segments' leases and pages,
 * the summed view, and the caps' reservations. Run against the DynamoDB adapter on dynalite
 * (integration project) and the in-memory adapter (unit project). Port level only: no keys.
 */
import { randomUUID } from 'node:crypto';
import type { OccurrencePlan, OccurrenceStore, PageUpdate, SegmentAcquireRequest, StartRequest } from '../../lambdas/ports/occurrence-store';
import { type Campaign, CampaignSchema } from '../../lambdas/schemas/campaign';
import { loadEvent } from './events';

const T0 = Date.UTC(2026, 4, 18, 8);
const LEASE_MS = 60_000;
const KEY = '2026-05-18T08:00:00.000Z';
const PLAN: OccurrencePlan = { segments: 3, shards: 16 };

const definition = (id: string): Campaign => ({ ...CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json')), id });

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

export const describeOccurrenceSegmentsContract = (name: string, makeStore: () => OccurrenceStore | Promise<OccurrenceStore>): void => {
  describe(`OccurrenceStore fan-out contract: ${name}`, () => {
    let store: OccurrenceStore;
    let campaignId: string;
    beforeEach(async () => {
      store = await makeStore();
      campaignId = `fanout-${randomUUID().slice(0, 8)}`;
    });

    const start = (changes: Partial<StartRequest> = {}) =>
      store.start({ campaignId, occurrenceKey: KEY, firingAt: T0, now: T0, campaign: definition(campaignId), plan: PLAN, ...changes });
    const acquire = (segment: number, changes: Partial<SegmentAcquireRequest> = {}) =>
      store.acquireSegment({ campaignId, occurrenceKey: KEY, segment, now: T0, leaseMs: LEASE_MS, ...changes });
    const leased = async (segment: number, changes: Partial<SegmentAcquireRequest> = {}) => {
      const lease = await acquire(segment, changes);
      if (!lease.acquired) throw new Error(`expected segment ${segment}'s lease, found ${JSON.stringify(lease.segment)}`);
      return lease;
    };
    const ref = (segment: number) => ({ campaignId, occurrenceKey: KEY, segment });
    const read = async () => {
      const found = await store.get(campaignId, KEY);
      if (found === undefined) throw new Error('no occurrence');
      return found;
    };

    it('creates a fanned-out occurrence once, without a lease, with its plan and nothing reserved', async () => {
      const first = await start();
      expect(first.created).toBe(true);
      expect(first.occurrence).toMatchObject({ status: 'running', plan: PLAN, pages: 0, counts: { audience: 0, enqueued: 0 }, reserved: { recipients: 0, costUnits: 0 } });
      expect(first.occurrence.leaseUntil).toBeUndefined();
      const again = await start({ now: T0 + 5000, plan: { segments: 9, shards: 16 } });
      expect(again).toMatchObject({ created: false, occurrence: { startedAt: T0, plan: PLAN } });
      // A whole-occurrence lease is no one's: its segments hold theirs.
      expect(await store.acquire({ campaignId, occurrenceKey: KEY, firingAt: T0, now: T0 + 10 * LEASE_MS, leaseMs: LEASE_MS })).toMatchObject({ acquired: false });
    });

    it('leases each segment to one worker: created on first acquire, refused while live, taken over when expired or handed over', async () => {
      await start();
      const lease = await leased(1);
      expect(lease.segment).toMatchObject({ segment: 1, status: 'running', pages: 0, leaseUntil: T0 + LEASE_MS });
      expect(lease.occurrence).toMatchObject({ plan: PLAN, campaign: { id: campaignId } });
      expect(await acquire(1, { now: T0 + 1000 })).toMatchObject({ acquired: false, segment: { segment: 1, status: 'running' } });
      // Its holder hands it over: the token serves once.
      const handed = await leased(1, { now: T0 + 2000, handoverToken: lease.leaseToken });
      expect(await acquire(1, { now: T0 + 3000, handoverToken: lease.leaseToken })).toMatchObject({ acquired: false });
      expect(await store.saveSegmentPage(ref(1), lease.leaseToken, page())).toBe(false);
      expect(await store.saveSegmentPage(ref(1), handed.leaseToken, page())).toBe(true);
      // Expired: anyone takes over, keeping the progress.
      const taken = await leased(1, { now: T0 + 1000 + LEASE_MS });
      expect(taken.segment).toMatchObject({ pages: 1, cursor: 'cursor-1', counts: { enqueued: 90 } });
      expect(await store.saveSegmentPage(ref(1), handed.leaseToken, page({ pages: 2 }))).toBe(false);
    });

    it('lets exactly one of concurrent acquirers take a segment', async () => {
      await start();
      const leases = await Promise.all(Array.from({ length: 5 }, () => acquire(2)));
      expect(leases.filter((l) => l.acquired)).toHaveLength(1);
    });

    it('leases no segment outside the plan, nor of an occurrence that does not exist', async () => {
      await start();
      expect(await acquire(3)).toMatchObject({ acquired: false, segment: undefined });
      expect(await store.acquireSegment({ campaignId, occurrenceKey: '2026-05-18T09:00:00.000Z', segment: 0, now: T0, leaseMs: LEASE_MS })).toEqual({
        acquired: false,
        occurrence: undefined,
        segment: undefined,
      });
    });

    it('never takes a finished segment, and takes a paused one back once its lease is free', async () => {
      await start();
      const done = await leased(0);
      await store.saveSegmentPage(ref(0), done.leaseToken, page({ status: 'done', cursor: undefined, leaseUntil: 0, now: T0 + 2000 }));
      expect(await acquire(0, { now: T0 + 10 * LEASE_MS, handoverToken: done.leaseToken })).toMatchObject({ acquired: false, segment: { status: 'done', finishedAt: T0 + 2000 } });
      const paused = await leased(1);
      await store.saveSegmentPage(ref(1), paused.leaseToken, page({ status: 'paused', leaseUntil: 0 }));
      expect(await leased(1, { now: T0 + 3000 })).toMatchObject({ segment: { status: 'running', pages: 1 } });
    });

    it('sums the segments into the occurrence: running until every one is created and finished, paused once all unfinished are', async () => {
      await start();
      const leases = [await leased(0), await leased(1)];
      await store.saveSegmentPage(ref(0), leases[0]?.leaseToken ?? '', page({ status: 'done', cursor: undefined, leaseUntil: 0, now: T0 + 4000 }));
      await store.saveSegmentPage(
        ref(1),
        leases[1]?.leaseToken ?? '',
        page({ pages: 2, counts: { audience: 50, enqueued: 40, notDue: 1, skipped: { quiet_hours: 2, frequency_cap: 7 } }, costByCurrency: { EUR: 0.1131 } }),
      );
      const running = await read();
      expect(running).toMatchObject({
        status: 'running',
        pages: 3,
        counts: { audience: 150, enqueued: 130, notDue: 1, skipped: { quiet_hours: 12, frequency_cap: 7 } },
        costByCurrency: { EUR: 9.6131 },
      });
      expect(running.segments?.map((s) => s.segment)).toEqual([0, 1]);
      const third = await leased(2);
      await store.saveSegmentPage(ref(1), leases[1]?.leaseToken ?? '', page({ status: 'paused', leaseUntil: 0 }));
      await store.saveSegmentPage(ref(2), third.leaseToken, page({ status: 'paused', leaseUntil: 0 }));
      expect((await read()).status).toBe('paused');
      const resumed = await leased(2, { now: T0 + 5000 });
      await store.saveSegmentPage(ref(2), resumed.leaseToken, page({ status: 'done', cursor: undefined, leaseUntil: 0, stopReason: 'recipient_cap', now: T0 + 9000 }));
      const again = await leased(1, { now: T0 + 5000 });
      await store.saveSegmentPage(ref(1), again.leaseToken, page({ status: 'done', cursor: undefined, leaseUntil: 0, now: T0 + 7000 }));
      expect(await read()).toMatchObject({ status: 'done', stopReason: 'recipient_cap', finishedAt: T0 + 9000 });
      // Listed the same way, next to an occurrence of one worker.
      await store.acquire({ campaignId, occurrenceKey: '2026-05-18T07:00:00.000Z', firingAt: T0 - 3_600_000, now: T0, leaseMs: LEASE_MS, create: definition(campaignId), plan: { segments: 1, shards: 16 } });
      const listed = await store.list(campaignId, 10);
      expect(listed.map((o) => [o.occurrenceKey, o.status, o.counts.audience])).toEqual([
        [KEY, 'done', 300],
        ['2026-05-18T07:00:00.000Z', 'running', 0],
      ]);
      expect(listed[1]?.plan).toEqual({ segments: 1, shards: 16 });
      expect(listed[1]?.segments).toBeUndefined();
    });

    it('stops the occurrence when a segment stopped, and shows a segment’s hold', async () => {
      await start();
      const held = await leased(0);
      await store.saveSegmentPage(ref(0), held.leaseToken, page({ held: { until: T0 + 900_000, reason: 'page_restricted', account: 'messenger#1' }, leaseUntil: T0 + 960_000 }));
      expect(await read()).toMatchObject({ status: 'running', heldUntil: T0 + 900_000, heldReason: 'page_restricted', heldAccount: 'messenger#1' });
      for (const s of [0, 1, 2]) {
        const lease = await leased(s, { now: T0 + 10_000_000 });
        await store.saveSegmentPage(ref(s), lease.leaseToken, page({ status: s === 1 ? 'stopped' : 'done', stopReason: s === 1 ? 'campaign_deleted' : undefined, leaseUntil: 0 }));
      }
      expect(await read()).toMatchObject({ status: 'stopped', stopReason: 'campaign_deleted' });
    });

    it('reserves within the caps, refuses past them with the totals, and hands a page that asks again its first grant', async () => {
      await start();
      const limits = { recipients: 100, costUnits: 50_000 };
      const reserve = (segment: number, pageNo: number, recipients: number, costUnits = 0) =>
        store.reserve({ ...ref(segment), page: pageNo, take: { recipients, costUnits }, limits });
      expect(await reserve(0, 0, 60, 30_000)).toEqual({ granted: true, grant: { recipients: 60, costUnits: 30_000 }, reserved: { recipients: 60, costUnits: 30_000 } });
      expect(await reserve(1, 0, 41)).toEqual({ granted: false, reserved: { recipients: 60, costUnits: 30_000 } });
      expect(await reserve(1, 0, 30, 20_001)).toEqual({ granted: false, reserved: { recipients: 60, costUnits: 30_000 } });
      expect(await reserve(1, 0, 40, 20_000)).toMatchObject({ granted: true, reserved: { recipients: 100, costUnits: 50_000 } });
      // Segment 0's page 0 runs again (its worker stopped before saving it): the same grant, nothing more.
      expect(await reserve(0, 0, 60, 30_000)).toEqual({ granted: true, grant: { recipients: 60, costUnits: 30_000 }, reserved: { recipients: 100, costUnits: 50_000 } });
      expect((await read()).reserved).toEqual({ recipients: 100, costUnits: 50_000 });
    });

    it('gives a grant’s unused part back once, with the segment’s next reservation', async () => {
      await start();
      const limits = { recipients: 10 };
      await store.reserve({ ...ref(0), page: 0, take: { recipients: 6, costUnits: 0 }, limits });
      await store.reserve({ ...ref(1), page: 0, take: { recipients: 4, costUnits: 0 }, limits });
      // Segment 0's page 0 sent 4 of its 6: page 1 gives 2 back and takes 2.
      const release = { page: 0, recipients: 2, costUnits: 0 };
      expect(await store.reserve({ ...ref(0), page: 1, take: { recipients: 2, costUnits: 0 }, limits, release })).toMatchObject({ granted: true, reserved: { recipients: 10 } });
      // Asked again with the same release: page 1's grant, nothing given back twice.
      expect(await store.reserve({ ...ref(0), page: 1, take: { recipients: 2, costUnits: 0 }, limits, release })).toMatchObject({ granted: true, grant: { recipients: 2 }, reserved: { recipients: 10 } });
      // A release whose grant is no longer the segment's last is not given back.
      expect(await store.reserve({ ...ref(0), page: 2, take: { recipients: 0, costUnits: 0 }, limits: {}, release })).toMatchObject({ granted: true, reserved: { recipients: 10 } });
      expect(await store.reserve({ ...ref(0), page: 3, take: { recipients: 0, costUnits: 0 }, limits: {}, release: { page: 2, recipients: 3, costUnits: 0 } })).toMatchObject({
        granted: true,
        reserved: { recipients: 7 },
      });
    });

    it('never lets concurrent reservations pass a cap', async () => {
      await start();
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => store.reserve({ ...ref(i % 3), page: Math.floor(i / 3), take: { recipients: 7, costUnits: 0 }, limits: { recipients: 50 } })),
      );
      const granted = results.filter((r) => r.granted).length;
      expect(granted).toBe(7);
      expect((await read()).reserved?.recipients).toBe(49);
    });
  });
};
