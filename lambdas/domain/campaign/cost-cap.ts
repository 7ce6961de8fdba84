import { estimateCost } from './cost-estimate';
import type { PlannedSend } from './plan-dispatch';
import { marketOf } from './recipient-market';

/** Ten-thousandths of a euro: sums stay exact integers. */
export const EUR_UNITS = 10_000;

export interface CostCapFit {
  kept: PlannedSend[];
  /** Sends the cap does not leave room for, or whose price in EUR is unknown. */
  cut: number;
  /** EUR committed after the kept sends. */
  spentEur: number;
}

/** A send's EUR price in units, free sends 0; undefined when it has no known EUR price. */
export type PriceUnits = (send: PlannedSend) => number | undefined;

/** Prices sends at `atMs` from the price table, once per channel, category and market. */
export const priceUnitsAt = (atMs: number): PriceUnits => {
  const priceUnits = new Map<string, number | undefined>();
  return (send) => {
    const market = marketOf(send.intent.channel, send.intent.userId);
    const key = `${send.intent.channel}#${send.pricing}#${market}`;
    if (!priceUnits.has(key)) {
      const [line] = estimateCost({ items: [{ channel: send.intent.channel, category: send.pricing, market, count: 1 }], atMs }).lines;
      const free = line?.amount === 0;
      priceUnits.set(key, free ? 0 : line?.currency === 'EUR' && line.amount !== null ? Math.round(line.amount * EUR_UNITS) : undefined);
    }
    return priceUnits.get(key);
  };
};

/** A cap in EUR as units: down, never up, so a cap with more decimals than the units can't let spend past it. */
export const eurCapUnits = (maxCostEur: number): number => Math.floor(maxCostEur * EUR_UNITS + 1e-9);

/**
 * Keeps sends, in plan order, while the occurrence's spend stays within `maxCostEur`. A send with no
 * known EUR price is cut: a cap exists to stop spend, and an unknown price could be anything (as
 * `exceedsCap` decides for previews). Free sends always fit.
 */
export const fitCostCap = (sends: readonly PlannedSend[], cap: { maxCostEur: number; spentEur: number; atMs: number }): CostCapFit => {
  const fit = fitCaps(sends, { costUnits: eurCapUnits(cap.maxCostEur) - Math.round(cap.spentEur * EUR_UNITS), atMs: cap.atMs });
  return { kept: fit.kept, cut: fit.cut.cost_cap, spentEur: (Math.round(cap.spentEur * EUR_UNITS) + fit.costUnits) / EUR_UNITS };
};

/** What is left of an occurrence's caps for a page: recipients, and EUR in units; absent: no such cap. */
export interface CapsLeft {
  recipients?: number;
  costUnits?: number;
  /** When the sends are priced. */
  atMs: number;
}

export interface CapsFit {
  kept: PlannedSend[];
  cut: { recipient_cap: number; cost_cap: number };
  /** Units the kept sends cost (0 without a cost cap: they are not priced then). */
  costUnits: number;
}

/**
 * Both caps over a page's sends, in plan order: a send is kept while the recipients left allow one
 * more and its price fits what is left of the cost cap (an unknown EUR price never fits). A send cut
 * by the cost cap takes no recipient. Fitting the kept sends' own totals keeps exactly the same
 * sends again, which is how a re-run page reuses its reservation.
 */
export const fitCaps = (sends: readonly PlannedSend[], left: CapsLeft): CapsFit => {
  const unitsOf = priceUnitsAt(left.atMs);
  const fit: CapsFit = { kept: [], cut: { recipient_cap: 0, cost_cap: 0 }, costUnits: 0 };
  for (const send of sends) {
    if (left.recipients !== undefined && fit.kept.length >= left.recipients) {
      fit.cut.recipient_cap += 1;
      continue;
    }
    if (left.costUnits !== undefined) {
      const units = unitsOf(send);
      if (units === undefined || fit.costUnits + units > left.costUnits) {
        fit.cut.cost_cap += 1;
        continue;
      }
      fit.costUnits += units;
    }
    fit.kept.push(send);
  }
  return fit;
};
