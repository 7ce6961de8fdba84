import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AcquireRequest,
  LeaseResult,
  Occurrence,
  OccurrenceCounts,
  OccurrenceStatus,
  OccurrenceStore,
  PageUpdate,
} from '../../ports/occurrence-store';
import { type Campaign, CampaignSchema } from '../../schemas/campaign';
import { OCCURRENCE_PREFIX, occurrenceKeyOf, occurrencePk } from './keys';
import { isConditionFailure } from './requests';
import { assignments, updateExpression } from './update-expression';

/**
 * Occurrences under their campaign's partition, sorted by key (the firing time). Each carries a lease
 * (token and expiry): only its holder saves pages, so two dispatchers never walk one audience at once.
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
    };
    const { sets, removes, names, values } = assignments(fields);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: occurrenceKeyOf(campaignId, occurrenceKey),
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
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: occurrenceKeyOf(campaignId, occurrenceKey), ConsistentRead: true }),
    );
    return Item ? toOccurrence(Item) : undefined;
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
    return (Items ?? []).map(toOccurrence);
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
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...occurrenceKeyOf(request.campaignId, request.occurrenceKey), entity: 'occurrence', ...occurrence, leaseToken },
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
    const values: Record<string, unknown> = {
      ':token': leaseToken,
      ':until': request.now + request.leaseMs,
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
          UpdateExpression: 'SET leaseToken = :token, leaseUntil = :until, #status = :running, updatedAt = :now',
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
});

/** The definition the occurrence started with; a stored one that no longer parses is named, not guessed at. */
const campaignOf = (item: Record<string, unknown>): Campaign => {
  const parsed = CampaignSchema.safeParse(item.campaign);
  if (!parsed.success) throw new Error(`occurrence ${String(item.campaignId)}/${String(item.occurrenceKey)} holds no valid campaign definition`);
  return parsed.data;
};
