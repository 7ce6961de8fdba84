/** Interface under test: estimateCost / exceedsCap (campaign cost estimate), the dated PRICE_TABLE, and marketOf (recipient market). */
import { estimateCost, exceedsCap, type CostItem } from '../../../../lambdas/domain/campaign/cost-estimate';
import { PRICE_TABLE, type PriceRow } from '../../../../lambdas/domain/campaign/price-table';
import { marketOf } from '../../../../lambdas/domain/campaign/recipient-market';

const at = (isoDate: string): number => Date.parse(isoDate);
const justBefore = (isoDate: string): number => at(isoDate) - 1;

const whatsapp = (category: CostItem['category'], market: string, count: number): CostItem => ({ channel: 'whatsapp', category, market, count });

/** A test row for WhatsApp, in force since per-message pricing. */
const waRow = (id: string, market: string, category: CostItem['category'], pricePerMessage: number, currency: 'EUR' | 'USD'): PriceRow => ({
  id,
  channel: 'whatsapp',
  market,
  category,
  pricePerMessage,
  currency,
  effectiveFrom: '2025-07-01',
  source: 'test',
  note: 'test',
});

const onlyLine = (item: CostItem, atMs: number) => {
  const [line] = estimateCost({ items: [item], atMs }).lines;
  if (line === undefined) throw new Error('no line');
  return line;
};

describe('PRICE_TABLE', () => {
  it('has unique ids', () => {
    expect(new Set(PRICE_TABLE.map((row) => row.id)).size).toBe(PRICE_TABLE.length);
  });

  it('starts and ends rows only on Jan 1, Apr 1, Jul 1 or Oct 1, when WhatsApp rates may change', () => {
    const dates = PRICE_TABLE.flatMap((row) => (row.effectiveUntil === undefined ? [row.effectiveFrom] : [row.effectiveFrom, row.effectiveUntil]));
    for (const date of dates) expect(date).toMatch(/^\d{4}-(01|04|07|10)-01$/);
  });

  it('never has two rows in force for the same channel, market and category', () => {
    const ms = (date: string | undefined) => (date === undefined ? Infinity : at(date));
    for (const a of PRICE_TABLE) {
      const overlapping = PRICE_TABLE.filter(
        (b) =>
          b !== a &&
          b.channel === a.channel &&
          b.market === a.market &&
          b.category === a.category &&
          ms(b.effectiveFrom) < ms(a.effectiveUntil) &&
          ms(a.effectiveFrom) < ms(b.effectiveUntil),
      );
      expect(overlapping.map((row) => row.id)).toEqual([]);
    }
  });

  it('names a reference file and section as the source of every row', () => {
    for (const row of PRICE_TABLE) expect(row.source).toMatch(/^(whatsapp-cloud-api|messenger-platform)\.md §\d/);
  });

  it('marks every charged figure as illustrative, to be replaced from the rate-card CSV, with its currency', () => {
    const charged = PRICE_TABLE.filter((row): row is Extract<PriceRow, { pricePerMessage: number }> => (row.pricePerMessage ?? 0) > 0);
    expect(charged.length).toBeGreaterThan(0);
    for (const row of charged) {
      expect(row.note).toContain('Illustrative');
      expect(row.note).toContain('rate-card CSV');
      expect(row.source).toContain('[3P]');
      expect(row.currency).not.toBeNull();
    }
  });

  it('holds only the figures the reference gives', () => {
    const figures = new Set(PRICE_TABLE.map((row) => `${row.pricePerMessage ?? 'unknown'} ${row.currency ?? '-'}`));
    expect([...figures].sort()).toEqual(['0 -', '0.0456 EUR', '0.1131 EUR', '0.1597 USD', 'unknown -']);
  });
});

describe('estimateCost: dated rows', () => {
  it('prices nothing per message before per-message pricing (2025-07-01), German rates from then', () => {
    const before = onlyLine(whatsapp('marketing', 'DE', 10), justBefore('2025-07-01'));
    expect(before).toMatchObject({ pricePerMessage: null, amount: null, rowId: null });

    const after = onlyLine(whatsapp('marketing', 'DE', 10), at('2025-07-01'));
    expect(after).toMatchObject({ pricePerMessage: 0.1131, currency: 'EUR', amount: 1.131, rowId: 'whatsapp.DE.marketing.2025-07' });
  });

  it('keeps service messages free until 2026-10-01, then bills Germany at its utility rate', () => {
    const before = onlyLine(whatsapp('service', 'DE', 100), justBefore('2026-10-01'));
    expect(before).toMatchObject({ pricePerMessage: 0, amount: 0, currency: null, rowId: 'whatsapp.default.service.2025-07' });

    const after = onlyLine(whatsapp('service', 'DE', 100), at('2026-10-01'));
    expect(after).toMatchObject({ pricePerMessage: 0.0456, currency: 'EUR', amount: 4.56, rowId: 'whatsapp.DE.service.2026-10' });
  });

  it('does not price service messages from 2026-10-01 where no utility rate is known', () => {
    const estimate = estimateCost({ items: [whatsapp('service', 'FR', 7)], atMs: at('2026-10-01') });
    expect(estimate.lines[0]).toMatchObject({ amount: null, rowId: 'whatsapp.default.service.2026-10' });
    expect(estimate.unpriced).toBe(7);
  });

  it('uses the Netherlands row only from 2026-04-01', () => {
    expect(onlyLine(whatsapp('marketing', 'NL', 1), justBefore('2026-04-01'))).toMatchObject({
      amount: null,
      rowId: 'whatsapp.default.marketing.2025-07',
    });
    expect(onlyLine(whatsapp('marketing', 'NL', 1), at('2026-04-01'))).toMatchObject({ amount: 0.1597, currency: 'USD' });
  });

  it('costs the free category nothing at any date and on any channel', () => {
    for (const channel of ['whatsapp', 'messenger', 'instagram'] as const) {
      const line = onlyLine({ channel, category: 'free', market: 'default', count: 500 }, at('2024-01-01'));
      expect(line).toMatchObject({ pricePerMessage: 0, amount: 0 });
    }
  });

  it('reports the UTC date the table was read at', () => {
    expect(estimateCost({ items: [], atMs: at('2026-10-01') - 1 }).asOf).toBe('2026-09-30');
  });
});

describe('estimateCost: lookup', () => {
  const table: PriceRow[] = [
    waRow('wa.default.utility', 'default', 'utility', 0.01, 'USD'),
    waRow('wa.IT.utility', 'IT', 'utility', 0.02, 'EUR'),
  ];

  it("falls back to the default market's row when the market has none", () => {
    const { lines } = estimateCost({ items: [whatsapp('utility', 'IT', 1), whatsapp('utility', 'BR', 1)], atMs: at('2026-01-01'), table });
    expect(lines.map((line) => line.rowId)).toEqual(['wa.IT.utility', 'wa.default.utility']);
  });

  it('matches the channel: a WhatsApp row never prices a Messenger message', () => {
    const { lines, unpriced } = estimateCost({ items: [{ channel: 'messenger', category: 'utility', market: 'IT', count: 3 }], atMs: at('2026-01-01'), table });
    expect(lines[0]).toMatchObject({ rowId: null, amount: null });
    expect(unpriced).toBe(3);
  });

  it('rounds lines to 4 decimals and totals to 2, per currency, never summing EUR and USD', () => {
    const rounding: PriceRow[] = [
      waRow('wa.DE.marketing', 'DE', 'marketing', 0.123_456, 'EUR'),
      waRow('wa.NL.marketing', 'NL', 'marketing', 0.1597, 'USD'),
    ];
    const estimate = estimateCost({
      items: [whatsapp('marketing', 'DE', 1), whatsapp('marketing', 'DE', 3), whatsapp('marketing', 'NL', 3)],
      atMs: at('2026-01-01'),
      table: rounding,
    });
    expect(estimate.lines.map((line) => line.amount)).toEqual([0.1235, 0.3704, 0.4791]);
    expect(estimate.totalsByCurrency).toEqual({ EUR: 0.49, USD: 0.48 });
  });

  it('rejects counts that are not whole numbers ≥ 0', () => {
    expect(() => estimateCost({ items: [whatsapp('marketing', 'DE', -1)], atMs: at('2026-01-01') })).toThrow(RangeError);
    expect(() => estimateCost({ items: [whatsapp('marketing', 'DE', 1.5)], atMs: at('2026-01-01') })).toThrow(RangeError);
  });
});

describe('estimateCost: the shipped table', () => {
  it('says "not priced" for Messenger marketing messages instead of inventing a price', () => {
    const estimate = estimateCost({
      items: [{ channel: 'messenger', category: 'marketing_message', market: 'default', count: 250 }],
      atMs: at('2026-05-01'),
    });
    expect(estimate.lines[0]).toMatchObject({ pricePerMessage: null, currency: null, amount: null, rowId: 'messenger.default.marketing_message.2025-07' });
    expect(estimate.unpriced).toBe(250);
    expect(estimate.totalsByCurrency).toEqual({});
    expect(estimate.disclaimer).toMatch(/not priced/);
  });

  it('totals a mixed campaign per currency', () => {
    const estimate = estimateCost({
      items: [
        whatsapp('marketing', 'DE', 1000),
        whatsapp('utility', 'DE', 200),
        whatsapp('marketing', 'NL', 100),
        whatsapp('free', 'NL', 40),
        { channel: 'messenger', category: 'marketing_message', market: 'default', count: 10 },
      ],
      atMs: at('2026-06-15'),
    });
    expect(estimate.totalsByCurrency).toEqual({ EUR: 122.22, USD: 15.97 });
    expect(estimate.unpriced).toBe(10);
  });
});

describe('exceedsCap', () => {
  const eurOnly = (count: number) => estimateCost({ items: [whatsapp('marketing', 'DE', count)], atMs: at('2026-01-01') });

  it('compares a fully EUR-priced estimate with the cap (equal is within)', () => {
    expect(eurOnly(100).totalsByCurrency).toEqual({ EUR: 11.31 });
    expect(exceedsCap(eurOnly(100), 11.31)).toBe(false);
    expect(exceedsCap(eurOnly(100), 11.3)).toBe(true);
  });

  it('exceeds as soon as one message is unpriced, however high the cap', () => {
    const estimate = estimateCost({ items: [whatsapp('marketing', 'FR', 1)], atMs: at('2026-01-01') });
    expect(exceedsCap(estimate, 1_000_000)).toBe(true);
  });

  it('does not exceed on unpriced items of count 0, nor on free messages', () => {
    const estimate = estimateCost({
      items: [whatsapp('marketing', 'FR', 0), whatsapp('free', 'FR', 10_000)],
      atMs: at('2026-01-01'),
    });
    expect(exceedsCap(estimate, 0)).toBe(false);
  });

  it('exceeds on any amount in another currency, which it cannot convert', () => {
    const estimate = estimateCost({ items: [whatsapp('marketing', 'NL', 1)], atMs: at('2026-04-01') });
    expect(exceedsCap(estimate, 1_000_000)).toBe(true);
  });
});

describe('marketOf', () => {
  it.each([
    ['4915123456789', 'DE'],
    ['31612345678', 'NL'],
    ['447700900123', 'GB'],
    ['33612345678', 'FR'],
    ['393123456789', 'IT'],
    ['34612345678', 'ES'],
    ['436641234567', 'AT'],
    ['41791234567', 'CH'],
    ['919876543210', 'IN'],
    ['5511912345678', 'BR'],
    ['5215512345678', 'MX'],
    ['6281234567890', 'ID'],
    ['16505551234', 'US'],
    ['14165551234', 'US'],
  ])('maps wa_id %s to %s', (waId, country) => {
    expect(marketOf('whatsapp', waId)).toBe(country);
  });

  it('takes the longest matching prefix: a Jamaican +1 876 number is JM, not US', () => {
    expect(marketOf('whatsapp', '18765551234')).toBe('JM');
  });

  it('returns default for unlisted calling codes and for ids that are not phone numbers (BSUIDs)', () => {
    expect(marketOf('whatsapp', '8613812345678')).toBe('default');
    expect(marketOf('whatsapp', 'AbC123xyz789')).toBe('default');
    expect(marketOf('whatsapp', '')).toBe('default');
  });

  it('returns default for Messenger and Instagram ids, which carry no country', () => {
    expect(marketOf('messenger', '4915123456789')).toBe('default');
    expect(marketOf('instagram', '31612345678')).toBe('default');
  });
});

describe('marketing_lite (WhatsApp Marketing Messages API)', () => {
  it('is priced at the market’s marketing rate when it has no row of its own', () => {
    const [line] = estimateCost({ items: [whatsapp('marketing_lite', 'DE', 10)], atMs: at('2026-12-01') }).lines;
    expect(line).toMatchObject({ category: 'marketing_lite', pricePerMessage: 0.1131, currency: 'EUR', amount: 1.131, rowId: 'whatsapp.DE.marketing.2025-07' });
  });

  it('falls back to the default market like marketing does: unpriced there', () => {
    const estimate = estimateCost({ items: [whatsapp('marketing_lite', 'FR', 3)], atMs: at('2026-12-01') });
    expect(estimate.lines[0]).toMatchObject({ amount: null, rowId: 'whatsapp.default.marketing.2025-07' });
    expect(estimate.unpriced).toBe(3);
  });

  it('prefers a row of its own (a future max-price or MM API rate card) over the marketing row', () => {
    const own = waRow('whatsapp.DE.marketing_lite.2026-10', 'DE', 'marketing_lite', 0.09, 'EUR');
    const [line] = estimateCost({ items: [whatsapp('marketing_lite', 'DE', 1)], atMs: at('2026-12-01'), table: [...PRICE_TABLE, own] }).lines;
    expect(line).toMatchObject({ pricePerMessage: 0.09, rowId: own.id });
  });
});
