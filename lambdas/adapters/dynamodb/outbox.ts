import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Decision } from '../../domain/send/policy-types';
import type { ContactRef } from '../../domain/events';
import { type ClaimResult, type NewJob, newOutboxRecord, type Outbox, type OutboxOutcome, type OutboxRecord, type RefusedOutcome, type StrandedOutcome } from '../../ports/outbox';
import { indexPage } from './index-page';
import { DUE_KIND, dueEntry, GSI1, GSI2, INDEX_ATTRIBUTES, MILESTONE_FLAG_PREFIX, milestoneFlag, OUTBOX_PREFIX, outboxDue, outboxGroupEntry, outboxGroupPartitions, outboxKey, PERSON_ITEM, personPk, sendEntry } from './keys';
import { batchGetAll, isConditionFailure } from './requests';
import { DEFAULT_RETENTION_DAYS, expiresAtFor } from '../../domain/retention';
import { statusOfRank } from '../../domain/state-changes';
import { timeOfOrder } from '../../domain/state-writes';

export interface DynamoDbOutboxOptions {
  /** Days a record lives from its creation (TTL `expiresAt`); default lambdas/domain/retention.ts (90). */
  retentionDays?: number;
}

/**
 * Outbox records in the state table. Every transition is one conditional write on the record, so
 * concurrent or repeated deliveries of a job can never both send it. The same writes keep the
 * record's index entries (keys.ts): its occurrence's listing (gsi1), its recipient's sends (gsi2),
 * and, while queued or claimed, the pending-work index (gsi3) at the time it is due (a claim leaves
 * that entry alone: see outboxDue in keys.ts).
 */
export class DynamoDbOutbox implements Outbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoDbOutboxOptions = {},
  ) {}

  async create(job: NewJob) {
    const record = newOutboxRecord(job);
    const { outboxId, ...stored } = record;
    const { group, intent, createdAt } = stored;
    const entries = {
      ...(group === undefined ? {} : outboxGroupEntry(group, outboxId)),
      ...sendEntry(intent, createdAt),
      ...outboxDue(outboxId, record, 0),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          // The intent names the recipient: the record expires (TTL) `retentionDays` after its creation.
          // The key names the record: its id is not stored again (every status rewrites the record, billed by its size).
          Item: { ...outboxKey(outboxId), entity: 'outbox', ...stored, ...entries, expiresAt: expiresAtFor(createdAt, this.options.retentionDays ?? DEFAULT_RETENTION_DAYS.outbox) },
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(idempotencyKey)',
        }),
      );
      return { created: true, record };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { created: false, record: (await this.get(outboxId)) as OutboxRecord };
    }
  }

  async get(outboxId: string): Promise<OutboxRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: outboxKey(outboxId), ConsistentRead: true }));
    return Item && typeof Item.idempotencyKey === 'string' ? outboxRecordOf(Item) : undefined;
  }

  async getMany(outboxIds: readonly string[]): Promise<OutboxRecord[]> {
    const items = await batchGetAll(this.client, this.tableName, [...new Set(outboxIds)].map(outboxKey), { consistent: true });
    // A record that only a status webhook has touched so far is not a job yet, as in `get`.
    const jobs = items.filter((item) => typeof item.idempotencyKey === 'string');
    const byId = new Map(jobs.map((item) => [outboxIdOf(item as Record<string, string>), outboxRecordOf(item)]));
    return outboxIds.flatMap((id) => byId.get(id) ?? []);
  }

  /** Every shard of the occurrence's listing, one after the other, behind one cursor. */
  async listGroup(group: string, cursor: string | undefined, limit: number): Promise<{ outboxIds: string[]; cursor?: string }> {
    const listing = { index: GSI1, partitions: outboxGroupPartitions(group) };
    const { entries, ...next } = await indexPage(this.client, this.tableName, listing, cursor, limit);
    return { outboxIds: entries.map(outboxIdOf), ...next };
  }

  /** One Query on the recipient's person partition, backwards over `SEND#<createdAt>`. */
  async listByContact(contact: ContactRef, cursor: string | undefined, limit: number): Promise<{ outboxIds: string[]; cursor?: string }> {
    const listing = { index: GSI2, partitions: [personPk(contact)], skPrefix: PERSON_ITEM.send, forward: false };
    const { entries, ...next } = await indexPage(this.client, this.tableName, listing, cursor, limit);
    return { outboxIds: entries.map(outboxIdOf), ...next };
  }

  async claim(outboxId: string, now: number, staleAfterMs: number): Promise<ClaimResult> {
    const claimToken = randomUUID();
    // The job's due entry stays (one write, no index move): a sweeper that finds it reads the deadline.
    const claimUntil = now + staleAfterMs;
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboxKey(outboxId),
          UpdateExpression:
            'SET #status = :claimed, claimToken = :token, claimedAt = :now, updatedAt = :now, claimUntil = :until REMOVE sendingAt',
          // A fresh job, or a claim that went stale before its send step began (nothing reached Meta).
          ConditionExpression:
            'attribute_exists(idempotencyKey) AND ((#status = :queued AND (attribute_not_exists(notBefore) OR notBefore <= :now)) OR (#status = :claimed AND claimedAt < :stale AND attribute_not_exists(sendingAt)))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':queued': 'queued',
            ':token': claimToken,
            ':now': now,
            ':stale': now - staleAfterMs,
            ':until': claimUntil,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: true, record: outboxRecordOf(Attributes ?? {}), claimToken };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { claimed: false, record: await this.get(outboxId) };
    }
  }

  /** Also counts the attempt: only calls to Meta count, not deferrals or takeovers. */
  async markSending(outboxId: string, claimToken: string, now: number, decision: Decision, attempts: number): Promise<boolean> {
    const route = decision.outcome === 'allow' ? { route: decision.route, pricing: decision.pricing } : {};
    return this.conditional(outboxId, claimToken, { sendingAt: now, updatedAt: now, attempts, ...route }, []);
  }

  async finish(outboxId: string, claimToken: string, now: number, outcome: OutboxOutcome): Promise<boolean> {
    const { fields, removes } = finishParts(outboxId, now, outcome);
    return this.conditional(outboxId, claimToken, fields, removes);
  }

  /** The failure's write also sets `fm_failed` where absent, and returns the record it replaced: no write more. */
  async finishRefused(outboxId: string, claimToken: string, now: number, outcome: RefusedOutcome): Promise<OutboxRecord | undefined> {
    const { fields, removes } = finishParts(outboxId, now, outcome);
    const before = await this.conditionalWrite(outboxId, claimToken, fields, removes, { flag: milestoneFlag('failed'), at: now });
    return before && outboxRecordOf(before);
  }

  async markUnknown(outboxId: string, claimToken: string, now: number, reason: string): Promise<boolean> {
    return this.conditional(outboxId, claimToken, { status: 'unknown', reason, updatedAt: now }, ['claimToken', 'claimUntil', 'gsi3pk', 'gsi3sk'], 'attribute_exists(sendingAt)');
  }

  async postponeStranded(seen: OutboxRecord, dueAt: number): Promise<boolean> {
    const due = dueEntry(DUE_KIND.outbox, seen.outboxId, dueAt);
    return this.unchanged(seen, 'SET gsi3pk = :duePk, gsi3sk = :dueSk ADD sweeps :one', { ':duePk': due.gsi3pk, ':dueSk': due.gsi3sk, ':one': 1 });
  }

  async postponeClaimed(seen: OutboxRecord, dueAt: number): Promise<boolean> {
    const due = dueEntry(DUE_KIND.outbox, seen.outboxId, dueAt);
    return this.unchanged(seen, 'SET gsi3pk = :duePk, gsi3sk = :dueSk', { ':duePk': due.gsi3pk, ':dueSk': due.gsi3sk });
  }

  async endStranded(seen: OutboxRecord, now: number, outcome: StrandedOutcome): Promise<boolean> {
    return this.unchanged(seen, 'SET #status = :end, reason = :reason, updatedAt = :now REMOVE claimToken, claimUntil, gsi3pk, gsi3sk', {
      ':end': outcome.status,
      ':reason': outcome.reason,
      ':now': now,
    });
  }

  /** Applies a sweeper's update only while the record is as it read it: same status, update time, claim and send step. */
  private async unchanged(seen: OutboxRecord, update: string, values: Record<string, unknown>): Promise<boolean> {
    // Only pending jobs are the sweeper's: the record must still be what it read, so it is pending too.
    if (seen.status !== 'queued' && seen.status !== 'claimed') return false;
    const conditions = ['#status = :seenStatus', 'updatedAt = :seenUpdatedAt'];
    const seenValues: Record<string, unknown> = { ':seenStatus': seen.status, ':seenUpdatedAt': seen.updatedAt };
    if (seen.claimToken === undefined) conditions.push('attribute_not_exists(claimToken)');
    else {
      conditions.push('claimToken = :seenToken');
      seenValues[':seenToken'] = seen.claimToken;
    }
    if (seen.sendingAt === undefined) conditions.push('attribute_not_exists(sendingAt)');
    else {
      conditions.push('sendingAt = :seenSendingAt');
      seenValues[':seenSendingAt'] = seen.sendingAt;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboxKey(seen.outboxId),
          UpdateExpression: update,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ...seenValues },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Writes `fields` only while `claimToken` still holds the claim. */
  private async conditional(
    outboxId: string,
    claimToken: string,
    fields: Record<string, unknown>,
    removes: string[],
    extraCondition?: string,
  ): Promise<boolean> {
    return (await this.conditionalWrite(outboxId, claimToken, fields, removes, undefined, extraCondition)) !== undefined;
  }

  /** As `conditional`, with a funnel flag set where absent beside: the item it replaced, or undefined when the claim had moved on. */
  private async conditionalWrite(
    outboxId: string,
    claimToken: string,
    fields: Record<string, unknown>,
    removes: string[],
    milestone?: { flag: string; at: number },
    extraCondition?: string,
  ): Promise<Record<string, unknown> | undefined> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':token': claimToken, ':claimed': 'claimed' };
    const sets = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v], i) => {
        names[`#f${i}`] = k;
        values[`:f${i}`] = v;
        return `#f${i} = :f${i}`;
      });
    if (milestone) {
      names['#m'] = milestone.flag;
      values[':m'] = milestone.at;
      sets.push('#m = if_not_exists(#m, :m)');
    }
    const removeNames = removes.map((r, i) => {
      names[`#r${i}`] = r;
      return `#r${i}`;
    });
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboxKey(outboxId),
          UpdateExpression: `SET ${sets.join(', ')}${removeNames.length > 0 ? ` REMOVE ${removeNames.join(', ')}` : ''}`,
          ConditionExpression: `claimToken = :token AND #status = :claimed${extraCondition ? ` AND ${extraCondition}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // Free: ReturnValues costs no read capacity. The claim's condition held, so the item existed.
          ...(milestone ? { ReturnValues: 'ALL_OLD' as const } : {}),
        }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

/** What `finish` writes and removes for `outcome`. */
const finishParts = (outboxId: string, now: number, outcome: OutboxOutcome): { fields: Record<string, unknown>; removes: string[] } => {
  const { status, ...rest } = outcome;
  const fields: Record<string, unknown> = { status, updatedAt: now, ...rest };
  if (status === 'sent') fields.sentAt = now;
  // A sent job drops what earlier retries left, so its record doesn't show a stale error.
  const removes = ['claimToken', 'claimUntil', ...(status === 'queued' ? ['sendingAt', 'claimedAt'] : []), ...(status === 'sent' ? ['reason', 'errorCode', 'detail', 'notBefore'] : [])];
  // A retry is pending again from its notBefore; any other outcome ends the job's pending work.
  if (status === 'queued') Object.assign(fields, dueEntry(DUE_KIND.outbox, outboxId, outcome.notBefore));
  else removes.push('gsi3pk', 'gsi3sk');
  return { fields, removes };
};

/** Attributes of the stored item that are not part of the record: keys, index entries, the TTL. */
const STORAGE_ONLY = ['pk', 'sk', 'entity', 'expiresAt', ...INDEX_ATTRIBUTES];

/** The outbox id of an index entry: the record's own key, `O#<outboxId>`. */
const outboxIdOf = (entry: Record<string, string>): string => (entry.pk as string).slice(OUTBOX_PREFIX.length);

/**
 * Attributes of what status webhooks reported (state-changes.ts `outboxReport`): read into
 * `delivery`, not kept as they are. `deliveryStatus`, `deliveryAt` and `deliveryMessageId` are the
 * previous release's.
 */
const REPORT_ATTRIBUTES = [
  'deliveryRank',
  'deliveryOrder',
  'deliveryErrorCode',
  'deliveryStatus',
  'deliveryAt',
  'deliveryMessageId',
  'pricingRank',
  'pricingOrder',
  'pricingCategory',
  'pricingType',
  'pricingModel',
  'billable',
  'failureOrder',
  'failureCode',
  'failureTitle',
];

/** The record a stored outbox item holds (the state store reads the one a status write replaced). */
export const outboxRecordOf = (item: Record<string, unknown>): OutboxRecord => {
  const record = { ...item } as unknown as OutboxRecord & Record<string, unknown>;
  for (const attribute of [...STORAGE_ONLY, ...REPORT_ATTRIBUTES]) delete record[attribute];
  // The key names the record; records of the previous release repeat the id.
  record.outboxId = String(item.pk).slice(OUTBOX_PREFIX.length);
  const delivery = deliveryOf(item);
  if (delivery) record.delivery = delivery;
  const milestones = milestonesOf(item);
  if (milestones) record.milestones = milestones;
  for (const name of Object.keys(record)) if (name.startsWith(MILESTONE_FLAG_PREFIX)) delete record[name];
  return record;
};

/** The funnel's flags (funnel-milestones.ts: `fm_<milestone>`, the time it was first recorded). */
const milestonesOf = (item: Record<string, unknown>): OutboxRecord['milestones'] => {
  const flags = Object.entries(item).filter(([name, at]) => name.startsWith(MILESTONE_FLAG_PREFIX) && typeof at === 'number');
  return flags.length === 0 ? undefined : Object.fromEntries(flags.map(([name, at]) => [name.slice(MILESTONE_FLAG_PREFIX.length), at]));
};

/** The status webhooks' report: the delivery register's rank is the status, and its order (the failure's too) starts with the status's time. */
const deliveryOf = (item: Record<string, unknown>): OutboxRecord['delivery'] => {
  const str = (name: string): string | undefined => (typeof item[name] === 'string' ? item[name] : undefined);
  const num = (name: string): number | undefined => (typeof item[name] === 'number' ? item[name] : undefined);
  const status = statusOfRank(item.deliveryRank) ?? str('deliveryStatus');
  const order = str('deliveryOrder');
  if (status === undefined) return undefined;
  const pricing = str('pricingOrder') && {
    category: str('pricingCategory'),
    type: str('pricingType'),
    model: str('pricingModel'),
    billable: typeof item.billable === 'boolean' ? item.billable : undefined,
  };
  const failedOrder = str('failureOrder');
  return {
    status,
    at: order === undefined ? Number(item.deliveryAt) : timeOfOrder(order),
    messageId: str('messageId') ?? str('deliveryMessageId'),
    errorCode: num('deliveryErrorCode'),
    ...(pricing ? { pricing } : {}),
    ...(failedOrder === undefined ? {} : { failure: { code: num('failureCode'), title: str('failureTitle'), at: timeOfOrder(failedOrder) } }),
  };
};
