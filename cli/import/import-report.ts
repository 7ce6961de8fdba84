/**
 * What `afterchat import` prints when the job is completed: what the rows did, how many contacts
 * could receive marketing and by which route (or why not), and the first errors by line. Every
 * error can go to a CSV file, read page by page from the stack.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Route } from '../../lambdas/admin/contract';
import type { AfterchatClient } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import type { Output } from '../output/output';
import type { ImportJobView } from './run-import';

type LineError = Route<'GET /admin/imports/{importId}/errors'>['response']['errors'][number];

/** Errors shown under the summary; the rest are in `--errors-file`. */
export const ERRORS_SHOWN = 20;

const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const write = (stream: WriteStream, text: string): Promise<void> =>
  new Promise((done, failed) => {
    if (stream.write(text)) done();
    else stream.once('drain', done).once('error', failed);
  });

const close = (stream: WriteStream): Promise<void> => new Promise((done, failed) => stream.once('error', failed).end(done));

/**
 * The first errors by line, and with `file` every error written there as CSV `line,column,reason`
 * (created or replaced), one page of the stack's list at a time.
 */
export const readImportErrors = async (ctx: CliContext, client: AfterchatClient, importId: string, file?: string): Promise<{ shown: LineError[]; written?: number }> => {
  if (file === undefined) return { shown: (await client.listImportErrors(importId, { limit: String(ERRORS_SHOWN) })).errors };
  const stream = createWriteStream(resolve(ctx.cwd, file));
  const opened = new Promise<void>((done, failed) => stream.once('ready', done).once('error', failed));
  try {
    await opened;
  } catch (error) {
    throw new UsageError(`can't write ${file}: ${(error as Error).message}`);
  }
  const shown: LineError[] = [];
  let written = 0;
  try {
    await write(stream, 'line,column,reason\n');
    let cursor: string | undefined;
    do {
      const page = await client.listImportErrors(importId, { limit: '100', cursor });
      if (shown.length < ERRORS_SHOWN) shown.push(...page.errors.slice(0, ERRORS_SHOWN - shown.length));
      for (const error of page.errors) await write(stream, `${error.line},${csvCell(error.column)},${csvCell(error.reason)}\n`);
      written += page.errors.length;
      cursor = page.cursor;
    } while (cursor !== undefined);
  } finally {
    await close(stream);
  }
  return { shown, written };
};

const entries = (counts: Record<string, number>): { name: string; rows: number }[] =>
  Object.entries(counts)
    .filter(([, rows]) => rows > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([name, rows]) => ({ name, rows }));

export const printImportSummary = (out: Output, job: ImportJobView, errors: { shown: readonly LineError[]; written?: number }, errorsFile?: string): void => {
  const { counts } = job;
  const would = job.dryRun ? 'would be ' : '';
  out.line(
    job.dryRun
      ? `dry run of ${job.name ?? job.importId} (${job.importId}): ${counts.rows} rows read, nothing written`
      : `imported ${job.name ?? job.importId} (${job.importId}): ${counts.rows} rows`,
  );
  if (job.dryRun) {
    out.line('');
    out.table(
      job.header.map((column) => ({ column, target: job.mapping[column] })),
      [
        { header: 'column', value: (c) => c.column },
        { header: 'maps to', value: (c) => c.target },
      ],
    );
  } else if (job.ignored.length > 0) out.line(`ignored columns: ${job.ignored.join(', ')}`);
  out.line('');
  out.table(
    [
      { outcome: `${would}created`, rows: counts.created },
      { outcome: `${would}updated`, rows: counts.updated },
      { outcome: 'unchanged', rows: counts.unchanged },
      ...(['exists', 'not_found', 'erased'] as const).map((reason) => ({ outcome: `skipped: ${reason}`, rows: counts.skipped[reason] ?? 0 })),
      { outcome: 'failed', rows: counts.failed },
    ],
    [
      { header: 'outcome', value: (r) => r.outcome },
      { header: 'rows', value: (r) => r.rows },
    ],
  );
  out.line('');
  out.table(
    Object.entries(counts.sendable).map(([bucket, rows]) => ({ bucket, rows })),
    [
      { header: 'sendable for marketing', value: (r) => r.bucket },
      { header: 'rows', value: (r) => r.rows },
    ],
  );
  const routes = entries(counts.sendableByRoute);
  if (routes.length > 0) {
    out.line('');
    out.table(routes, [
      { header: 'by route', value: (r) => r.name },
      { header: 'rows', value: (r) => r.rows },
    ]);
  }
  const reasons = entries(counts.notSendable);
  if (reasons.length > 0) {
    out.line('');
    out.table(reasons, [
      { header: 'not sendable because', value: (r) => r.name },
      { header: 'rows', value: (r) => r.rows },
    ]);
  }
  out.line('');
  if (counts.errors === 0) {
    out.line('no errors');
    return;
  }
  out.line(`${counts.errors} error${counts.errors === 1 ? '' : 's'} in ${counts.failed} row${counts.failed === 1 ? '' : 's'}${counts.errors > errors.shown.length ? `, the first ${errors.shown.length}` : ''}:`);
  // Not a table: a table cuts long cells, and the reason is what the person fixes the file by.
  const lineWidth = Math.max(4, ...errors.shown.map((e) => String(e.line).length));
  const columnWidth = Math.max(6, ...errors.shown.map((e) => (e.column || '(row)').length));
  out.line(`${'line'.padEnd(lineWidth)}  ${'column'.padEnd(columnWidth)}  reason`);
  for (const e of errors.shown) out.line(`${String(e.line).padEnd(lineWidth)}  ${(e.column || '(row)').padEnd(columnWidth)}  ${e.reason}`);
  if (errorsFile !== undefined) out.note(`all ${errors.written ?? counts.errors} errors are in ${errorsFile}`);
  else if (counts.errors > errors.shown.length) {
    out.note(`the other ${counts.errors - errors.shown.length}: GET /admin/imports/${job.importId}/errors lists them; --errors-file errors.csv writes them all to a file`);
  }
};
