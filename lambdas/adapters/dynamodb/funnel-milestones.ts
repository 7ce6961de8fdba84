import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, type QueryCommandOutput, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { addTally, counterAdds, emptyTally, TITLE_PREFIX, titleField } from '../../domain/measurement/funnel-counts';
import { funnelScopeOf } from '../../domain/measurement/funnel-scope';
import { landedMilestones } from '../../domain/measurement/status-milestones';
import type { FunnelCounters, FunnelMilestones, FunnelReadScope, FunnelTally, MilestoneEvent } from '../../ports/funnel-milestones';
import type { CountedMilestone, LandedStatus, SequencedMilestone, StatusFunnel, StreamFunnel } from '../../ports/status-funnel';
import type { Outbox, OutboxRecord } from '../../ports/outbox';
import { funnelCounterBase, funnelCounterKey, funnelCounterKeyOf, type ItemKey, milestoneFlag, outboxKey } from './keys';
import { outboxRecordOf } from './outbox';
import { batchGetAll, isConditionFailure } from './requests';
import { SHARDS, shardKey } from './shards';
import { mapLimit } from '../../shared/map-limit';

/** Counter writes in flight at once. */
const COUNTER_WRITES = 16;
/** A stream shard's mark on a counter item: `sq_<shard id>` (whole: two shards never share one), the last sequence number counted from it (SEQUENCE_DIGITS digits). */
const MARK_PREFIX = 'sq_';
/** Sequence numbers are decimal strings of 21 to 40 digits: padded to 40, they compare as strings. */
const SEQUENCE_DIGITS = 40;
/** A counter item's write refused this often by marks that keep moving: give up and let the stream retry the batch. */
const MARK_ATTEMPTS = 4;

/**
 * Funnel counters in the state table (keys.ts: `FUNNEL#…` counter items, 64 write shards per scope).
 * A milestone counts once per outbox record, whatever the number or order of the events that cause
 * it: its flag (`fm_<milestone>`) is set on the record where absent, by a write that returns the
 * record it replaced, and only the write that found no flag counts it.
 *
 * Statuses' flags ride on their own writes (state-changes.ts `outboxReport`). In AWS the state
 * table's stream counts them (`countSequenced`, lambdas/handlers/funnel-stream.ts), off the status
 * webhook's path: one ADD per counter item per stream batch. Where there is no stream (the local
 * stack) `countStatuses` counts a webhook body's after its writes, one ADD per counter item per
 * body: at most once, as a crash between the writes and the count loses those counts. Other
 * milestones (`record`) count right after their flag, at most once likewise.
 */
export class DynamoDbFunnelMilestones implements FunnelMilestones, StatusFunnel, StreamFunnel, FunnelCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: Pick<Outbox, 'getMany'>,
  ) {}

  async record(event: MilestoneEvent): Promise<boolean> {
    const before = await this.flag(event);
    if (before === undefined) return false;
    await this.count([{ event, record: before }]);
    return true;
  }

  async countStatuses(landed: readonly LandedStatus[]): Promise<CountedMilestone[]> {
    const counted = landedMilestones(landed);
    await this.count(counted);
    return counted;
  }

  /**
   * Each scope's counts land on its counter item in the stream shard's own write shard, which holds
   * a mark per stream shard: the last sequence number counted from it. The write adds the batch's
   * sum and moves the mark on, on condition that the mark is behind the batch; refused (Lambda
   * retries a failed batch whole, or in halves), it counts only what lies past the mark, so nothing
   * counts twice. A shard's records reach the function in order, one batch at a time.
   */
  async countSequenced(shardId: string, counted: readonly SequencedMilestone[]): Promise<void> {
    const mark = `${MARK_PREFIX}${shardId}`;
    const items = new Map<string, { key: ItemKey; entries: SequencedMilestone[] }>();
    for (const entry of counted) {
      const scope = funnelScopeOf(entry.record);
      if (scope === undefined) continue;
      const key = funnelCounterKeyOf(scope, shardId);
      const id = `${key.pk}\u0000${key.sk}`;
      const item = items.get(id) ?? { key, entries: [] };
      item.entries.push({ ...entry, sequence: paddedSequence(entry.sequence) });
      items.set(id, item);
    }
    await mapLimit([...items.values()], COUNTER_WRITES, ({ key, entries }) => this.countPastMark(key, mark, entries));
  }

  private async countPastMark(key: ItemKey, mark: string, entries: readonly SequencedMilestone[]): Promise<void> {
    // Undefined until a refusal shows the stored mark: then only what lies past it counts, on condition that it stands.
    let stored: { sequence: string | undefined } | undefined;
    for (let attempt = 0; attempt < MARK_ATTEMPTS; attempt += 1) {
      const past = stored === undefined ? entries : entries.filter((e) => stored?.sequence === undefined || e.sequence > stored.sequence);
      if (past.length === 0) return;
      const sequences = past.map((e) => e.sequence).sort();
      const first = sequences[0] as string;
      const last = sequences[sequences.length - 1] as string;
      const update = counterUpdate(summed(past, key), { '#q': mark }, { ':last': last }, '#q = :last');
      const condition =
        stored === undefined ? 'attribute_not_exists(#q) OR #q < :first' : stored.sequence === undefined ? 'attribute_not_exists(#q)' : '#q = :was';
      const values = stored === undefined ? { ':first': first } : stored.sequence === undefined ? {} : { ':was': stored.sequence };
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            ...update,
            ConditionExpression: condition,
            ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...values },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        stored = { sequence: await this.storedMark(key, mark, error) };
      }
    }
    throw new Error(`counter item ${key.pk} ${key.sk}: its stream mark kept moving; the batch is retried`);
  }

  /** The mark a refused write found: returned with the refusal in AWS (as DynamoDB JSON), read here otherwise. */
  private async storedMark(key: ItemKey, mark: string, refusal: unknown): Promise<string | undefined> {
    const returned = (refusal as { Item?: Record<string, AttributeValue> }).Item;
    const item: Record<string, unknown> | undefined = returned
      ? unmarshall(returned)
      : (await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item;
    const value = item?.[mark];
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * 64 reads at most, whatever the size: one BatchGetItem for an occurrence (its item in each
   * shard), one Query per shard for a campaign (all its occurrences) or a range of days.
   */
  async read(scope: FunnelReadScope): Promise<FunnelTally> {
    const shards = Array.from({ length: SHARDS }, (_, shard) => shardKey(funnelCounterBase(scope), shard));
    const items =
      scope.kind === 'occurrence'
        ? await batchGetAll(this.client, this.tableName, shards.map((pk) => ({ pk, sk: scope.occurrenceKey })))
        : (await mapLimit(shards, 16, (pk) => this.queryShard(pk, scope.kind === 'campaign' ? undefined : [scope.from, scope.to]))).flat();
    return items.reduce<FunnelTally>((sum, item) => addTally(sum, tallyOf(item)), emptyTally());
  }

  private async queryShard(pk: string, days: [string, string] | undefined): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: days ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(days ? { ':from': days[0], ':to': days[1] } : {}) },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** The counts of `counted`, summed per counter item: one ADD each (and Meta's failure titles, first one kept). */
  private async count(counted: readonly CountedMilestone[]): Promise<void> {
    const items = new Map<string, CounterItem>();
    for (const { event, record } of counted) {
      const scope = funnelScopeOf(record);
      if (scope === undefined) continue;
      const key = funnelCounterKey(scope, record.outboxId);
      const id = `${key.pk}\u0000${key.sk}`;
      items.set(id, addInto(items.get(id) ?? { key, adds: {}, titles: {} }, event));
    }
    await mapLimit([...items.values()], COUNTER_WRITES, async (item) => {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: item.key, ...counterUpdate(item) }));
    });
  }

  /** `fm_<milestone>` on a send's record the first time: the record as it was before, or undefined when it was flagged already (or is no send). */
  private async flag(event: MilestoneEvent): Promise<OutboxRecord | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboxKey(event.outboxId),
          UpdateExpression: 'SET #f = :at',
          ConditionExpression: 'attribute_exists(idempotencyKey) AND attribute_not_exists(#f)',
          ExpressionAttributeNames: { '#f': milestoneFlag(event.milestone) },
          ExpressionAttributeValues: { ':at': event.at },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes && outboxRecordOf(Attributes);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

/** One counter item's ADDs and titles, summed over a batch. */
interface CounterItem {
  key: ItemKey;
  adds: Record<string, number>;
  titles: Record<string, string>;
}

const addInto = (item: CounterItem, event: MilestoneEvent): CounterItem => {
  for (const [name, amount] of Object.entries(counterAdds(event))) item.adds[name] = (item.adds[name] ?? 0) + amount;
  const title = titleField(event);
  if (title) item.titles[title.name] ??= title.title;
  return item;
};

const summed = (entries: readonly CountedMilestone[], key: ItemKey): CounterItem =>
  entries.reduce<CounterItem>((item, { event }) => addInto(item, event), { key, adds: {}, titles: {} });

/** The UpdateItem parts that ADD `item`'s counts and keep its failure titles where absent, with `set` SET beside them. */
const counterUpdate = (
  item: CounterItem,
  setNames: Record<string, string> = {},
  setValues: Record<string, unknown> = {},
  set?: string,
): { UpdateExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> } => {
  const names: Record<string, string> = { ...setNames };
  const values: Record<string, unknown> = { ...setValues };
  const add = Object.entries(item.adds).map(([name, amount], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = amount;
    return `#a${i} :a${i}`;
  });
  const sets = Object.entries(item.titles).map(([name, title], i) => {
    names[`#t${i}`] = name;
    values[`:t${i}`] = title;
    return `#t${i} = if_not_exists(#t${i}, :t${i})`;
  });
  if (set !== undefined) sets.push(set);
  return {
    UpdateExpression: `ADD ${add.join(', ')}${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/** A stream sequence number, padded so that sequence numbers of one shard compare as strings. */
const paddedSequence = (sequence: string): string => {
  if (!/^[0-9]{1,40}$/.test(sequence)) throw new RangeError(`a stream sequence number is 1 to ${SEQUENCE_DIGITS} digits, got ${sequence.length} characters`);
  return sequence.padStart(SEQUENCE_DIGITS, '0');
};

const tallyOf = (item: Record<string, unknown>): FunnelTally => {
  const tally = emptyTally();
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'number') tally.counts[name] = value;
    else if (typeof value === 'string' && name.startsWith(TITLE_PREFIX)) tally.titles[name.slice(TITLE_PREFIX.length)] = value;
  }
  return tally;
};
