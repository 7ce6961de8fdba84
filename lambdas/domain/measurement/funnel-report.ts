import { estimateCost, type CostEstimate } from '../campaign/cost-estimate';
import type { PriceRow } from '../campaign/price-table';
import type { Channel } from '../events';
import type { PricingCategory } from '../send/policy-types';
import { MICROS, type FunnelTally } from './funnel-counts';

/** A failure (or a limit) by Meta's error code, with Meta's title as a status webhook gave it. */
export interface CodeCount {
  code: number;
  count: number;
  title: string | null;
}

/** A rate as Meta defines it, or null when its denominator is 0. */
export type Rate = number | null;

export interface FunnelReport {
  /** Messages Meta accepted: the sender's count when the scope has one, else the messages Meta reported an outcome for (`sentBasis`). */
  sent: number;
  sentBasis: 'sender' | 'reported';
  delivered: number;
  read: number;
  clicked: number;
  /** People who answered within 72 h of the delivery, once per message. */
  replied: number;
  converted: number;
  /** Opt-outs (STOP or WhatsApp's marketing preference) within 72 h of the delivery. */
  optedOut: number;
  /** Meta's marketing limits (WhatsApp 131049, Messenger's marketing message limits): their own bucket, not failures. */
  limited: { total: number; byCode: CodeCount[] };
  failed: { total: number; byCode: CodeCount[] };
  rates: {
    /** delivered / sent */
    deliveryRate: Rate;
    /** read / delivered */
    readRate: Rate;
    /** clicked / delivered */
    clickThroughRate: Rate;
    /** replied / delivered */
    replyRate: Rate;
    /** converted / delivered */
    conversionRate: Rate;
    /** opted out / delivered */
    optOutRate: Rate;
  };
  money: {
    /** Before the send: the campaign's estimate, when the scope has one. */
    estimated: Record<string, number> | null;
    /** After: the messages Meta reported billable, by its pricing category and the recipient's market, priced from the dated table. */
    billed: { messages: number; notBillable: number; cost: CostEstimate };
    /** Conversion value by currency. */
    revenue: Record<string, number>;
    /** Per currency of the billed cost. */
    costPerDelivered: Record<string, Rate>;
    costPerClick: Record<string, Rate>;
    costPerConversion: Record<string, Rate>;
    /** revenue / billed cost, where both are in the same currency (never converted). */
    roas: Record<string, Rate>;
  };
  /** What the numbers can't say, per channel in the scope: shown, not hidden. */
  caveats: string[];
}

export interface FunnelReportInput {
  tally: FunnelTally;
  /** Channels of the scope's messages, for their caveats. */
  channels: readonly Channel[];
  /** The sender's count of messages Meta accepted, when the scope keeps one. */
  sent?: number;
  estimated?: Record<string, number>;
  /** When the messages went out: the price table's rows in force then price the billed ones. */
  atMs: number;
  table?: readonly PriceRow[];
}

const ALWAYS = [
  "Meta's webhooks carry no amount: billed cost is the pricing category and billable flag Meta reported, priced from afterchat's dated price table (an estimate of Meta's invoice, not the invoice).",
  'Replies and opt-outs count within 72 h of the delivery, once per message; clicks once per message (link previews excluded).',
];
const CHANNEL_CAVEATS: Partial<Record<Channel, string>> = {
  instagram: 'Instagram reports no delivered status: its delivery and read rates are not comparable with the other channels.',
  messenger: 'Messenger reads are watermarks ("read everything up to"), not per-message reports: reads of Messenger messages are not counted per message.',
};

const rate = (numerator: number, denominator: number): Rate => (denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000);
const money = (amount: number): number => Math.round(amount * 10_000) / 10_000;

const byCode = (tally: FunnelTally, prefix: 'failed' | 'limited'): CodeCount[] =>
  Object.entries(tally.counts)
    .filter(([name]) => name.startsWith(`${prefix}_`))
    .map(([name, count]) => {
      const code = Number(name.slice(prefix.length + 1));
      return { code, count, title: tally.titles[String(code)] ?? null };
    })
    .sort((a, b) => b.count - a.count || a.code - b.code);

const KNOWN_CATEGORIES = new Set<string>(['service', 'utility', 'marketing', 'marketing_lite', 'authentication', 'marketing_message']);

/**
 * `billed_<category>__<market>` counters as price-table items: Meta's pricing object is WhatsApp's.
 * By category and market: the counters come in whatever order their shards answer, a report doesn't.
 */
const billedItems = (tally: FunnelTally) =>
  Object.entries(tally.counts)
    .flatMap(([name, count]) => {
      const match = /^billed_(.+)__(.+)$/.exec(name);
      if (!match || count === 0) return [];
      const [, category, market] = match as unknown as [string, string, string];
      return [{ channel: 'whatsapp' as const, category: (KNOWN_CATEGORIES.has(category) ? category : `unpriced_${category}`) as PricingCategory, market, count }];
    })
    .sort((a, b) => a.category.localeCompare(b.category) || a.market.localeCompare(b.market));

const perCurrency = (totals: Record<string, number>, denominator: number): Record<string, Rate> =>
  Object.fromEntries(Object.entries(totals).map(([currency, total]) => [currency, denominator === 0 ? null : money(total / denominator)]));

/** A scope's funnel from its counters alone: numbers, Meta's rates, money and caveats. */
export const funnelReport = (input: FunnelReportInput): FunnelReport => {
  const n = (name: string): number => input.tally.counts[name] ?? 0;
  const limited = { total: n('limited'), byCode: byCode(input.tally, 'limited') };
  const failed = { total: n('failed'), byCode: byCode(input.tally, 'failed') };
  const delivered = n('delivered');
  const sentBasis = input.sent === undefined ? 'reported' : 'sender';
  // Reported outcomes, less the messages Meta refused at the send call: those were never accepted.
  const sent = input.sent ?? delivered + failed.total + limited.total - n('refused_at_send');
  const cost = estimateCost({ items: billedItems(input.tally), atMs: input.atMs, ...(input.table ? { table: input.table } : {}) });
  const revenue = Object.fromEntries(
    Object.entries(input.tally.counts)
      .filter(([name]) => name.startsWith('revenue_'))
      .map(([name, micros]) => [name.slice('revenue_'.length), money(micros / MICROS)]),
  );
  const notBillable = Object.entries(input.tally.counts)
    .filter(([name]) => name.startsWith('unbilled_'))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    sent,
    sentBasis,
    delivered,
    read: n('read'),
    clicked: n('clicked'),
    replied: n('replied'),
    converted: n('converted'),
    optedOut: n('opted_out'),
    limited,
    failed,
    rates: {
      deliveryRate: rate(delivered, sent),
      readRate: rate(n('read'), delivered),
      clickThroughRate: rate(n('clicked'), delivered),
      replyRate: rate(n('replied'), delivered),
      conversionRate: rate(n('converted'), delivered),
      optOutRate: rate(n('opted_out'), delivered),
    },
    money: {
      estimated: input.estimated ?? null,
      billed: { messages: n('billed') - notBillable, notBillable, cost },
      revenue,
      costPerDelivered: perCurrency(cost.totalsByCurrency, delivered),
      costPerClick: perCurrency(cost.totalsByCurrency, n('clicked')),
      costPerConversion: perCurrency(cost.totalsByCurrency, n('converted')),
      roas: Object.fromEntries(Object.entries(cost.totalsByCurrency).map(([currency, total]) => [currency, total === 0 ? null : money((revenue[currency] ?? 0) / total)])),
    },
    caveats: [
      ...ALWAYS,
      ...(sentBasis === 'reported' ? ['sent counts the messages Meta reported an outcome for (delivered, read, failed or limited), not those it refused at the send call; messages still without a status are not in it.'] : []),
      ...[...new Set(input.channels)].flatMap((channel) => CHANNEL_CAVEATS[channel] ?? []),
    ],
  };
};
