import { ANSWERED, type DayCounts, OPENED, RESPONSE_MS } from './day-counters';
import { bucketCounts, countWithin, type Histogram, histogramOf, medianSeconds, mergeHistograms, type ResponseBucket } from './response-times';

/**
 * Responsiveness from the day counters (README "Responsiveness"): response rate = answered turns /
 * turns opened, first-response time (median, mean, respond.io's buckets), and the share of turns
 * answered within an SLA. A turn counts on the local day it opened, answered or not, so a day's rate
 * can still rise while its turns are waiting.
 */
export interface Responsiveness {
  conversations: number;
  answered: number;
  waiting: number;
  /** answered / conversations; null with no conversation. */
  responseRate: number | null;
  medianSeconds: number | null;
  meanSeconds: number | null;
  buckets: Record<ResponseBucket, number>;
  withinSla: { seconds: number; answered: number; share: number | null };
}

interface Totals {
  opened: number;
  answered: number;
  responseMs: number;
  histogram: Histogram;
}

const totalsOf = (days: readonly DayCounts[]): Totals => ({
  opened: days.reduce((sum, d) => sum + (d.counts[OPENED] ?? 0), 0),
  answered: days.reduce((sum, d) => sum + (d.counts[ANSWERED] ?? 0), 0),
  responseMs: days.reduce((sum, d) => sum + (d.counts[RESPONSE_MS] ?? 0), 0),
  histogram: mergeHistograms(days.map((d) => histogramOf(d.counts))),
});

const ratio = (n: number, of: number): number | null => (of === 0 ? null : n / of);
const seconds = (ms: number): number => Math.round(ms) / 1000;

export const responsiveness = (days: readonly DayCounts[], slaSeconds: number): Responsiveness => {
  const t = totalsOf(days);
  const within = countWithin(t.histogram, slaSeconds);
  return {
    conversations: t.opened,
    answered: t.answered,
    waiting: t.opened - t.answered,
    responseRate: ratio(t.answered, t.opened),
    medianSeconds: medianSeconds(t.histogram) ?? null,
    meanSeconds: t.answered === 0 ? null : seconds(t.responseMs / t.answered),
    buckets: bucketCounts(t.histogram),
    withinSla: { seconds: slaSeconds, answered: within, share: ratio(within, t.opened) },
  };
};

/** Messenger's "Very responsive to messages" badge: over the last 7 days, a response rate of 90 % and a response time of 15 minutes. */
export const BADGE_RATE = 0.9;
export const BADGE_RESPONSE_SECONDS = 15 * 60;
/** Meta's response time is "an average of the fastest 90 % of response times". */
const FASTEST_SHARE = 0.9;

export interface BadgeVerdict {
  responseRate: number | null;
  /** The mean of the fastest 90 % of first-response times, in seconds (bins above an hour count at their lower bound). */
  responseTimeSeconds: number | null;
  meets: boolean;
}

const meanOfFastest = (h: Histogram, share: number): number | null => {
  const bins = [...h].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = bins.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  let left = Math.ceil(total * share);
  const take = left;
  let sum = 0;
  for (const [bin, n] of bins) {
    const used = Math.min(n, left);
    sum += bin * used;
    left -= used;
    if (left === 0) break;
  }
  return sum / take;
};

/** The badge verdict for the 7 local days given (the caller picks them: the last 7, today included). */
export const veryResponsive = (lastSevenDays: readonly DayCounts[]): BadgeVerdict => {
  const t = totalsOf(lastSevenDays);
  const responseRate = ratio(t.answered, t.opened);
  const responseTimeSeconds = meanOfFastest(t.histogram, FASTEST_SHARE);
  return {
    responseRate,
    responseTimeSeconds,
    meets: responseRate !== null && responseRate >= BADGE_RATE && responseTimeSeconds !== null && responseTimeSeconds <= BADGE_RESPONSE_SECONDS,
  };
};
