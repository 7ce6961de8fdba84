/**
 * `afterchat import <file.csv>` from start to end: the header creates the job, the rows go up in
 * chunks as the file is read, then the job is started and followed until the worker has read every
 * row; the caller prints the outcome.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Route } from '../../lambdas/admin/contract';
import type { AfterchatClient } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { ApiError, CliError, EXIT, UsageError } from '../errors';
import { follow } from '../output/follow';
import { type CsvChunk, type CsvDelimiter, openCsvChunks } from './csv-chunks';

export type ImportRequest = Route<'POST /admin/imports'>['body'];
export type ImportJobView = Route<'GET /admin/imports/{importId}'>['response'];

export interface ImportRun {
  file: string;
  request: Omit<ImportRequest, 'header' | 'name' | 'delimiter'> & { delimiter: CsvDelimiter };
  timeoutMs: number;
}

/** What the run saw besides the job: for the summary and the bench's phase times. */
export interface ImportOutcome {
  job: ImportJobView;
  chunks: number;
  /** When each phase ended (ctx.now()): the job created, the last chunk stored, the job started, the job completed. */
  times: { began: number; created: number; uploaded: number; started: number; completed: number };
}

const mib = (bytes: number): string => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`);

const fileSize = (path: string, shown: string): number => {
  try {
    return statSync(path).size;
  } catch (error) {
    throw new UsageError(`can't read ${shown}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
};

/** A mapping the stack refuses comes back as `problems`: one line each, under one sentence. */
const mappingRefused = (error: unknown): unknown => {
  if (!(error instanceof ApiError) || error.status !== 400) return error;
  const { problems } = error.body as { problems?: unknown };
  if (!Array.isArray(problems)) return error;
  return new CliError("the import can't start with this header and mapping", EXIT.refused, [
    ...problems.map(String),
    'map a column with --map "<header>=<target>", or give --channel / --account for rows without them (--dry-run shows the mapping)',
  ]);
};

const ATTEMPTS = 4;

/** Worth another try: the stack failed or throttled, or the connection broke (not a refusal of the chunk). */
const transient = (error: unknown): boolean =>
  error instanceof ApiError ? error.status >= 500 || error.status === 429 : error instanceof CliError && error.exitCode === EXIT.unreachable;

/** A chunk stored twice is stored once (`stored: same`), so a failed upload is simply sent again, after 1, 2, 4 s; a failed poll too. */
const withRetries = async <T>(ctx: CliContext, call: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= ATTEMPTS || !transient(error)) throw error;
      await ctx.sleep(1000 * 2 ** (attempt - 1));
    }
  }
};

export const runImport = async (ctx: CliContext, client: AfterchatClient, run: ImportRun): Promise<ImportOutcome> => {
  const began = ctx.now();
  const path = resolve(ctx.cwd, run.file);
  const size = fileSize(path, run.file);
  const { header, chunks } = await openCsvChunks(createReadStream(path), { delimiter: run.request.delimiter });
  // The first chunk before the job: a file with a header and no rows creates nothing.
  const first = await chunks.next();
  if (first.done === true) throw new UsageError(`${run.file} has a header and no rows: nothing to import`);

  let job: ImportJobView;
  try {
    job = await client.createImport({ ...run.request, header, name: basename(run.file) });
  } catch (error) {
    await chunks.return();
    throw mappingRefused(error);
  }
  const created = ctx.now();
  const importId = job.importId;

  const bar = ctx.progress ? new SingleBar({ stream: ctx.progress, format: 'uploading {bar} {sent} of {size} ({chunks} chunks)', hideCursor: true, clearOnComplete: true }) : undefined;
  bar?.start(size, 0, { sent: mib(0), size: mib(size), chunks: 0 });
  let count = 0;
  let bytes = 0;
  const upload = async (chunk: CsvChunk) => {
    await withRetries(ctx, () => client.putImportChunk(importId, chunk.seq, { firstLine: chunk.firstLine, csv: chunk.csv }));
    count += 1;
    // The chunk's text and the line break after each record: the file's bytes, near enough for a bar.
    bytes += chunk.bytes + chunk.records;
    bar?.update(Math.min(bytes, size), { sent: mib(Math.min(bytes, size)), chunks: count });
  };
  try {
    await upload(first.value);
    for await (const chunk of chunks) await upload(chunk);
  } finally {
    bar?.stop();
    // The first upload failing leaves the file open otherwise.
    await chunks.return();
  }
  const uploaded = ctx.now();
  ctx.stderr.write(`uploaded ${run.file}: ${count} chunk${count === 1 ? '' : 's'}, ${mib(size)}; import ${importId}${run.request.dryRun === true ? ' (dry run)' : ''}\n`);

  const queued = await client.startImport(importId, count);
  const started = ctx.now();
  try {
    job = await follow(ctx, {
      // A poll is a read: one that failed (a busy stack, a dropped connection) is asked again.
      poll: () => withRetries(ctx, () => client.getImport(importId)),
      progress: (state) => ({ done: state.rows.processed, total: state.rows.total ?? queued.rows.total ?? 0, label: `rows, ${state.status}` }),
      finished: (state) => state.status === 'completed',
      timeoutMs: run.timeoutMs,
      what: `import ${importId}`,
    });
  } catch (error) {
    // Only follow's own timeout is retold; a refusal or an unreachable stack is passed on as it came.
    if (!(error instanceof CliError) || error instanceof ApiError || error.exitCode !== EXIT.refused) throw error;
    // Running the command again would upload the file as another import: say where this one is.
    throw new CliError(error.message, EXIT.refused, [`the import goes on in the stack: GET /admin/imports/${importId} shows it; give --timeout more seconds next time`]);
  }
  return { job, chunks: count, times: { began, created, uploaded, started, completed: ctx.now() } };
};
