import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock';
import { resolveMapping } from '../domain/import/column-mapping';
import { emptyImportCounts } from '../domain/import/import-counts';
import type { ImportSettings } from '../domain/import/import-job';
import type { ImportJob, ImportJobs } from '../ports/import-jobs';
import type { ImportRequest } from '../schemas/import-request';

export interface CreateImportDeps {
  jobs: Pick<ImportJobs, 'create'>;
  clock: Clock;
  /** A new import id; a random UUID unless a test fixes it. */
  newId?: () => string;
}

export type CreateImportResult = { ok: true; job: ImportJob } | { ok: false; problems: string[] };

/**
 * Creates an import job waiting for its chunks: the header mapped to targets (automatically, then
 * the caller's overrides), refused with every problem at once when the mapping can't work (no user
 * id column, an unknown target, a channel neither mapped nor defaulted, …).
 */
export const createImport = async (deps: CreateImportDeps, request: ImportRequest): Promise<CreateImportResult> => {
  const resolved = resolveMapping(request.header, request.mapping, request.defaults);
  if (!resolved.ok) return { ok: false, problems: resolved.problems };
  const settings: ImportSettings = {
    purpose: request.purpose,
    mapping: resolved.mapping,
    header: request.header,
    doNotOverwrite: request.doNotOverwrite,
    dryRun: request.dryRun,
    defaults: request.defaults,
    delimiter: request.delimiter,
    restoreErased: request.restoreErased,
    ...(request.name === undefined ? {} : { name: request.name }),
  };
  const job: ImportJob = {
    importId: (deps.newId ?? randomUUID)(),
    settings,
    status: 'uploading',
    createdAt: deps.clock(),
    cursor: { chunk: 0, record: 0 },
    counts: emptyImportCounts(),
  };
  // A random UUID never collides; a false here is a fixed id used twice, which is a caller's bug.
  if (!(await deps.jobs.create(job))) throw new Error('an import with this id exists');
  return { ok: true, job };
};
