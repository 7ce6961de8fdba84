import { engagedMessage } from '../../../lambdas/domain/measurement/engaged-message';
import type { OutboxRecord } from '../../../lambdas/ports/outbox';

const SENT = Date.parse('2026-12-06T10:00:00.400Z');
const record = (over: Partial<OutboxRecord> = {}): OutboxRecord =>
  ({
    outboxId: 'ob_engaged000000000000000001',
    idempotencyKey: 'weekly#2026-12-06T10:00:00.000Z#whatsapp#109876543210987#4915112345678',
    group: 'weekly#2026-12-06T10:00:00.000Z',
    intent: { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678', kind: 'marketing', author: 'bot', content: { type: 'text', text: 'Hi' } },
    status: 'sent',
    createdAt: SENT - 1_000,
    sentAt: SENT,
    delivery: { status: 'delivered', at: SENT + 2_000 },
    ...over,
  }) as unknown as OutboxRecord;

describe('engagedMessage: the message a reply answers', () => {
  it('counts a reply Meta stamped in the very second the message left (whole seconds)', () => {
    expect(engagedMessage([record()], Date.parse('2026-12-06T10:00:00.000Z'))?.outboxId).toBe('ob_engaged000000000000000001');
  });

  it('not one stamped a second before the message left, nor one after 72 hours', () => {
    expect(engagedMessage([record()], Date.parse('2026-12-06T09:59:59.000Z'))).toBeUndefined();
    expect(engagedMessage([record()], SENT + 72 * 3_600_000 + 1)).toBeUndefined();
  });
});
