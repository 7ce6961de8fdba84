/** Interface under test: funnelReport (lambdas/domain/measurement/funnel-report.ts), the admin reports' numbers from counters alone. */
import { estimateCost } from '../../../lambdas/domain/campaign/cost-estimate';
import { funnelReport } from '../../../lambdas/domain/measurement/funnel-report';

const AT = Date.UTC(2026, 11, 1);

describe('a funnel report from counters', () => {
  it('gives Meta’s rates, limits apart from failures with Meta’s titles, billed cost from the dated table, revenue and ROAS', () => {
    // Prepare: 10 sent (reported), 6 delivered, 3 read, 2 clicked, 1 converted for 49.90 EUR, 2 limited, 2 failed
    const tally = {
      counts: { delivered: 6, read: 3, clicked: 2, replied: 1, converted: 1, opted_out: 1, limited: 2, limited_131049: 2, failed: 2, failed_131050: 2, billed: 6, billed_marketing__DE: 6, revenue_EUR: 49_900_000 },
      titles: { '131049': 'This message was not delivered to maintain healthy ecosystem engagement.' },
    };

    // Act
    const report = funnelReport({ tally, channels: ['whatsapp', 'instagram'], atMs: AT });

    // Assess
    expect(report).toMatchObject({ sent: 10, sentBasis: 'reported', delivered: 6, read: 3, clicked: 2, converted: 1, optedOut: 1 });
    expect(report.limited).toEqual({ total: 2, byCode: [{ code: 131049, count: 2, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }] });
    expect(report.failed).toEqual({ total: 2, byCode: [{ code: 131050, count: 2, title: null }] });
    expect(report.rates).toEqual({ deliveryRate: 0.6, readRate: 0.5, clickThroughRate: 0.3333, replyRate: 0.1667, conversionRate: 0.1667, optOutRate: 0.1667 });
    const billed = report.money.billed.cost.totalsByCurrency;
    expect(report.money.billed.messages).toBe(6);
    // Six billable marketing messages to Germany, priced by the dated table at the report's time.
    const expected = estimateCost({ items: [{ channel: 'whatsapp', category: 'marketing', market: 'DE', count: 6 }], atMs: AT }).totalsByCurrency;
    expect(Object.keys(expected)).toEqual(['EUR']);
    expect(billed).toEqual(expected);
    const total = expected.EUR as number;
    expect(total).toBeGreaterThan(0);
    expect(report.money.revenue).toEqual({ EUR: 49.9 });
    expect(report.money.costPerDelivered.EUR).toBeCloseTo(total / 6, 4);
    expect(report.money.roas.EUR).toBe(Math.round((49.9 / total) * 10_000) / 10_000);
    expect(report.caveats.join(' ')).toMatch(/no amount/);
    expect(report.caveats.join(' ')).toMatch(/Instagram reports no delivered/);
  });

  it('lists the billed cost by category and market, whatever order the counters come in', () => {
    const counts = { delivered: 5, billed_marketing__NL: 1, billed_utility__DE: 1, billed_marketing__DE: 3 };
    const lines = (order: string[]) =>
      funnelReport({ tally: { counts: Object.fromEntries(order.map((name) => [name, counts[name as keyof typeof counts]])), titles: {} }, channels: ['whatsapp'], atMs: AT }).money.billed.cost.lines.map((l) => `${l.category} ${l.market}`);

    expect(lines(Object.keys(counts))).toEqual(['marketing DE', 'marketing NL', 'utility DE']);
    expect(lines(Object.keys(counts).reverse())).toEqual(['marketing DE', 'marketing NL', 'utility DE']);
  });

  it('leaves out of sent the failures Meta answered the send call with: it never accepted those messages', () => {
    const tally = { counts: { delivered: 4, failed: 3, failed_132015: 2, failed_131050: 1, refused_at_send: 2 }, titles: {} };

    const report = funnelReport({ tally, channels: ['whatsapp'], atMs: AT });

    expect(report).toMatchObject({ sent: 5, sentBasis: 'reported', failed: { total: 3 } });
    expect(report.rates.deliveryRate).toBe(0.8);
  });

  it('answers null rates rather than dividing by zero', () => {
    const report = funnelReport({ tally: { counts: {}, titles: {} }, channels: [], atMs: AT, sent: 0 });
    expect(report.rates.readRate).toBeNull();
    expect(report.rates.deliveryRate).toBeNull();
    expect(report.sentBasis).toBe('sender');
  });
});
