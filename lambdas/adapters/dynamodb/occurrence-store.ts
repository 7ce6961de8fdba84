import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AcquireRequest,
  type CapAmounts,
  type LeaseResult,
  type Occurrence,
  type OccurrenceCounts,
  type OccurrencePlan,
  type OccurrenceSegment,
  type OccurrenceStatus,
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
import { type Campaign, CampaignSchema } from '../../schemas/campaign';
import type { FunnelSnapshot } from '../../domain/campaign/funnel';
import { DUE_KIND, dueEntry, NOT_DUE, OCCURRENCE_PREFIX, occurrenceDue, occurrenceKeyOf, occurrencePk } from './keys';
import { isConditionFailure } from './requests';
import { assignments, updateExpression } from './update-expression';

/**
 * A fanned-out occurrence's segments: `OCCSEG#<occurrenceKey>#<nn>` in the campaign's partition,
 * apart from the occurrences (`list`'s `begins_with(sk, 'OCC#')` reads none of them) and one range
 * per run of occurrences. About 0.5 KB each, so a page's save is 1 WCU.
 */
const SEGMENT_PREFIX = 'OCCSEG#';
const segmentKeyOf = ({ campaignId, occurrenceKey, segment }: SegmentRef) => ({
  pk: occurrencePk(campaignId),
  sk: `${SEGMENT_PREFIX}${occurrenceKey}#${String(segment).padStart(2, '0')}`,
});
/** A running segment is pending work in gsi3 (keys.ts), due when its lease runs out, as an occurrence is. */
const segmentDue = (ref: SegmentRef, status: string, leaseUntil: number | undefined) =>
  status === 'running' && leaseUntil !== undefined ? dueEntry(DUE_KIND.segment, `${ref.campaignId}#${ref.occurrenceKey}#${ref.segment}`, leaseUntil) : NOT_DUE;
/** A segment's last grant in the occurrence's `grants` map. */
const grantName = (segment: number): string => `s${segment}`;

const ZERO_COUNTS: OccurrenceCounts = { audience: 0, enqueued: 0, notDue: 0, skipped: {} };

/**
 * Occurrences under their campaign's partition, sorted by key (the firing time). Each carries a lease
 * (token and expiry): only its holder saves pages, so two dispatchers never walk one audience at once.
 * A running occurrence is pending work in gsi3, due when its lease expires (its worker died); done,
 * stopped or paused ones leave the index.
 *
 * A fanned-out occurrence (`start`) holds no lease; its segments do, one item each (and each in gsi3
 * while running), and `get` / `list` sum them. The caps' reservations live on the occurrence item:
 * `reservedRecipients`, `reservedCostUnits` and, per segment, its last grant (`grants.s<n>`: page,
 * recipients, costUnits), so a re-run page finds its grant instead of taking a second one.
 */
export class DynamoDbOccurrenceStore implements OccurrenceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acquire(request: AcquireRequest): Promise<LeaseResult> {
    if (request.create !== undefined) {
      const created = await this.create(request, request.create);
      if (created) return created;
    }
    return this.takeOver(request);
  }

  async savePage(campaignId: string, occurrenceKey: string, leaseToken: string, update: PageUpdate): Promise<boolean> {
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
      ...occurrenceDue(campaignId, occurrenceKey, update.status, update.leaseUntil),
    };
    return this.saveUnderLease(occurrenceKeyOf(campaignId, occurrenceKey), leaseToken, fields);
  }

  async saveSegmentPage(ref: SegmentRef, leaseToken: string, update: PageUpdate): Promise<boolean> {
    const fields = { ...pageFields(update), unused: update.unused, ...segmentDue(ref, update.status, update.leaseUntil) };
    return this.saveUnderLease(segmentKeyOf(ref), leaseToken, fields);
  }

  private async saveUnderLease(key: { pk: string; sk: string }, leaseToken: string, fields: Record<string, unknown>): Promise<boolean> {
    const { sets, removes, names, values } = assignments(fields);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: updateExpression(sets, removes),
          ConditionExpression: 'leaseToken = :token',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':token': leaseToken },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(campaignId: string, occurrenceKey: string): Promise<Occurrence | undefined> {
    const stored = await this.getStored(campaignId, occurrenceKey);
    if (stored === undefined || !fannedOut(stored)) return stored;
    return withSegments(stored, (await this.segmentsBetween(campaignId, occurrenceKey, occurrenceKey)).get(occurrenceKey) ?? []);
  }

  async list(campaignId: string, limit: number): Promise<Occurrence[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': occurrencePk(campaignId), ':prefix': OCCURRENCE_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const occurrences = (Items ?? []).map(toOccurrence);
    const spread = occurrences.filter(fannedOut);
    const [newest, oldest] = [spread[0], spread.at(-1)];
    if (newest === undefined || oldest === undefined) return occurrences;
    // The listed occurrences are the newest ones, one run of keys: their segments are one range.
    const segments = await this.segmentsBetween(campaignId, oldest.occurrenceKey, newest.occurrenceKey);
    return occurrences.map((o) => (fannedOut(o) ? withSegments(o, segments.get(o.occurrenceKey) ?? []) : o));
  }

  async start(request: StartRequest): Promise<{ created: boolean; occurrence: Occurrence }> {
    const occurrence: Occurrence = {
      campaignId: request.campaignId,
      occurrenceKey: request.occurrenceKey,
      firingAt: request.firingAt,
      status: 'running',
      startedAt: request.now,
      updatedAt: request.now,
      pages: 0,
      counts: ZERO_COUNTS,
      costByCurrency: {},
      campaign: request.campaign,
      plan: request.plan,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...occurrenceKeyOf(request.campaignId, request.occurrenceKey),
            entity: 'occurrence',
            ...occurrence,
            reservedRecipients: 0,
            reservedCostUnits: 0,
            grants: {},
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, occurrence: withSegments({ ...occurrence, reserved: { recipients: 0, costUnits: 0 } }, []) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await this.get(request.campaignId, request.occurrenceKey);
    if (existing === undefined) throw new Error(`occurrence ${request.campaignId}/${request.occurrenceKey} exists and cannot be read`);
    return { created: false, occurrence: existing };
  }

  async acquireSegment(request: SegmentAcquireRequest): Promise<SegmentLeaseResult> {
    const occurrence = await this.getStored(request.campaignId, request.occurrenceKey);
    // A segment belongs to a fanned-out occurrence's plan: a message naming another is no one's.
    if (occurrence === undefined || request.segment >= (occurrence.plan?.segments ?? 1)) return { acquired: false, occurrence, segment: undefined };
    const created = await this.createSegment(request);
    if (created !== undefined) return { acquired: true, occurrence, ...created };
    const leaseToken = randomUUID();
    const due = segmentDue(request, 'running', request.now + request.leaseMs);
    const values: Record<string, unknown> = {
      ':token': leaseToken,
      ':until': request.now + request.leaseMs,
      ':duePk': due.gsi3pk,
      ':dueSk': due.gsi3sk,
      ':now': request.now,
      ':running': 'running',
      ':paused': 'paused',
    };
    let free = 'leaseUntil <= :now';
    if (request.handoverToken !== undefined) {
      values[':handover'] = request.handoverToken;
      free = `(${free} OR leaseToken = :handover)`;
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: segmentKeyOf(request),
          UpdateExpression: 'SET leaseToken = :token, leaseUntil = :until, #status = :running, updatedAt = :now, gsi3pk = :duePk, gsi3sk = :dueSk',
          ConditionExpression: `attribute_exists(pk) AND #status IN (:running, :paused) AND ${free}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { acquired: true, occurrence, segment: toSegment(Attributes ?? {}), leaseToken };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: segmentKeyOf(request), ConsistentRead: true }));
      return { acquired: false, occurrence, segment: Item ? toSegment(Item) : undefined };
    }
  }

  /** One conditional write: the occurrence exists, and no stored snapshot counted more jobs. */
  async saveFunnel(campaignId: string, occurrenceKey: string, snapshot: FunnelSnapshot): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: occurrenceKeyOf(campaignId, occurrenceKey),
          UpdateExpression: 'SET #funnel = :funnel',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#funnel) OR #funnel.#jobs <= :jobs)',
          ExpressionAttributeNames: { '#funnel': 'funnel', '#jobs': 'jobs' },
          ExpressionAttributeValues: { ':funnel': snapshot, ':jobs': snapshot.jobs },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const key = occurrenceKeyOf(request.campaignId, request.occurrenceKey);
    const release = request.release;
    const delta = { recipients: request.take.recipients - (release?.recipients ?? 0), costUnits: request.take.costUnits - (release?.costUnits ?? 0) };
    const values: Record<string, unknown> = {
      ':dr': delta.recipients,
      ':dc': delta.costUnits,
      ':grant': { page: request.page, recipients: request.take.recipients, costUnits: request.take.costUnits },
      ':page': request.page,
    };
    const conditions = ['attribute_exists(reservedRecipients)', '(attribute_not_exists(grants.#seg) OR grants.#seg.page < :page)'];
    // "Total after ≤ cap" as "total now ≤ cap − what this adds": a condition can't add.
    if (request.limits.recipients !== undefined) {
      values[':rmax'] = request.limits.recipients - delta.recipients;
      conditions.push('reservedRecipients <= :rmax');
    }
    if (request.limits.costUnits !== undefined) {
      values[':cmax'] = request.limits.costUnits - delta.costUnits;
      conditions.push('reservedCostUnits <= :cmax');
    }
    // Given back once: the grant it belongs to is replaced in the same write.
    if (release !== undefined) {
      values[':released'] = release.page;
      conditions.push('grants.#seg.page = :released');
    }
    try {
      const { Attributes = {} } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET reservedRecipients = reservedRecipients + :dr, reservedCostUnits = reservedCostUnits + :dc, grants.#seg = :grant',
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: { '#seg': grantName(request.segment) },
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { granted: true, grant: request.take, reserved: reservedOf(Attributes) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item = {} } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (Item.reservedRecipients === undefined) throw new Error(`occurrence ${request.campaignId}/${request.occurrenceKey} takes no reservations`);
    const grant = (Item.grants as Record<string, { page: number; recipients: number; costUnits: number } | undefined> | undefined)?.[grantName(request.segment)];
    const reserved = reservedOf(Item);
    // This page ran before (and its worker stopped before saving it): the same grant again.
    if (grant?.page === request.page) return { granted: true, grant: { recipients: Number(grant.recipients), costUnits: Number(grant.costUnits) }, reserved };
    // The grant to give back is no longer the segment's last: give nothing back rather than twice.
    if (release !== undefined && grant?.page !== release.page) return this.reserve({ ...request, release: undefined });
    return { granted: false, reserved };
  }

  private async getStored(campaignId: string, occurrenceKey: string): Promise<Occurrence | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: occurrenceKeyOf(campaignId, occurrenceKey), ConsistentRead: true }),
    );
    return Item ? toOccurrence(Item) : undefined;
  }

  /** The segments of the occurrences keyed `from` to `to`, by occurrence key; strongly consistent. */
  private async segmentsBetween(campaignId: string, from: string, to: string): Promise<Map<string, OccurrenceSegment[]>> {
    const byOccurrence = new Map<string, OccurrenceSegment[]>();
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': occurrencePk(campaignId), ':from': `${SEGMENT_PREFIX}${from}#`, ':to': `${SEGMENT_PREFIX}${to}#~` },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of Items) {
        const key = String(item.occurrenceKey);
        byOccurrence.set(key, [...(byOccurrence.get(key) ?? []), toSegment(item)]);
      }
      start = LastEvaluatedKey;
    } while (start !== undefined);
    return byOccurrence;
  }

  /** A segment's first worker creates it holding the lease; undefined when it exists already. */
  private async createSegment(request: SegmentAcquireRequest): Promise<{ segment: OccurrenceSegment; leaseToken: string } | undefined> {
    const leaseToken = randomUUID();
    const segment: OccurrenceSegment = {
      segment: request.segment,
      status: 'running',
      startedAt: request.now,
      updatedAt: request.now,
      pages: 0,
      counts: ZERO_COUNTS,
      costByCurrency: {},
      leaseUntil: request.now + request.leaseMs,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...segmentKeyOf(request),
            entity: 'occurrence_segment',
            campaignId: request.campaignId,
            occurrenceKey: request.occurrenceKey,
            ...segment,
            leaseToken,
            ...segmentDue(request, segment.status, segment.leaseUntil),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { segment, leaseToken };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** The firing's first worker creates the occurrence holding the lease; undefined when it exists already. */
  private async create(request: AcquireRequest, campaign: Campaign): Promise<LeaseResult | undefined> {
    const leaseToken = randomUUID();
    const occurrence: Occurrence = {
      campaignId: request.campaignId,
      occurrenceKey: request.occurrenceKey,
      firingAt: request.firingAt,
      status: 'running',
      startedAt: request.now,
      updatedAt: request.now,
      pages: 0,
      counts: { audience: 0, enqueued: 0, notDue: 0, skipped: {} },
      costByCurrency: {},
      leaseUntil: request.now + request.leaseMs,
      campaign,
      ...(request.plan === undefined ? {} : { plan: request.plan }),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...occurrenceKeyOf(request.campaignId, request.occurrenceKey),
            entity: 'occurrence',
            ...occurrence,
            leaseToken,
            ...occurrenceDue(request.campaignId, request.occurrenceKey, occurrence.status, occurrence.leaseUntil),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { acquired: true, occurrence, leaseToken };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Takes the lease of an unfinished occurrence whose lease expired (or was released with 0), or
   * that its holder handed over. The fresh token makes a handover token good for one takeover only.
   */
  private async takeOver(request: AcquireRequest): Promise<LeaseResult> {
    const leaseToken = randomUUID();
    const due = dueEntry(DUE_KIND.occurrence, `${request.campaignId}#${request.occurrenceKey}`, request.now + request.leaseMs);
    const values: Record<string, unknown> = {
      ':token': leaseToken,
      ':until': request.now + request.leaseMs,
      ':duePk': due.gsi3pk,
      ':dueSk': due.gsi3sk,
      ':now': request.now,
      ':running': 'running',
      ':paused': 'paused',
    };
    let free = 'leaseUntil <= :now';
    if (request.handoverToken !== undefined) {
      values[':handover'] = request.handoverToken;
      free = `(${free} OR leaseToken = :handover)`;
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: occurrenceKeyOf(request.campaignId, request.occurrenceKey),
          UpdateExpression: 'SET leaseToken = :token, leaseUntil = :until, #status = :running, updatedAt = :now, gsi3pk = :duePk, gsi3sk = :dueSk',
          ConditionExpression: `attribute_exists(pk) AND #status IN (:running, :paused) AND ${free}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { acquired: true, occurrence: toOccurrence(Attributes ?? {}), leaseToken };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { acquired: false, occurrence: await this.get(request.campaignId, request.occurrenceKey) };
    }
  }
}

/** The fields a page's save sets; undefined ones are removed. */
const pageFields = (update: PageUpdate): Record<string, unknown> => {
  const finished = update.status === 'done' || update.status === 'stopped';
  return {
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
};

const fannedOut = (o: Occurrence): boolean => (o.plan?.segments ?? 1) > 1;

const reservedOf = (item: Record<string, unknown>): CapAmounts => ({ recipients: Number(item.reservedRecipients ?? 0), costUnits: Number(item.reservedCostUnits ?? 0) });

const toSegment = (item: Record<string, unknown>): OccurrenceSegment => ({
  segment: Number(item.segment),
  status: item.status as OccurrenceStatus,
  startedAt: Number(item.startedAt),
  updatedAt: Number(item.updatedAt),
  ...(typeof item.finishedAt === 'number' ? { finishedAt: item.finishedAt } : {}),
  pages: Number(item.pages),
  ...(typeof item.cursor === 'string' ? { cursor: item.cursor } : {}),
  counts: item.counts as OccurrenceCounts,
  costByCurrency: item.costByCurrency as Record<string, number>,
  ...(typeof item.stopReason === 'string' ? { stopReason: item.stopReason } : {}),
  ...(typeof item.leaseUntil === 'number' ? { leaseUntil: item.leaseUntil } : {}),
  ...(typeof item.heldUntil === 'number' ? { heldUntil: item.heldUntil } : {}),
  ...(typeof item.heldReason === 'string' ? { heldReason: item.heldReason } : {}),
  ...(typeof item.heldAccount === 'string' ? { heldAccount: item.heldAccount } : {}),
  ...(typeof item.unused === 'object' && item.unused !== null ? { unused: item.unused as NonNullable<OccurrenceSegment['unused']> } : {}),
});

/** The stored item without its keys and, above all, without the lease token. */
const toOccurrence = (item: Record<string, unknown>): Occurrence => ({
  campaignId: String(item.campaignId),
  occurrenceKey: String(item.occurrenceKey),
  firingAt: Number(item.firingAt),
  status: item.status as OccurrenceStatus,
  startedAt: Number(item.startedAt),
  updatedAt: Number(item.updatedAt),
  ...(typeof item.finishedAt === 'number' ? { finishedAt: item.finishedAt } : {}),
  pages: Number(item.pages),
  ...(typeof item.cursor === 'string' ? { cursor: item.cursor } : {}),
  counts: item.counts as OccurrenceCounts,
  costByCurrency: item.costByCurrency as Record<string, number>,
  ...(typeof item.stopReason === 'string' ? { stopReason: item.stopReason } : {}),
  ...(typeof item.leaseUntil === 'number' ? { leaseUntil: item.leaseUntil } : {}),
  ...(typeof item.heldUntil === 'number' ? { heldUntil: item.heldUntil } : {}),
  ...(typeof item.heldReason === 'string' ? { heldReason: item.heldReason } : {}),
  ...(typeof item.heldAccount === 'string' ? { heldAccount: item.heldAccount } : {}),
  campaign: campaignOf(item),
  ...(typeof item.plan === 'object' && item.plan !== null ? { plan: item.plan as OccurrencePlan } : {}),
  ...(typeof item.reservedRecipients === 'number' ? { reserved: reservedOf(item) } : {}),
  ...(typeof item.funnel === 'object' && item.funnel !== null ? { funnel: item.funnel as FunnelSnapshot } : {}),
});

/** The definition the occurrence started with; a stored one that no longer parses is named, not guessed at. */
const campaignOf = (item: Record<string, unknown>): Campaign => {
  const parsed = CampaignSchema.safeParse(item.campaign);
  if (!parsed.success) throw new Error(`occurrence ${String(item.campaignId)}/${String(item.occurrenceKey)} holds no valid campaign definition`);
  return parsed.data;
};
