import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { AccountPicker } from '../../components/account-picker';
import { count } from '../../components/format';
import { Page } from '../../components/page';
import { ColumnMapping } from './column-mapping';
import { type CsvDelimiter, type CsvFile, csvChunks } from './csv-chunks';
import { ImportReport, type LineError } from './import-report';
import { PastImports } from './past-imports';
import { firstErrors, type ImportJob, ImportRefused, type ImportSettings, type ImportStep, runImport } from './run-import';

type Picked = { name: string; text: string } | undefined;

type Run =
  | { state: 'idle' }
  | { state: 'running'; dryRun: boolean; step: ImportStep }
  | { state: 'failed'; dryRun: boolean; message: string; problems: string[] }
  | { state: 'done'; job: ImportJob; errors: LineError[]; overrides: Record<string, string> };

const DELIMITERS: { value: CsvDelimiter; label: string }[] = [
  { value: ',', label: 'Comma (,)' },
  { value: ';', label: 'Semicolon (;)' },
  { value: '\t', label: 'Tab' },
];

const PURPOSES: { value: ImportSettings['purpose']; label: string }[] = [
  { value: 'add_and_update', label: 'Add new contacts and update existing ones' },
  { value: 'add_new', label: 'Only add new contacts' },
  { value: 'update_existing', label: 'Only update existing contacts' },
];

const stepText = (step: ImportStep): string => {
  if (step.step === 'creating') return 'Creating the import…';
  if (step.step === 'uploading') return `Uploading part ${step.sent + 1} of ${step.chunks}…`;
  const { rows, status } = step.job;
  return status === 'completed' ? 'Done.' : `Reading rows: ${count(rows.processed)} of ${count(rows.total)} (${status})…`;
};

const Progress = ({ step, dryRun }: { step: ImportStep; dryRun: boolean }) => {
  const rows = step.step === 'processing' ? step.job.rows : undefined;
  return (
    <div className="banner" role="status" aria-live="polite">
      <progress aria-label={dryRun ? 'Dry run progress' : 'Import progress'} max={rows?.total ?? 1} value={rows ? rows.processed : undefined} />
      <span> {stepText(step)}</span>
    </div>
  );
};

/**
 * A CSV import: pick the file, check the column mapping, a dry run first (the errors by line and
 * who would be sendable), then the real run with its progress and summary; the past imports below.
 */
export const ImportPage = () => {
  const [picked, setPicked] = useState<Picked>();
  const [delimiter, setDelimiter] = useState<CsvDelimiter>(',');
  const [purpose, setPurpose] = useState<ImportSettings['purpose']>('add_and_update');
  const [accountKey, setAccountKey] = useState('');
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const [dryRunOf, setDryRunOf] = useState<string | undefined>();
  const [listVersion, setListVersion] = useState(0);
  const left = useRef(false);
  useEffect(
    () => () => {
      left.current = true;
    },
    [],
  );

  const file: CsvFile | undefined = useMemo(() => (picked ? csvChunks(picked.text, delimiter) : undefined), [picked, delimiter]);
  const [channel, accountId] = accountKey ? accountKey.split('/') : [];
  const settings: ImportSettings = {
    delimiter,
    purpose,
    mapping: overrides,
    defaults: channel && accountId ? { channel: channel as 'messenger' | 'instagram' | 'whatsapp', accountId } : {},
  };
  // A real run only after a dry run of exactly this file and these settings.
  const fingerprint = picked ? JSON.stringify([picked.name, picked.text.length, settings]) : undefined;
  const checked = fingerprint !== undefined && dryRunOf === fingerprint && run.state === 'done' && run.job.dryRun;
  const busy = run.state === 'running';

  const start = async (dryRun: boolean) => {
    if (!picked || !file?.ok) return;
    setRun({ state: 'running', dryRun, step: { step: 'creating' } });
    try {
      const job = await runImport({ name: picked.name, header: file.header, chunks: file.chunks }, { ...settings, dryRun }, (step) => setRun({ state: 'running', dryRun, step }), () => left.current);
      if (!job) return;
      const errors = job.counts.errors > 0 ? await firstErrors(job.importId) : [];
      setRun({ state: 'done', job, errors, overrides });
      setDryRunOf(dryRun ? fingerprint : undefined);
    } catch (error) {
      setRun({ state: 'failed', dryRun, message: error instanceof Error ? error.message : String(error), problems: error instanceof ImportRefused ? error.problems : [] });
    } finally {
      setListVersion((n) => n + 1);
    }
  };

  // What "by name" became in the last dry run, for the columns it didn't override.
  const resolved =
    run.state === 'done' && run.job.dryRun ? Object.fromEntries(Object.entries(run.job.mapping).filter(([cell]) => run.overrides[cell] === undefined)) : undefined;

  return (
    <Page title="Import contacts" actions={<Link href="/subscribers">Audience growth</Link>}>
      <form aria-label="CSV import" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="import-file">
          CSV file
          <input
            id="import-file"
            type="file"
            accept=".csv,.tsv,.txt,text/csv"
            disabled={busy}
            onChange={(e) => {
              const chosen = e.target.files?.[0];
              setRun({ state: 'idle' });
              setOverrides({});
              if (!chosen) return setPicked(undefined);
              void chosen.text().then((text) => setPicked({ name: chosen.name, text }));
            }}
          />
        </label>
        <label htmlFor="import-delimiter">
          Cells separated by
          <select id="import-delimiter" value={delimiter} disabled={busy} onChange={(e) => {
              // Another delimiter reads other header cells: the columns' choices start again.
              setDelimiter(e.target.value as CsvDelimiter);
              setOverrides({});
              setRun({ state: 'idle' });
            }}>
            {DELIMITERS.map((d) => (
              <option key={d.label} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="import-purpose">
          What the rows may do
          <select id="import-purpose" value={purpose} disabled={busy} onChange={(e) => setPurpose(e.target.value as ImportSettings['purpose'])}>
            {PURPOSES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <AccountPicker id="import-account" label="Account for rows without channel and account columns (optional)" value={accountKey} onChange={(key) => setAccountKey(key)} />
        {file && !file.ok ? (
          <p className="error" role="alert">
            {file.problem}
          </p>
        ) : null}
        {file?.ok ? (
          <>
            <p className="muted">
              {picked?.name}: {count(file.rows)} rows in {file.chunks.length} part{file.chunks.length === 1 ? '' : 's'}.
            </p>
            <h2>Columns</h2>
            <ColumnMapping header={file.header} overrides={overrides} resolved={resolved} onChange={setOverrides} />
            <div className="actions">
              <button type="button" className={checked ? 'secondary' : undefined} disabled={busy} onClick={() => void start(true)}>
                Dry run
              </button>
              <button type="button" className={checked ? undefined : 'secondary'} disabled={busy || !checked} onClick={() => void start(false)}>
                Import
              </button>
            </div>
            {!checked && !busy ? <p className="muted">A dry run first: it checks every row and writes nothing. Import is enabled after it.</p> : null}
          </>
        ) : null}
      </form>
      {run.state === 'running' ? <Progress step={run.step} dryRun={run.dryRun} /> : null}
      {run.state === 'failed' ? (
        <div className="banner refused" role="alert">
          <p>{run.message}</p>
          {run.problems.length > 0 ? (
            <ul>
              {run.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {run.state === 'done' ? (
        <>
          <h2>{run.job.dryRun ? 'Dry run' : 'Summary'}</h2>
          {run.job.dryRun ? null : <progress aria-label="Import progress" max={run.job.rows.total ?? 1} value={run.job.rows.processed} />}
          <ImportReport job={run.job} errors={run.errors} />
        </>
      ) : null}
      <h2>Past imports</h2>
      <PastImports version={listVersion} />
    </Page>
  );
};
