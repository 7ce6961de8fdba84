/**
 * Interface under test: the funnel's stream consumer (createFunnelStreamHandler with the DynamoDB
 * adapters) on dynalite. Statuses are written by the state store as the webhook writes them; each
 * write's item before and after becomes a stream record (NEW_AND_OLD_IMAGES) in write order, as the
 * state table's stream carries it in AWS. The counts must come out exactly once per milestone
 * however Lambda replays the batches: whole, in halves, overlapping, or after a failed write.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbFunnelMilestones } from '../../lambdas/adapters/dynamodb/funnel-milestones';
import { outboxKey } from '../../lambdas/adapters/dynamodb/keys';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { outboxChangesOf } from '../../lambdas/adapters/dynamodb/outbox-stream';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import type { MessageStatusValue } from '../../lambdas/domain/events';
import { callbackDataFor } from '../../lambdas/domain/send/callback-data';
import { stateChanges } from '../../lambdas/domain/state-changes';
import { createFunnelStreamHandler } from '../../lambdas/measurement/count-status-stream';
import type { OutboxRecord } from '../../lambdas/ports/outbox';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

const T0 = Date.UTC(2026, 11, 1, 9);
const OCCURRENCE = '2026-12-01T09:00:00.000Z';
const PRICING = { category: 'marketing', billable: true };

interface StreamRecord {
  eventName: 'MODIFY';
  dynamodb: { SequenceNumber: string; OldImage: Record<string, unknown>; NewImage: Record<string, unknown> };
}

let table: ContractTable;
beforeAll(async () => {
  table = await freshStateTable('funnel-stream');
});
afterAll(() => table.close());

const logger = new Logger({ logLevel: 'SILENT' });

/** The document client, failing the `failAt`-th counter write (1-based) once, as a throttled or lost request would. */
const flakyClient = (client: DynamoDBDocumentClient, failAt: number): DynamoDBDocumentClient => {
  let counterWrites = 0;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return async (command: { input: { Key?: { pk?: unknown } } }) => {
        const pk = command.input.Key?.pk;
        if (typeof pk === 'string' && pk.startsWith('FUNNEL#') && (counterWrites += 1) === failAt) {
          throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
        }
        return (target.send as (c: unknown) => Promise<unknown>).call(target, command);
      };
    },
  });
};

const rig = (options: { failCounterWrite?: number } = {}) => {
  const outbox = new DynamoDbOutbox(table.client, table.tableName);
  const store = new DynamoDbStateStore(table.client, { tableName: table.tableName });
  const funnelClient = options.failCounterWrite === undefined ? table.client : flakyClient(table.client, options.failCounterWrite);
  const funnel = new DynamoDbFunnelMilestones(funnelClient, table.tableName, outbox);
  const reader = new DynamoDbFunnelMilestones(table.client, table.tableName, outbox);
  const handler = createFunnelStreamHandler({ funnel, changesOf: outboxChangesOf, logger });
  return { outbox, store, handler, reader };
};

/** A campaign occurrence's sends (`group`) or one-off sends (none), and the stream of their status writes. */
const scenario = async () => {
  const campaignId = `c-${randomUUID().slice(0, 8)}`;
  // An account of its own: its one-off sends' counters are the scenario's alone.
  const ACCOUNT = `1065403${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const { outbox, store, reader } = rig();
  const send = async (n: number, group: string | undefined): Promise<OutboxRecord> => {
    const { record } = await outbox.create({
      idempotencyKey: `${group ?? 'manual'}#${n}#${campaignId}`,
      intent: { channel: 'whatsapp', accountId: ACCOUNT, userId: `4915${String(n).padStart(9, '0')}`, kind: 'marketing', author: 'bot', content: { type: 'template', name: 'sale', language: 'de' } },
      now: T0,
      ...(group === undefined ? {} : { group }),
    });
    return record;
  };
  const records: StreamRecord[] = [];
  const item = async (outboxId: string) => {
    const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: outboxKey(outboxId), ConsistentRead: true }));
    return marshall(Item ?? {}, { removeUndefinedValues: true });
  };
  /** The webhook's status write, and the stream record it makes (none when it changed nothing). */
  const status = async (record: OutboxRecord, value: MessageStatusValue, offsetS: number, extra: { errorCode?: number; pricing?: boolean } = {}) => {
    const before = await item(record.outboxId);
    await store.apply(
      stateChanges({
        type: 'message_status',
        eventKey: `whatsapp#${ACCOUNT}#status#wamid.${record.outboxId}#${value}#${extra.errorCode ?? ''}`,
        occurredAt: T0 + offsetS * 1000,
        messageId: `wamid.${record.outboxId}`,
        status: value,
        contact: { channel: 'whatsapp', accountId: ACCOUNT, userId: record.intent.userId },
        callbackData: callbackDataFor(record.outboxId, undefined),
        ...(extra.errorCode === undefined ? {} : { error: { code: extra.errorCode, title: `Meta's title for ${extra.errorCode}` } }),
        ...(extra.pricing ? { pricing: PRICING } : {}),
      }),
    );
    const after = await item(record.outboxId);
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      records.push({ eventName: 'MODIFY', dynamodb: { SequenceNumber: `${String(records.length + 1).padStart(21, '0')}`, OldImage: before, NewImage: after } });
    }
  };

  const group = `${campaignId}#${OCCURRENCE}`;
  const [a, b, c, d, e] = [await send(1, group), await send(2, group), await send(3, group), await send(4, group), await send(5, undefined)];
  await status(a, 'sent', 0, { pricing: true });
  await status(a, 'delivered', 2, { pricing: true });
  await status(a, 'delivered', 2, { pricing: true });
  await status(a, 'read', 60, { pricing: true });
  // b's read overtakes its delivery
  await status(b, 'read', 60, { pricing: true });
  await status(b, 'delivered', 2, { pricing: true });
  // c: Meta's marketing limit, then another failure; d: a failure of its own
  await status(c, 'failed', 1, { errorCode: 131049 });
  await status(c, 'failed', 3, { errorCode: 131026 });
  await status(d, 'failed', 1, { errorCode: 131026 });
  await status(e, 'delivered', 2, { pricing: true });

  const counts = async () => (await reader.read({ kind: 'occurrence', campaignId, occurrenceKey: OCCURRENCE })).counts;
  const oneOff = async () => (await reader.read({ kind: 'sends', account: { channel: 'whatsapp', accountId: ACCOUNT }, from: '2026-12-01', to: '2026-12-01' })).counts;
  return { records, counts, oneOff, reader, campaignId };
};

const EXPECTED = { delivered: 2, read: 2, billed: 2, billed_marketing__DE: 2, limited: 1, limited_131049: 1, failed: 1, failed_131026: 1 };

describe('the funnel stream consumer', () => {
  it('counts each status milestone once from the stream of status writes, with the failure titles', async () => {
    // Prepare
    const { records, counts, reader, campaignId } = await scenario();
    const { handler } = rig();

    // Act
    const answer = await handler({ Records: records, shardId: 'shardId-00000001-a' });

    // Assess
    expect(answer).toEqual({ state: {} });
    expect(await counts()).toEqual(EXPECTED);
    expect((await reader.read({ kind: 'occurrence', campaignId, occurrenceKey: OCCURRENCE })).titles).toEqual({ '131049': "Meta's title for 131049", '131026': "Meta's title for 131026" });
  });

  it('counts nothing twice when Lambda replays a batch whole, in halves, or overlapping the next', async () => {
    // Prepare
    const { records, counts, oneOff } = await scenario();
    const { handler } = rig();
    const shardId = 'shardId-00000002-b';
    const half = Math.floor(records.length / 2);

    // Act: the batch, again, its halves (bisected), and an overlapping re-read
    await handler({ Records: records, shardId });
    await handler({ Records: records, shardId });
    await handler({ Records: records.slice(0, half), shardId });
    await handler({ Records: records.slice(half), shardId });
    await handler({ Records: records.slice(2), shardId });

    // Assess
    expect(await counts()).toEqual(EXPECTED);
    expect(await oneOff()).toMatchObject({ delivered: 1, billed: 1 });
  });

  it('a counter write that fails fails the batch, and its retry counts what the failure left, once', async () => {
    // Prepare: the second counter write of the batch fails once (the batch has two scopes: the occurrence and the one-off sends)
    const { records, counts, oneOff } = await scenario();
    const { handler } = rig({ failCounterWrite: 2 });
    const shardId = 'shardId-00000003-c';

    // Act
    await expect(handler({ Records: records, shardId })).rejects.toThrow('Throughput exceeds');
    await handler({ Records: records, shardId });

    // Assess
    expect(await counts()).toEqual(EXPECTED);
    expect(await oneOff()).toMatchObject({ delivered: 1, billed: 1 });
  });

  it('keeps each stream shard’s place apart: the same changes from two shards are two shards’ counts', async () => {
    // Prepare: the first half of the writes on one shard, the rest on another (after a split)
    const { records, counts } = await scenario();
    const { handler } = rig();
    const half = Math.floor(records.length / 2);

    // Act: each shard's batch, each replayed
    for (let round = 0; round < 2; round += 1) {
      await handler({ Records: records.slice(0, half), shardId: 'shardId-00000004-parent' });
      await handler({ Records: records.slice(half), shardId: 'shardId-00000005-child' });
    }

    // Assess
    expect(await counts()).toEqual(EXPECTED);
  });

  it('skips a record that is no state table record, and counts the rest', async () => {
    // Prepare
    const { records, counts } = await scenario();
    const { handler } = rig();

    // Act
    await handler({ Records: [{ eventName: 'MODIFY', dynamodb: { SequenceNumber: 'not a number' } }, ...records], shardId: 'shardId-00000006-d' });

    // Assess
    expect(await counts()).toEqual(EXPECTED);
  });

  it('skips a record whose images are not a send’s record, and counts the rest: the shard is not held up by retries', async () => {
    // Prepare: an outbox write whose images lost the send's intent (a record no release wrote)
    const { records, counts } = await scenario();
    const { handler } = rig();
    const delivery = records.find((r) => r.dynamodb.NewImage.fm_delivered !== undefined && r.dynamodb.OldImage.fm_delivered === undefined) as StreamRecord;
    const withoutIntent = (image: Record<string, unknown>) => Object.fromEntries(Object.entries(image).filter(([name]) => name !== 'intent'));
    const broken: StreamRecord = { ...delivery, dynamodb: { SequenceNumber: '0'.repeat(21), OldImage: withoutIntent(delivery.dynamodb.OldImage), NewImage: withoutIntent(delivery.dynamodb.NewImage) } };

    // Act
    const answer = await handler({ Records: [broken, ...records], shardId: 'shardId-00000007-e' });

    // Assess
    expect(answer).toEqual({ state: {} });
    expect(await counts()).toEqual(EXPECTED);
  });
});

describe('the funnel stream consumer, for a message Meta refused at the send call', () => {
  /** Sends Meta refused when the sender called it, then a failed status naming one of them; every write's stream record. */
  const refusals = async () => {
    const campaignId = `r-${randomUUID().slice(0, 8)}`;
    const ACCOUNT = `1065404${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const { outbox, store, reader } = rig();
    const records: StreamRecord[] = [];
    const item = async (outboxId: string) => {
      const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: outboxKey(outboxId), ConsistentRead: true }));
      return marshall(Item ?? {}, { removeUndefinedValues: true });
    };
    /** One write, and its stream record: the event source's filter would drop those that set no flag, the consumer must count nothing for them either. */
    const written = async (outboxId: string, write: () => Promise<unknown>) => {
      const before = await item(outboxId);
      await write();
      const after = await item(outboxId);
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        records.push({ eventName: 'MODIFY', dynamodb: { SequenceNumber: `${String(records.length + 1).padStart(21, '0')}`, OldImage: before, NewImage: after } });
      }
    };
    const group = `${campaignId}#${OCCURRENCE}`;
    /** The sender's job: claimed, about to call Meta, refused with `code` and Meta's title. */
    const refused = async (n: number, code: number, title: string) => {
      const { record } = await outbox.create({
        idempotencyKey: `${group}#${n}`,
        intent: { channel: 'whatsapp', accountId: ACCOUNT, userId: `4916${String(n).padStart(9, '0')}`, kind: 'marketing', author: 'bot', content: { type: 'template', name: 'sale', language: 'de' } },
        now: T0,
        group,
      });
      let token = '';
      await written(record.outboxId, async () => {
        const claim = await outbox.claim(record.outboxId, T0 + 1000, 120_000);
        token = claim.claimed ? claim.claimToken : '';
      });
      await written(record.outboxId, () => outbox.markSending(record.outboxId, token, T0 + 1000, { outcome: 'allow', route: 'whatsapp.template', pricing: 'marketing', rule: 'whatsapp.template.marketing' }, 1));
      await written(record.outboxId, () => outbox.finishRefused(record.outboxId, token, T0 + 1500, { status: 'failed', errorCode: code, errorTitle: title, reason: 'refused' }));
      return record;
    };
    const reengagement = await refused(1, 131047, 'Re-engagement message');
    await refused(2, 131049, 'This message was not delivered to maintain healthy ecosystem engagement.');
    // A failed status naming the first one (its callback data) after all: nothing more to count.
    await written(reengagement.outboxId, () =>
      store.apply(
        stateChanges({
          type: 'message_status',
          eventKey: `whatsapp#${ACCOUNT}#status#wamid.late#failed#131026`,
          occurredAt: T0 + 5000,
          messageId: 'wamid.late',
          status: 'failed',
          contact: { channel: 'whatsapp', accountId: ACCOUNT, userId: reengagement.intent.userId },
          callbackData: callbackDataFor(reengagement.outboxId, undefined),
          error: { code: 131026, title: 'Message undeliverable' },
        }),
      ),
    );
    const tally = () => reader.read({ kind: 'occurrence', campaignId, occurrenceKey: OCCURRENCE });
    return { records, tally };
  };

  it('counts each refusal once, limited or failed by its code with Meta’s title, replayed or not, and the later failed status adds nothing', async () => {
    // Prepare
    const { records, tally } = await refusals();
    const { handler } = rig();
    const shardId = 'shardId-00000007-e';

    // Act: the batch, then again
    await handler({ Records: records, shardId });
    await handler({ Records: records, shardId });

    // Assess
    // Two claims, two marks of sending, two refusals and the failed status: every write a stream record.
    expect(records).toHaveLength(7);
    const { counts, titles } = await tally();
    expect(counts).toEqual({ failed: 1, failed_131047: 1, limited: 1, limited_131049: 1, refused_at_send: 2 });
    expect(titles).toEqual({ '131047': 'Re-engagement message', '131049': 'This message was not delivered to maintain healthy ecosystem engagement.' });
  });
});
