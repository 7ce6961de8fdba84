import { type ImportCounts, SENDABLE_BUCKETS, type SendableBucket, type SkipReason } from './import-job';

export const emptyImportCounts = (): ImportCounts => ({
  rows: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: {},
  failed: 0,
  errors: 0,
  sendable: Object.fromEntries(SENDABLE_BUCKETS.map((b) => [b, 0])) as Record<SendableBucket, number>,
  sendableByRoute: {},
  notSendable: {},
});

const addMap = <K extends string>(a: Partial<Record<K, number>>, b: Partial<Record<K, number>>): Partial<Record<K, number>> => {
  const sum: Partial<Record<K, number>> = { ...a };
  for (const [key, n] of Object.entries(b) as [K, number | undefined][]) sum[key] = (sum[key] ?? 0) + (n ?? 0);
  return sum;
};

export const addImportCounts = (a: ImportCounts, b: ImportCounts): ImportCounts => ({
  rows: a.rows + b.rows,
  created: a.created + b.created,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
  skipped: addMap(a.skipped, b.skipped),
  failed: a.failed + b.failed,
  errors: a.errors + b.errors,
  sendable: addMap(a.sendable, b.sendable) as Record<SendableBucket, number>,
  sendableByRoute: addMap(a.sendableByRoute, b.sendableByRoute) as Record<string, number>,
  notSendable: addMap(a.notSendable, b.notSendable) as Record<string, number>,
});

/** What one row adds to a job's counts. */
export type RowTally =
  | { outcome: 'failed'; errors: number }
  | { outcome: 'skipped'; reason: SkipReason }
  | { outcome: 'created' | 'updated' | 'unchanged'; bucket: SendableBucket; route?: string; reason?: string };

export const countRow = (counts: ImportCounts, tally: RowTally): ImportCounts => {
  const one = emptyImportCounts();
  one.rows = 1;
  if (tally.outcome === 'failed') {
    one.failed = 1;
    one.errors = tally.errors;
  } else if (tally.outcome === 'skipped') {
    one.skipped = { [tally.reason]: 1 };
  } else {
    one[tally.outcome] = 1;
    one.sendable[tally.bucket] = 1;
    if (tally.route !== undefined) one.sendableByRoute = { [tally.route]: 1 };
    if (tally.reason !== undefined) one.notSendable = { [tally.reason]: 1 };
  }
  return addImportCounts(counts, one);
};
