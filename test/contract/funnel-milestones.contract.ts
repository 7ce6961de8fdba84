/**
 * The FunnelMilestones contract (with the status path, the counters' read and the touches): a
 * milestone counts once per outbox record whatever the number and order of the events causing it;
 * a crash between a status write and its count loses that count and never repeats it (at most
 * once). Run against the DynamoDB adapter on dynalite (integration project) and the in-memory
 * adapter (unit project).
 *
 * `writeStatus` is the webhook's status write (for DynamoDB the state store applying the status's
 * register writes, with their milestone flags, to the outbox record), answering what landed with
 * the record as it was before; each test uses campaigns and contacts of its own.
 */
import { randomUUID } from 'node:crypto';
import type { ContactRef } from '../../lambdas/domain/events';
import type { FunnelCounters, FunnelMilestones, StatusReport } from '../../lambdas/ports/funnel-milestones';
import type { LandedStatus, StatusFunnel } from '../../lambdas/ports/status-funnel';
import type { Outbox, OutboxRecord } from '../../lambdas/ports/outbox';
import type { Touches } from '../../lambdas/ports/touches';

const T0 = Date.UTC(2026, 11, 1, 9);
const HOUR = 3_600_000;

export interface FunnelSubject {
  outbox: Pick<Outbox, 'create'>;
  milestones: FunnelMilestones & StatusFunnel & FunnelCounters;
  /** The person's touches the milestones leave (read and clicked). */
  touches: Touches;
  writeStatus(record: OutboxRecord, report: StatusReport): Promise<LandedStatus[]>;
}

export const describeFunnelMilestonesContract = (name: string, makeSubject: () => FunnelSubject | Promise<FunnelSubject>): void => {
  describe(`FunnelMilestones contract: ${name}`, () => {
    let subject: FunnelSubject;
    let campaignId: string;
    const occurrenceKey = '2026-12-01T09:00:00.000Z';
    beforeEach(async () => {
      subject = await makeSubject();
      campaignId = `c-${randomUUID().slice(0, 8)}`;
    });

    const contactOf = (n: number): ContactRef => ({ channel: 'whatsapp', accountId: '106540352242922', userId: `4915${campaignId.slice(2)}${n}`.replace(/[^0-9]/g, '7') });
    const job = async (n: number, group: string | null = `${campaignId}#${occurrenceKey}`): Promise<OutboxRecord> => {
      const contact = contactOf(n);
      const { record } = await subject.outbox.create({
        idempotencyKey: `${group ?? 'manual'}#${n}#${campaignId}`,
        intent: { ...contact, kind: 'marketing', author: 'bot', content: { type: 'template', name: 'sale', language: 'de' } },
        now: T0,
        ...(group === null ? {} : { group }),
      });
      return record;
    };
    const write = (record: OutboxRecord, report: Omit<StatusReport, 'outboxId'>) => subject.writeStatus(record, { outboxId: record.outboxId, ...report });
    /** The webhook's order: the status write, then the count of what it flagged first. */
    const deliver = async (record: OutboxRecord, report: Omit<StatusReport, 'outboxId'>) => subject.milestones.countStatuses(await write(record, report));
    const counts = async () => (await subject.milestones.read({ kind: 'occurrence', campaignId, occurrenceKey })).counts;

    it('counts each status milestone once however often, and in whatever order, the statuses come', async () => {
      // Prepare
      const [a, b] = [await job(1), await job(2)];
      const pricing = { category: 'marketing', billable: true };

      // Act: b's read overtakes its delivery; every status twice
      for (const round of [1, 2]) {
        await deliver(a, { status: 'delivered', occurredAt: T0 + 1000 * round, pricing });
        await deliver(b, { status: 'read', occurredAt: T0 + 5000, pricing });
        await deliver(b, { status: 'delivered', occurredAt: T0 + 2000, pricing });
        await deliver(a, { status: 'read', occurredAt: T0 + 9000, pricing });
      }

      // Assess
      expect(await counts()).toMatchObject({ delivered: 2, read: 2, billed: 2, billed_marketing__DE: 2 });
      expect(await subject.milestones.read({ kind: 'campaign', campaignId })).toMatchObject({ counts: { delivered: 2, read: 2 } });
    });

    it('keeps Meta’s marketing limit apart from failures, each by code with Meta’s title', async () => {
      // Prepare
      const [a, b, c] = [await job(1), await job(2), await job(3)];

      // Act
      await deliver(a, { status: 'failed', occurredAt: T0, error: { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' } });
      await deliver(a, { status: 'failed', occurredAt: T0, error: { code: 131049, title: 'again' } });
      await deliver(b, { status: 'failed', occurredAt: T0, error: { code: 131050, title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business' } });
      await deliver(c, { status: 'failed', occurredAt: T0, error: { code: 131050, title: 'x' } });

      // Assess
      const tally = await subject.milestones.read({ kind: 'occurrence', campaignId, occurrenceKey });
      expect(tally.counts).toMatchObject({ limited: 1, limited_131049: 1, failed: 2, failed_131050: 2 });
      expect(tally.titles['131049']).toBe('This message was not delivered to maintain healthy ecosystem engagement.');
    });

    it('counts a whole body of statuses at once, each milestone once, and counts nothing for a sent status', async () => {
      // Prepare
      const [a, b, c] = [await job(1), await job(2), await job(3)];
      const pricing = { category: 'marketing', billable: true };

      // Act: one body's writes (b's delivery and read both in it, c only sent), then one count
      const landed = [
        ...(await write(a, { status: 'delivered', occurredAt: T0, pricing })),
        ...(await write(b, { status: 'delivered', occurredAt: T0, pricing })),
        ...(await write(b, { status: 'read', occurredAt: T0 + 1000 })),
        ...(await write(c, { status: 'sent', occurredAt: T0, pricing })),
      ];
      const counted = await subject.milestones.countStatuses(landed);

      // Assess
      expect(counted.map(({ event }) => `${event.outboxId === a.outboxId ? 'a' : 'b'}:${event.milestone}`).sort()).toEqual(['a:billed', 'a:delivered', 'b:billed', 'b:delivered', 'b:read']);
      expect(await counts()).toEqual({ delivered: 2, billed: 2, billed_marketing__DE: 2, read: 1 });
    });

    it('a crash between a status write and its count loses that count and never repeats it (at most once)', async () => {
      // Prepare
      const [a, b] = [await job(1), await job(2)];

      // Act: a's status write lands and the count never runs; Meta's retries come through. b crashed before its write: its retry counts.
      await write(a, { status: 'delivered', occurredAt: T0 });
      await deliver(a, { status: 'delivered', occurredAt: T0 });
      await deliver(a, { status: 'delivered', occurredAt: T0 });
      await deliver(b, { status: 'delivered', occurredAt: T0 });

      // Assess: b's delivery only
      expect(await counts()).toMatchObject({ delivered: 1 });
    });

    it('records other milestones once, and nothing for an unknown record', async () => {
      // Prepare
      const a = await job(1);

      // Act
      const first = await subject.milestones.record({ outboxId: a.outboxId, milestone: 'converted', at: T0 });
      const again = await subject.milestones.record({ outboxId: a.outboxId, milestone: 'converted', at: T0 + 1 });
      const unknown = await subject.milestones.record({ outboxId: 'ob_AAAAAAAAAAAAAAAAAAAAAAAA', milestone: 'clicked', at: T0 });

      // Assess
      expect([first, again, unknown]).toEqual([true, false, false]);
      expect(await counts()).toMatchObject({ converted: 1 });
    });

    it('counts one-off sends by account and day, and finds a person’s latest read or click as their touch', async () => {
      // Prepare
      const manual = await job(7, null);
      const other = await job(8);

      // Act
      await deliver(manual, { status: 'read', occurredAt: T0 + HOUR });
      await subject.milestones.record({ outboxId: other.outboxId, milestone: 'clicked', at: T0 + 2 * HOUR });

      // Assess
      const day = new Date(T0).toISOString().slice(0, 10);
      expect((await subject.milestones.read({ kind: 'sends', account: { channel: 'whatsapp', accountId: '106540352242922' }, from: day, to: day })).counts).toMatchObject({ read: 1, delivered: 1 });
      expect(await subject.touches.latest(contactOf(7), T0, T0 + HOUR)).toMatchObject({ outboxId: manual.outboxId, kind: 'read' });
      expect(await subject.touches.latest(contactOf(8), T0, T0 + 3 * HOUR)).toEqual({ outboxId: other.outboxId, kind: 'click', at: T0 + 2 * HOUR, campaignId });
      // Outside the window either way: before `since`, or after `until` (a touch after an order didn't lead to it).
      expect(await subject.touches.latest(contactOf(8), T0 + 3 * HOUR, T0 + 4 * HOUR)).toBeUndefined();
      expect(await subject.touches.latest(contactOf(8), T0, T0 + 2 * HOUR - 1)).toBeUndefined();
    });
  });
};
