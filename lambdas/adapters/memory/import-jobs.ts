import { createHash } from 'node:crypto';
import type { ContactRef } from '../../domain/events';
import { addImportCounts } from '../../domain/import/import-counts';
import type { ImportCounts, ImportCursor, LineError, RowOutcome } from '../../domain/import/import-job';
import { type ImportChunk, type ImportJob, type ImportJobs, type StoredChunkInfo, UnknownImportJob } from '../../ports/import-jobs';
import { InvalidPageCursor } from '../../ports/page-cursor';

interface StoredChunk {
  info: StoredChunkInfo;
  csv: string;
}

/** A row an import changed, as the DynamoDB adapter files it under the person. */
interface StoredImportRow {
  contact: ContactRef;
  outcome: 'created' | 'updated';
  fields: string[];
  at: number;
}

/** Import jobs in memory, for unit tests: the same contract as the DynamoDB adapter (test/contract/import-jobs.contract.ts). */
export class InMemoryImportJobs implements ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private readonly chunks = new Map<string, Map<number, StoredChunk>>();
  private readonly errors = new Map<string, Map<string, LineError>>();
  /** Rows by import, then line. */
  private readonly rows = new Map<string, Map<number, StoredImportRow>>();

  create(job: ImportJob): Promise<boolean> {
    if (this.jobs.has(job.importId)) return Promise.resolve(false);
    this.jobs.set(job.importId, structuredClone(job));
    return Promise.resolve(true);
  }

  get(importId: string): Promise<ImportJob | undefined> {
    const job = this.jobs.get(importId);
    return Promise.resolve(job === undefined ? undefined : structuredClone(job));
  }

  list(cursor: string | undefined, limit: number): Promise<{ jobs: ImportJob[]; cursor?: string }> {
    return Promise.resolve().then(() => {
      const before = cursor === undefined ? undefined : decode(cursor, /^\d{4}-\d{2}-\d{2}T[\d:.]{12}Z#/);
      const listed = [...this.jobs.values()].filter((job) => before === undefined || listingKey(job) < before).sort((a, b) => (listingKey(a) < listingKey(b) ? 1 : -1));
      const jobs = listed.slice(0, limit);
      const last = jobs[jobs.length - 1];
      return { jobs: jobs.map((job) => structuredClone(job)), ...(listed.length > limit && last ? { cursor: encode(listingKey(last)) } : {}) };
    });
  }

  putChunk(importId: string, seq: number, chunk: ImportChunk & { sha256: string; records: number }): Promise<'stored' | 'same' | 'conflict'> {
    return Promise.resolve().then(() => {
      this.job(importId);
      const chunks = this.chunks.get(importId) ?? new Map<number, StoredChunk>();
      this.chunks.set(importId, chunks);
      const stored = chunks.get(seq);
      if (stored !== undefined) return stored.info.sha256 === chunk.sha256 ? 'same' : 'conflict';
      chunks.set(seq, { info: { seq, sha256: chunk.sha256, records: chunk.records, firstLine: chunk.firstLine }, csv: chunk.csv });
      return 'stored';
    });
  }

  chunkInfos(importId: string): Promise<StoredChunkInfo[]> {
    const chunks = [...(this.chunks.get(importId)?.values() ?? [])];
    return Promise.resolve(chunks.map((c) => ({ ...c.info })).sort((a, b) => a.seq - b.seq));
  }

  readChunk(importId: string, seq: number): Promise<ImportChunk | undefined> {
    const stored = this.chunks.get(importId)?.get(seq);
    return Promise.resolve(stored === undefined ? undefined : { firstLine: stored.info.firstLine, csv: stored.csv });
  }

  start(importId: string, chunks: number, rowsTotal: number, at: number): Promise<ImportJob | undefined> {
    const job = this.jobs.get(importId);
    if (job?.status === 'uploading') Object.assign(job, { status: 'queued', chunks, rowsTotal, startedAt: at });
    return this.get(importId);
  }

  advance(importId: string, from: ImportCursor, to: ImportCursor, counts: ImportCounts, at: number, completed: boolean): Promise<boolean> {
    const job = this.jobs.get(importId);
    if (job === undefined || job.cursor.chunk !== from.chunk || job.cursor.record !== from.record) return Promise.resolve(false);
    job.cursor = { ...to };
    job.counts = addImportCounts(job.counts, counts);
    job.status = completed ? 'completed' : 'running';
    job.advancedAt = at;
    if (completed) job.completedAt = at;
    return Promise.resolve(true);
  }

  putErrors(importId: string, errors: readonly LineError[]): Promise<void> {
    return Promise.resolve().then(() => {
      if (errors.length === 0) return;
      this.job(importId);
      const kept = this.errors.get(importId) ?? new Map<string, LineError>();
      this.errors.set(importId, kept);
      for (const error of errors) kept.set(errorKey(error), { line: error.line, column: error.column, reason: error.reason });
    });
  }

  listErrors(importId: string, cursor: string | undefined, limit: number): Promise<{ errors: LineError[]; cursor?: string }> {
    return Promise.resolve().then(() => {
      const after = cursor === undefined ? undefined : decode(cursor, /^\d{9}#/);
      const listed = [...(this.errors.get(importId)?.entries() ?? [])]
        .filter(([key]) => after === undefined || byBytes(key, after) > 0)
        .sort(([a], [b]) => byBytes(a, b));
      const kept = listed.slice(0, limit);
      const last = kept[kept.length - 1];
      return { errors: kept.map(([, error]) => ({ ...error })), ...(listed.length > limit && last ? { cursor: encode(last[0]) } : {}) };
    });
  }

  rowOutcomes(importId: string, lines: readonly number[]): Promise<Map<number, RowOutcome>> {
    const rows = this.rows.get(importId);
    const found = lines.flatMap((line) => {
      const row = rows?.get(line);
      return row === undefined ? [] : [[line, row.outcome] as const];
    });
    return Promise.resolve(new Map(found));
  }

  putRowOutcome(importId: string, line: number, contact: ContactRef, outcome: 'created' | 'updated', fields: readonly string[], at: number): Promise<void> {
    const rows = this.rows.get(importId) ?? new Map<number, StoredImportRow>();
    this.rows.set(importId, rows);
    if (!rows.has(line)) rows.set(line, { contact: { ...contact }, outcome, fields: [...fields], at });
    return Promise.resolve();
  }

  dropChunks(importId: string): Promise<void> {
    this.chunks.delete(importId);
    return Promise.resolve();
  }

  private job(importId: string): ImportJob {
    const job = this.jobs.get(importId);
    if (job === undefined) throw new UnknownImportJob(importId);
    return job;
  }
}

/** Newest first by creation, then by id, as the DynamoDB listing's `<createdAt ISO>#<importId>` sorts. */
const listingKey = (job: ImportJob): string => `${new Date(job.createdAt).toISOString()}#${job.importId}`;

/** By line, then column, then a hash of column and reason, as the DynamoDB adapter's error keys sort (UTF-8 bytes). */
const errorKey = (error: LineError): string =>
  `${String(error.line).padStart(9, '0')}#${error.column}#${createHash('sha256').update(`${error.column}\n${error.reason}`).digest('hex').slice(0, 16)}`;

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const encode = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

const decode = (cursor: string, shape: RegExp): string => {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!shape.test(key)) throw new InvalidPageCursor('malformed page cursor: pass back the cursor of the previous page unchanged');
  return key;
};
