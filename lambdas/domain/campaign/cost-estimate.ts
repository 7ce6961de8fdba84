import type { Channel } from '../events';
import type { PricingCategory } from '../send/policy-types';
import { PRICED_AS, PRICE_TABLE, type PriceRow } from './price-table';
import { DEFAULT_MARKET } from './recipient-market';

/** A group of messages a campaign expects to send: the policy engine's category, `marketOf`'s market. */
export interface CostItem {
  channel: Channel;
  category: PricingCategory;
  market: string;
  count: number;
}

export interface CostLine {
  channel: Channel;
  category: PricingCategory;
  market: string;
  count: number;
  /** null: no known price (no row in force, or a row marked unknown). */
  pricePerMessage: number | null;
  /** null when the line is free or not priced. */
  currency: string | null;
  /** Rounded to 4 decimals; null when not priced. */
  amount: number | null;
  /** The price-table row used, or null when none applied. */
  rowId: string | null;
}

export interface CostEstimate {
  /** Per currency, rounded to 2 decimals; currencies are never converted or summed together. */
  totalsByCurrency: Record<string, number>;
  lines: CostLine[];
  /** Messages with no known price: not in any total. */
  unpriced: number;
  /** UTC date (YYYY-MM-DD) of the instant the table was read at. */
  asOf: string;
  disclaimer: string;
}

export interface CostEstimateInput {
  items: readonly CostItem[];
  /** When the messages go out: the rates in force then apply. */
  atMs: number;
  /** Defaults to PRICE_TABLE; tests pass their own. */
  table?: readonly PriceRow[];
}

export const COST_DISCLAIMER =
  "Estimate only: prices are illustrative third-party figures, not Meta's rate card. Meta bills per delivered message; " +
  'volume tiers and free entry point windows are not applied. Messages not priced are in no total.';

/** Amounts are kept in ten-thousandths so per-currency sums are exact integers before rounding to cents. */
const UNITS_PER_CURRENCY_UNIT = 10_000;

const inForce = (row: PriceRow, atMs: number): boolean =>
  atMs >= Date.parse(row.effectiveFrom) && (row.effectiveUntil === undefined || atMs < Date.parse(row.effectiveUntil));

const findRow = (table: readonly PriceRow[], item: CostItem, market: string, atMs: number): PriceRow | undefined =>
  table.find((row) => row.channel === item.channel && row.market === market && row.category === item.category && inForce(row, atMs));

const unpricedLine = (item: CostItem, rowId: string | null): CostLine => ({
  ...item,
  pricePerMessage: null,
  currency: null,
  amount: null,
  rowId,
});

const lineOf = (table: readonly PriceRow[], item: CostItem, atMs: number): CostLine => {
  if (!Number.isInteger(item.count) || item.count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${item.count}`);
  // 'free' is the policy engine's verdict that Meta charges nothing: no rate card needed.
  if (item.category === 'free') return { ...item, pricePerMessage: 0, currency: null, amount: 0, rowId: null };
  // The market's own row, else the market's row of the category it is billed as (PRICED_AS), else the default market's.
  const alias = PRICED_AS[item.category];
  const as = alias === undefined ? undefined : { ...item, category: alias };
  const row =
    findRow(table, item, item.market, atMs) ??
    (as && findRow(table, as, item.market, atMs)) ??
    findRow(table, item, DEFAULT_MARKET, atMs) ??
    (as && findRow(table, as, DEFAULT_MARKET, atMs));
  if (row === undefined) return unpricedLine(item, null);
  if (row.unknown === true) return unpricedLine(item, row.id);
  const amount = Math.round(row.pricePerMessage * item.count * UNITS_PER_CURRENCY_UNIT) / UNITS_PER_CURRENCY_UNIT;
  return { ...item, pricePerMessage: row.pricePerMessage, currency: row.currency, amount, rowId: row.id };
};

/** Picks, per item, the row in force at `atMs` for its market, else the default market's row. */
export const estimateCost = ({ items, atMs, table = PRICE_TABLE }: CostEstimateInput): CostEstimate => {
  const lines = items.map((item) => lineOf(table, item, atMs));
  const units = new Map<string, number>();
  for (const line of lines) {
    if (line.currency === null || line.amount === null) continue;
    units.set(line.currency, (units.get(line.currency) ?? 0) + Math.round(line.amount * UNITS_PER_CURRENCY_UNIT));
  }
  const centsPerUnit = UNITS_PER_CURRENCY_UNIT / 100;
  const totalsByCurrency = Object.fromEntries([...units].map(([currency, sum]) => [currency, Math.round(sum / centsPerUnit) / 100]));
  return {
    totalsByCurrency,
    lines,
    unpriced: lines.reduce((sum, line) => sum + (line.amount === null ? line.count : 0), 0),
    asOf: new Date(atMs).toISOString().slice(0, 10),
    disclaimer: COST_DISCLAIMER,
  };
};

/**
 * Would the campaign cost more than `maxCostEur`? Conservative, because a cap exists to stop spend:
 * any unpriced message exceeds it (its cost could be anything), and so does any amount in another
 * currency (the domain has no exchange rate). Only an estimate fully priced in EUR can stay under.
 */
export const exceedsCap = (estimate: CostEstimate, maxCostEur: number): boolean =>
  estimate.unpriced > 0 ||
  Object.entries(estimate.totalsByCurrency).some(([currency, total]) => (currency === 'EUR' ? total > maxCostEur : total > 0));
