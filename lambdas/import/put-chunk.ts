import { createHash } from 'node:crypto';
import { parseChunk } from '../domain/import/csv-chunk';
import type { ImportJobs } from '../ports/import-jobs';
import { MAX_CHUNK_BYTES } from '../schemas/import-request';

export interface PutChunkDeps {
  jobs: Pick<ImportJobs, 'get' | 'putChunk'>;
}

export interface PutChunkInput {
  importId: string;
  seq: number;
  /** The file's line number of the chunk's first record (the header is line 1). */
  firstLine: number;
  csv: string;
}

export type PutChunkResult =
  | { ok: true; importId: string; seq: number; records: number; bytes: number; stored: 'stored' | 'same' }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'too_large'; bytes: number }
  /** The job has left `uploading` (started): its chunks are fixed. */
  | { ok: false; error: 'not_uploading'; status: string }
  /** This seq already holds another text. */
  | { ok: false; error: 'conflict' }
  | { ok: false; error: 'unparseable'; line: number; reason: string };

/**
 * Stores one chunk of an import's CSV: whole records, no header. Checked here once, so the worker
 * never meets a chunk it can't parse: its size, and that it parses into records (the first line and
 * reason of what doesn't). The same chunk uploaded again (a CLI retrying) is `same`; other text
 * under a seq already stored is a conflict.
 */
export const putChunk = async (deps: PutChunkDeps, input: PutChunkInput): Promise<PutChunkResult> => {
  const bytes = Buffer.byteLength(input.csv, 'utf8');
  if (bytes > MAX_CHUNK_BYTES) return { ok: false, error: 'too_large', bytes };
  const job = await deps.jobs.get(input.importId);
  if (!job) return { ok: false, error: 'not_found' };
  if (job.status !== 'uploading') return { ok: false, error: 'not_uploading', status: job.status };
  const parsed = parseChunk(input.csv, input.firstLine, job.settings.delimiter);
  if (!parsed.ok) return { ok: false, error: 'unparseable', line: parsed.line, reason: parsed.reason };
  const sha256 = createHash('sha256').update(input.csv, 'utf8').digest('hex');
  const records = parsed.records.length;
  const stored = await deps.jobs.putChunk(input.importId, input.seq, { firstLine: input.firstLine, csv: input.csv, sha256, records });
  if (stored === 'conflict') return { ok: false, error: 'conflict' };
  return { ok: true, importId: input.importId, seq: input.seq, records, bytes, stored };
};
