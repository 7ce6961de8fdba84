/**
 * Meta's sending limits as numbers, and the arithmetic the shared limiter's adapters share: pure, no
 * clock (times are parameters), no storage.
 *
 * - Throughput per sending account (WhatsApp phone number, Page, Instagram account): WhatsApp 80
 *   msg/s by default, 1,000 once Meta upgraded the number, 20 for a coexistence number
 *   (whatsapp-cloud-api.md §5.10); Messenger/Instagram have no tier, a deployment default applies
 *   (messenger-platform.md "Rate limits": 300 calls/s per Page, but the Page Inbox stops showing new
 *   messages above 40/s).
 * - WhatsApp pair rate: one message per 6 s to the same person (131056).
 * - WhatsApp messaging limit per business portfolio (§5.9): unique people reached outside the
 *   customer service window per rolling 24 h, 250 → 2,000 → 10,000 → 100,000 → unlimited.
 */
import { STANDARD_WINDOW_MS } from '../conversation-window';
import type { Channel } from '../events';
import type { AccountPolicyState, ContactPolicyState, Decision } from './policy-types';
import type { SendIntent } from './send-intent';

/** WhatsApp allows one message per 6 s to the same person (pair rate, error 131056). */
export const WHATSAPP_PAIR_GAP_MS = 6000;
/** A WhatsApp number's throughput until Meta upgrades it (§5.10). */
export const WHATSAPP_DEFAULT_THROUGHPUT = 80;

/** `max_daily_conversations_per_business` values (§1.6) → unique people per rolling 24 h; unlimited is absent. */
export const MESSAGING_LIMIT_BY_TIER: Readonly<Record<string, number | undefined>> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: undefined,
};
/**
 * The limit when afterchat knows no tier (no webhook yet, `TIER_NOT_SET`, an unknown value): 250,
 * what Meta gives every new portfolio. Conservative: a portfolio above it is held back until its
 * `phone_number_quality_update` / `business_capability_update` arrives; one at TIER_50 says so.
 */
export const DEFAULT_MESSAGING_LIMIT = 250;
/** Accounts registered without `businessPortfolioId` share this portfolio (conservative: one pool, one limit). */
export const UNASSIGNED_PORTFOLIO = 'unassigned';
/**
 * A window this close to its end counts as closed: Meta counts the person when the message is
 * delivered, which may be after the window closed.
 */
const WINDOW_END_MARGIN_MS = 60_000;

/** What the sender hands the pacer beyond the account and the recipient. */
export interface SendLimits {
  channel: Channel;
  /** Meta's rate for the account when afterchat knows it (registration, WhatsApp default); absent: the deployment's channel default. */
  ratePerSecond?: number;
  /** Present when this send counts toward the portfolio's unique-recipient limit. */
  messagingLimit?: { portfolioId: string; limit: number };
}

/** The unique-recipient limit of a tier name; undefined = unlimited. */
export const messagingLimitOf = (tier: string | undefined): number | undefined =>
  tier !== undefined && tier in MESSAGING_LIMIT_BY_TIER ? MESSAGING_LIMIT_BY_TIER[tier] : DEFAULT_MESSAGING_LIMIT;

/**
 * Does this allowed send count toward WhatsApp's messaging limit? Business-initiated (a template)
 * and outside a customer service window the person opened — Meta counts unique people "delivered to
 * outside a customer service window".
 */
export const countsTowardMessagingLimit = (decision: Decision, contact: ContactPolicyState, now: number): boolean => {
  if (decision.outcome !== 'allow') return false;
  if (decision.route !== 'whatsapp.template' && decision.route !== 'whatsapp.marketing_message') return false;
  const closesAt = contact.lastInboundAt === undefined ? undefined : contact.lastInboundAt + STANDARD_WINDOW_MS;
  return closesAt === undefined || closesAt - WINDOW_END_MARGIN_MS <= now;
};

/** Why a send over the portfolio's messaging limit is refused, in words a person can act on. */
export const messagingLimitDetail = (earliestAt: number): string =>
  `The business portfolio reached its WhatsApp messaging limit (unique people outside the customer service window per rolling 24 h): this person can be reached from ${new Date(earliestAt).toISOString()}.`;

/**
 * The preview's answer for a send the limiter would refuse now. The sender's own count decides when
 * the send goes out (only it reserves a seat), so this is the limit as it stands at the preview.
 */
export const messagingLimitRefusal = (earliestAt: number): Decision => ({
  outcome: 'refuse',
  reason: 'messaging_limit_reached',
  detail: messagingLimitDetail(earliestAt),
  earliestAt,
  rule: 'whatsapp.messaging_limit',
});

/** The account's rate and, when the send counts, its portfolio limit (unlimited tiers count nothing). */
export const sendLimitsFor = (intent: SendIntent, decision: Decision, contact: ContactPolicyState, account: AccountPolicyState, now: number): SendLimits => {
  const ratePerSecond = account.throughputPerSecond ?? (intent.channel === 'whatsapp' ? WHATSAPP_DEFAULT_THROUGHPUT : undefined);
  const limits: SendLimits = { channel: intent.channel, ...(ratePerSecond === undefined ? {} : { ratePerSecond }) };
  if (intent.channel !== 'whatsapp' || !countsTowardMessagingLimit(decision, contact, now)) return limits;
  const limit = messagingLimitOf(account.messagingLimitTier);
  return limit === undefined ? limits : { ...limits, messagingLimit: { portfolioId: account.businessPortfolioId ?? UNASSIGNED_PORTFOLIO, limit } };
};

// ---------------------------------------------------------------------------------------------
// Slot lattice: an account's rate spread over K slot items, each handing out its own interleaved
// times, so K writers never hand out the same instant and the union is evenly 1/rate apart.

/** Slots per second one limiter item hands out at most: 1,000 msg/s → 4 items of 250. */
export const SLOTS_PER_ITEM_PER_SECOND = 250;
/** Slot items one call takes from at most (the earliest two): bounds the writes of a call. */
export const MAX_SLOT_ITEMS_PER_CALL = 2;

export interface SlotLattice {
  /** Slot items of the account (K). */
  items: number;
  /** ms between two slots of the account. */
  base: number;
  /** ms between two slots of one item (K × base). */
  step: number;
}

export const slotLattice = (ratePerSecond: number): SlotLattice => {
  const items = Math.max(1, Math.ceil(ratePerSecond / SLOTS_PER_ITEM_PER_SECOND));
  const base = 1000 / ratePerSecond;
  return { items, base, step: items * base };
};

/** Time of slot number `index` of item `item`: item k owns times k·base + m·step. */
export const slotTime = (lattice: SlotLattice, item: number, index: number): number => item * lattice.base + index * lattice.step;

/** The first slot index of `item` at or after `at`. */
export const slotIndexAtOrAfter = (lattice: SlotLattice, item: number, at: number): number =>
  Math.ceil((at - item * lattice.base) / lattice.step - 1e-9);

/** The last slot index of `item` at or before `at`. */
export const slotIndexAtOrBefore = (lattice: SlotLattice, item: number, at: number): number =>
  Math.floor((at - item * lattice.base) / lattice.step + 1e-9);

/** Rate key of the items: a new rate (a tier upgrade) starts fresh items. */
export const rateTag = (ratePerSecond: number): string => String(Math.round(ratePerSecond * 1000) / 1000);

/**
 * How many of `count` slots fit item `item` whose next free index is `next`, no later than `latest`
 * (ms), and from which index. `now` floors an idle item's start.
 */
export const slotsFitting = (lattice: SlotLattice, item: number, next: number | undefined, now: number, latest: number, count: number): { from: number; count: number } => {
  const from = Math.max(next ?? Number.NEGATIVE_INFINITY, slotIndexAtOrAfter(lattice, item, now));
  const last = slotIndexAtOrBefore(lattice, item, latest);
  return { from, count: Math.max(0, Math.min(count, last - from + 1)) };
};

/** Slots a call takes from one item: `count` consecutive indexes of item `item` from `from`. */
export interface SlotTake {
  item: number;
  from: number;
  count: number;
}

/**
 * Where a call takes its `count` slots: the earliest free ones no later than `latest`, among the
 * MAX_SLOT_ITEMS_PER_CALL items whose next free slot is earliest. `nexts` holds each item's next
 * free index as the caller knows it (undefined: never used). Merged slot by slot, so a call spreads
 * over two items as evenly as their backlogs allow: an item a call filled far ahead while the others
 * went idle would leave their slots unused, and the jobs holding its late slots waiting.
 */
export const planSlotTakes = (lattice: SlotLattice, nexts: readonly (number | undefined)[], now: number, latest: number, count: number): SlotTake[] => {
  const takes = nexts
    .map((next, item) => ({ item, from: Math.max(next ?? Number.NEGATIVE_INFINITY, slotIndexAtOrAfter(lattice, item, now)), count: 0, last: slotIndexAtOrBefore(lattice, item, latest) }))
    .sort((a, b) => slotTime(lattice, a.item, a.from) - slotTime(lattice, b.item, b.from))
    .slice(0, MAX_SLOT_ITEMS_PER_CALL);
  const nextAt = (take: (typeof takes)[number]) => (take.from + take.count <= take.last ? slotTime(lattice, take.item, take.from + take.count) : Number.POSITIVE_INFINITY);
  for (let taken = 0; taken < count; taken += 1) {
    const earliest = takes.reduce((best, take) => (nextAt(take) < nextAt(best) ? take : best));
    if (nextAt(earliest) === Number.POSITIVE_INFINITY) break;
    earliest.count += 1;
  }
  return takes.filter((take) => take.count > 0).map(({ item, from, count: n }) => ({ item, from, count: n }));
};

/**
 * When a caller may find a free slot: the earliest next slot among the items it knows (−∞ for
 * those it never saw, which it tries first anyway), never before now.
 */
export const earliestKnown = (knownTimes: readonly number[], now: number): number => {
  const known = knownTimes.filter((t) => t > Number.NEGATIVE_INFINITY);
  return known.length === 0 ? now : Math.max(now, Math.min(...known));
};

// ---------------------------------------------------------------------------------------------
// Portfolio reach: unique recipients per rolling 24 h, counted in hour buckets.

export const REACH_BUCKET_MS = 3_600_000;
/**
 * A seat taken in hour bucket h counts until bucket h + LIVE_BUCKETS begins: at least 25 h after
 * it was taken. Meta's window is 24 h from delivery; the extra hour covers the wait between counting
 * and delivery (slot wait, Graph latency) and clock skew between instances. Conservative.
 */
export const REACH_LIVE_BUCKETS = 26;

export const reachBucketOf = (at: number): number => Math.floor(at / REACH_BUCKET_MS);

/** The oldest bucket still live when `current` is the current one. */
export const oldestLiveBucket = (current: number): number => current - REACH_LIVE_BUCKETS + 1;

/** When the seats of bucket `bucket` stop counting. */
export const bucketExpiresAt = (bucket: number): number => (bucket + REACH_LIVE_BUCKETS) * REACH_BUCKET_MS;

/** When the portfolio has room for one more person: the oldest live bucket with a seat expires. */
export const reachEarliestAt = (counts: ReadonlyMap<number, number>, current: number): number => {
  for (let bucket = oldestLiveBucket(current); bucket <= current; bucket += 1) {
    if ((counts.get(bucket) ?? 0) > 0) return bucketExpiresAt(bucket);
  }
  return bucketExpiresAt(current);
};
