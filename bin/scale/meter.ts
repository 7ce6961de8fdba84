/**
 * What `npm run bench:scale` sees of AWS, in virtual time (test/helpers/virtual-sending.ts's
 * VirtualTime: the clock moves only when every task waits on a timer and no real I/O is in flight).
 *
 * - DynamoDB: an SDK middleware on the client the adapters use waits the injected latency (read or
 *   write, by command) in virtual time, then sends the request to dynalite while the clock stands
 *   still; it counts requests per operation, the capacity units DynamoDB reports
 *   (`ReturnConsumedCapacity: TOTAL`, which dynalite computes from the real item sizes, table only),
 *   empty queries, and conditional writes refused (billed on the stored item's size, at least 1).
 * - Every item write, seen inside dynalite (its `updateIndexes`, which every put, update and delete
 *   passes with the item before and after): the write to the table's partition key, and each
 *   keys-only global index entry written or removed (a changed index key costs a delete and a put,
 *   1 WRU each; an unchanged one nothing), per key and per virtual second, for the hottest key.
 * - SQS: an SDK middleware waits the injected latency and counts requests by command and queue.
 *   DelaySeconds are honoured in virtual time: a delayed message is acknowledged at once and handed
 *   to the emulator (without the delay) when its virtual time comes, since the emulator's delays
 *   run on the wall clock.
 * - Graph: the GraphApi port wrapped to wait the injected latency (10–20 ms of it before Meta sees
 *   the request), the simulator answering while the clock stands still.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type SendMessageBatchCommandInput, type SendMessageBatchCommandOutput, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { GraphApi } from '../../lambdas/ports/graph-api';
import type { VirtualTime } from '../../test/helpers/virtual-sending';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite's internals: every item write passes updateIndexes
const dynaliteDb = require('dynalite/db') as DynaliteDb;

type AttributeValue = { S?: string; N?: string; [type: string]: unknown };
export type RawItem = Record<string, AttributeValue>;
interface DynaliteTable {
  TableName: string;
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: { AttributeName: string; KeyType: string }[] }[];
}
interface DynaliteDb {
  updateIndexes: (store: unknown, table: DynaliteTable, existing: RawItem | undefined | null, item: RawItem | undefined | null, cb: (err?: unknown) => void) => void;
  capacityUnits: (item: RawItem | undefined | null, isRead: boolean, isConsistent: boolean) => number;
  itemSize: (item: RawItem) => number;
}

export const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const WITH_CAPACITY = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem']);

export interface Latencies {
  ddbReadMs: number;
  ddbWriteMs: number;
  sqsMs: number;
  graphMs: number;
  /** Each latency is drawn uniformly from ±jitter of its mean (0.2: 80–120 %), so workers don't run in lockstep. */
  jitter: number;
}

/** Everything counted while one phase of the bench ran. */
export class PhaseCounts {
  /** DynamoDB requests per operation (`UpdateItem`, `Query`...). */
  readonly ddbRequests: Record<string, number> = {};
  /** Requests and units by what they touched: `Query gsi2`, `UpdateItem O#`, ... */
  readonly ddbTargets: Record<string, { requests: number; units: number }> = {};
  tableWriteUnits = 0;
  readUnits = 0;
  /** Read units of queries that found nothing (a due zone bucket without contacts in a shard). */
  emptyQueryReadUnits = 0;
  emptyQueries = 0;
  /** Index queries that found entries, the entries, and their size as DynamoDB bills a read (dynalite's itemSize of each keys-only entry), by target. */
  readonly indexEntriesRead: Record<string, { queries: number; entries: number; bytes: number }> = {};
  /** The partitions those queries found entries in, by target. */
  readonly indexPartitionsRead: Record<string, Set<string>> = {};
  /** Keys-only index writes (1 WRU each), by index. */
  readonly indexWriteUnits: Record<string, number> = {};
  refused = 0;
  /** SQS requests by `<command> (<queue>)`; each is one 64 KB request here (every message is far smaller). */
  readonly sqsRequests: Record<string, number> = {};
  graphCalls = 0;
  /** Writes per partition key (`table <pk>`, `gsi1 <gsi1pk>`): in all, and per virtual second. */
  readonly keyWrites = new Map<string, number>();
  readonly keySecondWrites = new Map<string, number>();
  /** Write units per key and virtual second (an item over 1 KB costs more than one). */
  readonly keySecondUnits = new Map<string, number>();

  get writeUnits(): number {
    return this.tableWriteUnits + Object.values(this.indexWriteUnits).reduce((a, b) => a + b, 0);
  }
  get ddbRequestCount(): number {
    return Object.values(this.ddbRequests).reduce((a, b) => a + b, 0);
  }
  sqsCount(filter: (label: string) => boolean = () => true): number {
    return Object.entries(this.sqsRequests)
      .filter(([label]) => filter(label))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  /** The key written most often within one virtual second. */
  hottest(): { key: string; writesPerSecond: number; writes: number } {
    let best = { key: '', writesPerSecond: 0, writes: 0 };
    for (const [keyAndSecond, n] of this.keySecondWrites) {
      if (n > best.writesPerSecond) {
        const key = keyAndSecond.slice(0, keyAndSecond.lastIndexOf('\u0000'));
        best = { key, writesPerSecond: n, writes: this.keyWrites.get(key) ?? 0 };
      }
    }
    return best;
  }

  /** The most write units one key took within one virtual second. */
  hottestUnits(): { key: string; unitsPerSecond: number } {
    let best = { key: '', unitsPerSecond: 0 };
    for (const [keyAndSecond, n] of this.keySecondUnits) {
      if (n > best.unitsPerSecond) best = { key: keyAndSecond.slice(0, keyAndSecond.lastIndexOf('\u0000')), unitsPerSecond: n };
    }
    return best;
  }

  /** The key with the most writes in all. */
  busiest(): { key: string; writes: number } {
    let best = { key: '', writes: 0 };
    for (const [key, n] of this.keyWrites) if (n > best.writes) best = { key, writes: n };
    return best;
  }
}

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

type Json = Record<string, unknown>;
const plainString = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as AttributeValue).S === 'string') return (value as AttributeValue).S;
  return undefined;
};

/** The partition key a request names: its Key or Item, or the value its key condition binds. */
const partitionOf = (input: Json): string | undefined => {
  const direct = plainString((input.Key as Json | undefined)?.pk) ?? plainString((input.Item as Json | undefined)?.pk);
  if (direct !== undefined) return direct;
  // A BatchGetItem by its first key: every batch here reads one kind of item.
  const batch = Object.values((input.RequestItems as Record<string, { Keys?: Json[] }> | undefined) ?? {})[0]?.Keys?.[0];
  if (batch !== undefined) return plainString(batch.pk);
  const condition = typeof input.KeyConditionExpression === 'string' ? input.KeyConditionExpression : undefined;
  const match = condition ? /([#\w]+)\s*=\s*(:\w+)/.exec(condition) : null;
  if (!match) return undefined;
  return plainString((input.ExpressionAttributeValues as Json | undefined)?.[match[2] as string]);
};

/** An item as DynamoDB JSON, whichever way the SDK's path left it. */
const asRawItem = (item: Json): RawItem =>
  Object.values(item).every((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1) ? (item as RawItem) : (marshall(item) as RawItem);

/** `C#…` → `C#`, `AUD#whatsapp#…` → `AUD#`: the kind of item, not the item. */
const prefixOf = (pk: string | undefined): string => {
  if (pk === undefined) return '?';
  const hash = pk.indexOf('#');
  return hash < 0 ? pk : pk.slice(0, hash + 1);
};

/**
 * One Lambda instance: one (share of a) CPU. Its CPU work is charged in virtual time, one piece
 * after another, while its requests' latencies overlap.
 */
export class LambdaInstance {
  private busyUntil = 0;
  constructor(private readonly time: VirtualTime) {}

  /** Waits until the instance's CPU has done `ms` of work (after whatever it was doing). */
  compute(ms: number): Promise<void> {
    const start = Math.max(this.time.now, this.busyUntil);
    this.busyUntil = start + ms;
    return this.time.sleep(this.busyUntil - this.time.now);
  }
}

export class Meter {
  phase: PhaseCounts = new PhaseCounts();
  /**
   * Lambda CPU charged before each AWS request made inside an instance (`instances.run`): the code
   * under test's CPU per request, measured, scaled to the function's vCPU share. 0: none.
   */
  cpuPerRequestMs = 0;
  readonly instances = new AsyncLocalStorage<LambdaInstance>();
  latencyOn = false;
  private readonly random = mulberry32(20261121);
  private delayGeneration = 0;
  /** Inputs of requests the bench itself makes through an instrumented client. */
  readonly uncounted = new WeakSet<object>();

  constructor(
    readonly time: VirtualTime,
    readonly latencies: Latencies,
  ) {}

  /** A fresh set of counts from now on; returns the previous one. */
  startPhase(): PhaseCounts {
    const previous = this.phase;
    this.phase = new PhaseCounts();
    return previous;
  }

  /** Messages held for a virtual delay that were not handed over yet are dropped (a queue purge). */
  dropHeldMessages(): void {
    this.delayGeneration += 1;
  }

  /** A latency drawn around `mean` (ms). */
  draw(mean: number): number {
    const j = this.latencies.jitter;
    return mean * (1 - j + 2 * j * this.random());
  }

  /** The CPU the current Lambda instance spends on a request (and its share of the code around it). */
  private compute(): Promise<void> | undefined {
    const instance = this.instances.getStore();
    return this.latencyOn && instance && this.cpuPerRequestMs > 0 ? instance.compute(this.cpuPerRequestMs) : undefined;
  }

  /** Told of every item write with the item before and after it (DynamoDB JSON): what a table stream with both images carries. */
  streamTap: ((before: RawItem | undefined, after: RawItem | undefined) => void) | undefined;

  /** The clock per-second key writes are bucketed by (another virtual clock, for a run the bench doesn't drive). */
  keyClock: () => number = () => this.time.now;

  private keyWrite(key: string, units = 1): void {
    const p = this.phase;
    p.keyWrites.set(key, (p.keyWrites.get(key) ?? 0) + 1);
    const slot = `${key}\u0000${Math.floor(this.keyClock() / 1000)}`;
    p.keySecondWrites.set(slot, (p.keySecondWrites.get(slot) ?? 0) + 1);
    p.keySecondUnits.set(slot, (p.keySecondUnits.get(slot) ?? 0) + units);
  }

  /** Watches every item write dynalite makes (in this process). Call once. */
  hookDynalite(): void {
    const original = dynaliteDb.updateIndexes;
    dynaliteDb.updateIndexes = (store, table, existing, item, cb) => {
      this.observeWrite(table, existing ?? undefined, item ?? undefined);
      this.streamTap?.(existing ?? undefined, item ?? undefined);
      original(store, table, existing, item, cb);
    };
  }

  private observeWrite(table: DynaliteTable, existing: RawItem | undefined, item: RawItem | undefined): void {
    const pk = (item ?? existing)?.pk?.S;
    if (pk !== undefined) this.keyWrite(`table ${pk}`, Math.max(dynaliteDb.capacityUnits(item, false, true), existing ? dynaliteDb.capacityUnits(existing, false, true) : 0));
    for (const index of table.GlobalSecondaryIndexes ?? []) {
      const [hash, range] = [index.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName, index.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName];
      if (hash === undefined) continue;
      const keyOf = (i: RawItem | undefined) => {
        const h = i?.[hash]?.S;
        const r = range === undefined ? '' : i?.[range]?.S;
        return h === undefined || r === undefined ? undefined : { h, full: `${h}\u0000${r}` };
      };
      const before = keyOf(existing);
      const after = keyOf(item);
      // Keys only: an entry whose key is unchanged is not rewritten.
      if (before?.full === after?.full) continue;
      if (before) {
        this.phase.indexWriteUnits[index.IndexName] = (this.phase.indexWriteUnits[index.IndexName] ?? 0) + 1;
        this.keyWrite(`${index.IndexName} ${before.h}`);
      }
      if (after) {
        this.phase.indexWriteUnits[index.IndexName] = (this.phase.indexWriteUnits[index.IndexName] ?? 0) + 1;
        this.keyWrite(`${index.IndexName} ${after.h}`);
      }
    }
  }

  /**
   * Latency and counting on a DynamoDB client (the Document client shares its stack). `sizing` is a
   * client of the same endpoint without this middleware, to size a refused write's stored item.
   */
  instrumentDynamoDb(client: DynamoDBClient, sizing: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        const input = args.input as Json;
        if (WITH_CAPACITY.has(operation)) input.ReturnConsumedCapacity = 'TOTAL';
        const isRead = READS.has(operation);
        await this.compute();
        if (this.latencyOn) await this.time.sleep(this.draw(isRead ? this.latencies.ddbReadMs : this.latencies.ddbWriteMs));
        const phase = this.phase;
        phase.ddbRequests[operation] = (phase.ddbRequests[operation] ?? 0) + 1;
        const index = typeof input.IndexName === 'string' ? ` ${input.IndexName}` : '';
        const pk = partitionOf(input);
        const target = `${operation}${index} ${index ? prefixOf(pk) : prefixOf(pk)}`;
        const t = (phase.ddbTargets[target] ??= { requests: 0, units: 0 });
        t.requests += 1;
        try {
          const result = await this.time.track(next(args));
          const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[]; Count?: number };
          const reported = [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
          // A query or scan is billed at least one read unit (half, eventually consistent), even when it
          // finds nothing; dynalite reports 0 then.
          const floor = operation === 'Query' || operation === 'Scan' ? (input.ConsistentRead === true ? 1 : 0.5) : 0;
          const units = Math.max(reported, floor);
          t.units += units;
          if (isRead) {
            phase.readUnits += units;
            if ((operation === 'Query' || operation === 'Scan') && output.Count === 0) {
              phase.emptyQueries += 1;
              phase.emptyQueryReadUnits += units;
            }
            const entries = (output as { Items?: Json[] }).Items;
            if (index && entries !== undefined && entries.length > 0) {
              const read = (phase.indexEntriesRead[target] ??= { queries: 0, entries: 0, bytes: 0 });
              read.queries += 1;
              read.entries += entries.length;
              read.bytes += entries.reduce((sum, entry) => sum + dynaliteDb.itemSize(asRawItem(entry)), 0);
              if (pk !== undefined) (phase.indexPartitionsRead[target] ??= new Set()).add(pk);
            }
          } else phase.tableWriteUnits += units;
          return result;
        } catch (error) {
          if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
            phase.refused += 1;
            const units = await this.time.track(this.refusedUnits(sizing, input));
            phase.tableWriteUnits += units;
            t.units += units;
            if (pk !== undefined) this.keyWrite(`table ${pk}`, units);
          }
          throw error;
        }
      },
      // Before serialisation: the input is already marshalled, and still an object to add to.
      { step: 'serialize', priority: 'high', name: 'benchScaleDynamoDb' },
    );
  }

  private async refusedUnits(sizing: DynamoDBClient, input: Json): Promise<number> {
    const key = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
    if (key === undefined || typeof input.TableName !== 'string') return 1;
    // The input arrives marshalled or not, depending on the SDK's serialisation path.
    const marshalled = (value: unknown): AttributeValue => (typeof value === 'string' ? { S: value } : (value as AttributeValue));
    const Key = { pk: marshalled(key.pk), sk: marshalled(key.sk) };
    const { Item } = await sizing.send(new GetItemCommand({ TableName: input.TableName, Key: Key as never, ConsistentRead: true }));
    return Item ? Math.max(1, Math.ceil(dynaliteDb.itemSize(Item as RawItem) / 1024)) : 1;
  }

  /**
   * Latency and counting on an SQS client; `nameOf` names a queue URL. `onSent` sees the bodies
   * of messages sent (the bench takes outbox ids from it).
   */
  instrumentSqs(client: SQSClient, nameOf: (queueUrl: unknown) => string, onSent?: (queue: string, bodies: string[]) => void): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName ?? '').replace(/Command$/, '');
        const input = args.input as Json;
        if (this.uncounted.has(input)) return this.time.track(next(args));
        const queue = nameOf(input.QueueUrl);
        await this.compute();
        if (this.latencyOn) await this.time.sleep(this.draw(this.latencies.sqsMs));
        const label = `${command} (${queue})`;
        this.phase.sqsRequests[label] = (this.phase.sqsRequests[label] ?? 0) + 1;
        if (command === 'SendMessageBatch') {
          const batch = input as unknown as SendMessageBatchCommandInput;
          onSent?.(queue, (batch.Entries ?? []).map((e) => e.MessageBody ?? ''));
          const delay = Math.max(0, ...(batch.Entries ?? []).map((e) => e.DelaySeconds ?? 0));
          if (delay > 0) return this.holdBatch(client, batch, delay);
        }
        if (command === 'SendMessage') {
          onSent?.(queue, [typeof input.MessageBody === 'string' ? input.MessageBody : '']);
          const delay = Number(input.DelaySeconds ?? 0);
          // A delayed continuation (a check for a lease): delivered when its virtual time comes.
          if (delay > 0) {
            const generation = this.delayGeneration;
            void this.time.sleep(delay * 1000).then(() => (generation === this.delayGeneration ? this.time.track(next({ ...args, input: { ...input, DelaySeconds: 0 } as typeof args.input })) : undefined));
            return { output: { MessageId: 'held', $metadata: {} }, response: {} };
          }
        }
        return this.time.track(next(args));
      },
      { step: 'initialize', priority: 'high', name: 'benchScaleSqs' },
    );
  }

  /** SendMessageBatch with a delay: answered now, sent (without the delay) when its virtual time comes. */
  private holdBatch(client: SQSClient, batch: SendMessageBatchCommandInput, delaySeconds: number): { output: SendMessageBatchCommandOutput; response: unknown } {
    const generation = this.delayGeneration;
    const entries = (batch.Entries ?? []).map((e) => ({ ...e, DelaySeconds: 0 }));
    void this.time.sleep(delaySeconds * 1000).then(async () => {
      if (generation !== this.delayGeneration) return;
      // The hand-over is the emulator's doing, not a request of the code under test: not counted.
      const input = { QueueUrl: batch.QueueUrl, Entries: entries };
      this.uncounted.add(input);
      await this.time.track(client.send(new SendMessageBatchCommand(input)));
    });
    return { output: { Successful: entries.map((e) => ({ Id: e.Id, MessageId: `held-${e.Id}`, MD5OfMessageBody: '' })), Failed: [], $metadata: {} }, response: {} };
  }

  /** The Graph API port with the injected latency: the request reaches Meta after 10–20 ms, the rest is the answer. */
  graph(client: GraphApi): GraphApi {
    return {
      send: async (request) => {
        const total = this.latencyOn ? this.draw(this.latencies.graphMs) : 0;
        const uplink = Math.min(total, 10 + this.random() * 10);
        if (uplink > 0) await this.time.sleep(uplink);
        this.phase.graphCalls += 1;
        const result = await this.time.track(client.send(request));
        if (total - uplink > 0) await this.time.sleep(total - uplink);
        return result;
      },
    };
  }
}
