import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { count, dateTime } from '../../components/format';
import type { ImportJob } from './run-import';

const columns: ColumnDef<ImportJob, unknown>[] = [
  { header: 'File', accessorFn: (j) => j.name ?? j.importId },
  { header: 'Created', accessorKey: 'createdAt', cell: (c) => dateTime(c.getValue() as string) },
  { header: 'Kind', accessorFn: (j) => (j.dryRun ? 'dry run' : 'import') },
  { header: 'Status', accessorKey: 'status' },
  { header: 'Rows', accessorFn: (j) => j.counts.rows, cell: (c) => count(c.getValue() as number) },
  { header: 'Created contacts', accessorFn: (j) => j.counts.created, cell: (c) => count(c.getValue() as number) },
  { header: 'Updated', accessorFn: (j) => j.counts.updated, cell: (c) => count(c.getValue() as number) },
  { header: 'Failed rows', accessorFn: (j) => j.counts.failed, cell: (c) => count(c.getValue() as number) },
];

/** The latest imports (each kept 30 days), reloaded when `version` changes (a run ended). */
export const PastImports = ({ version }: { version: number }) => {
  const imports = useApi(() => api.GET('/admin/imports', { params: { query: { limit: 20 } } }), [version]);
  return (
    <DataState loaded={imports} what="past imports" isEmpty={(d) => d.imports.length === 0} empty="No imports in the last 30 days.">
      {(d) => <DataTable rows={d.imports} columns={columns} label="Past imports" />}
    </DataState>
  );
};
