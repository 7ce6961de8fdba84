/**
 * Doubles for fanned-out dispatch: an audience index with write shards and zone buckets, a dispatch
 * queue on a virtual clock that delivers like SQS (delays, redelivery of a failed message), and a
 * wrapper that makes concurrent workers interleave at every call.
 */
import { createHash } from 'node:crypto';
import type { Dispatcher, DispatchOutcome } from '../../../lambdas/campaign/dispatcher';
import { zoneBucketOf } from '../../../lambdas/domain/campaign/zone-buckets';
import { ACCOUNT_ZONE, type AudienceIndex, type AudiencePage, type AudienceQuery, type AudienceSegment } from '../../../lambdas/ports/audience-index';
import type { DispatchQueue } from '../../../lambdas/ports/dispatch-queue';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import type { DispatchContinuation } from '../../../lambdas/schemas/dispatcher-input';

const UNLIMITED = (): number => Number.POSITIVE_INFINITY;

/** The shard a user id is written to: stable, spread. */
export const shardOfUser = (userId: string, shards: number): number => createHash('sha1').update(userId).digest().readUInt32BE(0) % shards;

/** The zone bucket the index files a contact in, as the DynamoDB adapter does: its own zone, else the account's. */
const contactBucket = (person: ContactRecord): string => zoneBucketOf(typeof person.state.timeZone === 'string' ? person.state.timeZone : undefined) ?? ACCOUNT_ZONE;

const inSegment = (person: ContactRecord, segment: AudienceSegment): boolean => {
  switch (segment.kind) {
    case 'all':
      return true;
    case 'tag':
      return Array.isArray(person.state.profileTags) && person.state.profileTags.includes(segment.tag);
    case 'topic':
      return person.optIns.some((o) => o.topic === segment.topic);
    case 'zone':
      return contactBucket(person) === segment.zone;
    case 'topic_zone':
      return person.optIns.some(
        (o) => o.topic === segment.topic && typeof o.timezone === 'string' && (zoneBucketOf(o.timezone) ?? ACCOUNT_ZONE) === segment.zone,
      );
  }
};

/**
 * The audience index over these people, every partition written over `shards` shards. Counts what
 * it hands out: entries per user id, pages in flight at once (overall and per shard).
 */
export class ShardedAudience implements AudienceIndex {
  readonly queries: { query: AudienceQuery; cursor?: string }[] = [];
  /** Index entries answered, per user id. */
  readonly entries = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  private readonly inFlightByShard = new Map<number, number>();
  /** The most pages of one shard in flight at once: 1 unless two workers ran one segment at once. */
  maxInFlightPerShard = 0;
  /** Runs while a page is in flight: a test interleaves workers or changes the world here. */
  during?: (query: AudienceQuery) => Promise<void>;

  /** Each partition's entries, worked out once: every shard's, in shard order then user id order. */
  private readonly partitions = new Map<string, { userId: string; shard: number }[]>();

  constructor(
    private readonly people: readonly ContactRecord[],
    readonly shards: number,
  ) {}

  private partition(query: AudienceQuery): { userId: string; shard: number }[] {
    const key = JSON.stringify([query.channel, query.accountId, query.segment]);
    let entries = this.partitions.get(key);
    if (entries === undefined) {
      entries = this.people
        .filter((p) => p.channel === query.channel && p.accountId === query.accountId && inSegment(p, query.segment))
        .map((p) => ({ userId: p.userId, shard: shardOfUser(p.userId, this.shards) }))
        .sort((a, b) => a.shard - b.shard || a.userId.localeCompare(b.userId));
      this.partitions.set(key, entries);
    }
    return entries;
  }

  async page(query: AudienceQuery, cursor: string | undefined, limit: number): Promise<AudiencePage> {
    this.queries.push({ query: structuredClone(query), ...(cursor === undefined ? {} : { cursor }) });
    const shard = query.shard ?? -1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.inFlightByShard.set(shard, (this.inFlightByShard.get(shard) ?? 0) + 1);
    this.maxInFlightPerShard = Math.max(this.maxInFlightPerShard, this.inFlightByShard.get(shard) ?? 0);
    try {
      await this.during?.(query);
      // Without a shard, one cursor walks every shard's entries.
      const ids = this.partition(query)
        .filter((e) => query.shard === undefined || e.shard === query.shard)
        .map((e) => e.userId);
      const start = cursor === undefined ? 0 : Number(cursor);
      const userIds = ids.slice(start, start + limit);
      for (const id of userIds) this.entries.set(id, (this.entries.get(id) ?? 0) + 1);
      return start + limit < ids.length ? { userIds, cursor: String(start + limit) } : { userIds };
    } finally {
      this.inFlight -= 1;
      this.inFlightByShard.set(shard, (this.inFlightByShard.get(shard) ?? 1) - 1);
    }
  }
}

interface Queued {
  message: DispatchContinuation;
  visibleAt: number;
  delaySeconds?: number;
}

/**
 * The dispatch queue as SQS delivers it, on the test's clock: a message becomes visible after its
 * delay; one whose invocation failed comes back after the visibility timeout.
 */
export class VirtualDispatchQueue implements DispatchQueue {
  readonly sent: { message: DispatchContinuation; delaySeconds?: number }[] = [];
  private pending: Queued[] = [];

  constructor(private readonly clock: () => number) {}

  continueLater(message: DispatchContinuation, options?: { delaySeconds?: number }): Promise<void> {
    const delaySeconds = options?.delaySeconds;
    this.sent.push({ message: structuredClone(message), ...(delaySeconds === undefined ? {} : { delaySeconds }) });
    this.pending.push({ message: structuredClone(message), visibleAt: this.clock() + Math.min(900, delaySeconds ?? 0) * 1000, ...(delaySeconds === undefined ? {} : { delaySeconds }) });
    return Promise.resolve();
  }

  get size(): number {
    return this.pending.length;
  }

  /** Takes the messages visible at `now`. */
  take(now: number): DispatchContinuation[] {
    const visible = this.pending.filter((q) => q.visibleAt <= now);
    this.pending = this.pending.filter((q) => q.visibleAt > now);
    return visible.map((q) => q.message);
  }

  /** When the next message becomes visible. */
  nextVisibleAt(): number | undefined {
    return this.pending.length === 0 ? undefined : Math.min(...this.pending.map((q) => q.visibleAt));
  }

  /** A failed delivery: SQS shows the message again after the visibility timeout. */
  redeliver(message: DispatchContinuation, afterMs: number): void {
    this.pending.push({ message, visibleAt: this.clock() + afterMs });
  }

  /** Drops every waiting message: a test that delivers them itself. */
  clear(): DispatchContinuation[] {
    const all = this.pending.map((q) => q.message);
    this.pending = [];
    return all;
  }
}

export interface Drained {
  outcomes: DispatchOutcome[];
  failures: unknown[];
  deliveries: number;
}

/**
 * Delivers the queue's messages as Lambda's event source would, every visible message at once
 * (concurrent invocations), advancing the clock to the next delayed one when none is visible, until
 * the queue is empty. A failed invocation's message comes back after `visibilityMs`.
 */
export const drain = async (
  dispatcher: Dispatcher,
  queue: VirtualDispatchQueue,
  time: { now: number },
  options: { visibilityMs?: number; maxRounds?: number; until?: number } = {},
): Promise<Drained> => {
  const drained: Drained = { outcomes: [], failures: [], deliveries: 0 };
  for (let round = 0; round < (options.maxRounds ?? 500); round += 1) {
    const visible = queue.take(time.now);
    if (visible.length === 0) {
      const next = queue.nextVisibleAt();
      if (next === undefined || (options.until !== undefined && next > options.until)) return drained;
      time.now = Math.max(time.now, next);
      continue;
    }
    drained.deliveries += visible.length;
    const results = await Promise.allSettled(visible.map((message) => dispatcher.onContinuation(message, UNLIMITED)));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') drained.outcomes.push(result.value);
      else {
        drained.failures.push(result.reason);
        queue.redeliver(visible[i] as DispatchContinuation, options.visibilityMs ?? 61_000);
      }
    });
  }
  throw new Error('the dispatch queue did not drain');
};

/** A seeded generator (mulberry32): the same interleaving on every run of a seed. */
export const seeded = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/**
 * The same object, each of whose methods first yields to the event loop a random number of times
 * (0 to 5): workers running side by side then interleave between any two calls, as they would in
 * separate Lambdas, in an order the seed decides.
 */
export const interleaved = <T extends object>(target: T, random: () => number): T =>
  new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        for (let i = Math.floor(random() * 6); i > 0; i -= 1) await new Promise<void>((resolve) => setImmediate(resolve));
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
