import { estimateCost } from './cost-estimate';
import type { PlannedSend } from './plan-dispatch';
import { marketOf } from './recipient-market';

/** Ten-thousandths of a euro: sums stay exact integers. */
const UNITS = 10_000;

export interface CostCapFit {
  kept: PlannedSend[];
  /** Sends the cap does not leave room for, or whose price in EUR is unknown. */
  cut: number;
  /** EUR committed after the kept sends. */
  spentEur: number;
}

/**
 * Keeps sends, in plan order, while the occurrence's spend stays within `maxCostEur`. A send with no
 * known EUR price is cut: a cap exists to stop spend, and an unknown price could be anything (as
 * `exceedsCap` decides for previews). Free sends always fit.
 */
export const fitCostCap = (sends: readonly PlannedSend[], cap: { maxCostEur: number; spentEur: number; atMs: number }): CostCapFit => {
  const priceUnits = new Map<string, number | undefined>();
  const unitsOf = (send: PlannedSend): number | undefined => {
    const market = marketOf(send.intent.channel, send.intent.userId);
    const key = `${send.intent.channel}#${send.pricing}#${market}`;
    if (!priceUnits.has(key)) {
      const [line] = estimateCost({ items: [{ channel: send.intent.channel, category: send.pricing, market, count: 1 }], atMs: cap.atMs }).lines;
      const free = line?.amount === 0;
      priceUnits.set(key, free ? 0 : line?.currency === 'EUR' && line.amount !== null ? Math.round(line.amount * UNITS) : undefined);
    }
    return priceUnits.get(key);
  };
  // Down, never up: a cap with more decimals than the units must not let spend past it.
  const limit = Math.floor(cap.maxCostEur * UNITS + 1e-9);
  let spent = Math.round(cap.spentEur * UNITS);
  const kept: PlannedSend[] = [];
  for (const send of sends) {
    const units = unitsOf(send);
    if (units === undefined || spent + units > limit) continue;
    spent += units;
    kept.push(send);
  }
  return { kept, cut: sends.length - kept.length, spentEur: spent / UNITS };
};
