/** Interface under test: priceUsage, what automation sent per day and rule priced at the dated price table. */
import { priceUsage, type UsageTally } from '../../../../lambdas/domain/automation/usage';

const tally = (over: Partial<UsageTally>): UsageTally => ({ day: '2026-12-06', rule: 'keyword', pricing: 'service', market: 'DE', count: 1, ...over });

describe('priceUsage', () => {
  it('prices WhatsApp service replies from 2026-10-01 at the market’s row, marked unconfirmed, per day and rule', () => {
    const report = priceUsage('whatsapp', [tally({ count: 3 }), tally({ rule: 'greeting', count: 2 }), tally({ day: '2026-12-07', count: 1 })], 'Europe/Berlin');

    expect(report.days.map((d) => [d.day, d.rule, d.sends, d.estimatedCost])).toEqual([
      ['2026-12-06', 'greeting', 2, { EUR: 0.0912 }],
      ['2026-12-06', 'keyword', 3, { EUR: 0.1368 }],
      ['2026-12-07', 'keyword', 1, { EUR: 0.0456 }],
    ]);
    expect(report.days[0]?.lines).toEqual([
      {
        pricing: 'service',
        market: 'DE',
        sends: 2,
        pricePerMessage: 0.0456,
        currency: 'EUR',
        amount: 0.0912,
        priceRow: { id: 'whatsapp.DE.service.2026-10', effectiveFrom: '2026-10-01', confirmed: false },
      },
    ]);
    expect(report.totals).toEqual({ sends: 6, refused: 0, estimatedCost: { EUR: 0.2736 }, unpriced: 0 });
  });

  it('prices a day before 2026-10-01 at the free row Meta states, and the day it starts at the new rate', () => {
    const report = priceUsage('whatsapp', [tally({ day: '2026-09-30' }), tally({ day: '2026-10-01' })], 'Europe/Berlin');

    expect(report.days.map((d) => [d.day, d.lines[0]?.amount, d.lines[0]?.priceRow])).toEqual([
      ['2026-09-30', 0, { id: 'whatsapp.default.service.2025-07', effectiveFrom: '2025-07-01', confirmed: true }],
      ['2026-10-01', 0.0456, { id: 'whatsapp.DE.service.2026-10', effectiveFrom: '2026-10-01', confirmed: false }],
    ]);
  });

  it('leaves a market with no known rate unpriced rather than guessing, and keeps refused sends out of the cost', () => {
    const report = priceUsage('whatsapp', [tally({ market: 'default', count: 2 }), tally({ pricing: null, count: 4 })], 'Europe/Berlin');

    expect(report.days).toEqual([
      expect.objectContaining({ sends: 2, refused: 4, estimatedCost: {}, unpriced: 2 }),
    ]);
    expect(report.days[0]?.lines[0]).toMatchObject({ pricePerMessage: null, amount: null, priceRow: { id: 'whatsapp.default.service.2026-10', confirmed: false } });
  });

  it('prices Messenger replies (the policy engine’s `free`) at nothing', () => {
    const report = priceUsage('messenger', [tally({ pricing: 'free', market: 'default', count: 5 })], 'Europe/Amsterdam');

    expect(report.totals).toEqual({ sends: 5, refused: 0, estimatedCost: {}, unpriced: 0 });
    expect(report.days[0]?.lines[0]).toMatchObject({ pricePerMessage: 0, amount: 0, currency: null, priceRow: null });
  });
});
