import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  REACH_BUCKET_MS,
  type SlotLattice,
  type SlotTake,
  bucketExpiresAt,
  oldestLiveBucket,
  planSlotTakes,
  rateTag,
  reachBucketOf,
  reachEarliestAt,
  slotIndexAtOrAfter,
  slotIndexAtOrBefore,
  slotLattice,
  slotTime,
  earliestKnown,
  slotsFitting,
} from '../../domain/send/send-limits';
import type { PairRequest, ReachAnswer, ReachPeek, ReachPeekAnswer, ReachRequest, SendLimiter, SlotLease, SlotRequest } from '../../ports/send-limiter';
import type { ItemKey } from './keys';
import { batchGetAll, batchWriteAll, isConditionFailure } from './requests';

/**
 * The limiter's items in the state table (all with TTL `expiresAt`, so none outlives its use):
 *
 * | item            | pk                                   | sk      | attributes             |
 * |-----------------|--------------------------------------|---------|------------------------|
 * | slot item k     | LIM#S#<accountId>#<rate>#<k>         | SLOT    | nextSlot (index)       |
 * | pair            | LIM#P#<accountId>#<recipient>        | PAIR    | nextAllowedAt (ms)     |
 * | person's seat   | LIM#R#<portfolioId>#<recipient>      | SEAT    | seatHour (hour index)  |
 * | hour bucket     | LIM#C#<portfolioId>#<hour index>     | COUNT   | n (seats in that hour) |
 *
 * Slot items: an account's rate is split over K = ceil(rate / 250) items; item k hands out the
 * times k·base + m·step (base = 1000/rate ms, step = K·base), so the K items interleave and never
 * give out the same instant. With K > 1 a caller first reads the K items (one eventually consistent
 * BatchGetItem), then takes the n earliest free slots of the two items whose next slot is earliest,
 * with one conditional UpdateItem per item, both at once: SET nextSlot = from + n when the item is
 * idle (its next slot is in the past), ADD nextSlot n when it is busy — both conditional on the
 * slots fitting the caller's horizon. At 1,000 msg/s that is 250 slots/s per item: ≤ 250 writes/s
 * per item with one slot per call, 85–110 measured with the sender's batches, far below a
 * partition's 1,000 WCU/s; the read costs 0.5 RRU per item and call (2 at 1,000 msg/s).
 */
export const slotItemKey = (key: string, ratePerSecond: number, item: number): ItemKey => ({ pk: `LIM#S#${key}#${rateTag(ratePerSecond)}#${item}`, sk: 'SLOT' });
export const pairItemKey = (key: string, recipient: string): ItemKey => ({ pk: `LIM#P#${key}#${recipient}`, sk: 'PAIR' });
export const seatItemKey = (portfolioId: string, recipient: string): ItemKey => ({ pk: `LIM#R#${portfolioId}#${recipient}`, sk: 'SEAT' });
export const bucketItemKey = (portfolioId: string, bucket: number): ItemKey => ({ pk: `LIM#C#${portfolioId}#${bucket}`, sk: 'COUNT' });

/** Slot items live a day past their last use; a rate change starts new ones and the old expire. */
const SLOT_TTL_SECONDS = 86_400;
/** A pair item lives an hour past its gap. */
const PAIR_TTL_SECONDS = 3_600;
/**
 * Closed hour buckets don't change (but for a seat moving out), so an instance reads them once an
 * hour — not in the first seconds of the hour, when a late writer with a slower clock may still
 * count into the previous one.
 */
const CLOSED_BUCKETS_SETTLE_MS = 10_000;
/** A portfolio this instance believes full is looked at again after this long. */
const FULL_RECHECK_MS = 60_000;

interface ClosedBuckets {
  current: number;
  readAt: number;
  counts: Map<number, number>;
}

type Attrs = Record<string, unknown>;

/**
 * The shared limiter on DynamoDB: each gate is one conditional UpdateItem (slots, pairs) or a
 * batch (reach). A failed condition never takes anything: the caller learns the current value and
 * decides (fewer slots, another item, wait).
 */
export class DynamoDbSendLimiter implements SendLimiter {
  /** This instance's last known next slot index per slot item. */
  private readonly known = new Map<string, number>();
  private readonly closed = new Map<string, ClosedBuckets>();
  /** This instance's last known count of the current hour, per portfolio (a lower bound). */
  private readonly currentCounts = new Map<string, { current: number; n: number }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async takeSlots({ key, ratePerSecond, count, now, horizonMs }: SlotRequest): Promise<SlotLease> {
    const lattice = slotLattice(ratePerSecond);
    const latest = now + horizonMs;
    const keys = Array.from({ length: lattice.items }, (_, item) => slotItemKey(key, ratePerSecond, item));
    // With several items, which to take from is only as good as what this instance knows of them,
    // and what it learnt a cycle ago is stale: an item others filled far ahead looks as early as one
    // that went idle. So it reads them first (eventually consistent: a read a moment old is still a
    // lower bound, which is all the writes' conditions need).
    if (lattice.items > 1) {
      for (const item of await batchGetAll(this.client, this.tableName, keys, { projection: 'pk, nextSlot' })) this.learn(String(item.pk), Number(item.nextSlot));
    }
    const plan = planSlotTakes(lattice, keys.map((k) => this.known.get(k.pk)), now, latest, count);
    const taken = await Promise.all(plan.map((take) => this.takeFromItem(keys[take.item] as ItemKey, lattice, take, now, latest)));
    const slots = taken.flat().sort((a, b) => a - b);
    const nextFreeAt = earliestKnown(keys.map((k, item) => this.knownAt(lattice, item, k.pk)), now);
    return { slots, nextFreeAt };
  }

  async backOff({ key, ratePerSecond, until }: { key: string; ratePerSecond: number; until: number }): Promise<void> {
    const lattice = slotLattice(ratePerSecond);
    await Promise.all(
      Array.from({ length: lattice.items }, async (_, item) => {
        const itemKey = slotItemKey(key, ratePerSecond, item);
        const from = slotIndexAtOrAfter(lattice, item, until);
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: itemKey,
              UpdateExpression: 'SET nextSlot = :from, expiresAt = :ttl',
              ConditionExpression: 'attribute_not_exists(nextSlot) OR nextSlot < :from',
              ExpressionAttributeValues: { ':from': from, ':ttl': ttlAfter(until, SLOT_TTL_SECONDS) },
            }),
          );
          this.known.set(itemKey.pk, from);
        } catch (error) {
          // Already further out: nothing to push back.
          if (!isConditionFailure(error)) throw error;
        }
      }),
    );
  }

  async takePair({ key, recipient, at, gapMs }: PairRequest): Promise<{ ok: true } | { ok: false; nextAllowedAt: number }> {
    const itemKey = pairItemKey(key, recipient);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          UpdateExpression: 'SET nextAllowedAt = :next, expiresAt = :ttl',
          ConditionExpression: 'attribute_not_exists(nextAllowedAt) OR nextAllowedAt <= :at',
          ExpressionAttributeValues: { ':at': at, ':next': at + gapMs, ':ttl': ttlAfter(at + gapMs, PAIR_TTL_SECONDS) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ok: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = (await this.currentNumber(error, itemKey, 'nextAllowedAt')) ?? at;
      return { ok: false, nextAllowedAt: stored };
    }
  }

  async countRecipients({ portfolioId, recipients, limit, now }: ReachRequest): Promise<ReachAnswer> {
    const current = reachBucketOf(now);
    const oldest = oldestLiveBucket(current);
    const unique = [...new Set(recipients)];
    // Eventually consistent: a seat taken a moment ago by another instance may be missed, and the
    // person is counted twice (conservative), never not at all.
    const seats = new Map<string, number>();
    for (const item of await batchGetAll(this.client, this.tableName, unique.map((r) => seatItemKey(portfolioId, r)), { projection: 'pk, seatHour' })) {
      seats.set(String(item.pk), Number(item.seatHour));
    }
    const seatOf = (r: string) => seats.get(seatItemKey(portfolioId, r).pk);
    const seated = unique.filter((r) => (seatOf(r) ?? Number.NEGATIVE_INFINITY) >= current);
    const movers = unique.filter((r) => {
      const seat = seatOf(r);
      return seat !== undefined && seat >= oldest && seat < current;
    });
    const fresh = unique.filter((r) => seatOf(r) === undefined || (seatOf(r) as number) < oldest);

    if (movers.length > 0) await this.moveSeats(portfolioId, current, now, movers, seatOf);
    let admitted: string[] = [];
    let currentCount = 0;
    if (fresh.length > 0) {
      const reserved = await this.reserveSeats(portfolioId, current, now, limit, fresh.length);
      admitted = fresh.slice(0, reserved.taken);
      currentCount = reserved.currentCount;
      // Unconditional: two instances admitting one person at once both hold a seat for them (counted twice).
      await batchWriteAll(this.client, this.tableName, admitted.map((r) => ({ PutRequest: { Item: { ...seatItemKey(portfolioId, r), seatHour: current, expiresAt: seatTtl(current) } } })));
    }
    const accepted = [...seated, ...movers, ...admitted];
    const refused = fresh.slice(admitted.length);
    if (refused.length === 0) return { accepted, refused };
    const counts = new Map((await this.closedBuckets(portfolioId, current, now, false)).counts);
    counts.set(current, Math.max(currentCount, 1));
    return { accepted, refused, earliestAt: reachEarliestAt(counts, current) };
  }

  /** The person's seat, then the live hours' counts (consistent reads: a preview is rare and should be current). */
  async peekReach({ portfolioId, recipient, limit, now }: ReachPeek): Promise<ReachPeekAnswer> {
    const current = reachBucketOf(now);
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: seatItemKey(portfolioId, recipient), ConsistentRead: true, ProjectionExpression: 'seatHour' }),
    );
    const seat = (Item as Attrs | undefined)?.seatHour;
    if (typeof seat === 'number' && seat >= oldestLiveBucket(current)) return { ok: true };
    const counts = new Map((await this.closedBuckets(portfolioId, current, now, true)).counts);
    counts.set(current, await this.readNumber(bucketItemKey(portfolioId, current), 'n'));
    const used = [...counts.values()].reduce((a, b) => a + b, 0);
    return used < limit ? { ok: true } : { ok: false, earliestAt: reachEarliestAt(counts, current) };
  }

  /**
   * People counted in an earlier hour of the rolling 24 h are sent to again: their seat moves to
   * this hour, so it lasts 24 h from this send. This hour first, then the seat (conditional on where
   * it was: of two instances moving one person, one wins), then the old hour: a crash or a lost race
   * leaves a person counted twice, never zero times.
   */
  private async moveSeats(portfolioId: string, current: number, now: number, movers: readonly string[], seatOf: (r: string) => number | undefined): Promise<void> {
    await this.addToBucket(portfolioId, current, movers.length);
    const moved = await Promise.all(
      movers.map(async (r) => {
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: seatItemKey(portfolioId, r),
              UpdateExpression: 'SET seatHour = :to, expiresAt = :ttl',
              ConditionExpression: 'seatHour = :from',
              ExpressionAttributeValues: { ':from': seatOf(r), ':to': current, ':ttl': seatTtl(current) },
            }),
          );
          return seatOf(r);
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
          return undefined;
        }
      }),
    );
    const outOf = new Map<number, number>();
    for (const bucket of moved) if (bucket !== undefined) outOf.set(bucket, (outOf.get(bucket) ?? 0) + 1);
    await Promise.all([...outOf].map(([bucket, n]) => this.addToBucket(portfolioId, bucket, -n)));
    const closed = await this.closedBuckets(portfolioId, current, now, false);
    for (const [bucket, n] of outOf) closed.counts.set(bucket, (closed.counts.get(bucket) ?? 0) - n);
  }

  /**
   * The planned slots of one item in one conditional write, and a second when the item moved on
   * since this instance learnt of it: then as many of them as still fit the horizon, later ones.
   */
  private async takeFromItem(itemKey: ItemKey, lattice: SlotLattice, take: SlotTake, now: number, latest: number): Promise<number[]> {
    const idleFrom = slotIndexAtOrAfter(lattice, take.item, now);
    const lastIndex = slotIndexAtOrBefore(lattice, take.item, latest);
    let known = this.known.get(itemKey.pk);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const fit = slotsFitting(lattice, take.item, known, now, latest, take.count);
      if (fit.count === 0) return [];
      const idle = known === undefined || known <= idleFrom;
      const ttl = ttlAfter(now, SLOT_TTL_SECONDS);
      try {
        const { Attributes } = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKey,
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            ...(idle
              ? {
                  // Idle: its next slot is in the past, so the slots start at now.
                  UpdateExpression: 'SET nextSlot = :end, expiresAt = :ttl',
                  ConditionExpression: 'attribute_not_exists(nextSlot) OR nextSlot <= :from',
                  ExpressionAttributeValues: { ':from': idleFrom, ':end': idleFrom + fit.count, ':ttl': ttl },
                }
              : {
                  // Busy: its next slot is ahead of now, and all n fit before the horizon.
                  UpdateExpression: 'SET expiresAt = :ttl ADD nextSlot :n',
                  ConditionExpression: 'nextSlot > :from AND nextSlot <= :max',
                  ExpressionAttributeValues: { ':n': fit.count, ':from': idleFrom, ':max': lastIndex - fit.count + 1, ':ttl': ttl },
                }),
          }),
        );
        const end = Number((Attributes as Attrs | undefined)?.nextSlot);
        this.learn(itemKey.pk, end);
        return Array.from({ length: fit.count }, (_, i) => slotTime(lattice, take.item, end - fit.count + i));
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        known = (await this.currentNumber(error, itemKey, 'nextSlot')) ?? idleFrom;
        this.learn(itemKey.pk, known);
      }
    }
    return [];
  }

  /**
   * Takes up to `wanted` seats in the current hour: one conditional ADD that keeps the live total
   * (the closed hours, read once an hour, plus this hour's count) within the limit. What this
   * instance last saw is a safe guess: this hour's count only grows and the closed hours only shrink
   * (seats moving out), so a limit it believes reached is refused without a request — looked at
   * again at most once a minute.
   */
  private async reserveSeats(portfolioId: string, current: number, now: number, limit: number, wanted: number): Promise<{ taken: number; currentCount: number }> {
    let closed = await this.closedBuckets(portfolioId, current, now, false);
    const seen = this.currentCounts.get(portfolioId);
    let n = seen?.current === current ? seen.n : 0;
    const learn = (count: number) => {
      n = Math.max(n, count);
      this.currentCounts.set(portfolioId, { current, n });
    };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const room = limit - sumClosed(closed, current);
      const want = Math.min(wanted, room - n);
      if (want <= 0) {
        if (now - closed.readAt < FULL_RECHECK_MS) return { taken: 0, currentCount: n };
        closed = await this.closedBuckets(portfolioId, current, now, true);
        learn(await this.readNumber(bucketItemKey(portfolioId, current), 'n'));
        continue;
      }
      try {
        const { Attributes } = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: bucketItemKey(portfolioId, current),
            UpdateExpression: 'SET expiresAt = :ttl ADD n :k',
            ConditionExpression: 'attribute_not_exists(n) OR n <= :max',
            ExpressionAttributeValues: { ':k': want, ':max': room - want, ':ttl': seatTtl(current) },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        learn(Number((Attributes as Attrs | undefined)?.n ?? want));
        return { taken: want, currentCount: n };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        learn((await this.currentNumber(error, bucketItemKey(portfolioId, current), 'n')) ?? 0);
      }
    }
    return { taken: 0, currentCount: n };
  }

  private async addToBucket(portfolioId: string, bucket: number, n: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: bucketItemKey(portfolioId, bucket),
        UpdateExpression: 'SET expiresAt = :ttl ADD n :n',
        ExpressionAttributeValues: { ':n': n, ':ttl': seatTtl(bucket) },
      }),
    );
  }

  /** The live closed hours' counts (oldest live … current − 1), cached for the hour once settled. */
  private async closedBuckets(portfolioId: string, current: number, now: number, refresh: boolean): Promise<ClosedBuckets> {
    const cached = this.closed.get(portfolioId);
    if (!refresh && cached && cached.current === current && cached.readAt - current * REACH_BUCKET_MS >= CLOSED_BUCKETS_SETTLE_MS) return cached;
    const keys = [];
    for (let bucket = oldestLiveBucket(current); bucket < current; bucket += 1) keys.push(bucketItemKey(portfolioId, bucket));
    const counts = new Map<number, number>();
    for (const item of await batchGetAll(this.client, this.tableName, keys, { projection: 'pk, n', consistent: true })) {
      counts.set(Number(String(item.pk).split('#').at(-1)), Number(item.n ?? 0));
    }
    const read = { current, readAt: now, counts };
    this.closed.set(portfolioId, read);
    return read;
  }

  private async readNumber(key: ItemKey, attribute: string): Promise<number> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: attribute }));
    return Number((Item as Attrs | undefined)?.[attribute] ?? 0);
  }

  /** The attribute as the refused write found it: from the error (DynamoDB returns the item), else read. */
  private async currentNumber(error: unknown, key: ItemKey, attribute: string): Promise<number | undefined> {
    const returned = (error as { Item?: Record<string, { N?: string }> }).Item?.[attribute]?.N;
    if (returned !== undefined) return Number(returned);
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: attribute }));
    const value = (Item as Attrs | undefined)?.[attribute];
    return value === undefined ? undefined : Number(value);
  }

  /** An item's next slot only grows: what was learnt later but read earlier never moves it back. */
  private learn(pk: string, next: number): void {
    if (Number.isFinite(next)) this.known.set(pk, Math.max(this.known.get(pk) ?? Number.NEGATIVE_INFINITY, next));
  }

  private knownAt(lattice: SlotLattice, item: number, pk: string): number {
    const next = this.known.get(pk);
    return next === undefined ? Number.NEGATIVE_INFINITY : slotTime(lattice, item, next);
  }
}

const sumClosed = (closed: ClosedBuckets, current: number): number => {
  let sum = 0;
  for (const [bucket, n] of closed.counts) if (bucket < current) sum += n;
  return sum;
};

const ttlAfter = (ms: number, seconds: number): number => Math.floor(ms / 1000) + seconds;

/** A seat item outlives its hour's count by an hour. */
const seatTtl = (bucket: number): number => Math.floor(bucketExpiresAt(bucket) / 1000) + 3_600;
