/**
 * Occurrences: one per campaign firing (a local-time campaign fires every quarter hour), holding the
 * dispatcher's progress through the audience so a crash or a timeout resumes where it stopped.
 *
 * A big audience is split into segments (one per write shard of the audience index), each worked by
 * its own worker with its own lease, cursor and counts; the occurrence holds the definition, the
 * split and the caps' reservations, and its view sums the segments. An occurrence of one segment is
 * its own segment: its lease, cursor and counts live on the occurrence, as before segments existed.
 */
import type { FunnelSnapshot } from '../domain/campaign/funnel';
import type { Campaign } from '../schemas/campaign';

export type OccurrenceStatus = 'running' | 'paused' | 'done' | 'stopped';

export interface OccurrenceCounts {
  /** Audience index entries read. */
  audience: number;
  /** Jobs created on the send queue. */
  enqueued: number;
  /** Local-time contacts due in another firing: not skipped, sent later. */
  notDue: number;
  /** Per reason (quiet_hours, frequency_cap, outside_window_no_template, ...). */
  skipped: Record<string, number>;
}

export interface Occurrence {
  campaignId: string;
  /** The firing's key: its scheduled minute as ISO-8601 UTC, e.g. `2026-11-27T09:00:00.000Z`. */
  occurrenceKey: string;
  firingAt: number;
  status: OccurrenceStatus;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** Pages of the audience processed so far. */
  pages: number;
  /** Where the next page starts; opaque to the store. Absent before the first page and once done. */
  cursor?: string;
  counts: OccurrenceCounts;
  /** Estimated cost of the jobs enqueued so far, per currency. */
  costByCurrency: Record<string, number>;
  /** Why a `stopped` occurrence stopped (recipient_cap, campaign_deleted, ...). */
  stopReason?: string;
  /**
   * The campaign as it was when this firing started: an occurrence reads the audience, content and
   * caps it began with, so an edit mid-run can't move its cursor to another listing. Edits apply from
   * the next firing.
   */
  campaign: Campaign;
  leaseUntil?: number;
  /**
   * Set while a `running` occurrence waits for a sending account's pause (Meta refused a send for the
   * whole account, e.g. Messenger 10/1893063): when the pause ends, a continuation carries on.
   */
  heldUntil?: number;
  /** Why the account is paused: the error table's reason (`page_restricted`, `token_invalid`, ...). */
  heldReason?: string;
  /** The paused account, `<channel>#<accountId>`. */
  heldAccount?: string;
  /** How the firing split its audience (absent on occurrences started before segments existed). */
  plan?: OccurrencePlan;
  /**
   * A fanned-out occurrence's segments (only when `plan.segments` > 1): `status`, `pages`, `counts`,
   * `costByCurrency`, `stopReason`, `finishedAt` and the hold above are derived from them. A segment
   * the firing has not created yet is missing here and counts as running.
   */
  segments?: OccurrenceSegment[];
  /** What the segments reserved of the caps so far (fanned-out occurrences with caps). */
  reserved?: CapAmounts;
  /**
   * The last complete count of what became of the occurrence's jobs (`saveFunnel`): the report
   * answers it once the outbox records it was read from have expired.
   */
  funnel?: FunnelSnapshot;
}

/** How a firing splits its audience; stored on the occurrence so every worker reads the same way. */
export interface OccurrencePlan {
  /** Workers, each with its own lease: 1 keeps the whole occurrence on one worker. */
  segments: number;
  /** Write shards of the audience index at the firing: segment `s` reads the shards `s`, `s + segments`, ... */
  shards: number;
  /**
   * Local-time campaigns: per sending account (`<channel>#<accountId>`), the zone buckets due in this
   * firing (IANA names, and `_account` when the account's own zone is due). Absent: the whole audience.
   */
  zones?: Record<string, string[]>;
}

/** One segment of a fanned-out occurrence: a worker's progress through its shards. */
export interface OccurrenceSegment {
  segment: number;
  status: OccurrenceStatus;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  pages: number;
  cursor?: string;
  counts: OccurrenceCounts;
  costByCurrency: Record<string, number>;
  stopReason?: string;
  leaseUntil?: number;
  heldUntil?: number;
  heldReason?: string;
  heldAccount?: string;
  /** What the segment's last reserving page left unused of its grant: given back with its next reservation. */
  unused?: UnusedGrant;
}

/**
 * Amounts of the caps: recipients, and cost in ten-thousandths of a euro (integers, so sums stay
 * exact in memory as in DynamoDB).
 */
export interface CapAmounts {
  recipients: number;
  costUnits: number;
}

/** Part of a page's grant its sends did not use (a contact lost to another campaign's frequency cap meanwhile). */
export interface UnusedGrant extends CapAmounts {
  /** The page (the segment's `pages` before it) the grant was made for. */
  page: number;
}

/** An account pause an occurrence waits for. */
export interface OccurrenceHold {
  until: number;
  reason: string;
  /** `<channel>#<accountId>`. */
  account: string;
}

export type LeaseResult =
  | { acquired: true; occurrence: Occurrence; leaseToken: string }
  | { acquired: false; occurrence: Occurrence | undefined };

export interface AcquireRequest {
  campaignId: string;
  occurrenceKey: string;
  firingAt: number;
  now: number;
  /** How long the lease holds without a `savePage` renewing it. */
  leaseMs: number;
  /** Create the occurrence from this definition if it does not exist (a firing); a continuation never creates. */
  create?: Campaign;
  /** A lease handed over by the worker that ran out of time: taking it over needs no expiry. */
  handoverToken?: string;
  /** Stored with an occurrence `create` makes. */
  plan?: OccurrencePlan;
}

/** A firing that fans out: creates the occurrence without a lease of its own (its segments hold theirs). */
export interface StartRequest {
  campaignId: string;
  occurrenceKey: string;
  firingAt: number;
  now: number;
  campaign: Campaign;
  plan: OccurrencePlan;
}

export interface SegmentRef {
  campaignId: string;
  occurrenceKey: string;
  segment: number;
}

export interface SegmentAcquireRequest extends SegmentRef {
  now: number;
  leaseMs: number;
  handoverToken?: string;
}

export type SegmentLeaseResult =
  | { acquired: true; occurrence: Occurrence; segment: OccurrenceSegment; leaseToken: string }
  | { acquired: false; occurrence: Occurrence | undefined; segment: OccurrenceSegment | undefined };

export interface ReserveRequest extends SegmentRef {
  /** The segment's page (its `pages` before the page): a re-run of the page gets the same grant back. */
  page: number;
  take: CapAmounts;
  /** The caps: the occurrence's reservations after this one must not exceed them. */
  limits: { recipients?: number; costUnits?: number };
  /** The segment's earlier grant's unused part, given back in the same write (once). */
  release?: UnusedGrant;
}

export type ReserveResult =
  /** `grant` is this request's, or the one an earlier run of the same page got; `reserved` the totals after it. */
  | { granted: true; grant: CapAmounts; reserved: CapAmounts }
  /** Over a cap: nothing reserved; `reserved` says what the other segments hold now. */
  | { granted: false; reserved: CapAmounts };

export interface PageUpdate {
  pages: number;
  cursor?: string;
  counts: OccurrenceCounts;
  costByCurrency: Record<string, number>;
  status: OccurrenceStatus;
  stopReason?: string;
  /** Saved with a hold while an account pause lasts; any save without one clears it. */
  held?: OccurrenceHold;
  now: number;
  /** The renewed lease; 0 releases it. */
  leaseUntil: number;
  /** Segments only: the grant part to give back with the next reservation; any save without one clears it. */
  unused?: UnusedGrant;
}

export interface OccurrenceStore {
  /**
   * Takes the occurrence's lease: creates it (when `create`), or takes over a lease that expired or
   * was handed over with `handoverToken`. Never takes an occurrence that is `done` or `stopped`.
   */
  acquire(request: AcquireRequest): Promise<LeaseResult>;
  /** Saves one page's progress while `leaseToken` still holds the lease; false when it was lost. */
  savePage(campaignId: string, occurrenceKey: string, leaseToken: string, update: PageUpdate): Promise<boolean>;
  /** The occurrence; a fanned-out one with its segments, summed. Strongly consistent. */
  get(campaignId: string, occurrenceKey: string): Promise<Occurrence | undefined>;
  /** Newest first; fanned-out ones with their segments, summed. */
  list(campaignId: string, limit: number): Promise<Occurrence[]>;
  /**
   * A fanned-out firing: creates the occurrence with its plan (`created`), or answers the one an
   * earlier delivery of the firing created. It holds no lease; its segments do.
   */
  start(request: StartRequest): Promise<{ created: boolean; occurrence: Occurrence }>;
  /**
   * Takes a segment's lease, as `acquire` does an occurrence's: creates the segment when absent (its
   * occurrence must exist), or takes over an unfinished one whose lease expired or was handed over.
   */
  acquireSegment(request: SegmentAcquireRequest): Promise<SegmentLeaseResult>;
  /** `savePage` for a segment; false when its lease was lost. */
  saveSegmentPage(ref: SegmentRef, leaseToken: string, update: PageUpdate): Promise<boolean>;
  /**
   * Reserves a page's share of the caps on the occurrence with one conditional atomic write, so
   * concurrent segments never reserve past a cap. Idempotent per (segment, page): a re-run of the
   * page gets its first grant back instead of a second one.
   */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /**
   * Keeps a complete count of the occurrence's jobs on it, unless the stored one counted more jobs
   * (a later count finds fewer once outbox records expire). False when the occurrence doesn't exist
   * or kept its snapshot.
   */
  saveFunnel(campaignId: string, occurrenceKey: string, snapshot: FunnelSnapshot): Promise<boolean>;
}

const finished = (status: OccurrenceStatus): boolean => status === 'done' || status === 'stopped';

/**
 * A fanned-out occurrence as `get` and `list` answer it: the stored occurrence (definition, plan,
 * reservations) with its segments' progress summed. Running while a segment runs or is still to be
 * created, paused once every unfinished one is paused, done (or stopped, if one stopped) when all
 * are finished. Shared by the adapters, so both answer the same view.
 */
export const withSegments = (occurrence: Occurrence, segments: readonly OccurrenceSegment[]): Occurrence => {
  const expected = occurrence.plan?.segments ?? 1;
  if (expected <= 1) return occurrence;
  const sorted = [...segments].filter((s) => s.segment < expected).sort((a, b) => a.segment - b.segment);
  const counts: OccurrenceCounts = { audience: 0, enqueued: 0, notDue: 0, skipped: {} };
  const costByCurrency: Record<string, number> = {};
  let pages = 0;
  let updatedAt = occurrence.updatedAt;
  for (const s of sorted) {
    pages += s.pages;
    counts.audience += s.counts.audience;
    counts.enqueued += s.counts.enqueued;
    counts.notDue += s.counts.notDue;
    for (const [reason, n] of Object.entries(s.counts.skipped)) counts.skipped[reason] = (counts.skipped[reason] ?? 0) + n;
    for (const [currency, amount] of Object.entries(s.costByCurrency)) costByCurrency[currency] = Math.round(((costByCurrency[currency] ?? 0) + amount) * 10_000) / 10_000;
    updatedAt = Math.max(updatedAt, s.updatedAt);
  }
  const allFinished = sorted.length === expected && sorted.every((s) => finished(s.status));
  const stopped = sorted.find((s) => s.status === 'stopped');
  const status: OccurrenceStatus = allFinished
    ? stopped === undefined
      ? 'done'
      : 'stopped'
    : sorted.length < expected || sorted.some((s) => s.status === 'running')
      ? 'running'
      : 'paused';
  const stopReason = stopped?.stopReason ?? (allFinished ? sorted.find((s) => s.stopReason !== undefined)?.stopReason : undefined);
  const held = sorted.filter((s) => s.heldUntil !== undefined).sort((a, b) => (a.heldUntil ?? 0) - (b.heldUntil ?? 0))[0];
  const view: Occurrence = {
    campaignId: occurrence.campaignId,
    occurrenceKey: occurrence.occurrenceKey,
    firingAt: occurrence.firingAt,
    status,
    startedAt: occurrence.startedAt,
    updatedAt,
    ...(allFinished ? { finishedAt: Math.max(...sorted.map((s) => s.finishedAt ?? s.updatedAt)) } : {}),
    pages,
    counts,
    costByCurrency,
    ...(stopReason === undefined ? {} : { stopReason }),
    campaign: occurrence.campaign,
    ...(held === undefined ? {} : { heldUntil: held.heldUntil, heldReason: held.heldReason, heldAccount: held.heldAccount }),
    plan: occurrence.plan,
    segments: sorted,
    ...(occurrence.reserved === undefined ? {} : { reserved: occurrence.reserved }),
    ...(occurrence.funnel === undefined ? {} : { funnel: occurrence.funnel }),
  };
  return view;
};
