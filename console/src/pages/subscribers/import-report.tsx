import type { ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../../components/data-table';
import { count } from '../../components/format';
import { refusalSentence, routeWords } from '../sends/policy-words';
import type { ImportJob } from './run-import';

export interface LineError {
  line: number;
  column: string;
  reason: string;
}

const errorColumns: ColumnDef<LineError, unknown>[] = [
  { header: 'Line', accessorKey: 'line' },
  { header: 'Column', accessorFn: (e) => e.column || '(the whole row)' },
  { header: 'Reason', accessorKey: 'reason' },
];

const BUCKETS: Readonly<Record<string, string>> = {
  whatsapp_template: 'WhatsApp marketing template',
  messenger_marketing: 'Messenger marketing message',
  none: 'Not sendable for marketing',
};

/** Non-zero entries, largest first. */
const entries = (byKey: Record<string, number>) =>
  Object.entries(byKey)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));

const CountTable = ({ label, head, rows }: { label: string; head: string; rows: [string, number][] }) => (
  <div className="table-wrap">
    <table aria-label={label}>
      <thead>
        <tr>
          <th>{head}</th>
          <th>Rows</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, n]) => (
          <tr key={name}>
            <td>{name}</td>
            <td>{count(n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/** What an import did (or, as a dry run, would do): rows by outcome, who could receive marketing and how, and the errors by line. */
export const ImportReport = ({ job, errors }: { job: ImportJob; errors: LineError[] }) => {
  const { counts } = job;
  const would = job.dryRun ? 'Would be ' : '';
  const outcomes: [string, number][] = [
    [`${would}created`, counts.created],
    [`${would}updated`, counts.updated],
    ['Unchanged', counts.unchanged],
    ['Skipped: already a contact', counts.skipped.exists ?? 0],
    ['Skipped: not a contact yet', counts.skipped.not_found ?? 0],
    ['Skipped: erased', counts.skipped.erased ?? 0],
    ['Failed (not written)', counts.failed],
  ];
  return (
    <section aria-label={job.dryRun ? 'Dry run report' : 'Import summary'}>
      <p role="status">
        {job.dryRun ? 'Dry run' : 'Import'} of {job.name ?? job.importId}: <strong>{count(counts.rows)} rows read</strong>
        {job.dryRun ? ', nothing written.' : '.'} {counts.errors === 0 ? 'No errors.' : `${count(counts.errors)} error${counts.errors === 1 ? '' : 's'} in ${count(counts.failed)} row${counts.failed === 1 ? '' : 's'}.`}
      </p>
      <div className="cols">
        <CountTable label="Rows by outcome" head="Outcome" rows={outcomes} />
        <CountTable label="Sendable for marketing" head="Sendable for marketing" rows={Object.entries(counts.sendable).map(([bucket, n]) => [BUCKETS[bucket] ?? bucket, n])} />
      </div>
      <div className="cols">
        {entries(counts.sendableByRoute).length > 0 ? <CountTable label="Sendable by route" head="Route" rows={entries(counts.sendableByRoute).map(([route, n]) => [`${routeWords(route)} (${route})`, n])} /> : null}
        {entries(counts.notSendable).length > 0 ? <CountTable
            label="Not sendable, by reason"
            head="Not sendable because"
            rows={entries(counts.notSendable).map(([reason, n]) => [`${refusalSentence({ reason, detail: reason })} (${reason})`, n])}
          /> : null}
      </div>
      {counts.errors > 0 ? (
        <>
          <h3>Errors by line</h3>
          {counts.errors > errors.length ? <p className="muted">
              The first {errors.length} of {count(counts.errors)}; <code>GET /admin/imports/{job.importId}/errors</code> lists every one.
            </p> : null}
          <DataTable rows={errors} columns={errorColumns} label="Errors by line" />
        </>
      ) : null}
    </section>
  );
};
