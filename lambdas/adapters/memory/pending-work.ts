import type { PendingEntry, PendingWork } from '../../ports/pending-work';

/** Whatever lists pending work in memory: the in-memory outbox and occurrence store. */
export interface DueSource {
  dueEntries(): PendingEntry[];
}

const idOf = (e: PendingEntry): string =>
  e.kind === 'outbox' ? e.outboxId : e.kind === 'occurrence' ? `${e.campaignId}#${e.occurrenceKey}` : `${e.campaignId}#${e.occurrenceKey}#${e.segment}`;
const orderOf = (e: PendingEntry): string => `${String(e.dueAt).padStart(15, '0')}#${e.kind}#${idOf(e)}`;

/**
 * Pending work in memory, read from the in-memory adapters' own state (the shared contract suite in
 * test/contract holds it to the DynamoDB adapter's answers). One shard: nothing to spread here.
 */
export class InMemoryPendingWork implements PendingWork {
  readonly shards = 1;

  constructor(private readonly sources: readonly DueSource[]) {}

  dueBefore(shard: number, before: number, cursor: string | undefined, limit: number): Promise<{ entries: PendingEntry[]; cursor?: string }> {
    if (shard !== 0) return Promise.reject(new RangeError(`shard must be 0, got ${shard}`));
    const due = this.sources
      .flatMap((source) => source.dueEntries())
      .filter((e) => e.dueAt < before)
      .map((entry) => ({ entry, order: orderOf(entry) }))
      .filter((e) => cursor === undefined || e.order > cursor)
      .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    const page = due.slice(0, limit);
    const entries = page.map((e) => e.entry);
    return Promise.resolve(due.length > limit ? { entries, cursor: page.at(-1)?.order } : { entries });
  }
}
