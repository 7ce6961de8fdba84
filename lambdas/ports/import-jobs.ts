import type { ContactRef } from '../domain/events';
import type { ImportCounts, ImportCursor, ImportSettings, ImportStatus, LineError, RowOutcome } from '../domain/import/import-job';

export interface ImportJob {
  importId: string;
  settings: ImportSettings;
  status: ImportStatus;
  createdAt: number;
  /** Set by `start`: how many chunks were uploaded, and their records in all. */
  chunks?: number;
  rowsTotal?: number;
  startedAt?: number;
  /** When the cursor last moved: a live chain moves it every slice. */
  advancedAt?: number;
  completedAt?: number;
  /** The next record to process; `{ chunk: chunks, record: 0 }` once completed. */
  cursor: ImportCursor;
  counts: ImportCounts;
}

/** An uploaded chunk: whole CSV records (no header), the file's line number of its first one. */
export interface ImportChunk {
  firstLine: number;
  csv: string;
}

export interface StoredChunkInfo {
  seq: number;
  /** SHA-256 (hex) of the chunk's CSV text: the same chunk uploaded again is recognised. */
  sha256: string;
  records: number;
  firstLine: number;
}

/** Days a job, its chunks and its errors are kept after the job's creation (row outcomes stay: provenance). */
export const IMPORT_RETENTION_DAYS = 30;

/** A chunk or errors for a job that doesn't exist (the caller checks the job first: a bug, not a 404). */
export class UnknownImportJob extends Error {
  override readonly name = 'UnknownImportJob';
  constructor(importId: string) {
    super(`no import job ${importId}`);
  }
}

/**
 * Import jobs, their uploaded chunks, per-line errors and the rows an import changed (a person's items:
 * the person index finds them, so erasure removes them). Chunks and errors expire with the job (TTL);
 * a completed job's chunks are dropped at once.
 */
export interface ImportJobs {
  /** Creates the job; false when a job with this id exists. */
  create(job: ImportJob): Promise<boolean>;
  get(importId: string): Promise<ImportJob | undefined>;
  /** The most recent jobs first, paged; a cursor it didn't give throws InvalidPageCursor (ports/page-cursor.ts). */
  list(cursor: string | undefined, limit: number): Promise<{ jobs: ImportJob[]; cursor?: string }>;
  /**
   * Stores a chunk (any size up to 1 MiB: split into items as storage needs). `same` when this seq
   * already holds the same text (sha256), `conflict` when it holds another: a stored chunk is never
   * replaced. Throws UnknownImportJob when there is no such job.
   */
  putChunk(importId: string, seq: number, chunk: ImportChunk & { sha256: string; records: number }): Promise<'stored' | 'same' | 'conflict'>;
  /** Every stored chunk's info, by seq. */
  chunkInfos(importId: string): Promise<StoredChunkInfo[]>;
  readChunk(importId: string, seq: number): Promise<ImportChunk | undefined>;
  /**
   * Moves an `uploading` job to `queued` with its chunk count and rows; answers the stored job (as
   * it was, when it had already left `uploading`).
   */
  start(importId: string, chunks: number, rowsTotal: number, at: number): Promise<ImportJob | undefined>;
  /**
   * Moves the cursor from `from` to `to` and adds `counts`, only when the stored cursor is `from`
   * (a redelivered slice counts nothing twice): false when it wasn't. `completed` also sets the
   * status and `completedAt`; otherwise the status becomes `running`.
   */
  advance(importId: string, from: ImportCursor, to: ImportCursor, counts: ImportCounts, at: number, completed: boolean): Promise<boolean>;
  /** Keeps per-line errors; the same error (line, column and reason) kept again is one. Throws UnknownImportJob when there is no such job. */
  putErrors(importId: string, errors: readonly LineError[]): Promise<void>;
  /** Errors by line, then column, paged; a cursor it didn't give throws InvalidPageCursor. */
  listErrors(importId: string, cursor: string | undefined, limit: number): Promise<{ errors: LineError[]; cursor?: string }>;
  /** The outcome this import recorded for these lines (rows it created or updated), by line. */
  rowOutcomes(importId: string, lines: readonly number[]): Promise<Map<number, RowOutcome>>;
  /**
   * Records that this import created or updated the person on this line: an item in the person index
   * (gsi2 `P#…` / `IMPORT#<importId>#<line>`) with the columns written, never their values. First write wins.
   */
  putRowOutcome(importId: string, line: number, contact: ContactRef, outcome: 'created' | 'updated', fields: readonly string[], at: number): Promise<void>;
  /** Drops the job's chunks (a completed job's are no longer needed and hold people's ids). */
  dropChunks(importId: string): Promise<void>;
}
