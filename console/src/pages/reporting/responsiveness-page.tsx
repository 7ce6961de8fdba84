import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { api, type Schemas } from '../../api/client';
import { useApi } from '../../api/use-api';
import { type Account, ForAccount } from '../../components/account-picker';
import { Chart, type ChartSeries } from '../../components/chart';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { count, duration, percent } from '../../components/format';
import { Page } from '../../components/page';
import { BadgeVerdict } from './badge-verdict';
import { ReportTabs } from './report-tabs';
import { BUCKETS, type ResponsivenessRow, responsivenessDays, VERY_RESPONSIVE } from './responsiveness-days';

const THRESHOLD_COLOR = '#c2185b';
const RATE_THRESHOLD = [{ value: VERY_RESPONSIVE.ratePercent, label: `Very responsive: ${VERY_RESPONSIVE.ratePercent} %`, color: THRESHOLD_COLOR }];
const TIME_THRESHOLD = [{ value: VERY_RESPONSIVE.minutes, label: `Very responsive: ${VERY_RESPONSIVE.minutes} min`, color: THRESHOLD_COLOR }];

const seconds = (s: number | null) => (s === null ? '–' : duration(s * 1000));
const minutes = (m: number | null) => (m === null ? '–' : duration(m * 60_000));

const columns: ColumnDef<ResponsivenessRow, unknown>[] = [
  { header: 'Day', accessorKey: 'day' },
  { header: 'Conversations', accessorKey: 'conversations' },
  { header: 'Answered', accessorKey: 'answered' },
  { header: 'Waiting', accessorKey: 'waiting' },
  { header: 'Response rate', accessorKey: 'ratePercent', cell: (c) => percent(c.row.original.ratePercent === null ? null : c.row.original.ratePercent / 100) },
  { header: 'Median first response', accessorKey: 'medianMinutes', cell: (c) => minutes(c.row.original.medianMinutes) },
  { header: 'Mean first response', accessorKey: 'meanMinutes', cell: (c) => minutes(c.row.original.meanMinutes) },
];

const Figures = ({ r }: { r: Schemas['Responsiveness'] }) => {
  const cards = [
    { label: 'Conversations', value: count(r.conversations), note: 'turns a person opened' },
    { label: 'Response rate', value: percent(r.responseRate), note: `${count(r.answered)} answered by a person, ${count(r.waiting)} waiting` },
    { label: 'Median first response', value: seconds(r.medianSeconds), note: `mean ${seconds(r.meanSeconds)}` },
    { label: `Within ${duration(r.withinSla.seconds * 1000)}`, value: percent(r.withinSla.share), note: `${count(r.withinSla.answered)} turns` },
  ];
  return (
    <ul className="cards" aria-label="Responsiveness figures">
      {cards.map((c) => (
        <li key={c.label} className="card">
          <div className="muted">{c.label}</div>
          <div className="figure">{c.value}</div>
          <div className="muted">{c.note}</div>
        </li>
      ))}
    </ul>
  );
};

const Report = ({ r }: { r: Schemas['Responsiveness'] }) => {
  const rows = useMemo(() => responsivenessDays(r), [r]);
  const x = useMemo(() => rows.map((row) => row.day), [rows]);
  const rate = useMemo<ChartSeries[]>(() => [{ label: 'Response rate (%)', values: rows.map((row) => row.ratePercent), color: '#1f5fbf' }], [rows]);
  const time = useMemo<ChartSeries[]>(
    () => [
      { label: 'Median (min)', values: rows.map((row) => row.medianMinutes), color: '#1f5fbf' },
      { label: 'Mean (min)', values: rows.map((row) => row.meanMinutes), color: '#1e7a3c' },
    ],
    [rows],
  );
  const bucketNames = useMemo(() => BUCKETS.map((b) => b.label), []);
  const buckets = useMemo<ChartSeries[]>(() => [{ label: 'Answered turns', values: BUCKETS.map((b) => r.buckets[b.key]), color: '#1f5fbf' }], [r]);
  return (
    <>
      <p className="muted">
        {r.from} to {r.to}, local days in {r.timeZone}. Only replies by a person count (an agent’s send, the Page inbox, the WhatsApp Business app); automation’s never do.
      </p>
      <BadgeVerdict verdict={r.veryResponsive} />
      <Figures r={r} />
      <h2>Response rate per day</h2>
      <Chart title="Response rate per day" x={x} series={rate} thresholds={RATE_THRESHOLD} />
      <p className="muted">Dashed line: {RATE_THRESHOLD[0]?.label}, the badge’s lowest rate.</p>
      <h2>First-response time per day</h2>
      <Chart title="First-response time per day" x={x} series={time} thresholds={TIME_THRESHOLD} />
      <p className="muted">Dashed line: {TIME_THRESHOLD[0]?.label}, the badge’s longest response time.</p>
      <DataTable rows={rows} columns={columns} label="Responsiveness per day" />
      <h2>How fast</h2>
      <div className="cols">
        <Chart title="Answered turns by first-response time" x={bucketNames} series={buckets} kind="bars" />
        <div className="table-wrap">
          <table aria-label="First-response time buckets">
            <thead>
              <tr>
                <th>First response</th>
                <th>Turns</th>
              </tr>
            </thead>
            <tbody>
              {BUCKETS.map((b) => (
                <tr key={b.key}>
                  <th scope="row">{b.label}</th>
                  <td>{count(r.buckets[b.key])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
};

const Responsiveness = ({ account }: { account: Account }) => {
  // Empty until chosen: the API's default is the week up to today in the account's zone, by the stack's clock.
  const [query, setQuery] = useState<{ from?: string; to?: string; slaSeconds?: number }>({});
  const [draft, setDraft] = useState<{ from: string; to: string; slaMinutes: string } | undefined>();
  const loaded = useApi(
    () => api.GET('/admin/accounts/{channel}/{accountId}/responsiveness', { params: { path: { channel: account.channel, accountId: account.accountId }, query } }),
    [account.channel, account.accountId, query.from, query.to, query.slaSeconds],
  );
  const shown =
    draft ?? (loaded.state === 'ready' ? { from: loaded.data.from, to: loaded.data.to, slaMinutes: String(loaded.data.withinSla.seconds / 60) } : { from: '', to: '', slaMinutes: '15' });
  return (
    <>
      <form
        className="inline"
        aria-label="Date range"
        onSubmit={(e) => {
          e.preventDefault();
          const sla = Number(shown.slaMinutes);
          setQuery({ from: shown.from || undefined, to: shown.to || undefined, slaSeconds: Number.isFinite(sla) && sla > 0 ? Math.round(sla * 60) : undefined });
        }}
      >
        <label htmlFor="responsiveness-from">
          From
          <input id="responsiveness-from" type="date" value={shown.from} onChange={(e) => setDraft({ ...shown, from: e.target.value })} />
        </label>
        <label htmlFor="responsiveness-to">
          To
          <input id="responsiveness-to" type="date" value={shown.to} onChange={(e) => setDraft({ ...shown, to: e.target.value })} />
        </label>
        <label htmlFor="responsiveness-sla">
          Target (minutes)
          <input id="responsiveness-sla" type="number" min="1" step="1" value={shown.slaMinutes} onChange={(e) => setDraft({ ...shown, slaMinutes: e.target.value })} />
        </label>
        <button type="submit">Show</button>
      </form>
      <DataState loaded={loaded} what="responsiveness" isEmpty={(r) => r.conversations === 0} empty="No conversations in these days: a person’s message opens one, and a reply by a person answers it.">
        {(r) => <Report r={r} />}
      </DataState>
    </>
  );
};

/** Responsiveness per account: rate and first-response time per day against Messenger's "very responsive" badge. */
export const ResponsivenessPage = () => {
  return (
    <Page title="Reports">
      <ReportTabs />
      <h2>Responsiveness</h2>
      <ForAccount empty="Choose an account to see how fast people get an answer.">{(account, key) => <Responsiveness key={key} account={account} />}</ForAccount>
    </Page>
  );
};
