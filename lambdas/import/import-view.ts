import type { Channel } from '../domain/events';
import type { ColumnTarget, ImportCounts, ImportPurpose, ImportSettings, ImportStatus, ProtectableField } from '../domain/import/import-job';
import type { ImportJob } from '../ports/import-jobs';

/** An import job as the admin API answers it (`GET /admin/imports/{importId}` and the list). */
export interface ImportJobView {
  importId: string;
  name?: string;
  status: ImportStatus;
  dryRun: boolean;
  purpose: ImportPurpose;
  doNotOverwrite: ProtectableField[];
  restoreErased: boolean;
  delimiter: ImportSettings['delimiter'];
  defaults: { channel?: Channel; accountId?: string };
  header: string[];
  mapping: Record<string, ColumnTarget>;
  /** Header cells whose column the import drops. */
  ignored: string[];
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
  /** `total` is null until the job is started (the count of uploaded chunks isn't final before). */
  chunks: { total: number | null; processed: number };
  rows: { total: number | null; processed: number };
  counts: ImportCounts;
}

export const importJobView = (job: ImportJob): ImportJobView => {
  const { settings } = job;
  return {
    importId: job.importId,
    ...(settings.name === undefined ? {} : { name: settings.name }),
    status: job.status,
    dryRun: settings.dryRun,
    purpose: settings.purpose,
    doNotOverwrite: settings.doNotOverwrite,
    restoreErased: settings.restoreErased,
    delimiter: settings.delimiter,
    defaults: settings.defaults,
    header: settings.header,
    mapping: settings.mapping,
    ignored: settings.header.filter((cell) => settings.mapping[cell] === 'ignore'),
    createdAt: iso(job.createdAt),
    ...(job.startedAt === undefined ? {} : { startedAt: iso(job.startedAt) }),
    ...(job.completedAt === undefined ? {} : { completedAt: iso(job.completedAt) }),
    // The cursor's chunk is the first not yet finished: every chunk before it is processed.
    chunks: { total: job.chunks ?? null, processed: job.cursor.chunk },
    rows: { total: job.rowsTotal ?? null, processed: job.counts.rows },
    counts: job.counts,
  };
};

const iso = (ms: number): string => new Date(ms).toISOString();
