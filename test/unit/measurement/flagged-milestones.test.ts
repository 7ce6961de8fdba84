import { flaggedMilestones, statusMilestones } from '../../../lambdas/domain/measurement/status-milestones';
import type { StatusReport } from '../../../lambdas/ports/funnel-milestones';
import type { OutboxRecord } from '../../../lambdas/ports/outbox';

const SENT = Date.parse('2026-12-06T10:00:00.000Z');
const PRICING = { category: 'marketing', billable: true };
const record = (over: Partial<OutboxRecord> = {}): OutboxRecord =>
  ({
    outboxId: 'ob_flagged000000000000000001',
    idempotencyKey: 'weekly#2026-12-06T10:00:00.000Z#whatsapp#109876543210987#4915112345678',
    group: 'weekly#2026-12-06T10:00:00.000Z',
    intent: { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678', kind: 'marketing', author: 'bot', content: { type: 'text', text: 'Hi' } },
    status: 'sent',
    createdAt: SENT - 1_000,
    sentAt: SENT,
    ...over,
  }) as unknown as OutboxRecord;

const names = (events: { milestone: string }[]) => events.map((e) => e.milestone).sort();

describe('flaggedMilestones: what a write of an outbox record reached first, from the stream images', () => {
  it('a delivery that set its flag counts delivered, and billed at the pricing the record holds after it', () => {
    const before = record({ delivery: { status: 'sent', at: SENT } });
    const after = record({ delivery: { status: 'delivered', at: SENT + 2000, pricing: PRICING }, milestones: { delivered: 0 } });

    const events = flaggedMilestones(before, after);

    expect(names(events)).toEqual(['billed', 'delivered']);
    expect(events.find((e) => e.milestone === 'billed')?.pricing).toEqual({ category: 'marketing', billable: true, market: 'DE' });
  });

  it('a read that overtook its delivery counts both; a read after it, read alone; a write that set no flag, nothing', () => {
    const sent = record({ delivery: { status: 'sent', at: SENT } });
    const delivered = record({ delivery: { status: 'delivered', at: SENT + 2000 }, milestones: { delivered: 0 } });
    const read = record({ delivery: { status: 'read', at: SENT + 60_000 }, milestones: { delivered: 0, read: 0 } });

    expect(names(flaggedMilestones(sent, read))).toEqual(['delivered', 'read']);
    expect(names(flaggedMilestones(delivered, read))).toEqual(['read']);
    expect(flaggedMilestones(read, record({ ...read, delivery: { status: 'read', at: SENT + 60_000, pricing: PRICING } }))).toEqual([]);
  });

  it('a failure counts in its bucket by the failure the record holds after it, with its code and title', () => {
    const before = record({ delivery: { status: 'sent', at: SENT } });
    const limited = record({ delivery: { status: 'failed', at: SENT + 1000, failure: { code: 131049, title: 'ecosystem', at: SENT + 1000 } }, milestones: { failed: 0 } });
    const failed = record({ delivery: { status: 'failed', at: SENT + 1000, failure: { code: 131026, title: 'undeliverable', at: SENT + 1000 } }, milestones: { failed: 0 } });

    expect(flaggedMilestones(before, limited)).toEqual([{ outboxId: before.outboxId, milestone: 'limited', at: SENT + 1000, errorCode: 131049, errorTitle: 'ecosystem' }]);
    expect(flaggedMilestones(before, failed)).toEqual([{ outboxId: before.outboxId, milestone: 'failed', at: SENT + 1000, errorCode: 131026, errorTitle: 'undeliverable' }]);
  });

  it("the sender's write that ended the job on Meta's refusal at the send call counts it by the record's code and title, in its bucket", () => {
    const claimed = record({ status: 'claimed', sentAt: undefined });
    const refused = (code: number, title: string) => record({ status: 'failed', sentAt: undefined, errorCode: code, errorTitle: title, updatedAt: SENT + 500, milestones: { failed: SENT + 500 } });

    expect(flaggedMilestones(claimed, refused(131047, 'Re-engagement message'))).toEqual([
      { outboxId: claimed.outboxId, milestone: 'failed', at: SENT + 500, errorCode: 131047, errorTitle: 'Re-engagement message', refusedAtSend: true },
    ]);
    expect(flaggedMilestones(claimed, refused(131049, 'ecosystem'))).toEqual([{ outboxId: claimed.outboxId, milestone: 'limited', at: SENT + 500, errorCode: 131049, errorTitle: 'ecosystem', refusedAtSend: true }]);
  });

  it('names what statusMilestones names for the status the write carried', () => {
    const before = record({ delivery: { status: 'sent', at: SENT } });
    const cases: [StatusReport, OutboxRecord][] = [
      [{ outboxId: before.outboxId, status: 'delivered', occurredAt: SENT + 2000, pricing: PRICING }, record({ delivery: { status: 'delivered', at: SENT + 2000, pricing: PRICING }, milestones: { delivered: 0 } })],
      [{ outboxId: before.outboxId, status: 'read', occurredAt: SENT + 60_000 }, record({ delivery: { status: 'read', at: SENT + 60_000 }, milestones: { delivered: 0, read: 0 } })],
      [
        { outboxId: before.outboxId, status: 'failed', occurredAt: SENT + 1000, error: { code: 131049, title: 'x' } },
        record({ delivery: { status: 'failed', at: SENT + 1000, failure: { code: 131049, title: 'x', at: SENT + 1000 } }, milestones: { failed: 0 } }),
      ],
    ];
    for (const [report, after] of cases) expect(flaggedMilestones(before, after)).toEqual(statusMilestones(before, report));
  });
});
