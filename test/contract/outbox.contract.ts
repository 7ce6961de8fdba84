/**
 * The Outbox contract: what the sender's exactly-once guarantee and the campaign funnel rely on.
 * Run against the DynamoDB adapter on dynalite (integration project) and the in-memory adapter (unit
 * project), so the fake the sender's unit tests use behaves as the real thing does.
 *
 * Port level only: no keys, no index layout, no listing order. Time is the `now` each call takes, so
 * the suite needs no clock. Each test uses keys of its own, so a subject may share one table.
 */
import { randomUUID } from 'node:crypto';
import { outboxIdFor } from '../../lambdas/domain/send/outbox-id';
import type { Decision } from '../../lambdas/domain/send/policy-types';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import type { Outbox, OutboxRecord } from '../../lambdas/ports/outbox';

const T0 = Date.UTC(2026, 4, 17, 12);
const STALE_MS = 120_000;

const intent = (userId = '4915100000001'): SendIntent => ({
  channel: 'whatsapp',
  accountId: '109876543210987',
  userId,
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name: 'weekly_deals', language: 'de' },
});

const ALLOW: Decision = { outcome: 'allow', route: 'whatsapp.template', pricing: 'marketing', rule: 'whatsapp.template.any_time' };

export const describeOutboxContract = (name: string, makeOutbox: () => Outbox | Promise<Outbox>): void => {
  describe(`Outbox contract: ${name}`, () => {
    let outbox: Outbox;
    let prefix: string;
    beforeEach(async () => {
      outbox = await makeOutbox();
      prefix = `contract-${randomUUID()}`;
    });

    /** A new queued job of this test; its id. */
    const job = async (suffix = 'job', extra: { group?: string; now?: number } = {}): Promise<string> => {
      const { created, record } = await outbox.create({ idempotencyKey: `${prefix}#${suffix}`, intent: intent(), now: extra.now ?? T0, group: extra.group });
      if (!created) throw new Error('the job already existed');
      return record.outboxId;
    };

    /** Claims a job that must be claimable; its token. */
    const claimed = async (outboxId: string, now = T0): Promise<string> => {
      const claim = await outbox.claim(outboxId, now, STALE_MS);
      if (!claim.claimed) throw new Error(`expected to claim ${outboxId}, found ${JSON.stringify(claim.record)}`);
      return claim.claimToken;
    };

    /** Reads a record that must exist. */
    const read = async (outboxId: string): Promise<OutboxRecord> => {
      const record = await outbox.get(outboxId);
      if (!record) throw new Error(`no record ${outboxId}`);
      return record;
    };

    describe('create', () => {
      it('creates a queued record with no attempt, its id derived from the idempotency key, and reads it back as created', async () => {
        const key = `${prefix}#new`;
        const { created, record } = await outbox.create({ idempotencyKey: key, intent: intent(), now: T0, group: `${prefix}#occ` });

        expect(created).toBe(true);
        expect(record).toEqual({
          outboxId: outboxIdFor(key),
          idempotencyKey: key,
          status: 'queued',
          intent: intent(),
          createdAt: T0,
          updatedAt: T0,
          attempts: 0,
          group: `${prefix}#occ`,
        });
        expect(await outbox.get(record.outboxId)).toEqual(record);
      });

      it('leaves `group` out of a record created without one', async () => {
        const record = await read(await job());

        expect(record).not.toHaveProperty('group');
        expect(record).not.toHaveProperty('claimToken');
        expect(record).not.toHaveProperty('sendingAt');
      });

      it('keeps what the sender does after the message through the claim and the outcome', async () => {
        const afterSend = { passThreadTo: '263902037430900', eventKey: 'messenger#1#mid#m_1' };
        const { record } = await outbox.create({ idempotencyKey: `${prefix}#after`, intent: intent(), now: T0, afterSend });
        const claim = await outbox.claim(record.outboxId, T0 + 1, 60_000);
        if (!claim.claimed) throw new Error('not claimed');
        expect(claim.record.afterSend).toEqual(afterSend);
        await outbox.finish(record.outboxId, claim.claimToken, T0 + 2, { status: 'sent', messageId: 'mid.after' });
        expect((await outbox.get(record.outboxId))?.afterSend).toEqual(afterSend);
      });

      it('returns the existing record, unchanged, for a key used before, whatever the second call carries', async () => {
        const id = await job('dup', { group: `${prefix}#first` });
        await claimed(id, T0 + 1);

        const again = await outbox.create({ idempotencyKey: `${prefix}#dup`, intent: intent('4915100000999'), now: T0 + 5000, group: `${prefix}#second` });

        expect(again.created).toBe(false);
        expect(again.record).toMatchObject({ outboxId: id, status: 'claimed', createdAt: T0, intent: intent(), group: `${prefix}#first` });
        expect(await outbox.get(id)).toEqual(again.record);
      });

      it('creates a record once when the same key is created concurrently', async () => {
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) => outbox.create({ idempotencyKey: `${prefix}#race`, intent: intent(), now: T0 + i })),
        );

        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.record.outboxId)).size).toBe(1);
      });
    });

    describe('reads', () => {
      it('answers undefined for an id never created', async () => {
        expect(await outbox.get(outboxIdFor(`${prefix}#never`))).toBeUndefined();
      });

      it('hands out copies: changing a returned record changes nothing stored', async () => {
        const id = await job();
        const record = await read(id);
        record.status = 'sent';
        record.intent.userId = 'changed';

        expect(await read(id)).toMatchObject({ status: 'queued', intent: intent() });
      });

      it('reads many: the records that exist, in the order asked', async () => {
        const [a, b, c] = [await job('a'), await job('b'), await job('c')];

        const records = await outbox.getMany([c, outboxIdFor(`${prefix}#missing`), a, b]);

        expect(records.map((r) => r.outboxId)).toEqual([c, a, b]);
        expect(records[1]).toEqual(await read(a));
        expect(await outbox.getMany([])).toEqual([]);
      });

      it('reads more records at once than one storage request holds (120)', async () => {
        const ids = await Promise.all(Array.from({ length: 120 }, (_, i) => job(`many-${i}`)));
        const asked = [...ids].reverse();

        expect((await outbox.getMany(asked)).map((r) => r.outboxId)).toEqual(asked);
      });
    });

    describe('group listing', () => {
      /** Every id of a group, page by page; the page sizes. */
      const listAll = async (group: string, limit: number): Promise<{ ids: string[]; sizes: number[] }> => {
        const ids: string[] = [];
        const sizes: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await outbox.listGroup(group, cursor, limit);
          ids.push(...page.outboxIds);
          sizes.push(page.outboxIds.length);
          cursor = page.cursor;
          if (sizes.length > 100) throw new Error('the listing never ends');
        } while (cursor !== undefined);
        return { ids, sizes };
      };

      it("lists each of a group's records once, in pages of at most `limit`, and no other record", async () => {
        const group = `${prefix}#2026-05-18T08:00:00.000Z`;
        const members = await Promise.all(Array.from({ length: 7 }, (_, i) => job(`member-${i}`, { group })));
        await job('ungrouped');
        await job('other-group', { group: `${group}-other` });

        const { ids, sizes } = await listAll(group, 3);

        expect([...ids].sort()).toEqual([...members].sort());
        expect(sizes.every((n) => n <= 3)).toBe(true);
      });

      it('lists a group whatever the status of its records', async () => {
        const group = `${prefix}#occ`;
        const [queued, sent] = [await job('q', { group }), await job('s', { group })];
        const token = await claimed(sent);
        await outbox.markSending(sent, token, T0 + 1, ALLOW, 1);
        await outbox.finish(sent, token, T0 + 2, { status: 'sent', messageId: 'wamid.1' });

        expect((await listAll(group, 10)).ids.sort()).toEqual([queued, sent].sort());
      });

      it('ends a listing that fits one page exactly with that page: no cursor to an empty one', async () => {
        const group = `${prefix}#exact`;
        const members = await Promise.all(Array.from({ length: 3 }, (_, i) => job(`exact-${i}`, { group })));
        const page = await outbox.listGroup(group, undefined, 3);
        expect([...page.outboxIds].sort()).toEqual([...members].sort());
        expect(page.cursor).toBeUndefined();
      });

      it('lists nothing for a group without records', async () => {
        expect((await listAll(`${prefix}#empty`, 10)).ids).toEqual([]);
      });
    });

    describe('listing by contact', () => {
      it('lists the sends to one contact, as addressed, newest first, in pages of at most `limit`', async () => {
        const userId = `49151${Math.floor(Math.random() * 1e8)}`;
        const ids: string[] = [];
        for (let i = 0; i < 5; i += 1) {
          const { record } = await outbox.create({ idempotencyKey: `${prefix}#c${i}`, intent: intent(userId), now: T0 + i * 1000 });
          ids.push(record.outboxId);
        }
        await outbox.create({ idempotencyKey: `${prefix}#someone-else`, intent: intent(`${userId}1`), now: T0 + 500 });
        await outbox.create({ idempotencyKey: `${prefix}#other-account`, intent: { ...intent(userId), accountId: '209876543210987' }, now: T0 + 500 });

        const listed: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await outbox.listByContact({ channel: 'whatsapp', accountId: '109876543210987', userId }, cursor, 2);
          expect(page.outboxIds.length).toBeLessThanOrEqual(2);
          listed.push(...page.outboxIds);
          cursor = page.cursor;
          pages += 1;
        } while (cursor !== undefined && pages < 20);

        expect(listed).toEqual([...ids].reverse());
      });

      it('lists sends created out of order newest first, page after page, ending without a cursor, and none on another channel', async () => {
        const userId = `49151${Math.floor(Math.random() * 1e8)}`;
        const byTime = new Map<number, string>();
        for (const [i, offset] of [3, 1, 4, 0, 2].entries()) {
          const { record } = await outbox.create({ idempotencyKey: `${prefix}#o${i}`, intent: intent(userId), now: T0 + offset * 1000 });
          byTime.set(offset, record.outboxId);
        }
        await outbox.create({ idempotencyKey: `${prefix}#messenger`, intent: { ...intent(userId), channel: 'messenger' }, now: T0 + 500 });
        const contact = { channel: 'whatsapp' as const, accountId: '109876543210987', userId };

        const first = await outbox.listByContact(contact, undefined, 3);
        expect(first.outboxIds).toEqual([4, 3, 2].map((t) => byTime.get(t)));
        const second = await outbox.listByContact(contact, first.cursor, 3);
        expect(second).toEqual({ outboxIds: [1, 0].map((t) => byTime.get(t)) });
        const exact = await outbox.listByContact(contact, undefined, 5);
        expect(exact.cursor).toBeUndefined();
      });
    });

    describe('the sweeper’s writes', () => {
      /** A claimed job whose send step began: what a sweeper reads before it ends the job `unknown`. */
      const midSend = async (): Promise<OutboxRecord> => {
        const id = await job();
        const token = await claimed(id, T0);
        expect(await outbox.markSending(id, token, T0 + 1, ALLOW, 1)).toBe(true);
        return read(id);
      };
      const UNKNOWN = { status: 'unknown', reason: 'sender_stopped_during_send' } as const;

      it('end a job only while it is exactly as read: a status, update time, claim or send step that moved since refuses, changing nothing', async () => {
        const current = await midSend();
        const moved: OutboxRecord[] = [
          { ...current, status: 'queued' },
          { ...current, updatedAt: current.updatedAt - 1 },
          { ...current, claimToken: 'another-claim' },
          { ...current, sendingAt: undefined },
        ];
        for (const seen of moved) {
          expect(await outbox.endStranded(seen, T0 + 10, UNKNOWN)).toBe(false);
          expect(await outbox.postponeStranded(seen, T0 + 10)).toBe(false);
          expect(await outbox.postponeClaimed(seen, T0 + 10)).toBe(false);
        }
        expect(await read(current.outboxId)).toEqual(current);
        expect(await outbox.endStranded(current, T0 + 10, UNKNOWN)).toBe(true);
        expect(await read(current.outboxId)).toMatchObject({ status: 'unknown', reason: 'sender_stopped_during_send' });
      });

      it('never end or postpone a job that had already ended when it was read', async () => {
        const id = await job();
        const token = await claimed(id, T0);
        expect(await outbox.finish(id, token, T0 + 1, { status: 'sent', messageId: 'wamid.ended' })).toBe(true);
        const ended = await read(id);
        expect(await outbox.endStranded(ended, T0 + 10, { status: 'failed', reason: 'dead_lettered' })).toBe(false);
        expect(await outbox.postponeStranded(ended, T0 + 10)).toBe(false);
        expect(await outbox.postponeClaimed(ended, T0 + 10)).toBe(false);
        expect(await read(id)).toEqual(ended);
      });
    });

    describe('claim', () => {
      it('moves a queued job to claimed with a fresh token, and answers with the stored record', async () => {
        const id = await job();

        const claim = await outbox.claim(id, T0 + 10, STALE_MS);

        if (!claim.claimed) throw new Error('a queued job must be claimable');
        expect(claim.record).toMatchObject({ outboxId: id, status: 'claimed', claimToken: claim.claimToken, claimedAt: T0 + 10, claimUntil: T0 + 10 + STALE_MS, updatedAt: T0 + 10, attempts: 0 });
        expect(claim.record).not.toHaveProperty('sendingAt');
        expect(await outbox.get(id)).toEqual(claim.record);
      });

      it('answers a job never created with no record', async () => {
        expect(await outbox.claim(outboxIdFor(`${prefix}#never`), T0, STALE_MS)).toEqual({ claimed: false, record: undefined });
      });

      it('lets exactly one of concurrent claims of a job win', async () => {
        const id = await job();

        const claims = await Promise.all(Array.from({ length: 5 }, () => outbox.claim(id, T0 + 1, STALE_MS)));

        const winners = claims.filter((c) => c.claimed);
        expect(winners).toHaveLength(1);
        expect((await read(id)).claimToken).toBe(winners[0]?.claimed ? winners[0].claimToken : 'none');
      });

      it('refuses a live claim, answering with the holder’s record', async () => {
        const id = await job();
        const token = await claimed(id, T0);

        const second = await outbox.claim(id, T0 + STALE_MS, STALE_MS);

        expect(second).toMatchObject({ claimed: false, record: { status: 'claimed', claimToken: token, claimedAt: T0 } });
      });

      it('takes over a claim gone stale before its send step: the old holder can no longer move the job', async () => {
        const id = await job();
        const old = await claimed(id, T0);

        const takeover = await outbox.claim(id, T0 + STALE_MS + 1, STALE_MS);

        if (!takeover.claimed) throw new Error('a stale claim without sendingAt must be taken over');
        expect(takeover.claimToken).not.toBe(old);
        expect(takeover.record).toMatchObject({ status: 'claimed', claimedAt: T0 + STALE_MS + 1, claimUntil: T0 + 2 * STALE_MS + 1 });
        expect(await outbox.markSending(id, old, T0 + STALE_MS + 2, ALLOW, 1)).toBe(false);
        expect(await outbox.finish(id, old, T0 + STALE_MS + 2, { status: 'sent', messageId: 'wamid.old' })).toBe(false);
        expect(await outbox.markSending(id, takeover.claimToken, T0 + STALE_MS + 2, ALLOW, 1)).toBe(true);
      });

      it('never takes over a claim whose send step began (`sendingAt` set), however stale', async () => {
        const id = await job();
        const token = await claimed(id, T0);
        expect(await outbox.markSending(id, token, T0 + 1, ALLOW, 1)).toBe(true);

        for (const later of [T0 + STALE_MS + 1, T0 + 10 * STALE_MS, T0 + 365 * 24 * 3_600_000]) {
          const claim = await outbox.claim(id, later, STALE_MS);
          expect(claim.claimed).toBe(false);
          expect(claim.record).toMatchObject({ status: 'claimed', claimToken: token, sendingAt: T0 + 1 });
        }
        expect(await outbox.finish(id, token, T0 + 2, { status: 'sent', messageId: 'wamid.1' })).toBe(true);
      });

      it('counts a claim stale only once more than `staleAfterMs` has passed', async () => {
        const id = await job();
        await claimed(id, T0);

        expect((await outbox.claim(id, T0 + STALE_MS, STALE_MS)).claimed).toBe(false);
        expect((await outbox.claim(id, T0 + STALE_MS + 1, STALE_MS)).claimed).toBe(true);
      });

      it('never claims a finished job again, however late', async () => {
        const outcomes = [
          { status: 'sent', messageId: 'wamid.1' },
          { status: 'failed', errorCode: 131026, reason: 'undeliverable' },
          { status: 'skipped', reason: 'window_closed', detail: 'closed', earliestAt: T0 + 1000 },
          { status: 'unknown', reason: 'timeout' },
        ] as const;
        for (const [i, outcome] of outcomes.entries()) {
          const id = await job(`finished-${i}`);
          const token = await claimed(id);
          expect(await outbox.finish(id, token, T0 + 1, outcome)).toBe(true);

          const late = await outbox.claim(id, T0 + 100 * STALE_MS, STALE_MS);

          expect(late).toMatchObject({ claimed: false, record: { status: outcome.status } });
        }
      });
    });

    describe('markSending', () => {
      it('records the call about to be made under the claim: sendingAt, attempts, and the route of an allow', async () => {
        const id = await job();
        const token = await claimed(id);

        expect(await outbox.markSending(id, token, T0 + 5, ALLOW, 2)).toBe(true);

        expect(await read(id)).toMatchObject({ status: 'claimed', claimToken: token, sendingAt: T0 + 5, updatedAt: T0 + 5, attempts: 2, route: 'whatsapp.template', pricing: 'marketing' });
      });

      it('refuses, changing nothing, without the claim’s token or once the claim ended', async () => {
        const id = await job();
        const token = await claimed(id);
        const before = await read(id);

        expect(await outbox.markSending(id, 'not-the-token', T0 + 5, ALLOW, 1)).toBe(false);
        expect(await read(id)).toEqual(before);

        await outbox.finish(id, token, T0 + 6, { status: 'skipped', reason: 'window_closed' });
        expect(await outbox.markSending(id, token, T0 + 7, ALLOW, 1)).toBe(false);
        expect(await read(id)).toMatchObject({ status: 'skipped' });
        expect(await outbox.markSending(outboxIdFor(`${prefix}#never`), token, T0, ALLOW, 1)).toBe(false);
      });
    });

    describe('finish', () => {
      it('ends a send as sent: Meta’s id, the time, the route, the claim released', async () => {
        const id = await job();
        const token = await claimed(id);
        await outbox.markSending(id, token, T0 + 1, ALLOW, 1);

        expect(await outbox.finish(id, token, T0 + 2, { status: 'sent', messageId: 'wamid.1', route: 'whatsapp.template', pricing: 'marketing' })).toBe(true);

        const record = await read(id);
        expect(record).toMatchObject({ status: 'sent', messageId: 'wamid.1', sentAt: T0 + 2, updatedAt: T0 + 2, route: 'whatsapp.template', pricing: 'marketing', attempts: 1 });
        expect(record).not.toHaveProperty('claimToken');
        expect(record).not.toHaveProperty('claimUntil');
        // When the call to Meta was made and when the job was claimed stay on the record.
        expect(record).toMatchObject({ sendingAt: T0 + 1, claimedAt: T0 });
      });

      it('finishes a claim once: a second finish with the same token is refused and changes nothing', async () => {
        const id = await job();
        const token = await claimed(id);

        expect(await outbox.finish(id, token, T0 + 1, { status: 'failed', errorCode: 100, reason: 'invalid_parameter', detail: 'bad' })).toBe(true);
        expect(await outbox.finish(id, token, T0 + 2, { status: 'sent', messageId: 'wamid.late' })).toBe(false);
        expect(await outbox.markUnknown(id, token, T0 + 2, 'late')).toBe(false);

        const record = await read(id);
        expect(record).toMatchObject({ status: 'failed', errorCode: 100, reason: 'invalid_parameter', detail: 'bad', updatedAt: T0 + 1 });
        expect(record).not.toHaveProperty('messageId');
      });

      it("ends a job Meta refused at the send call as failed, flags the funnel's failure where absent, and answers with the record it replaced", async () => {
        const id = await job();
        const token = await claimed(id);
        await outbox.markSending(id, token, T0 + 1, ALLOW, 1);

        const before = await outbox.finishRefused(id, token, T0 + 2, { status: 'failed', errorCode: 131047, errorTitle: 'Re-engagement message', reason: 'window_closed', detail: '(#131047) Re-engagement message' });

        expect(before).toMatchObject({ outboxId: id, status: 'claimed', attempts: 1 });
        expect(before?.milestones).toBeUndefined();
        const record = await read(id);
        expect(record).toMatchObject({ status: 'failed', errorCode: 131047, errorTitle: 'Re-engagement message', reason: 'window_closed', updatedAt: T0 + 2, milestones: { failed: T0 + 2 } });
        expect(record).not.toHaveProperty('claimToken');
        // Once: the claim is spent, so a second write is refused and changes nothing.
        expect(await outbox.finishRefused(id, token, T0 + 3, { status: 'failed', errorCode: 131026, reason: 'undeliverable' })).toBeUndefined();
        expect(await read(id)).toEqual(record);
      });

      it('refuses a finish without the claim’s token, or on a job never claimed', async () => {
        const id = await job();
        expect(await outbox.finish(id, 'made-up', T0 + 1, { status: 'sent', messageId: 'wamid.x' })).toBe(false);
        await claimed(id);
        expect(await outbox.finish(id, 'made-up', T0 + 1, { status: 'sent', messageId: 'wamid.x' })).toBe(false);
        expect(await read(id)).toMatchObject({ status: 'claimed' });
      });

      it('records a skip with its reason, detail and earliest time', async () => {
        const id = await job();
        const token = await claimed(id);

        await outbox.finish(id, token, T0 + 1, { status: 'skipped', reason: 'window_closed', detail: 'closed', earliestAt: T0 + 3_600_000 });

        expect(await read(id)).toMatchObject({ status: 'skipped', reason: 'window_closed', detail: 'closed', earliestAt: T0 + 3_600_000 });
        expect(await read(id)).not.toHaveProperty('sentAt');
      });

      it('records a skip the policy gave no time for, its absent fields left out (as the sender passes them)', async () => {
        const id = await job();
        const token = await claimed(id);

        expect(await outbox.finish(id, token, T0 + 1, { status: 'skipped', reason: 'account_blocked', detail: 'blocked', earliestAt: undefined })).toBe(true);

        const record = await read(id);
        expect(record).toMatchObject({ status: 'skipped', reason: 'account_blocked', detail: 'blocked' });
        expect(record).not.toHaveProperty('earliestAt');
      });

      it('puts a job back for a retry: queued with its reason, claimable from `notBefore`, the send step forgotten', async () => {
        const id = await job();
        const token = await claimed(id);
        await outbox.markSending(id, token, T0 + 1, ALLOW, 1);

        expect(await outbox.finish(id, token, T0 + 2, { status: 'queued', reason: 'throttled', notBefore: T0 + 60_000, errorCode: 130429 })).toBe(true);

        const queued = await read(id);
        expect(queued).toMatchObject({ status: 'queued', reason: 'throttled', notBefore: T0 + 60_000, errorCode: 130429, attempts: 1 });
        for (const gone of ['claimToken', 'claimUntil', 'sendingAt', 'claimedAt']) expect(queued).not.toHaveProperty(gone);
        expect((await outbox.claim(id, T0 + 59_999, STALE_MS)).claimed).toBe(false);
        const retry = await outbox.claim(id, T0 + 60_000, STALE_MS);
        expect(retry).toMatchObject({ claimed: true, record: { status: 'claimed', attempts: 1 } });
        expect(retry.record).not.toHaveProperty('sendingAt');
      });

      it('clears what an earlier retry left when the job is finally sent', async () => {
        const id = await job();
        const first = await claimed(id);
        await outbox.markSending(id, first, T0 + 1, ALLOW, 1);
        await outbox.finish(id, first, T0 + 2, { status: 'queued', reason: 'throttled', notBefore: T0 + 10, errorCode: 130429 });
        const second = await claimed(id, T0 + 10);
        await outbox.markSending(id, second, T0 + 11, ALLOW, 2);

        await outbox.finish(id, second, T0 + 12, { status: 'sent', messageId: 'wamid.2' });

        const record = await read(id);
        expect(record).toMatchObject({ status: 'sent', messageId: 'wamid.2', attempts: 2 });
        for (const gone of ['reason', 'errorCode', 'detail', 'notBefore']) expect(record).not.toHaveProperty(gone);
      });
    });

    describe('markUnknown', () => {
      it('ends a claim whose send step began as unknown; the job is never claimed again and its holder cannot finish it', async () => {
        const id = await job();
        const token = await claimed(id);
        await outbox.markSending(id, token, T0 + 1, ALLOW, 1);

        // Another delivery finds the claim stale with sendingAt set, and gives up on it.
        const found = await outbox.claim(id, T0 + STALE_MS + 2, STALE_MS);
        if (found.claimed || found.record?.claimToken === undefined) throw new Error('the claim must not be taken over');
        expect(await outbox.markUnknown(id, found.record.claimToken, T0 + STALE_MS + 2, 'sender_stopped_during_send')).toBe(true);

        const record = await read(id);
        expect(record).toMatchObject({ status: 'unknown', reason: 'sender_stopped_during_send', sendingAt: T0 + 1, updatedAt: T0 + STALE_MS + 2 });
        expect(record).not.toHaveProperty('claimToken');
        expect(record).not.toHaveProperty('claimUntil');
        expect(await outbox.finish(id, token, T0 + STALE_MS + 3, { status: 'sent', messageId: 'wamid.late' })).toBe(false);
        expect((await outbox.claim(id, T0 + 100 * STALE_MS, STALE_MS)).claimed).toBe(false);
      });

      it('refuses a claim whose send step never began: nothing reached Meta, so it is taken over instead', async () => {
        const id = await job();
        const token = await claimed(id);

        expect(await outbox.markUnknown(id, token, T0 + STALE_MS + 1, 'sender_stopped_during_send')).toBe(false);

        expect(await read(id)).toMatchObject({ status: 'claimed', claimToken: token });
        expect((await outbox.claim(id, T0 + STALE_MS + 1, STALE_MS)).claimed).toBe(true);
      });

      it('refuses without the claim’s token', async () => {
        const id = await job();
        const token = await claimed(id);
        await outbox.markSending(id, token, T0 + 1, ALLOW, 1);

        expect(await outbox.markUnknown(id, 'made-up', T0 + 2, 'x')).toBe(false);
        expect(await read(id)).toMatchObject({ status: 'claimed', claimToken: token });
      });
    });
  });
};
