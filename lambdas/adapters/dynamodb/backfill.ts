import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '../../shared/map-limit';
import { derivedIndexFields, type DerivedIndexFields, type IndexAttribute, type ItemKey, type ItemKind, migrationKey } from './keys';
import { isConditionFailure } from './requests';

/**
 * The index backfill: rewrites the index attributes (gsi1–gsi3, keys.ts) of every item to what the
 * current adapters write, so items written by the previous release (unsharded gsi1 keys, no zone,
 * person or due entries) show up in the new listings. The only Scan in the code base: a one-off
 * migration, in parallel segments (Scan's Segment/TotalSegments).
 *
 * - Idempotent: an item already in the target layout is not written; a second pass changes nothing.
 * - Safe beside live traffic: each write is conditional on the attributes the new values were
 *   derived from (a profile's zone, a job's status…), so it never overwrites what a concurrent write
 *   of the new code just set; on a refusal the item is read again (an UpdateItem that changes
 *   nothing, so the function needs only Scan and UpdateItem) and derived anew.
 * - Resumable: after each page a segment checkpoints its LastEvaluatedKey and counts in the
 *   migration item (`MIGRATION` / `<name>`); a crash or a timeout resumes from the last checkpoint
 *   (the interrupted page is processed again, which changes nothing the first time changed).
 */
export const KEY_LAYOUT_MIGRATION = 'key-layout-2';
/** The sender's default stale-claim time: the deadline of a claimed job the previous release wrote. */
export const DEFAULT_STALE_CLAIM_MS = 120_000;

export interface BackfillCounts {
  /** Items read. */
  scanned: number;
  /** Items whose index attributes were rewritten. */
  updated: number;
  /** Items already in the target layout (or with no index attributes of their own). */
  unchanged: number;
  /** Items deleted between the scan and the write. */
  vanished: number;
}

export interface BackfillProgress {
  migration: string;
  /** Passes start at 1; `restart` begins another (which should change nothing). */
  pass: number;
  totalSegments: number;
  segmentsDone: number;
  done: boolean;
  totals: BackfillCounts;
  byKind: Partial<Record<ItemKind, BackfillCounts>>;
  startedAt: number;
  finishedAt?: number;
}

export interface BackfillOptions {
  tableName: string;
  /** Parallel scan segments (default 4; a resumed pass keeps the count it started with). */
  segments?: number;
  /** Items per Scan page (default 200): the checkpoint interval. */
  pageSize?: number;
  /** UpdateItems in flight per segment (default 8). */
  concurrency?: number;
  /** The migration item's name (default KEY_LAYOUT_MIGRATION). */
  migration?: string;
  /** Start a new pass even if the last one finished (or resume none of an unfinished one). */
  restart?: boolean;
  /** Stop (checkpointed) before starting a page after this time (epoch ms): a Lambda's timeout. */
  deadline?: number;
  /** See DEFAULT_STALE_CLAIM_MS. */
  staleClaimMs?: number;
  clock?: () => number;
  /** Called after every checkpoint. */
  onProgress?: (progress: BackfillProgress) => void;
  /** Test hook: simulate a crash (throw BackfillInterrupted, no checkpoint) after this many items. */
  crashAfterItems?: number;
}

/** Thrown by the `crashAfterItems` hook. */
export class BackfillInterrupted extends Error {
  constructor(items: number) {
    super(`backfill interrupted after ${items} items (test hook)`);
    this.name = 'BackfillInterrupted';
  }
}

interface SegmentState extends BackfillCounts {
  done: boolean;
  lastKey?: Record<string, unknown>;
  byKind: Partial<Record<ItemKind, BackfillCounts>>;
}

interface MigrationState {
  pass: number;
  totalSegments: number;
  startedAt: number;
  finishedAt?: number;
  seg: Record<string, SegmentState>;
}

const zero = (): BackfillCounts => ({ scanned: 0, updated: 0, unchanged: 0, vanished: 0 });
const MAX_ATTEMPTS = 5;

export const runBackfill = async (client: DynamoDBDocumentClient, options: BackfillOptions): Promise<BackfillProgress> => {
  const clock = options.clock ?? Date.now;
  const migration = options.migration ?? KEY_LAYOUT_MIGRATION;
  const table = options.tableName;
  const pageSize = options.pageSize ?? 200;
  const concurrency = options.concurrency ?? 8;
  const derivation = { staleClaimMs: options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS };
  const items = new MigrationItems(client, table, migration);

  const state = await items.open(options.segments ?? 4, options.restart === true, clock());
  const progress = (): BackfillProgress => progressOf(migration, state);
  if (state.finishedAt !== undefined) return progress();

  let processed = 0;
  let crashed: BackfillInterrupted | undefined;
  const tick = (): void => {
    processed += 1;
    if (options.crashAfterItems !== undefined && processed >= options.crashAfterItems && !crashed) crashed = new BackfillInterrupted(processed);
    if (crashed) throw crashed;
  };

  const runSegment = async (segment: number): Promise<void> => {
    const id = String(segment);
    let seg = state.seg[id] as SegmentState;
    while (!seg.done) {
      if (crashed) return;
      if (options.deadline !== undefined && clock() >= options.deadline) return;
      const page: ScanCommandOutput = await client.send(
        new ScanCommand({
          TableName: table,
          Segment: segment,
          TotalSegments: state.totalSegments,
          Limit: pageSize,
          ExclusiveStartKey: seg.lastKey,
        }),
      );
      const counts = { ...seg, byKind: structuredClone(seg.byKind) };
      await mapLimit(page.Items ?? [], concurrency, async (item) => {
        tick();
        const { kind, outcome } = await migrateItem(client, table, item, derivation);
        if (kind === 'migration') return;
        const perKind = (counts.byKind[kind] ??= zero());
        for (const c of [counts, perKind]) {
          c.scanned += 1;
          c[outcome] += 1;
        }
      });
      if (crashed) return;
      seg = { ...counts, done: page.LastEvaluatedKey === undefined, lastKey: page.LastEvaluatedKey };
      await items.checkpoint(state.pass, segment, seg, clock());
      state.seg[id] = seg;
      options.onProgress?.(progress());
    }
  };

  const results = await Promise.allSettled(Array.from({ length: state.totalSegments }, (_, s) => runSegment(s)));
  if (crashed) throw crashed;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  if (Object.values(state.seg).every((s) => s.done)) {
    state.finishedAt = clock();
    await items.finish(state.pass, state.finishedAt);
    options.onProgress?.(progress());
  }
  return progress();
};

/**
 * The migration's items: a head (`MIGRATION` / `<name>`: pass, segment count, start and end) and
 * one per segment (`MIGRATION` / `<name>#<nn>`: its checkpoint and counts), so concurrent segments
 * never write the same item. Read through UpdateItems returning the item, so the function needs no
 * GetItem; every checkpoint is conditional on its pass, so a stale runner can't undo a restart.
 */
class MigrationItems {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly name: string,
  ) {}

  private segmentKey(segment: number): ItemKey {
    const head = migrationKey(this.name);
    return { pk: head.pk, sk: `${head.sk}#${String(segment).padStart(2, '0')}` };
  }

  async open(segments: number, restart: boolean, now: number): Promise<MigrationState> {
    const key = migrationKey(this.name);
    let head = await this.update(key, {
      UpdateExpression: 'SET entity = :entity, pass = if_not_exists(pass, :one), totalSegments = if_not_exists(totalSegments, :total), startedAt = if_not_exists(startedAt, :now)',
      ExpressionAttributeValues: { ':entity': 'migration', ':one': 1, ':total': segments, ':now': now },
    });
    if (restart) {
      head = await this.update(key, {
        UpdateExpression: 'SET pass = :next, totalSegments = :total, startedAt = :now REMOVE finishedAt',
        ConditionExpression: 'pass = :pass',
        ExpressionAttributeValues: { ':next': Number(head.pass) + 1, ':pass': head.pass, ':total': segments, ':now': now },
      });
    }
    const pass = Number(head.pass);
    const totalSegments = Number(head.totalSegments);
    const seg: Record<string, SegmentState> = {};
    for (let s = 0; s < totalSegments; s += 1) {
      let stored = await this.update(this.segmentKey(s), {
        UpdateExpression: 'SET entity = :entity, pass = if_not_exists(pass, :pass)',
        ExpressionAttributeValues: { ':entity': 'migration_segment', ':pass': pass },
      });
      // A segment of an earlier pass (or new): start it over.
      if (stored.pass !== pass || typeof stored.done !== 'boolean') {
        stored = await this.update(this.segmentKey(s), {
          UpdateExpression: 'SET pass = :pass, done = :no, scanned = :zero, updated = :zero, unchanged = :zero, vanished = :zero, byKind = :empty REMOVE lastKey',
          ExpressionAttributeValues: { ':pass': pass, ':no': false, ':zero': 0, ':empty': {} },
        });
      }
      seg[String(s)] = {
        done: stored.done === true,
        ...(stored.lastKey === undefined ? {} : { lastKey: stored.lastKey as Record<string, unknown> }),
        scanned: Number(stored.scanned),
        updated: Number(stored.updated),
        unchanged: Number(stored.unchanged),
        vanished: Number(stored.vanished),
        byKind: (stored.byKind ?? {}),
      };
    }
    return {
      pass,
      totalSegments,
      startedAt: Number(head.startedAt),
      ...(typeof head.finishedAt === 'number' ? { finishedAt: head.finishedAt } : {}),
      seg,
    };
  }

  async checkpoint(pass: number, segment: number, seg: SegmentState, now: number): Promise<void> {
    const { lastKey, ...rest } = seg;
    await this.update(this.segmentKey(segment), {
      UpdateExpression: `SET done = :done, scanned = :scanned, updated = :updated, unchanged = :unchanged, vanished = :vanished, byKind = :byKind, updatedAt = :now${
        lastKey === undefined ? ' REMOVE lastKey' : ', lastKey = :lastKey'
      }`,
      ConditionExpression: 'pass = :pass',
      ExpressionAttributeValues: {
        ':done': rest.done,
        ':scanned': rest.scanned,
        ':updated': rest.updated,
        ':unchanged': rest.unchanged,
        ':vanished': rest.vanished,
        ':byKind': rest.byKind,
        ':now': now,
        ':pass': pass,
        ...(lastKey === undefined ? {} : { ':lastKey': lastKey }),
      },
    });
  }

  async finish(pass: number, at: number): Promise<void> {
    await this.update(migrationKey(this.name), {
      UpdateExpression: 'SET finishedAt = :at',
      ConditionExpression: 'pass = :pass',
      ExpressionAttributeValues: { ':at': at, ':pass': pass },
    });
  }

  private async update(
    key: ItemKey,
    update: { UpdateExpression: string; ConditionExpression?: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<Record<string, unknown>> {
    const { Attributes } = await this.client.send(new UpdateCommand({ TableName: this.table, Key: key, ...update, ReturnValues: 'ALL_NEW' }));
    return Attributes ?? {};
  }
}

const progressOf = (migration: string, state: MigrationState): BackfillProgress => {
  const segments = Object.values(state.seg);
  const totals = zero();
  const byKind: Partial<Record<ItemKind, BackfillCounts>> = {};
  for (const seg of segments) {
    add(totals, seg);
    for (const [kind, counts] of Object.entries(seg.byKind)) add((byKind[kind as ItemKind] ??= zero()), counts);
  }
  return {
    migration,
    pass: state.pass,
    totalSegments: state.totalSegments,
    segmentsDone: segments.filter((s) => s.done).length,
    done: state.finishedAt !== undefined,
    totals,
    byKind,
    startedAt: state.startedAt,
    ...(state.finishedAt === undefined ? {} : { finishedAt: state.finishedAt }),
  };
};

const add = (into: BackfillCounts, counts: BackfillCounts): void => {
  into.scanned += counts.scanned;
  into.updated += counts.updated;
  into.unchanged += counts.unchanged;
  into.vanished += counts.vanished;
};

type Outcome = 'updated' | 'unchanged' | 'vanished';

/** Converges one item to its derived index attributes; see the module comment. */
export const migrateItem = async (
  client: DynamoDBDocumentClient,
  table: string,
  scanned: Record<string, unknown>,
  derivation: { staleClaimMs: number },
): Promise<{ kind: ItemKind; outcome: Outcome }> => {
  let item: Record<string, unknown> | undefined = scanned;
  const itemKey: ItemKey = { pk: String(scanned.pk), sk: String(scanned.sk) };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const derived = derivedIndexFields(item, derivation);
    const changes = changesOf(item, derived);
    if (changes.length === 0) return { kind: derived.kind, outcome: 'unchanged' };
    try {
      await client.send(new UpdateCommand({ TableName: table, Key: itemKey, ...indexUpdate(item, derived, changes) }));
      return { kind: derived.kind, outcome: 'updated' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Changed (or deleted) since it was read: read it again and derive anew.
    item = await reread(client, table, itemKey);
    if (item === undefined) return { kind: derived.kind, outcome: 'vanished' };
  }
  throw new Error(`backfill: item ${itemKey.pk} / ${itemKey.sk} kept changing under ${MAX_ATTEMPTS} attempts; run the backfill again`);
};

const changesOf = (item: Record<string, unknown>, derived: DerivedIndexFields): IndexAttribute[] =>
  derived.owned.filter((attribute) => item[attribute] !== derived.fields[attribute]);

/** SET / REMOVE the changed index attributes, if the item still holds what they were derived from. */
const indexUpdate = (item: Record<string, unknown>, derived: DerivedIndexFields, changes: readonly IndexAttribute[]) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  changes.forEach((attribute, i) => {
    names[`#a${i}`] = attribute;
    const value = derived.fields[attribute];
    if (value === undefined) removes.push(`#a${i}`);
    else {
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
    }
  });
  const conditions = ['attribute_exists(pk)'];
  derived.inputs.forEach((input, i) => {
    names[`#i${i}`] = input;
    const value = item[input];
    if (value === undefined) conditions.push(`attribute_not_exists(#i${i})`);
    else {
      values[`:i${i}`] = value;
      conditions.push(`#i${i} = :i${i}`);
    }
  });
  return {
    UpdateExpression: [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
};

/** The item as stored now, through an UpdateItem that changes nothing; undefined once deleted. */
const reread = async (client: DynamoDBDocumentClient, table: string, key: ItemKey): Promise<Record<string, unknown> | undefined> => {
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'REMOVE #none',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#none': 'backfillNothing' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};
