/**
 * The PendingWork contract, with the Outbox and OccurrenceStore moves that keep it: every pending
 * record is listed at the time it is due and leaves the listing when its work ends, and the
 * sweeper's own moves (postpone, end) hold only while the record is as the sweeper read it; the
 * sweeper itself, on these adapters, judges a claimed job by its claim's deadline. Run against the
 * DynamoDB adapters on dynalite (integration project) and the in-memory ones (unit).
 *
 * Port level only: no keys. Each test uses ids of its own and looks only at its own entries and
 * records, so a subject may share one table (a sweep also handles other tests' leftovers).
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Decision } from '../../lambdas/domain/send/policy-types';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import type { OccurrenceStore, PageUpdate } from '../../lambdas/ports/occurrence-store';
import type { Outbox, OutboxRecord } from '../../lambdas/ports/outbox';
import type { PendingEntry, PendingWork } from '../../lambdas/ports/pending-work';
import { type Campaign, CampaignSchema } from '../../lambdas/schemas/campaign';
import { createSweeper } from '../../lambdas/sweeper/sweep';
import { loadEvent } from '../helpers/events';

const T0 = Date.UTC(2026, 4, 17, 12);
const STALE_MS = 120_000;
const LEASE_MS = 60_000;
const GRACE_MS = 60_000;
const KEY = '2026-05-17T12:00:00.000Z';
const FAR = T0 + 365 * 24 * 3600_000;
const ALLOW: Decision = { outcome: 'allow', route: 'whatsapp.template', pricing: 'marketing', rule: 'whatsapp.template.any_time' };

const intent = (): SendIntent => ({
  channel: 'whatsapp',
  accountId: '109876543210987',
  userId: '4915100000001',
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name: 'weekly_deals', language: 'de' },
});

const page = (changes: Partial<PageUpdate>): PageUpdate => ({
  pages: 1,
  counts: { audience: 1, enqueued: 1, notDue: 0, skipped: {} },
  costByCurrency: {},
  status: 'running',
  now: T0,
  leaseUntil: T0 + LEASE_MS,
  ...changes,
});

export interface PendingWorkSubject {
  pending: PendingWork;
  outbox: Outbox;
  occurrences: OccurrenceStore;
}

export const describePendingWorkContract = (name: string, makeSubject: () => PendingWorkSubject | Promise<PendingWorkSubject>): void => {
  describe(`PendingWork contract: ${name}`, () => {
    let subject: PendingWorkSubject;
    let prefix: string;
    let campaignId: string;
    beforeEach(async () => {
      subject = await makeSubject();
      prefix = `contract-${randomUUID()}`;
      campaignId = `c-${randomUUID().slice(0, 8)}`;
    });

    /** Every entry due before `before`, over every shard and page (pages of `limit`). */
    const dueBefore = async (before: number, limit = 50): Promise<PendingEntry[]> => {
      const all: PendingEntry[] = [];
      for (let shard = 0; shard < subject.pending.shards; shard += 1) {
        let cursor: string | undefined;
        do {
          const found = await subject.pending.dueBefore(shard, before, cursor, limit);
          all.push(...found.entries);
          cursor = found.cursor;
        } while (cursor !== undefined);
      }
      return all;
    };
    /** This test's jobs among the entries due before `before`, as `outboxId → dueAt`. */
    const jobsDue = async (before: number, ids: readonly string[]): Promise<Record<string, number>> =>
      Object.fromEntries((await dueBefore(before)).flatMap((e) => (e.kind === 'outbox' && ids.includes(e.outboxId) ? [[e.outboxId, e.dueAt]] : [])));
    const leasesDue = async (before: number): Promise<PendingEntry[]> =>
      (await dueBefore(before)).filter((e) => e.kind !== 'outbox' && e.campaignId === campaignId);

    const job = async (suffix = 'job', now = T0): Promise<string> =>
      (await subject.outbox.create({ idempotencyKey: `${prefix}#${suffix}`, intent: intent(), now })).record.outboxId;
    const claim = async (outboxId: string, now = T0): Promise<string> => {
      const claimed = await subject.outbox.claim(outboxId, now, STALE_MS);
      if (!claimed.claimed) throw new Error('expected a claim');
      return claimed.claimToken;
    };
    const read = async (outboxId: string): Promise<OutboxRecord> => {
      const record = await subject.outbox.get(outboxId);
      if (!record) throw new Error(`no record ${outboxId}`);
      return record;
    };
    const definition = (): Campaign => ({ ...CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json')), id: campaignId });

    describe('outbox jobs', () => {
      it('lists a queued job at its creation, strictly before the bound only', async () => {
        const id = await job();

        expect(await jobsDue(T0 + 1, [id])).toEqual({ [id]: T0 });
        expect(await jobsDue(T0, [id])).toEqual({});
      });

      it('keeps a claimed job where it was queued, its deadline on the record: neither a claim nor a takeover moves the entry', async () => {
        const id = await job();
        await claim(id, T0 + 5000);

        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 });
        expect((await read(id)).claimUntil).toBe(T0 + 5000 + STALE_MS);
        await claim(id, T0 + 5001 + STALE_MS);
        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 });
        expect((await read(id)).claimUntil).toBe(T0 + 5001 + 2 * STALE_MS);
      });

      it('lists a job handed back for a retry at its notBefore, claimed again or not', async () => {
        const id = await job();
        const token = await claim(id);
        await subject.outbox.finish(id, token, T0 + 10, { status: 'queued', reason: 'paced', notBefore: T0 + 30_000 });

        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 + 30_000 });
        await claim(id, T0 + 30_000);
        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 + 30_000 });
      });

      it.each(['sent', 'failed', 'skipped', 'unknown'] as const)('drops a job that ends %s', async (status) => {
        const id = await job(status);
        const token = await claim(id);
        if (status === 'unknown') {
          await subject.outbox.markSending(id, token, T0 + 1, ALLOW, 1);
          expect(await subject.outbox.markUnknown(id, token, T0 + 2, 'timeout')).toBe(true);
        } else {
          const outcome =
            status === 'sent' ? { status, messageId: 'wamid.1' } : status === 'failed' ? { status, reason: 'rejected', errorCode: 131026 } : { status, reason: 'window_closed' };
          expect(await subject.outbox.finish(id, token, T0 + 2, outcome)).toBe(true);
        }

        expect(await jobsDue(FAR, [id])).toEqual({});
      });
    });

    describe("the sweeper's moves", () => {
      it('postpones a job it read: due again later, counted in sweeps', async () => {
        const id = await job();
        const seen = await read(id);

        expect(await subject.outbox.postponeStranded(seen, T0 + 90_000)).toBe(true);
        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 + 90_000 });
        expect((await read(id)).sweeps).toBe(1);
        expect(await subject.outbox.postponeStranded(await read(id), T0 + 95_000)).toBe(true);
        expect((await read(id)).sweeps).toBe(2);
      });

      it('postpones nothing once the job moved on after it was read', async () => {
        const id = await job();
        const seen = await read(id);
        await claim(id, T0 + 1000);

        expect(await subject.outbox.postponeStranded(seen, T0 + 90_000)).toBe(false);
        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 });
      });

      it("postpones a live claim to its deadline without counting a sweep, only while it is as read", async () => {
        const id = await job();
        const token = await claim(id, T0 + 1000);
        const seen = await read(id);

        expect(await subject.outbox.postponeClaimed(seen, T0 + 1000 + STALE_MS)).toBe(true);
        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 + 1000 + STALE_MS });
        expect(await read(id)).toEqual(seen);
        await subject.outbox.markSending(id, token, T0 + 1001, ALLOW, 1);
        expect(await subject.outbox.postponeClaimed(seen, T0 + 500_000)).toBe(false);
        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 + 1000 + STALE_MS });
      });

      it('ends a claimed job unknown, out of the listing, without its claim', async () => {
        const id = await job();
        const token = await claim(id);
        await subject.outbox.markSending(id, token, T0 + 1, ALLOW, 1);

        expect(await subject.outbox.endStranded(await read(id), T0 + 500_000, { status: 'unknown', reason: 'sender_stopped_during_send' })).toBe(true);
        const ended = await read(id);
        expect(ended).toMatchObject({ status: 'unknown', reason: 'sender_stopped_during_send', updatedAt: T0 + 500_000 });
        expect(ended).not.toHaveProperty('claimToken');
        expect(await jobsDue(FAR, [id])).toEqual({});
        // A sender still holding the old claim can no longer record anything.
        expect(await subject.outbox.finish(id, token, T0 + 500_001, { status: 'sent', messageId: 'wamid.late' })).toBe(false);
      });

      it('ends a queued job failed', async () => {
        const id = await job();

        expect(await subject.outbox.endStranded(await read(id), T0 + 1000, { status: 'failed', reason: 'dead_lettered' })).toBe(true);
        expect(await read(id)).toMatchObject({ status: 'failed', reason: 'dead_lettered' });
        expect(await jobsDue(FAR, [id])).toEqual({});
      });

      it('ends nothing once a sender began the send step after the read: that sender wins', async () => {
        const id = await job();
        const token = await claim(id);
        const seen = await read(id);
        await subject.outbox.markSending(id, token, T0 + 1, ALLOW, 1);

        expect(await subject.outbox.endStranded(seen, T0 + 1000, { status: 'failed', reason: 'dead_lettered' })).toBe(false);
        expect(await subject.outbox.finish(id, token, T0 + 2, { status: 'sent', messageId: 'wamid.1' })).toBe(true);
      });

      it('ends nothing that already ended', async () => {
        const id = await job();
        const token = await claim(id);
        await subject.outbox.finish(id, token, T0 + 2, { status: 'sent', messageId: 'wamid.1' });

        expect(await subject.outbox.endStranded(await read(id), T0 + 3, { status: 'failed', reason: 'dead_lettered' })).toBe(false);
        expect((await read(id)).status).toBe('sent');
      });
    });

    describe('the sweeper, with a claim left at its queued due time', () => {
      const sweepAt = async (now: number): Promise<string[]> => {
        const enqueued: string[] = [];
        const sweep = createSweeper({
          ...subject,
          queue: { enqueue: (ids) => Promise.resolve(void enqueued.push(...ids)) },
          continuations: { continueLater: () => Promise.resolve() },
          clock: () => now,
          logger: new Logger({ logLevel: 'SILENT' }),
          settings: { graceMs: GRACE_MS, maxBackoffMs: 10 * GRACE_MS },
        });
        await sweep();
        return enqueued;
      };
      // Claimed long after it was queued (a send backlog): its entry is overdue, its claim live.
      const CLAIMED = T0 + 2 * GRACE_MS;
      const NOW = CLAIMED + 10;

      it('postpones a live claim to its deadline, in its send step or not: ends nothing, requeues nothing', async () => {
        const fresh = await job('fresh');
        const freshToken = await claim(fresh, CLAIMED);
        const sending = await job('sending');
        const sendingToken = await claim(sending, CLAIMED);
        await subject.outbox.markSending(sending, sendingToken, CLAIMED + 1, ALLOW, 1);
        expect(await jobsDue(NOW - GRACE_MS, [fresh, sending])).toEqual({ [fresh]: T0, [sending]: T0 });

        const enqueued = await sweepAt(NOW);

        expect(enqueued.filter((id) => id === fresh || id === sending)).toEqual([]);
        expect(await jobsDue(FAR, [fresh, sending])).toEqual({ [fresh]: CLAIMED + STALE_MS, [sending]: CLAIMED + STALE_MS });
        expect(await read(fresh)).toMatchObject({ status: 'claimed', claimToken: freshToken });
        expect(await read(sending)).toMatchObject({ status: 'claimed', claimToken: sendingToken });
        expect((await read(fresh)).sweeps).toBeUndefined();
        // The senders still hold their claims and record their outcomes.
        expect(await subject.outbox.markSending(fresh, freshToken, NOW + 1, ALLOW, 1)).toBe(true);
        expect(await subject.outbox.finish(sending, sendingToken, NOW + 1, { status: 'sent', messageId: 'wamid.live' })).toBe(true);
      });

      it('ends unknown a claim gone stale in its send step, found at its queued due time', async () => {
        const id = await job();
        const token = await claim(id, T0 + 1);
        await subject.outbox.markSending(id, token, T0 + 2, ALLOW, 1);
        expect(await jobsDue(FAR, [id])).toEqual({ [id]: T0 });

        const enqueued = await sweepAt(T0 + 2 + STALE_MS + GRACE_MS);

        expect(enqueued).not.toContain(id);
        expect(await read(id)).toMatchObject({ status: 'unknown', reason: 'sender_stopped_during_send' });
        expect(await jobsDue(FAR, [id])).toEqual({});
      });

      it('requeues a claim gone stale before its send step, which a sender then takes over', async () => {
        const id = await job();
        await claim(id, T0 + 1);

        const enqueued = await sweepAt(T0 + 2 + STALE_MS + GRACE_MS);

        expect(enqueued).toContain(id);
        expect((await read(id)).sweeps).toBe(1);
        expect((await subject.outbox.claim(id, T0 + 3 + STALE_MS + GRACE_MS, STALE_MS)).claimed).toBe(true);
      });
    });

    describe('occurrences and segments', () => {
      it('lists a running occurrence at its lease expiry, and drops it once done', async () => {
        const lease = await subject.occurrences.acquire({ campaignId, occurrenceKey: KEY, firingAt: T0, now: T0, leaseMs: LEASE_MS, create: definition() });
        if (!lease.acquired) throw new Error('expected the lease');

        expect(await leasesDue(FAR)).toEqual([{ kind: 'occurrence', campaignId, occurrenceKey: KEY, dueAt: T0 + LEASE_MS }]);
        await subject.occurrences.savePage(campaignId, KEY, lease.leaseToken, page({ now: T0 + 10, leaseUntil: T0 + 10 + LEASE_MS }));
        expect(await leasesDue(FAR)).toEqual([{ kind: 'occurrence', campaignId, occurrenceKey: KEY, dueAt: T0 + 10 + LEASE_MS }]);
        await subject.occurrences.savePage(campaignId, KEY, lease.leaseToken, page({ status: 'done', leaseUntil: 0 }));
        expect(await leasesDue(FAR)).toEqual([]);
      });

      it('drops a paused occurrence', async () => {
        const lease = await subject.occurrences.acquire({ campaignId, occurrenceKey: KEY, firingAt: T0, now: T0, leaseMs: LEASE_MS, create: definition() });
        if (!lease.acquired) throw new Error('expected the lease');
        await subject.occurrences.savePage(campaignId, KEY, lease.leaseToken, page({ status: 'paused', leaseUntil: 0 }));

        expect(await leasesDue(FAR)).toEqual([]);
      });

      it('lists each running segment of a fanned-out occurrence at its own lease expiry, and drops the finished ones', async () => {
        await subject.occurrences.start({ campaignId, occurrenceKey: KEY, firingAt: T0, now: T0, campaign: definition(), plan: { segments: 2, shards: 16 } });
        const first = await subject.occurrences.acquireSegment({ campaignId, occurrenceKey: KEY, segment: 0, now: T0, leaseMs: LEASE_MS });
        await subject.occurrences.acquireSegment({ campaignId, occurrenceKey: KEY, segment: 1, now: T0 + 5, leaseMs: LEASE_MS });
        if (!first.acquired) throw new Error('expected the lease');

        expect(await leasesDue(FAR)).toEqual(
          expect.arrayContaining([
            { kind: 'segment', campaignId, occurrenceKey: KEY, segment: 0, dueAt: T0 + LEASE_MS },
            { kind: 'segment', campaignId, occurrenceKey: KEY, segment: 1, dueAt: T0 + 5 + LEASE_MS },
          ]),
        );
        expect(await leasesDue(FAR)).toHaveLength(2);
        await subject.occurrences.saveSegmentPage({ campaignId, occurrenceKey: KEY, segment: 0 }, first.leaseToken, page({ status: 'done', leaseUntil: 0 }));
        expect(await leasesDue(FAR)).toEqual([{ kind: 'segment', campaignId, occurrenceKey: KEY, segment: 1, dueAt: T0 + 5 + LEASE_MS }]);
      });
    });

    it('pages through a shard oldest first, each entry once', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) ids.push(await job(`page-${i}`, T0 + i * 1000));

      const paged = (await dueBefore(FAR, 1)).flatMap((e) => (e.kind === 'outbox' && ids.includes(e.outboxId) ? [e] : []));
      expect(paged.map((e) => e.outboxId).sort()).toEqual([...ids].sort());
      for (let shard = 0; shard < subject.pending.shards; shard += 1) {
        const { entries } = await subject.pending.dueBefore(shard, FAR, undefined, 1000);
        const times = entries.map((e) => e.dueAt);
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
    });
  });
};
