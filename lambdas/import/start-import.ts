import type { Clock } from '../domain/clock';
import type { ImportJob, ImportJobs, StoredChunkInfo } from '../ports/import-jobs';
import type { ImportQueue } from '../ports/import-queue';

export interface StartImportDeps {
  jobs: Pick<ImportJobs, 'get' | 'chunkInfos' | 'start'>;
  queue: ImportQueue;
  clock: Clock;
}

export type StartImportResult =
  | { ok: true; job: ImportJob }
  | { ok: false; error: 'not_found' }
  /** Seqs 0..chunks-1 not stored, and seqs stored at or beyond `chunks` (a count that leaves chunks out). */
  | { ok: false; error: 'chunks_mismatch'; missing: number[]; beyond: number[] }
  /**
   * Seqs whose firstLine doesn't lie past the chunks before them (at least a line per record): their
   * rows would share line numbers, so one row's errors and outcome would hide another's.
   */
  | { ok: false; error: 'lines_overlap'; seqs: number[] }
  /** The job was started with another chunk count. */
  | { ok: false; error: 'already_started'; chunks: number | undefined };

/**
 * Starts an uploaded import: every chunk 0..chunks-1 must be stored and none beyond, its rows are
 * the chunks' records, and the first slice goes to the import queue. Idempotent: started again with
 * the same count it answers the job as it stands; a job still `queued` (a start that stopped before
 * its message was sent) gets its first slice sent again, since a worker drops a duplicate.
 */
export const startImport = async (deps: StartImportDeps, importId: string, chunks: number): Promise<StartImportResult> => {
  const job = await deps.jobs.get(importId);
  if (!job) return { ok: false, error: 'not_found' };
  if (job.status !== 'uploading') return resumed(deps, job, chunks);
  const infos = await deps.jobs.chunkInfos(importId);
  const stored = new Set(infos.map((info) => info.seq));
  const missing = Array.from({ length: chunks }, (_, seq) => seq).filter((seq) => !stored.has(seq));
  const beyond = infos.filter((info) => info.seq >= chunks).map((info) => info.seq);
  if (missing.length > 0 || beyond.length > 0) return { ok: false, error: 'chunks_mismatch', missing, beyond };
  const seqs = overlapping(infos);
  if (seqs.length > 0) return { ok: false, error: 'lines_overlap', seqs };
  const rowsTotal = infos.reduce((sum, info) => sum + info.records, 0);
  const started = await deps.jobs.start(importId, chunks, rowsTotal, deps.clock());
  if (!started) return { ok: false, error: 'not_found' };
  return resumed(deps, started, chunks);
};

const resumed = async (deps: StartImportDeps, job: ImportJob, chunks: number): Promise<StartImportResult> => {
  if (job.chunks !== chunks) return { ok: false, error: 'already_started', chunks: job.chunks };
  if (job.status === 'queued') await deps.queue.send({ importId: job.importId, ...job.cursor });
  return { ok: true, job };
};

const overlapping = (infos: readonly StoredChunkInfo[]): number[] => {
  let next = 0;
  return [...infos]
    .sort((a, b) => a.seq - b.seq)
    .flatMap((info) => {
      const overlaps = info.firstLine < next;
      next = Math.max(next, info.firstLine + info.records);
      return overlaps ? [info.seq] : [];
    });
};
