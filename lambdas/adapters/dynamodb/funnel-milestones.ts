import { type DynamoDBDocumentClient, type QueryCommandOutput, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactRef } from '../../domain/events';
import { addTally, counterAdds, emptyTally, TITLE_PREFIX, titleField } from '../../domain/measurement/funnel-counts';
import { funnelScopeOf } from '../../domain/measurement/funnel-scope';
import { statusMilestones } from '../../domain/measurement/status-milestones';
import { touchesOf } from '../../domain/measurement/touches';
import type { FunnelCounters, FunnelMilestones, FunnelReadScope, FunnelTally, MilestoneEvent } from '../../ports/funnel-milestones';
import type { CountedMilestone, LandedStatus, StatusFunnel } from '../../ports/status-funnel';
import type { Outbox, OutboxRecord } from '../../ports/outbox';
import type { Touch, Touches } from '../../ports/touches';
import { funnelCounterBase, funnelCounterKey, GSI2, type ItemKey, milestoneFlag, outboxKey, PERSON_ITEM, personPk } from './keys';
import { outboxRecordOf } from './outbox';
import { batchGetAll, isConditionFailure } from './requests';
import { SHARDS, shardKey } from './shards';
import { mapLimit } from '../../shared/map-limit';

/** How far back a person's sends are looked at for their latest touch: a message read or clicked long after it was sent still counts. */
const TOUCH_LOOKBACK_MS = 35 * 24 * 3_600_000;
const TOUCH_PAGE = 25;
/** Counter writes in flight at once. */
const COUNTER_WRITES = 16;

/**
 * Funnel counters in the state table (keys.ts: `FUNNEL#…` counter items, 64 write shards per scope
 * by the outbox id). A milestone counts once per outbox record, whatever the number or order of the
 * events that cause it: its flag (`fm_<milestone>`) is set on the record where absent, by a write
 * that returns the record it replaced, and only the write that found no flag counts it. A status's
 * flags ride on its own write (state-changes.ts `outboxReport`), so a status webhook body costs its
 * status writes plus one ADD per counter item its new milestones fall in, and no read.
 *
 * At most once: the count follows the flag, so a crash (or a failed counter write) between the two
 * loses that one count, and the retry finds the flag set. A transaction would close the gap at
 * twice the write cost of every item, which the status webhook's cost target (README "Scale") can't carry.
 */
export class DynamoDbFunnelMilestones implements FunnelMilestones, StatusFunnel, Touches, FunnelCounters {
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
    const counted = landed.flatMap(({ report, before }) => (before === undefined ? [] : statusMilestones(before, report).map((event) => ({ event, record: before }))));
    await this.count(counted);
    return counted;
  }

  async latest(contact: ContactRef, since: number): Promise<Touch | undefined> {
    const from = `${PERSON_ITEM.send}${new Date(since - TOUCH_LOOKBACK_MS).toISOString()}`;
    let best: Touch | undefined;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI2.name,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': GSI2.pk, '#sk': GSI2.sk },
          ExpressionAttributeValues: { ':pk': personPk(contact), ':from': from, ':to': `${PERSON_ITEM.send}~` },
          ExclusiveStartKey: startKey,
          Limit: TOUCH_PAGE,
        }),
      );
      const ids = (page.Items ?? []).map((item) => String(item.pk).slice(2));
      for (const touch of touchesOf(await this.outbox.getMany(ids))) {
        if (touch.at >= since && (best === undefined || touch.at > best.at)) best = touch;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return best;
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
      const item: CounterItem = items.get(id) ?? { key, adds: {}, titles: {} };
      for (const [name, amount] of Object.entries(counterAdds(event))) item.adds[name] = (item.adds[name] ?? 0) + amount;
      const title = titleField(event);
      if (title) item.titles[title.name] ??= title.title;
      items.set(id, item);
    }
    await mapLimit([...items.values()], COUNTER_WRITES, async ({ key, adds, titles }) => {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const add = Object.entries(adds).map(([name, amount], i) => {
        names[`#a${i}`] = name;
        values[`:a${i}`] = amount;
        return `#a${i} :a${i}`;
      });
      const set = Object.entries(titles).map(([name, title], i) => {
        names[`#t${i}`] = name;
        values[`:t${i}`] = title;
        return `#t${i} = if_not_exists(#t${i}, :t${i})`;
      });
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `ADD ${add.join(', ')}${set.length > 0 ? ` SET ${set.join(', ')}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
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

const tallyOf = (item: Record<string, unknown>): FunnelTally => {
  const tally = emptyTally();
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'number') tally.counts[name] = value;
    else if (typeof value === 'string' && name.startsWith(TITLE_PREFIX)) tally.titles[name.slice(TITLE_PREFIX.length)] = value;
  }
  return tally;
};
