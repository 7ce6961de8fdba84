/**
 * Interface under test: `GET /admin/reports/sends` through the admin handler (in-memory adapters):
 * beside the one-off sends' funnel, the account's orders no message led to, over the report's days.
 */
import type { Conversion } from '../../../lambdas/ports/conversions';
import { PAGE, PHONE } from '../../helpers/sample-ids';
import { adminRig } from './admin-rig';

const WHATSAPP = { channel: 'whatsapp' as const, accountId: PHONE };

const order = (orderId: string, occurredAt: string, amount: number, currency: string, extra: Partial<Conversion> = {}): Conversion => ({
  account: WHATSAPP,
  orderId,
  occurredAt: Date.parse(occurredAt),
  value: { amount, currency },
  recordedAt: Date.parse(occurredAt),
  ...extra,
});

describe('GET /admin/reports/sends', () => {
  it('answers the account’s unattributed orders of the days asked, by day and in total, per currency', async () => {
    // Prepare: unattributed orders in and out of the range, one of another account, one attributed
    const { call, conversions } = adminRig();
    await conversions.keep(order('SK-1', '2026-11-02T09:00:00Z', 20, 'EUR'));
    await conversions.keep(order('SK-2', '2026-11-02T23:59:59Z', 10.5, 'EUR'));
    await conversions.keep(order('SK-3', '2026-11-04T08:00:00Z', 7, 'USD'));
    await conversions.keep(order('SK-4', '2026-11-05T08:00:00Z', 99, 'EUR'));
    await conversions.keep(order('SK-5', '2026-11-02T10:00:00Z', 50, 'EUR', { account: { channel: 'messenger', accountId: PAGE } }));
    await conversions.keep(order('SK-6', '2026-11-02T11:00:00Z', 30, 'EUR', { touch: { outboxId: 'ob_1', kind: 'read', at: Date.parse('2026-11-02T10:00:00Z') } }));

    // Act
    const answer = await call('GET', '/admin/reports/sends', undefined, { ...WHATSAPP, from: '2026-11-01', to: '2026-11-04' });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.unattributed).toEqual({
      orders: 3,
      revenue: { EUR: 30.5, USD: 7 },
      days: [
        { day: '2026-11-02', orders: 2, revenue: { EUR: 30.5 } },
        { day: '2026-11-04', orders: 1, revenue: { USD: 7 } },
      ],
    });
  });

  it('answers no unattributed orders as zero, not absent', async () => {
    const { call } = adminRig();

    const answer = await call('GET', '/admin/reports/sends', undefined, { ...WHATSAPP, from: '2026-11-01', to: '2026-11-04' });

    expect(answer.body.unattributed).toEqual({ orders: 0, revenue: {}, days: [] });
  });
});
