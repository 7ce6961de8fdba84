/** Interface under test: fitCostCap(sends, { maxCostEur, spentEur, atMs }), the dispatcher's per-page cut to a campaign's EUR cost cap. */
import { fitCostCap } from '../../../../lambdas/domain/campaign/cost-cap';
import type { PlannedSend } from '../../../../lambdas/domain/campaign/plan-dispatch';
import type { PricingCategory, RouteName } from '../../../../lambdas/domain/send/policy-types';
import type { SendIntent } from '../../../../lambdas/domain/send/send-intent';

const at = (iso: string): number => Date.parse(iso);
/** After the Netherlands got its own (USD) row, before service messages became billable. */
const MAY_2026 = at('2026-05-18T10:00:00Z');
const WA = '109876543210987';
const PAGE = '1234567890123456';
/** Germany's illustrative marketing-template price in the shipped table. */
const DE_MARKETING_EUR = 0.1131;

let serial = 0;
const send = (channel: SendIntent['channel'], userId: string, pricing: PricingCategory, route: RouteName = 'whatsapp.template'): PlannedSend => {
  serial += 1;
  return {
    idempotencyKey: `weekly-deals#2026-05-18T10:00:00.000Z#${channel}#${userId}#${serial}`,
    intent: {
      channel,
      accountId: channel === 'whatsapp' ? WA : PAGE,
      userId,
      kind: 'marketing',
      author: 'bot',
      content: { type: 'template', name: 'spring_sale', language: 'en' },
    },
    route,
    pricing,
    delaySeconds: 0,
  };
};

/** A German wa_id: WhatsApp marketing priced in EUR. */
const german = (n: number) => send('whatsapp', `4915100000${String(n).padStart(3, '0')}`, 'marketing');
/** A Dutch wa_id: WhatsApp marketing priced in USD from 2026-04-01. */
const dutch = (n: number) => send('whatsapp', `3161200${String(n).padStart(4, '0')}`, 'marketing');
/** A reply inside the window: free. */
const free = (n: number) => send('whatsapp', `4915199999${String(n).padStart(3, '0')}`, 'free', 'whatsapp.free_form');
/** A Messenger Marketing Message API send: Meta publishes no per-message price. */
const messengerMarketing = (n: number) => send('messenger', `65432109876${String(n).padStart(5, '0')}`, 'marketing_message', 'messenger.marketing_message');

const fit = (sends: PlannedSend[], maxCostEur: number, spentEur = 0, atMs = MAY_2026) => fitCostCap(sends, { maxCostEur, spentEur, atMs });
const keys = (sends: readonly PlannedSend[]) => sends.map((s) => s.idempotencyKey);

describe('fitCostCap: EUR-priced sends', () => {
  it('keeps sends in plan order while the spend stays within the cap, and cuts the rest', () => {
    const sends = [german(1), german(2), german(3), german(4), german(5)];
    const result = fit(sends, 0.3);
    expect(keys(result.kept)).toEqual(keys(sends.slice(0, 2)));
    expect(result.cut).toBe(3);
    expect(result.spentEur).toBe(2 * DE_MARKETING_EUR);
  });

  it('keeps a send that brings the spend exactly to the cap, without float drift', () => {
    // 3 × 0.1131 is 0.33930000000000005 in floating point.
    const sends = [german(1), german(2), german(3)];
    const result = fit(sends, 0.3393);
    expect(result.kept).toHaveLength(3);
    expect(result.cut).toBe(0);
    expect(result.spentEur).toBe(0.3393);
    expect(fit(sends, 0.3392).kept).toHaveLength(2);
  });

  it('never rounds a cap with more decimals up past a send', () => {
    expect(fit([german(1)], 0.11305).kept).toHaveLength(0);
  });

  it('counts what earlier pages of the occurrence spent', () => {
    const sends = [german(1), german(2), german(3)];
    const result = fit(sends, 0.3393, 2 * DE_MARKETING_EUR);
    expect(keys(result.kept)).toEqual(keys(sends.slice(0, 1)));
    expect(result.cut).toBe(2);
    expect(result.spentEur).toBe(0.3393);
  });

  it('keeps no priced send once earlier pages spent the whole cap', () => {
    const result = fit([german(1)], 0.3393, 0.3393);
    expect(result).toEqual({ kept: [], cut: 1, spentEur: 0.3393 });
  });

  it('returns what was spent before when the page is empty', () => {
    expect(fit([], 5, 1.25)).toEqual({ kept: [], cut: 0, spentEur: 1.25 });
  });
});

describe('fitCostCap: free sends', () => {
  it('always fits free sends, even with the cap spent, keeping plan order', () => {
    const sends = [german(1), free(1), german(2), free(2)];
    const result = fit(sends, DE_MARKETING_EUR);
    expect(keys(result.kept)).toEqual(keys([sends[0], sends[1], sends[3]] as PlannedSend[]));
    expect(result.cut).toBe(1);
    expect(result.spentEur).toBe(DE_MARKETING_EUR);
  });

  it('fits service messages while they are free, and prices them at the firing’s date once Germany bills them', () => {
    const service = [1, 2, 3].map((n) => send('whatsapp', `4915100000${n}00`, 'service', 'whatsapp.free_form'));
    expect(fit(service, 0.05, 0, at('2026-09-30T23:59:59Z')).kept).toHaveLength(3);
    const billed = fit(service, 0.05, 0, at('2026-10-01T00:00:00Z'));
    expect(billed.kept).toHaveLength(1);
    expect(billed.spentEur).toBe(0.0456);
  });
});

describe('fitCostCap: sends with no EUR price', () => {
  it('cuts Messenger marketing messages, which have no known price, however high the cap', () => {
    const result = fit([messengerMarketing(1), messengerMarketing(2)], 1_000_000);
    expect(result).toEqual({ kept: [], cut: 2, spentEur: 0 });
  });

  it('cuts Dutch marketing, priced in USD, and keeps the German sends around it', () => {
    const sends = [dutch(1), german(1), dutch(2), german(2)];
    const result = fit(sends, 1_000_000);
    expect(keys(result.kept)).toEqual(keys([sends[1], sends[3]] as PlannedSend[]));
    expect(result.cut).toBe(2);
    expect(result.spentEur).toBe(2 * DE_MARKETING_EUR);
  });

  it('cuts Dutch marketing before the Netherlands had a row too: the default market has no price', () => {
    expect(fit([dutch(1)], 1_000_000, 0, at('2026-03-31T23:59:59Z')).cut).toBe(1);
  });

  it('reads the market from the wa_id: a German BSUID is not a phone number and so has no price', () => {
    const bsuid = send('whatsapp', 'DE.88201734659910273645', 'marketing');
    expect(fit([bsuid, german(1)], 1_000_000).kept.map((s) => s.intent.userId)).toEqual([german(1).intent.userId]);
  });
});
