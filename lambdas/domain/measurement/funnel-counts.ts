import type { FunnelTally, MilestoneEvent } from '../../ports/funnel-milestones';

export type { FunnelTally };

/**
 * What one recorded milestone adds to its scope's counters: the milestone itself, and its detail —
 * a failure or a limit by error code, a billed message by Meta's pricing category (`unbilled_` when
 * Meta says it isn't billable). Names hold letters, digits and `_` only: they are attribute names
 * of the counter items.
 */
export const counterAdds = (event: MilestoneEvent): Record<string, number> => {
  const adds: Record<string, number> = { [event.milestone]: 1 };
  if ((event.milestone === 'failed' || event.milestone === 'limited') && event.errorCode !== undefined) adds[`${event.milestone}_${event.errorCode}`] = 1;
  if (event.milestone === 'billed' && event.pricing) adds[billedCounter(event.pricing)] = 1;
  // Refused at the send call: a failure of the funnel that Meta never accepted (not `sent`).
  if (event.refusedAtSend) adds.refused_at_send = 1;
  return adds;
};

/**
 * What an attributed order adds to its message's scope: its value by currency, in millionths (sums
 * stay integers). Counted per order, apart from the message's `converted` (conversion-revenue.ts).
 */
export const revenueAdds = (value: { amount: number; currency: string }): Record<string, number> => ({
  [`revenue_${nameSafe(value.currency.toUpperCase())}`]: Math.round(value.amount * MICROS),
});

/** Meta's title for a failure code, kept beside the counts (first one seen) as `title_<code>`; a tally names it by the code. */
export const titleField = (event: MilestoneEvent): { name: string; code: string; title: string } | undefined =>
  (event.milestone === 'failed' || event.milestone === 'limited') && event.errorCode !== undefined && event.errorTitle !== undefined
    ? { name: `${TITLE_PREFIX}${event.errorCode}`, code: String(event.errorCode), title: event.errorTitle }
    : undefined;

/** `billed_<category>__<market>` (or `unbilled_…`): what the dated price table prices after the send. */
const billedCounter = (pricing: NonNullable<MilestoneEvent['pricing']>): string =>
  `${pricing.billable ? 'billed' : 'unbilled'}_${nameSafe(pricing.category)}__${nameSafe(pricing.market ?? 'default')}`;

export const MICROS = 1_000_000;
export const TITLE_PREFIX = 'title_';

const nameSafe = (text: string): string => text.replace(/[^A-Za-z0-9]/g, '_').slice(0, 40);

export const emptyTally = (): FunnelTally => ({ counts: {}, titles: {} });

export const addTally = (into: FunnelTally, more: FunnelTally): FunnelTally => {
  for (const [name, n] of Object.entries(more.counts)) into.counts[name] = (into.counts[name] ?? 0) + n;
  for (const [name, title] of Object.entries(more.titles)) into.titles[name] ??= title;
  return into;
};
