import { randomUUID } from 'node:crypto';
import {
  type AcquireRequest,
  type CapAmounts,
  type LeaseResult,
  type Occurrence,
  type OccurrenceSegment,
  type OccurrenceStore,
  type PageUpdate,
  type ReserveRequest,
  type ReserveResult,
  type SegmentAcquireRequest,
  type SegmentLeaseResult,
  type SegmentRef,
  type StartRequest,
  withSegments,
} from '../../ports/occurrence-store';
import type { PendingEntry } from '../../ports/pending-work';
import type { FunnelSnapshot } from '../../domain/campaign/funnel';

type Stored = Occurrence & { leaseToken?: string };

const idOf = (campaignId: string, occurrenceKey: string): string => `${campaignId}#${occurrenceKey}`;

/** The stored item without its lease token, as the DynamoDB adapter answers: a copy. */
const view = (item: Stored): Occurrence => {
  const occurrence: Stored = structuredClone(item);
  delete occurrence.leaseToken;
  return occurrence;
};

/**
 * Occurrences in memory, with the DynamoDB adapter's leases (the shared contract suite in
 * test/contract runs against both): created once, taken over only when the lease ran out or with the
 * holder's handover token (a fresh token each time), never once `done` or `stopped`, saved only by
 * the holder.
 */
export class InMemoryOccurrenceStore implements OccurrenceStore {
  private readonly items = new Map<string, Stored>();

  /**
   * The pending-work listing, as the DynamoDB adapter keeps it in gsi3: running occurrences and
   * segments that hold a lease, due when it runs out.
   */
  dueEntries(): PendingEntry[] {
    const occurrences = [...this.items.values()].flatMap((o): PendingEntry[] =>
      o.status === 'running' && o.leaseUntil !== undefined ? [{ kind: 'occurrence', campaignId: o.campaignId, occurrenceKey: o.occurrenceKey, dueAt: o.leaseUntil }] : [],
    );
    const segments = [...this.segmentItems.entries()].flatMap(([id, s]): PendingEntry[] => {
      if (s.status !== 'running' || s.leaseUntil === undefined) return [];
      // The id is `<campaignId>#<occurrenceKey>#SEG#<segment>`; neither campaign ids nor occurrence keys hold `#`.
      const [campaignId = '', occurrenceKey = ''] = id.split('#');
      return [{ kind: 'segment', campaignId, occurrenceKey, segment: s.segment, dueAt: s.leaseUntil }];
    });
    return [...occurrences, ...segments];
  }

  /** Stores an occurrence as if an earlier worker had written it, holding no lease. */
  seed(occurrence: Occurrence): void {
    this.items.set(idOf(occurrence.campaignId, occurrence.occurrenceKey), structuredClone(occurrence));
  }

  acquire(request: AcquireRequest): Promise<LeaseResult> {
    const id = idOf(request.campaignId, request.occurrenceKey);
    const existing = this.items.get(id);
    const leaseToken = randomUUID();
    const leaseUntil = request.now + request.leaseMs;
    if (existing === undefined) {
      if (request.create === undefined) return Promise.resolve({ acquired: false, occurrence: undefined });
      const created: Occurrence = {
        campaignId: request.campaignId,
        occurrenceKey: request.occurrenceKey,
        firingAt: request.firingAt,
        status: 'running',
        startedAt: request.now,
        updatedAt: request.now,
        pages: 0,
        counts: { audience: 0, enqueued: 0, notDue: 0, skipped: {} },
        costByCurrency: {},
        leaseUntil,
        campaign: structuredClone(request.create),
        ...(request.plan === undefined ? {} : { plan: structuredClone(request.plan) }),
      };
      this.items.set(id, { ...structuredClone(created), leaseToken });
      return Promise.resolve({ acquired: true, occurrence: created, leaseToken });
    }
    const unfinished = existing.status === 'running' || existing.status === 'paused';
    // An item without a lease never had one to expire: as in DynamoDB, `leaseUntil <= now` is then false.
    const expired = existing.leaseUntil !== undefined && existing.leaseUntil <= request.now;
    const handedOver = request.handoverToken !== undefined && existing.leaseToken === request.handoverToken;
    if (!unfinished || !(expired || handedOver)) return Promise.resolve({ acquired: false, occurrence: view(existing) });
    Object.assign(existing, { leaseToken, leaseUntil, status: 'running', updatedAt: request.now });
    return Promise.resolve({ acquired: true, occurrence: view(existing), leaseToken });
  }

  savePage(campaignId: string, occurrenceKey: string, leaseToken: string, update: PageUpdate): Promise<boolean> {
    const existing = this.items.get(idOf(campaignId, occurrenceKey));
    if (existing?.leaseToken === undefined || existing.leaseToken !== leaseToken) return Promise.resolve(false);
    const finished = update.status === 'done' || update.status === 'stopped';
    const fields: Record<string, unknown> = {
      pages: update.pages,
      cursor: update.cursor,
      counts: update.counts,
      costByCurrency: update.costByCurrency,
      status: update.status,
      stopReason: update.stopReason,
      updatedAt: update.now,
      leaseUntil: update.leaseUntil,
      heldUntil: update.held?.until,
      heldReason: update.held?.reason,
      heldAccount: update.held?.account,
      ...(finished ? { finishedAt: update.now } : {}),
    };
    const item = existing as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) delete item[field];
      else item[field] = structuredClone(value);
    }
    return Promise.resolve(true);
  }

  get(campaignId: string, occurrenceKey: string): Promise<Occurrence | undefined> {
    const found = this.items.get(idOf(campaignId, occurrenceKey));
    return Promise.resolve(found && this.summed(view(found)));
  }

  /** Newest first: occurrence keys are ISO-8601 times, so their order is the firings' order. */
  list(campaignId: string, limit: number): Promise<Occurrence[]> {
    const newestFirst = [...this.items.values()]
      .filter((o) => o.campaignId === campaignId)
      .sort((a, b) => (a.occurrenceKey < b.occurrenceKey ? 1 : a.occurrenceKey > b.occurrenceKey ? -1 : 0));
    return Promise.resolve(newestFirst.slice(0, limit).map((o) => this.summed(view(o))));
  }

  // Fanned-out occurrences (segments, each with its own lease; the caps' reservations), as the
  // DynamoDB adapter keeps them: segments apart from their occurrence, grants on it.
  private readonly segmentItems = new Map<string, OccurrenceSegment & { leaseToken?: string }>();
  private readonly reservations = new Map<string, { reserved: CapAmounts; grants: Map<number, CapAmounts & { page: number }> }>();

  start(request: StartRequest): Promise<{ created: boolean; occurrence: Occurrence }> {
    const id = idOf(request.campaignId, request.occurrenceKey);
    if (this.items.has(id)) return this.get(request.campaignId, request.occurrenceKey).then((occurrence) => ({ created: false, occurrence: occurrence as Occurrence }));
    this.items.set(id, {
      campaignId: request.campaignId,
      occurrenceKey: request.occurrenceKey,
      firingAt: request.firingAt,
      status: 'running',
      startedAt: request.now,
      updatedAt: request.now,
      pages: 0,
      counts: { audience: 0, enqueued: 0, notDue: 0, skipped: {} },
      costByCurrency: {},
      campaign: structuredClone(request.campaign),
      plan: structuredClone(request.plan),
    });
    this.reservations.set(id, { reserved: { recipients: 0, costUnits: 0 }, grants: new Map() });
    return this.get(request.campaignId, request.occurrenceKey).then((occurrence) => ({ created: true, occurrence: occurrence as Occurrence }));
  }

  acquireSegment(request: SegmentAcquireRequest): Promise<SegmentLeaseResult> {
    const parent = this.items.get(idOf(request.campaignId, request.occurrenceKey));
    const occurrence = parent && this.stored(parent);
    if (occurrence === undefined || request.segment >= (occurrence.plan?.segments ?? 1)) return Promise.resolve({ acquired: false, occurrence, segment: undefined });
    const id = segmentIdOf(request);
    const existing = this.segmentItems.get(id);
    const leaseToken = randomUUID();
    const leaseUntil = request.now + request.leaseMs;
    if (existing === undefined) {
      const segment: OccurrenceSegment = {
        segment: request.segment,
        status: 'running',
        startedAt: request.now,
        updatedAt: request.now,
        pages: 0,
        counts: { audience: 0, enqueued: 0, notDue: 0, skipped: {} },
        costByCurrency: {},
        leaseUntil,
      };
      this.segmentItems.set(id, { ...structuredClone(segment), leaseToken });
      return Promise.resolve({ acquired: true, occurrence, segment, leaseToken });
    }
    const unfinished = existing.status === 'running' || existing.status === 'paused';
    const expired = existing.leaseUntil !== undefined && existing.leaseUntil <= request.now;
    const handedOver = request.handoverToken !== undefined && existing.leaseToken === request.handoverToken;
    if (!unfinished || !(expired || handedOver)) return Promise.resolve({ acquired: false, occurrence, segment: segmentView(existing) });
    Object.assign(existing, { leaseToken, leaseUntil, status: 'running', updatedAt: request.now });
    return Promise.resolve({ acquired: true, occurrence, segment: segmentView(existing), leaseToken });
  }

  saveSegmentPage(ref: SegmentRef, leaseToken: string, update: PageUpdate): Promise<boolean> {
    const existing = this.segmentItems.get(segmentIdOf(ref));
    if (existing?.leaseToken === undefined || existing.leaseToken !== leaseToken) return Promise.resolve(false);
    const finished = update.status === 'done' || update.status === 'stopped';
    const fields: Record<string, unknown> = {
      pages: update.pages,
      cursor: update.cursor,
      counts: update.counts,
      costByCurrency: update.costByCurrency,
      status: update.status,
      stopReason: update.stopReason,
      updatedAt: update.now,
      leaseUntil: update.leaseUntil,
      heldUntil: update.held?.until,
      heldReason: update.held?.reason,
      heldAccount: update.held?.account,
      unused: update.unused,
      ...(finished ? { finishedAt: update.now } : {}),
    };
    const item = existing as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) delete item[field];
      else item[field] = structuredClone(value);
    }
    return Promise.resolve(true);
  }

  saveFunnel(campaignId: string, occurrenceKey: string, snapshot: FunnelSnapshot): Promise<boolean> {
    const item = this.items.get(idOf(campaignId, occurrenceKey));
    if (item === undefined || (item.funnel !== undefined && item.funnel.jobs > snapshot.jobs)) return Promise.resolve(false);
    item.funnel = structuredClone(snapshot);
    return Promise.resolve(true);
  }

  reserve(request: ReserveRequest): Promise<ReserveResult> {
    const ledger = this.reservations.get(idOf(request.campaignId, request.occurrenceKey));
    if (ledger === undefined) return Promise.reject(new Error(`occurrence ${request.campaignId}/${request.occurrenceKey} takes no reservations`));
    const last = ledger.grants.get(request.segment);
    const reserved = { ...ledger.reserved };
    // This page ran before: the same grant again, nothing more.
    if (last !== undefined && last.page >= request.page) {
      return Promise.resolve(last.page === request.page ? { granted: true, grant: { recipients: last.recipients, costUnits: last.costUnits }, reserved } : { granted: false, reserved });
    }
    // Given back once, with the grant it belongs to still the segment's last; else nothing given back.
    const release = request.release !== undefined && last?.page === request.release.page ? request.release : undefined;
    const after = {
      recipients: reserved.recipients + request.take.recipients - (release?.recipients ?? 0),
      costUnits: reserved.costUnits + request.take.costUnits - (release?.costUnits ?? 0),
    };
    const { recipients, costUnits } = request.limits;
    if ((recipients !== undefined && after.recipients > recipients) || (costUnits !== undefined && after.costUnits > costUnits)) {
      return Promise.resolve({ granted: false, reserved });
    }
    ledger.reserved = after;
    ledger.grants.set(request.segment, { page: request.page, ...request.take });
    return Promise.resolve({ granted: true, grant: { ...request.take }, reserved: { ...after } });
  }

  /** A stored occurrence with its reservations, without its segments' sums. */
  private stored(item: Occurrence): Occurrence {
    const reserved = this.reservations.get(idOf(item.campaignId, item.occurrenceKey))?.reserved;
    return { ...view(item), ...(reserved === undefined ? {} : { reserved: { ...reserved } }) };
  }

  /** A fanned-out occurrence with its segments summed, as `get` and `list` answer it. */
  private summed(occurrence: Occurrence): Occurrence {
    if ((occurrence.plan?.segments ?? 1) <= 1) return occurrence;
    const segments = [...this.segmentItems.entries()]
      .filter(([id]) => id.startsWith(`${idOf(occurrence.campaignId, occurrence.occurrenceKey)}#SEG#`))
      .map(([, segment]) => segmentView(segment));
    return withSegments(this.stored(occurrence), segments);
  }
}

const segmentIdOf = (ref: SegmentRef): string => `${idOf(ref.campaignId, ref.occurrenceKey)}#SEG#${ref.segment}`;

/** A segment without its lease token: a copy. */
const segmentView = (item: OccurrenceSegment & { leaseToken?: string }): OccurrenceSegment => {
  const segment = structuredClone(item);
  delete segment.leaseToken;
  return segment;
};
