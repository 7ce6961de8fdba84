import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactRef } from '../../domain/events';
import { addImportCounts } from '../../domain/import/import-counts';
import type { ImportCounts, ImportCursor, ImportSettings, LineError, RowOutcome } from '../../domain/import/import-job';
import { expiresAtFor } from '../../domain/retention';
import { IMPORT_RETENTION_DAYS, type ImportChunk, type ImportJob, type ImportJobs, type StoredChunkInfo, UnknownImportJob } from '../../ports/import-jobs';
import { InvalidPageCursor } from '../../ports/page-cursor';
import { indexPage } from './index-page';
import {
  GSI1,
  IMPORT_CHUNK_PREFIX,
  IMPORT_ERROR_PREFIX,
  IMPORT_LISTING,
  IMPORT_PART_PREFIX,
  importChunkKey,
  importErrorKey,
  importJobKey,
  importListingEntry,
  importPartKey,
  importPk,
  importRowKey,
  importRowPersonEntry,
} from './keys';
import { mapLimit } from '../../shared/map-limit';
import { BATCH_WRITE_LIMIT, batchGetAll, batchWriteAll, batchWriteChunk, chunks, isConditionFailure, queryPartition } from './requests';

/** Bytes of gzip text per part item: DynamoDB items hold 400 KB, keys and attribute names included. */
export const CHUNK_PART_BYTES = 350 * 1024;
/** A slice of 500 bad rows may bring hundreds of errors: their batches go out a few at a time. */
const ERROR_BATCHES_IN_FLIGHT = 4;
/** Past every `ERR#…` sort key (`$` follows `#`). */
const ERRORS_END = 'ERR$';

/**
 * Import jobs on the state table (keys.ts): the job item (`IMPORT#<importId>` / `JOB`, listed in gsi1
 * `IMPORTS`), its chunks as an info item and gzip parts of ≤ 350 KB, its line errors, and one item
 * per row it changed (`IMPORTROW#…`, in the person index so erasure and the access export find it).
 * Job, chunks and errors carry the table's TTL attribute (`expiresAt`, seconds) of the job's creation
 * plus IMPORT_RETENTION_DAYS; row outcomes are provenance and stay until the person is erased.
 */
export class DynamoDbImportJobs implements ImportJobs {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: ImportJob): Promise<boolean> {
    const item = {
      ...importJobKey(job.importId),
      entity: 'import_job',
      importId: job.importId,
      // As JSON: header cells are the mapping's keys, and a CSV header may hold any text, the empty one too.
      settings: JSON.stringify(job.settings),
      status: job.status,
      createdAt: job.createdAt,
      chunks: job.chunks,
      rowsTotal: job.rowsTotal,
      startedAt: job.startedAt,
      completedAt: job.completedAt,
      cursorChunk: job.cursor.chunk,
      cursorRecord: job.cursor.record,
      counts: job.counts,
      revision: 0,
      expiresAt: expiresAtFor(job.createdAt, IMPORT_RETENTION_DAYS),
      ...importListingEntry(job.importId, job.createdAt),
    };
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(importId: string): Promise<ImportJob | undefined> {
    const item = await this.jobItem(importId);
    return item === undefined ? undefined : toJob(item);
  }

  async list(cursor: string | undefined, limit: number): Promise<{ jobs: ImportJob[]; cursor?: string }> {
    const page = await indexPage(this.client, this.tableName, { index: GSI1, partitions: [IMPORT_LISTING], forward: false }, cursor, limit);
    const items = await batchGetAll(this.client, this.tableName, page.entries.map(({ pk, sk }) => ({ pk: String(pk), sk: String(sk) })), { consistent: true });
    const byPk = new Map(items.map((item) => [String(item.pk), item]));
    const jobs = page.entries.flatMap((entry) => {
      const item = byPk.get(String(entry.pk));
      // Gone between the index and the read (a TTL expiry).
      return item === undefined ? [] : [toJob(item)];
    });
    return { jobs, ...(page.cursor === undefined ? {} : { cursor: page.cursor }) };
  }

  /**
   * The parts first, then the info item on the condition that none exists: the info's presence
   * means the chunk is whole, and a stored chunk is never overwritten (its parts neither: their
   * keys hold the text's hash).
   */
  async putChunk(importId: string, seq: number, chunk: ImportChunk & { sha256: string; records: number }): Promise<'stored' | 'same' | 'conflict'> {
    const expiresAt = await this.expiresAt(importId);
    const stored = await this.chunkInfo(importId, seq);
    if (stored !== undefined) return stored.sha256 === chunk.sha256 ? 'same' : 'conflict';
    const parts = splitBytes(gzipSync(Buffer.from(chunk.csv, 'utf8')), CHUNK_PART_BYTES);
    await batchWriteAll(
      this.client,
      this.tableName,
      parts.map((data, n) => ({ PutRequest: { Item: { ...importPartKey(importId, seq, chunk.sha256, n), entity: 'import_chunk_part', data, expiresAt } } })),
    );
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...importChunkKey(importId, seq),
            entity: 'import_chunk',
            seq,
            sha256: chunk.sha256,
            records: chunk.records,
            firstLine: chunk.firstLine,
            parts: parts.length,
            expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'stored';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const winner = await this.chunkInfo(importId, seq);
      return winner?.sha256 === chunk.sha256 ? 'same' : 'conflict';
    }
  }

  async chunkInfos(importId: string): Promise<StoredChunkInfo[]> {
    const items = await queryPartition(this.client, this.tableName, importPk(importId), { skPrefix: IMPORT_CHUNK_PREFIX, consistent: true });
    return items.map(toChunkInfo);
  }

  async readChunk(importId: string, seq: number): Promise<ImportChunk | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: importChunkKey(importId, seq), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    const info = toChunkInfo(Item);
    const keys = Array.from({ length: Number(Item.parts) }, (_, n) => importPartKey(importId, seq, info.sha256, n));
    const items = await batchGetAll(this.client, this.tableName, keys, { consistent: true });
    const bySk = new Map(items.map((item) => [String(item.sk), item.data as Uint8Array]));
    const parts = keys.map((key) => {
      const data = bySk.get(key.sk);
      if (data === undefined) throw new Error(`import chunk ${seq} lacks its part ${key.sk}`);
      return data;
    });
    const csv = gunzipSync(Buffer.concat(parts)).toString('utf8');
    if (createHash('sha256').update(csv, 'utf8').digest('hex') !== info.sha256) throw new Error(`import chunk ${seq} does not hash to its sha256`);
    return { firstLine: info.firstLine, csv };
  }

  async start(importId: string, chunks: number, rowsTotal: number, at: number): Promise<ImportJob | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: importJobKey(importId),
          UpdateExpression: 'SET #status = :queued, chunks = :chunks, rowsTotal = :rows, startedAt = :at',
          ConditionExpression: '#status = :uploading',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued', ':uploading': 'uploading', ':chunks': chunks, ':rows': rowsTotal, ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes === undefined ? undefined : toJob(Attributes);
    } catch (error) {
      if (isConditionFailure(error)) return this.get(importId);
      throw error;
    }
  }

  /**
   * Reads the job, then writes the new cursor and the summed counts on the condition that the job's
   * revision is still the one read: every advance bumps it, so of two deliveries of one slice only
   * the first counts, even one moving the cursor nowhere.
   */
  async advance(importId: string, from: ImportCursor, to: ImportCursor, counts: ImportCounts, at: number, completed: boolean): Promise<boolean> {
    const item = await this.jobItem(importId);
    if (item === undefined || item.cursorChunk !== from.chunk || item.cursorRecord !== from.record) return false;
    const revision = Number(item.revision ?? 0);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: importJobKey(importId),
          UpdateExpression: `SET cursorChunk = :chunk, cursorRecord = :record, #counts = :counts, #status = :status, revision = :next, advancedAt = :at${completed ? ', completedAt = :at' : ''}`,
          ConditionExpression: 'revision = :revision',
          ExpressionAttributeNames: { '#counts': 'counts', '#status': 'status' },
          ExpressionAttributeValues: {
            ':chunk': to.chunk,
            ':record': to.record,
            ':counts': addImportCounts(item.counts as ImportCounts, counts),
            ':status': completed ? 'completed' : 'running',
            ':revision': revision,
            ':next': revision + 1,
            ':at': at,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putErrors(importId: string, errors: readonly LineError[]): Promise<void> {
    if (errors.length === 0) return;
    const expiresAt = await this.expiresAt(importId);
    const items = errors.map((error) => ({
      ...importErrorKey(importId, error),
      entity: 'import_error',
      line: error.line,
      column: error.column,
      reason: error.reason,
      expiresAt,
    }));
    // A batch may not name a key twice.
    const unique = [...new Map(items.map((item) => [item.sk, item])).values()];
    await mapLimit(chunks(unique, BATCH_WRITE_LIMIT), ERROR_BATCHES_IN_FLIGHT, (batch) =>
      batchWriteChunk(this.client, this.tableName, batch.map((Item) => ({ PutRequest: { Item } }))),
    );
  }

  async listErrors(importId: string, cursor: string | undefined, limit: number): Promise<{ errors: LineError[]; cursor?: string }> {
    const after = cursor === undefined ? undefined : decodeErrorCursor(cursor);
    const found: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      // BETWEEN includes the cursor's own item: dropped below.
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': importPk(importId), ':from': after ?? IMPORT_ERROR_PREFIX, ':to': ERRORS_END },
          ConsistentRead: true,
          Limit: limit + 2,
          ExclusiveStartKey: startKey,
        }),
      );
      found.push(...(page.Items ?? []).filter((item) => item.sk !== after));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && found.length <= limit);
    const kept = found.slice(0, limit);
    const last = kept[kept.length - 1];
    return {
      errors: kept.map((item) => ({ line: Number(item.line), column: String(item.column), reason: String(item.reason) })),
      ...(found.length > limit && last !== undefined ? { cursor: Buffer.from(String(last.sk)).toString('base64url') } : {}),
    };
  }

  async rowOutcomes(importId: string, lines: readonly number[]): Promise<Map<number, RowOutcome>> {
    const keys = [...new Set(lines)].map((line) => importRowKey(importId, line));
    const items = await batchGetAll(this.client, this.tableName, keys, { consistent: true });
    return new Map(items.map((item) => [Number(item.line), item.outcome as RowOutcome]));
  }

  async putRowOutcome(importId: string, line: number, contact: ContactRef, outcome: 'created' | 'updated', fields: readonly string[], at: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...importRowKey(importId, line),
            entity: 'import_row',
            importId,
            line,
            channel: contact.channel,
            accountId: contact.accountId,
            userId: contact.userId,
            outcome,
            fields: [...fields],
            at,
            ...importRowPersonEntry(contact, importId, line),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async dropChunks(importId: string): Promise<void> {
    const pk = importPk(importId);
    const [infos, parts] = await Promise.all(
      [IMPORT_CHUNK_PREFIX, IMPORT_PART_PREFIX].map((skPrefix) => queryPartition(this.client, this.tableName, pk, { skPrefix, projection: 'pk, sk', consistent: true })),
    );
    await batchWriteAll(
      this.client,
      this.tableName,
      [...(infos ?? []), ...(parts ?? [])].map((item) => ({ DeleteRequest: { Key: { pk: String(item.pk), sk: String(item.sk) } } })),
    );
  }

  private async jobItem(importId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: importJobKey(importId), ConsistentRead: true }));
    return Item;
  }

  /** The job's own expiry, which its chunks and errors share. */
  private async expiresAt(importId: string): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: importJobKey(importId), ConsistentRead: true, ProjectionExpression: 'expiresAt' }),
    );
    if (Item === undefined) throw new UnknownImportJob(importId);
    return Number(Item.expiresAt);
  }

  private async chunkInfo(importId: string, seq: number): Promise<StoredChunkInfo | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: importChunkKey(importId, seq), ConsistentRead: true }));
    return Item === undefined ? undefined : toChunkInfo(Item);
  }
}

const splitBytes = (bytes: Buffer, size: number): Buffer[] =>
  Array.from({ length: Math.max(1, Math.ceil(bytes.length / size)) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

const toChunkInfo = (item: Record<string, unknown>): StoredChunkInfo => ({
  seq: Number(item.seq),
  sha256: String(item.sha256),
  records: Number(item.records),
  firstLine: Number(item.firstLine),
});

const toJob = (item: Record<string, unknown>): ImportJob => {
  const num = (name: string): number | undefined => (typeof item[name] === 'number' ? item[name] : undefined);
  const optional = (name: 'chunks' | 'rowsTotal' | 'startedAt' | 'advancedAt' | 'completedAt') => {
    const value = num(name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    importId: String(item.importId),
    settings: JSON.parse(String(item.settings)) as ImportSettings,
    status: item.status as ImportJob['status'],
    createdAt: Number(item.createdAt),
    ...optional('chunks'),
    ...optional('rowsTotal'),
    ...optional('startedAt'),
    ...optional('advancedAt'),
    ...optional('completedAt'),
    cursor: { chunk: Number(item.cursorChunk), record: Number(item.cursorRecord) },
    counts: item.counts as ImportCounts,
  };
};

const decodeErrorCursor = (cursor: string): string => {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith(IMPORT_ERROR_PREFIX) || sk >= ERRORS_END) throw new InvalidPageCursor('malformed page cursor: pass back the cursor of the previous page unchanged');
  return sk;
};
