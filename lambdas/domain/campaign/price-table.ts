import type { Channel } from '../events';
import type { PricingCategory } from '../send/policy-types';
import { DEFAULT_MARKET } from './recipient-market';

export type PriceCurrency = 'EUR' | 'USD';

interface PriceRowBase {
  /** Unique: `<channel>.<market>.<category>.<first month>`; reported on every estimate line it prices. */
  id: string;
  /** Instagram has no paid message category in afterchat: only these two channels are priced. */
  channel: Extract<Channel, 'whatsapp' | 'messenger'>;
  /** ISO 3166-1 alpha-2 of the recipient, or `default` for every market without its own row. */
  market: string;
  category: PricingCategory;
  /** First instant the row applies (ISO date = 00:00 UTC that day). */
  effectiveFrom: string;
  /** First instant the row no longer applies (exclusive); absent = until a newer rate card replaces it. */
  effectiveUntil?: string;
  /** The reference file and section the figure comes from. */
  source: string;
  /** Where the figure comes from and how far to trust it. */
  note: string;
  /** Meta's own pages state the figure ([M]); absent: a third party's figure or an assumption, shown as unconfirmed. */
  confirmed?: true;
}

/**
 * A known price, or `unknown` when no figure exists: estimates then say "not priced" rather than
 * inventing one. A price of 0 needs no currency (free in every currency).
 */
export type PriceRow = PriceRowBase &
  (
    | { unknown?: false; pricePerMessage: number; currency: PriceCurrency | null }
    | { unknown: true; pricePerMessage: null; currency: null }
  );

/**
 * Categories billed at another category's rates when they have no row of their own. The WhatsApp
 * Marketing Messages API has "the same webhook and billing model as Cloud API" (whatsapp-cloud-api.md
 * §7): its `marketing_lite` deliveries price as the market's `marketing` template. Max price (open
 * beta from 2026-10-01, meta-and-peers-2026h2.md §2.2) only caps that per template: not modelled.
 */
export const PRICED_AS: Readonly<Partial<Record<PricingCategory, PricingCategory>>> = { marketing_lite: 'marketing' };

const RATE_CARD =
  "Illustrative, not Meta's figure: replace from Meta's rate-card CSV linked on the pricing page (whatsapp-cloud-api.md §5.8 M-PRICE, §9 (4)).";

/**
 * What Meta charges per delivered message, by channel, recipient market and pricing category, as
 * dated data: a new rate card is new rows here, never a code change. WhatsApp rates change only on
 * Jan 1, Apr 1, Jul 1 and Oct 1, so every date below is one of those.
 *
 * The table starts with WhatsApp per-message pricing (2025-07-01): before it Meta billed per
 * conversation, which a per-message table cannot price. Category `free` (replies inside the window,
 * and WhatsApp utility templates inside the window until 2026-10-01, as the policy engine's
 * `whatsapp.pricing.*` rules decide) costs nothing by definition and has no rows.
 */
export const PRICE_TABLE: readonly PriceRow[] = [
  {
    id: 'whatsapp.default.service.2025-07',
    channel: 'whatsapp',
    market: DEFAULT_MARKET,
    category: 'service',
    pricePerMessage: 0,
    currency: null,
    effectiveFrom: '2025-07-01',
    effectiveUntil: '2026-10-01',
    source: 'whatsapp-cloud-api.md §0, §5.8 [M] M-PRICE',
    note: 'Non-template (service) messages are free in every market until 2026-10-01.',
    confirmed: true,
  },
  {
    id: 'whatsapp.default.service.2026-10',
    channel: 'whatsapp',
    market: DEFAULT_MARKET,
    category: 'service',
    unknown: true,
    pricePerMessage: null,
    currency: null,
    effectiveFrom: '2026-10-01',
    source: 'whatsapp-cloud-api.md §5.8 [M] M-PRICE26, [3P] BSPs; §9 (2)',
    note: `Billable from 2026-10-01 at a rate not found; BSPs [3P] say the market's utility rate, unknown for the default market. The per-number free tier's size is unknown, so none is assumed. ${RATE_CARD}`,
  },
  {
    id: 'whatsapp.default.marketing.2025-07',
    channel: 'whatsapp',
    market: DEFAULT_MARKET,
    category: 'marketing',
    unknown: true,
    pricePerMessage: null,
    currency: null,
    effectiveFrom: '2025-07-01',
    source: 'whatsapp-cloud-api.md §5.8 [M] M-PRICE',
    note: `The reference gives no rate for markets without their own row. ${RATE_CARD}`,
  },
  {
    id: 'whatsapp.default.utility.2025-07',
    channel: 'whatsapp',
    market: DEFAULT_MARKET,
    category: 'utility',
    unknown: true,
    pricePerMessage: null,
    currency: null,
    effectiveFrom: '2025-07-01',
    source: 'whatsapp-cloud-api.md §5.8 [M] M-PRICE',
    note: `The reference gives no rate for markets without their own row. ${RATE_CARD}`,
  },
  {
    id: 'whatsapp.default.authentication.2025-07',
    channel: 'whatsapp',
    market: DEFAULT_MARKET,
    category: 'authentication',
    unknown: true,
    pricePerMessage: null,
    currency: null,
    effectiveFrom: '2025-07-01',
    source: 'whatsapp-cloud-api.md §5.8 [M] M-PRICE',
    note: `The reference gives no rate for markets without their own row. ${RATE_CARD}`,
  },
  {
    id: 'whatsapp.DE.marketing.2025-07',
    channel: 'whatsapp',
    market: 'DE',
    category: 'marketing',
    pricePerMessage: 0.1131,
    currency: 'EUR',
    effectiveFrom: '2025-07-01',
    source: 'whatsapp-cloud-api.md §5.8 (rough figures) [3P] hello-charles; §9 (4)',
    note: `Germany 2025, ≈ €0.1131 per delivered marketing template, carried forward until replaced; another BSP [3P] says €0.11–0.22. ${RATE_CARD}`,
  },
  {
    id: 'whatsapp.DE.utility.2025-07',
    channel: 'whatsapp',
    market: 'DE',
    category: 'utility',
    pricePerMessage: 0.0456,
    currency: 'EUR',
    effectiveFrom: '2025-07-01',
    source: 'whatsapp-cloud-api.md §5.8 (rough figures) [3P] hello-charles; §9 (4)',
    note: `Germany 2025, ≈ €0.0456 per delivered utility template outside the window, carried forward until replaced; volume tiers would lower it. ${RATE_CARD}`,
  },
  {
    id: 'whatsapp.DE.authentication.2025-07',
    channel: 'whatsapp',
    market: 'DE',
    category: 'authentication',
    pricePerMessage: 0.0456,
    currency: 'EUR',
    effectiveFrom: '2025-07-01',
    source: 'whatsapp-cloud-api.md §5.8 (rough figures) [3P] hello-charles; §9 (4)',
    note: `Germany 2025, ≈ €0.0456 per delivered authentication template, carried forward until replaced; volume tiers would lower it. ${RATE_CARD}`,
  },
  {
    id: 'whatsapp.DE.service.2026-10',
    channel: 'whatsapp',
    market: 'DE',
    category: 'service',
    pricePerMessage: 0.0456,
    currency: 'EUR',
    effectiveFrom: '2026-10-01',
    source: 'whatsapp-cloud-api.md §5.8 [M] M-PRICE26, [3P] BSPs, [3P] hello-charles; §9 (2)',
    note: `Assumption: Meta has published no service rate; BSPs [3P] say the market's utility rate, so Germany's utility figure (€0.0456) is used, with no free tier. ${RATE_CARD}`,
  },
  {
    id: 'whatsapp.NL.marketing.2026-04',
    channel: 'whatsapp',
    market: 'NL',
    category: 'marketing',
    pricePerMessage: 0.1597,
    currency: 'USD',
    effectiveFrom: '2026-04-01',
    source: 'whatsapp-cloud-api.md §5.8 (rough figures) [3P] formbeep',
    note: `Netherlands, Apr 2026, $0.1597 per delivered marketing template (the most expensive market then), carried forward until replaced; earlier quarters fall back to the default row. ${RATE_CARD}`,
  },
  {
    id: 'messenger.default.marketing_message.2025-07',
    channel: 'messenger',
    market: DEFAULT_MARKET,
    category: 'marketing_message',
    unknown: true,
    pricePerMessage: null,
    currency: null,
    effectiveFrom: '2025-07-01',
    source: 'messenger-platform.md §5',
    note: 'Marketing Message API (launched 2025-07-01): billed per delivered message on the ad account, with no public per-message price. The actual spend is in Ads Insights (marketing_messages_spend, …_cost_per_delivered).',
  },
  {
    id: 'messenger.default.utility.2025-07',
    channel: 'messenger',
    market: DEFAULT_MARKET,
    category: 'utility',
    unknown: true,
    pricePerMessage: null,
    currency: null,
    effectiveFrom: '2025-07-01',
    source: 'messenger-platform.md §3.3, §5',
    note: 'The reference says nothing about utility-template prices on Messenger: not claimed free, not priced. The date is the start of this table, not a Meta change.',
  },
];
