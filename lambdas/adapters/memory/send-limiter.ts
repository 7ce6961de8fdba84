import {
  oldestLiveBucket,
  planSlotTakes,
  rateTag,
  reachBucketOf,
  reachEarliestAt,
  slotIndexAtOrAfter,
  slotLattice,
  slotTime,
  earliestKnown,
} from '../../domain/send/send-limits';
import type { PairRequest, ReachAnswer, ReachPeek, ReachPeekAnswer, ReachRequest, SendLimiter, SlotLease, SlotRequest } from '../../ports/send-limiter';

/** What a DynamoDB table would hold for the limiter: share one between fakes to play several instances. */
export class InMemoryLimiterTable {
  /** Slot item (`<key>#<rate>#<k>`) → its next free slot index. */
  readonly slots = new Map<string, number>();
  /** `<key>#<recipient>` → when the pair may send again. */
  readonly pairs = new Map<string, number>();
  /** `<portfolio>#<recipient>` → the hour bucket the person's seat is in. */
  readonly seats = new Map<string, number>();
  /** `<portfolio>#<bucket>` → seats taken in that hour. */
  readonly buckets = new Map<string, number>();
}

/**
 * The shared limiter in memory, with the DynamoDB adapter's semantics (the contract suite runs
 * against both): the same slot lattice over K items, a call's slots the earliest free ones of the
 * two earliest items (the DynamoDB adapter reads the items first, so it sees them as they are, as
 * this one does), the same pair condition, the same hour buckets for the portfolio's rolling 24 h.
 */
export class InMemorySendLimiter implements SendLimiter {
  constructor(readonly table: InMemoryLimiterTable = new InMemoryLimiterTable()) {}

  takeSlots({ key, ratePerSecond, count, now, horizonMs }: SlotRequest): Promise<SlotLease> {
    const lattice = slotLattice(ratePerSecond);
    const itemKeys = Array.from({ length: lattice.items }, (_, k) => `${key}#${rateTag(ratePerSecond)}#${k}`);
    const slots: number[] = [];
    for (const take of planSlotTakes(lattice, itemKeys.map((k) => this.table.slots.get(k)), now, now + horizonMs, count)) {
      this.table.slots.set(itemKeys[take.item] as string, take.from + take.count);
      for (let i = 0; i < take.count; i += 1) slots.push(slotTime(lattice, take.item, take.from + i));
    }
    slots.sort((a, b) => a - b);
    const nextTimes = itemKeys.map((k, item) => slotTime(lattice, item, this.table.slots.get(k) ?? Number.NEGATIVE_INFINITY));
    const nextFreeAt = earliestKnown(nextTimes, now);
    return Promise.resolve({ slots, nextFreeAt });
  }

  backOff({ key, ratePerSecond, until }: { key: string; ratePerSecond: number; until: number }): Promise<void> {
    const lattice = slotLattice(ratePerSecond);
    for (let item = 0; item < lattice.items; item += 1) {
      const k = `${key}#${rateTag(ratePerSecond)}#${item}`;
      const from = slotIndexAtOrAfter(lattice, item, until);
      if ((this.table.slots.get(k) ?? Number.NEGATIVE_INFINITY) < from) this.table.slots.set(k, from);
    }
    return Promise.resolve();
  }

  takePair({ key, recipient, at, gapMs }: PairRequest): Promise<{ ok: true } | { ok: false; nextAllowedAt: number }> {
    const k = `${key}#${recipient}`;
    const nextAllowedAt = this.table.pairs.get(k);
    if (nextAllowedAt !== undefined && nextAllowedAt > at) return Promise.resolve({ ok: false, nextAllowedAt });
    this.table.pairs.set(k, at + gapMs);
    return Promise.resolve({ ok: true });
  }

  countRecipients({ portfolioId, recipients, limit, now }: ReachRequest): Promise<ReachAnswer> {
    const current = reachBucketOf(now);
    const oldest = oldestLiveBucket(current);
    const bucketKey = (bucket: number) => `${portfolioId}#${bucket}`;
    const counts = new Map<number, number>();
    for (let bucket = oldest; bucket <= current; bucket += 1) counts.set(bucket, this.table.buckets.get(bucketKey(bucket)) ?? 0);
    let used = [...counts.values()].reduce((a, b) => a + b, 0);
    const add = (bucket: number, n: number) => {
      counts.set(bucket, (counts.get(bucket) ?? 0) + n);
      this.table.buckets.set(bucketKey(bucket), (this.table.buckets.get(bucketKey(bucket)) ?? 0) + n);
    };
    const accepted: string[] = [];
    const refused: string[] = [];
    for (const recipient of new Set(recipients)) {
      const seatKey = `${portfolioId}#${recipient}`;
      const seat = this.table.seats.get(seatKey);
      if (seat !== undefined && seat >= current) {
        accepted.push(recipient);
      } else if (seat !== undefined && seat >= oldest) {
        // Counted earlier in the rolling 24 h: the seat moves to this hour, so it lasts 24 h from this send.
        add(current, 1);
        add(seat, -1);
        this.table.seats.set(seatKey, current);
        accepted.push(recipient);
      } else if (used < limit) {
        add(current, 1);
        used += 1;
        this.table.seats.set(seatKey, current);
        accepted.push(recipient);
      } else {
        refused.push(recipient);
      }
    }
    return Promise.resolve(refused.length === 0 ? { accepted, refused } : { accepted, refused, earliestAt: reachEarliestAt(counts, current) });
  }

  peekReach({ portfolioId, recipient, limit, now }: ReachPeek): Promise<ReachPeekAnswer> {
    const current = reachBucketOf(now);
    const oldest = oldestLiveBucket(current);
    const seat = this.table.seats.get(`${portfolioId}#${recipient}`);
    if (seat !== undefined && seat >= oldest) return Promise.resolve({ ok: true });
    const counts = new Map<number, number>();
    for (let bucket = oldest; bucket <= current; bucket += 1) counts.set(bucket, this.table.buckets.get(`${portfolioId}#${bucket}`) ?? 0);
    const used = [...counts.values()].reduce((a, b) => a + b, 0);
    return Promise.resolve(used < limit ? { ok: true } : { ok: false, earliestAt: reachEarliestAt(counts, current) });
  }
}
