/**
 * First-response times as the day counters keep them: a histogram whose bins are whole seconds up to
 * an hour, whole minutes up to a day, whole hours beyond, so the median, the buckets and the share
 * within an SLA of up to an hour are exact to the second, with a bounded number of counters a day.
 * The mean comes from the exact sum of milliseconds kept beside it.
 */
const MINUTE_S = 60;
const HOUR_S = 3_600;
const DAY_S = 86_400;

/** The counter prefix of a histogram bin: `rt_<lower bound in seconds>`. */
export const RESPONSE_BIN_PREFIX = 'rt_';

/** The lower bound, in seconds, of the bin a response time in ms falls in. */
export const responseBin = (ms: number): number => {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < HOUR_S) return seconds;
  if (seconds < DAY_S) return seconds - (seconds % MINUTE_S);
  return seconds - (seconds % HOUR_S);
};

export const responseBinCounter = (ms: number): string => `${RESPONSE_BIN_PREFIX}${responseBin(ms)}`;

/** respond.io's breakdown (meta-and-peers §3b), by lower bound in seconds; each runs to the next. */
export const RESPONSE_BUCKETS = [
  { name: 'under_30s', from: 0 },
  { name: '30s_to_2m', from: 30 },
  { name: '2m_to_5m', from: 120 },
  { name: '5m_to_10m', from: 300 },
  { name: '10m_to_30m', from: 600 },
  { name: '30m_to_1h', from: 1_800 },
  { name: 'over_1h', from: HOUR_S },
] as const;
export type ResponseBucket = (typeof RESPONSE_BUCKETS)[number]['name'];

export type Histogram = ReadonlyMap<number, number>;

export const histogramOf = (counts: Readonly<Record<string, number>>): Map<number, number> => {
  const bins = new Map<number, number>();
  for (const [name, n] of Object.entries(counts)) {
    if (!name.startsWith(RESPONSE_BIN_PREFIX) || n === 0) continue;
    const bin = Number(name.slice(RESPONSE_BIN_PREFIX.length));
    bins.set(bin, (bins.get(bin) ?? 0) + n);
  }
  return bins;
};

export const mergeHistograms = (histograms: readonly Histogram[]): Map<number, number> => {
  const merged = new Map<number, number>();
  for (const h of histograms) for (const [bin, n] of h) merged.set(bin, (merged.get(bin) ?? 0) + n);
  return merged;
};

const sortedBins = (h: Histogram): [number, number][] => [...h].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);

/** The value at 0-based rank `rank` of the sorted times. */
const atRank = (bins: readonly [number, number][], rank: number): number => {
  let seen = 0;
  for (const [bin, n] of bins) {
    seen += n;
    if (rank < seen) return bin;
  }
  throw new RangeError('rank beyond the histogram');
};

/** The median in seconds (the mean of the two middle values for an even count); undefined when nothing was answered. */
export const medianSeconds = (h: Histogram): number | undefined => {
  const bins = sortedBins(h);
  const total = bins.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return undefined;
  const upper = atRank(bins, Math.floor(total / 2));
  return total % 2 === 1 ? upper : (atRank(bins, total / 2 - 1) + upper) / 2;
};

export const bucketCounts = (h: Histogram): Record<ResponseBucket, number> => {
  const counts = Object.fromEntries(RESPONSE_BUCKETS.map((b) => [b.name, 0])) as Record<ResponseBucket, number>;
  for (const [bin, n] of h) {
    const bucket = [...RESPONSE_BUCKETS].reverse().find((b) => bin >= b.from);
    if (bucket) counts[bucket.name] += n;
  }
  return counts;
};

/** Answers whose whole seconds are at most `slaSeconds` (exact up to an hour; to the bin's lower bound beyond). */
export const countWithin = (h: Histogram, slaSeconds: number): number => [...h].reduce((sum, [bin, n]) => (bin <= slaSeconds ? sum + n : sum), 0);
