/**
 * One import through the admin API, the steps `afterchat import` takes (cli/import/run-import.ts):
 * the header creates the job, the chunks go up in order, the job is started, then followed until
 * the stack's worker has read every row. A dry run is the same with `dryRun`: a real run afterwards
 * is a job of its own.
 */
import { api, errorText, type Schemas } from '../../api/client';
import type { CsvChunk, CsvDelimiter } from './csv-chunks';

export type ImportJob = Schemas['ImportJob'];

export interface ImportSettings {
  delimiter: CsvDelimiter;
  purpose: Schemas['ImportRequest']['purpose'];
  /** Header cell → target, only the cells the person changed: the rest are mapped by name. */
  mapping: Record<string, string>;
  defaults: Schemas['ImportRequest']['defaults'];
}

export type ImportStep =
  | { step: 'creating' }
  | { step: 'uploading'; sent: number; chunks: number }
  | { step: 'processing'; job: ImportJob };

/** Why an import didn't run: a sentence, and the mapping's problems when it was the mapping. */
export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

const POLL_MS = 500;
const MAX_FAILED_POLLS = 20;

const refused = (what: string, error: unknown, status: number): ImportRefused => {
  const problems = (error as { problems?: unknown } | undefined)?.problems;
  return new ImportRefused(`${what}: ${errorText(error, status)}`, Array.isArray(problems) ? problems.map(String) : []);
};

export const runImport = async (
  file: { name: string; header: string[]; chunks: CsvChunk[] },
  settings: ImportSettings & { dryRun: boolean },
  onStep: (step: ImportStep) => void,
  stopped: () => boolean,
): Promise<ImportJob | undefined> => {
  onStep({ step: 'creating' });
  const created = await api.POST('/admin/imports', {
    body: {
      header: file.header,
      name: file.name,
      dryRun: settings.dryRun,
      purpose: settings.purpose,
      delimiter: settings.delimiter,
      mapping: settings.mapping,
      defaults: settings.defaults,
      doNotOverwrite: [],
      restoreErased: false,
    },
  });
  if (!created.data) throw refused('The import can’t start with this file and mapping', created.error, created.response.status);
  const { importId } = created.data;
  for (const chunk of file.chunks) {
    if (stopped()) return undefined;
    onStep({ step: 'uploading', sent: chunk.seq, chunks: file.chunks.length });
    const put = await api.PUT('/admin/imports/{importId}/chunks/{seq}', { params: { path: { importId, seq: String(chunk.seq) } }, body: { firstLine: chunk.firstLine, csv: chunk.csv } });
    if (!put.data) throw refused(`Uploading part ${chunk.seq + 1} of ${file.chunks.length} failed`, put.error, put.response.status);
  }
  const started = await api.POST('/admin/imports/{importId}/start', { params: { path: { importId } }, body: { chunks: file.chunks.length } });
  if (!started.data) throw refused('The import could not start', started.error, started.response.status);
  let job = started.data;
  let failedPolls = 0;
  while (job.status !== 'completed') {
    onStep({ step: 'processing', job });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (stopped()) return undefined;
    const polled = await api.GET('/admin/imports/{importId}', { params: { path: { importId } } });
    // A failed poll is asked again on the next turn: the import goes on in the stack either way.
    if (polled.data) {
      job = polled.data;
      failedPolls = 0;
    } else if ((failedPolls += 1) >= MAX_FAILED_POLLS) throw refused(`Following import ${importId} failed (it goes on in the stack; the list below shows it)`, polled.error, polled.response.status);
  }
  onStep({ step: 'processing', job });
  return job;
};

/** The first page of an import's per-line errors (the job's `counts.errors` says how many in all). */
export const firstErrors = async (importId: string, limit = 100) => {
  const page = await api.GET('/admin/imports/{importId}/errors', { params: { path: { importId }, query: { limit } } });
  if (!page.data) throw new ImportRefused(`The errors could not be read: ${errorText(page.error, page.response.status)}`);
  return page.data.errors;
};
