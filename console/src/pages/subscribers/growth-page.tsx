import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { api, type Schemas } from '../../api/client';
import { useApi } from '../../api/use-api';
import { type Account, ForAccount } from '../../components/account-picker';
import { Chart, type ChartSeries } from '../../components/chart';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { count } from '../../components/format';
import { Page } from '../../components/page';
import { type GrowthRow, growthDays } from './growth-days';

const columns: ColumnDef<GrowthRow, unknown>[] = [
  { header: 'Day', accessorKey: 'day' },
  { header: 'New contacts', accessorKey: 'newContacts' },
  { header: 'Opt-ins', accessorKey: 'optIns' },
  { header: 'Opt-outs', accessorKey: 'optOuts' },
  { header: 'Net', accessorKey: 'net' },
];

/** "marketing 3, offers 1": a total's parts, or nothing when there are none. */
const parts = (byKey: Record<string, number>): string =>
  Object.entries(byKey)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${key} ${count(n)}`)
    .join(', ');

const Totals = ({ growth }: { growth: Schemas['AudienceGrowth'] }) => {
  const optIns = Object.values(growth.optIns).reduce((a, b) => a + b, 0);
  const optOuts = Object.values(growth.optOuts).reduce((a, b) => a + b, 0);
  const cards = [
    { label: 'New contacts', value: growth.newContacts, note: 'first message to the account' },
    { label: 'Opt-ins', value: optIns, note: parts(growth.optIns) },
    { label: 'Opt-outs', value: optOuts, note: parts(growth.optOuts) },
    { label: 'Net', value: growth.net, note: 'opt-ins − opt-outs' },
  ];
  return (
    <ul className="cards" aria-label="Totals">
      {cards.map((c) => (
        <li key={c.label} className="card">
          <div className="muted">{c.label}</div>
          <div className="figure">{count(c.value)}</div>
          {c.note ? <div className="muted">{c.note}</div> : null}
        </li>
      ))}
    </ul>
  );
};

const Growth = ({ account }: { account: Account }) => {
  // Empty until chosen: the API's default is the week up to today in the account's zone, by the stack's clock.
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [draft, setDraft] = useState<{ from: string; to: string } | undefined>();
  const growth = useApi(
    () => api.GET('/admin/accounts/{channel}/{accountId}/growth', { params: { path: { channel: account.channel, accountId: account.accountId }, query: range } }),
    [account.channel, account.accountId, range.from, range.to],
  );
  const rows = useMemo(() => (growth.state === 'ready' ? growthDays(growth.data) : []), [growth]);
  const x = useMemo(() => rows.map((r) => r.day), [rows]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { label: 'New contacts', values: rows.map((r) => r.newContacts), color: '#1f5fbf' },
      { label: 'Opt-ins', values: rows.map((r) => r.optIns), color: '#1e7a3c' },
      { label: 'Opt-outs', values: rows.map((r) => r.optOuts), color: '#b3261e' },
      { label: 'Net', values: rows.map((r) => r.net), color: '#9a6200' },
    ],
    [rows],
  );
  const shown = draft ?? (growth.state === 'ready' ? { from: growth.data.from, to: growth.data.to } : { from: '', to: '' });
  return (
    <>
      <form
        className="inline"
        aria-label="Date range"
        onSubmit={(e) => {
          e.preventDefault();
          setRange({ from: shown.from || undefined, to: shown.to || undefined });
        }}
      >
        <label htmlFor="growth-from">
          From
          <input id="growth-from" type="date" value={shown.from} onChange={(e) => setDraft({ ...shown, from: e.target.value })} />
        </label>
        <label htmlFor="growth-to">
          To
          <input id="growth-to" type="date" value={shown.to} onChange={(e) => setDraft({ ...shown, to: e.target.value })} />
        </label>
        <button type="submit">Show</button>
      </form>
      <DataState loaded={growth} what="audience growth">
        {(g) => (
          <>
            <p className="muted">
              {g.from} to {g.to}, local days in {g.timeZone}.
            </p>
            <Totals growth={g} />
            <h2>Per day</h2>
            <Chart title="Audience growth per day" x={x} series={series} />
            <DataTable rows={rows} columns={columns} label="Audience growth per day" />
          </>
        )}
      </DataState>
    </>
  );
};

/** Audience growth per account: new contacts, opt-ins, opt-outs and net per local day. */
export const GrowthPage = () => {
  return (
    <Page title="Subscribers" actions={<Link href="/subscribers/import">Import contacts from a CSV file</Link>}>
      <ForAccount empty="Choose an account to see its audience growth.">{(account, key) => <Growth key={key} account={account} />}</ForAccount>
    </Page>
  );
};
