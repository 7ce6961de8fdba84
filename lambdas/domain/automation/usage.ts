import { estimateCost } from '../campaign/cost-estimate';
import { localDate } from '../campaign/local-time';
import { PRICE_TABLE, type PriceRow } from '../campaign/price-table';
import { instantOfWallTime } from '../campaign/zoned-time';
import type { AccountRef, Channel } from '../events';
import type { PricingCategory } from '../send/policy-types';
import type { AutomationRuleName } from './rule';

/**
 * One automated send as usage counts it. The outbox id is what makes counting idempotent: the
 * automation counts on every attempt at a send, a redelivered one included, and a send already
 * counted counts nothing.
 */
export interface AutomatedSendUsage {
  account: AccountRef;
  /** The account's local day (YYYY-MM-DD) of the inbound event that caused the send: the same on every redelivery. */
  day: string;
  rule: AutomationRuleName;
  outboxId: string;
  /** What the policy engine expected Meta to charge; null when it refused the send, so nothing goes out. */
  pricing: PricingCategory | null;
  /** The recipient's price-table market (marketOf). */
  market: string;
}

/** How many sends of one day and rule went out at one pricing category and market (pricing null: refused). */
export interface UsageTally {
  day: string;
  rule: AutomationRuleName;
  pricing: PricingCategory | null;
  market: string;
  count: number;
}

/** The account's local day of the instant. */
export const usageDay = (atMs: number, timeZone: string): string => localDate(atMs, timeZone);

export interface UsagePriceLine {
  pricing: PricingCategory;
  market: string;
  sends: number;
  /** null: no known price. 0: free (the policy engine's `free`, or a free row). */
  pricePerMessage: number | null;
  currency: string | null;
  /** Rounded to 4 decimals; null when not priced. */
  amount: number | null;
  /** The price-table row used: its first day (the price's date) and whether Meta itself states the figure. */
  priceRow: { id: string; effectiveFrom: string; confirmed: boolean } | null;
}

export interface RuleDayUsage {
  day: string;
  rule: AutomationRuleName;
  /** Sends the policy engine allowed: what costs money. */
  sends: number;
  /** Sends it refused: nothing went out, nothing is charged. */
  refused: number;
  /** Per currency, rounded to 4 decimals; currencies are never converted or summed together. */
  estimatedCost: Record<string, number>;
  /** Sends with no known price: in no total. */
  unpriced: number;
  lines: UsagePriceLine[];
}

export interface UsageReport {
  days: RuleDayUsage[];
  totals: { sends: number; refused: number; estimatedCost: Record<string, number>; unpriced: number };
}

/** Ten-thousandths, as cost-estimate.ts keeps them: per-currency sums stay exact integers. */
const UNITS = 10_000;

const NOON = { hour: 12, minute: 0 };

/**
 * A local day is priced at the rates in force at its noon. WhatsApp rates change at 00:00 UTC on a
 * quarter's first day, so only a zone more than 12 h off UTC would price that day's sends at the
 * neighbouring quarter's rate.
 */
const pricedAt = (day: string, timeZone: string): number => {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return instantOfWallTime({ year, month, day: date }, NOON, timeZone);
};

const sumInto = (totals: Map<string, number>, currency: string, amount: number): void => {
  totals.set(currency, (totals.get(currency) ?? 0) + Math.round(amount * UNITS));
};

const asAmounts = (units: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...units].sort(([a], [b]) => a.localeCompare(b)).map(([currency, sum]) => [currency, sum / UNITS]));

const groupKey = (t: Pick<UsageTally, 'day' | 'rule'>): string => `${t.day}#${t.rule}`;

/**
 * What automation sent per day and rule, priced at the dated price table (price-table.ts): the
 * category the policy engine gave each send, the recipient's market, the row in force that day.
 * Priced when read, so a price confirmed or corrected later applies to the days it covers.
 */
export const priceUsage = (channel: Channel, tallies: readonly UsageTally[], timeZone: string, table: readonly PriceRow[] = PRICE_TABLE): UsageReport => {
  const groups = new Map<string, UsageTally[]>();
  for (const tally of tallies) groups.set(groupKey(tally), [...(groups.get(groupKey(tally)) ?? []), tally]);
  const rows = new Map(table.map((row) => [row.id, row]));
  const totalUnits = new Map<string, number>();
  const days = [...groups.values()]
    .map((group): RuleDayUsage => {
      const { day, rule } = group[0] as UsageTally;
      const allowed = group.filter((t): t is UsageTally & { pricing: PricingCategory } => t.pricing !== null);
      const estimate = estimateCost({
        items: allowed.map((t) => ({ channel, category: t.pricing, market: t.market, count: t.count })),
        atMs: pricedAt(day, timeZone),
        table,
      });
      const units = new Map<string, number>();
      const lines = estimate.lines.map((line): UsagePriceLine => {
        if (line.currency !== null && line.amount !== null) {
          sumInto(units, line.currency, line.amount);
          sumInto(totalUnits, line.currency, line.amount);
        }
        const row = line.rowId === null ? undefined : rows.get(line.rowId);
        return {
          pricing: line.category,
          market: line.market,
          sends: line.count,
          pricePerMessage: line.pricePerMessage,
          currency: line.currency,
          amount: line.amount,
          priceRow: row === undefined ? null : { id: row.id, effectiveFrom: row.effectiveFrom, confirmed: row.confirmed === true },
        };
      });
      return {
        day,
        rule,
        sends: allowed.reduce((n, t) => n + t.count, 0),
        refused: group.reduce((n, t) => n + (t.pricing === null ? t.count : 0), 0),
        estimatedCost: asAmounts(units),
        unpriced: estimate.unpriced,
        lines,
      };
    })
    .sort((a, b) => a.day.localeCompare(b.day) || a.rule.localeCompare(b.rule));
  return {
    days,
    totals: {
      sends: days.reduce((n, d) => n + d.sends, 0),
      refused: days.reduce((n, d) => n + d.refused, 0),
      estimatedCost: asAmounts(totalUnits),
      unpriced: days.reduce((n, d) => n + d.unpriced, 0),
    },
  };
};

/** Adds one send to tallies keyed by day, rule, pricing and market (adapters aggregate with it). */
export const addToTallies = (tallies: Map<string, UsageTally>, send: Pick<AutomatedSendUsage, 'day' | 'rule' | 'pricing' | 'market'>): void => {
  const key = `${send.day}#${send.rule}#${send.pricing ?? '-'}#${send.market}`;
  const known = tallies.get(key);
  tallies.set(key, { day: send.day, rule: send.rule, pricing: send.pricing, market: send.market, count: (known?.count ?? 0) + 1 });
};
