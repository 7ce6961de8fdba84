import { useMemo } from 'react';
import type { Schemas } from '../../api/client';
import { Chart, type ChartSeries } from '../../components/chart';
import { count, money, percent } from '../../components/format';

type Report = Schemas['FunnelReport'];

const perCurrency = (amounts: Record<string, number | null> | null | undefined): string => {
  const entries = Object.entries(amounts ?? {});
  return entries.length === 0 ? '–' : entries.map(([currency, amount]) => money(amount, currency)).join(' + ');
};

/** Meta's errors by code, failures and limits apart (a limit is not the message's fault), most frequent first. */
const errorRows = (report: Report) =>
  [...report.failed.byCode.map((e) => ({ ...e, kind: 'failed' })), ...report.limited.byCode.map((e) => ({ ...e, kind: 'limited by Meta' }))].sort((a, b) => b.count - a.count || a.code - b.code);

/** What went wrong (errors by code) and what it cost (billed spend by currency, its lines), for one report. */
export const ErrorsAndSpend = ({ report, name }: { report: Report; name: string }) => {
  const errors = useMemo(() => errorRows(report), [report]);
  const x = useMemo(() => errors.map((e) => String(e.code)), [errors]);
  const series = useMemo<ChartSeries[]>(() => [{ label: 'Messages', values: errors.map((e) => e.count), color: '#b3261e' }], [errors]);
  const cost = report.money.billed.cost;
  return (
    <section aria-label={name}>
      <ul className="cards" aria-label={`${name}: figures`}>
        <li className="card">
          <div className="muted">Sent</div>
          <div className="figure">{count(report.sent)}</div>
          <div className="muted">delivered {percent(report.rates.deliveryRate)}</div>
        </li>
        <li className="card">
          <div className="muted">Failed</div>
          <div className="figure">{count(report.failed.total)}</div>
        </li>
        <li className="card">
          <div className="muted">Limited by Meta</div>
          <div className="figure">{count(report.limited.total)}</div>
        </li>
        <li className="card">
          <div className="muted">Billed spend</div>
          <div className="figure">{perCurrency(cost.totalsByCurrency)}</div>
          <div className="muted">
            {count(report.money.billed.messages)} billable{cost.unpriced > 0 ? `, ${count(cost.unpriced)} without a known price` : ''}
          </div>
        </li>
      </ul>
      <h3>Errors by code</h3>
      {errors.length === 0 ? (
        <p className="empty">No message failed or was limited.</p>
      ) : (
        <div className="cols">
          <Chart title={`${name}: errors by code`} x={x} series={series} kind="bars" height={200} />
          <div className="table-wrap">
            <table aria-label={`${name}: errors by code`}>
              <thead>
                <tr>
                  <th>Code</th>
                  <th>Meta’s title</th>
                  <th>Kind</th>
                  <th>Messages</th>
                </tr>
              </thead>
              <tbody>
                {errors.map((e) => (
                  <tr key={`${e.kind}-${e.code}`}>
                    <th scope="row">{e.code}</th>
                    <td>{e.title ?? '–'}</td>
                    <td>{e.kind}</td>
                    <td>{count(e.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <h3>Spend</h3>
      <dl className="facts">
        <dt>Estimated before sending</dt>
        <dd>{report.money.estimated === null ? 'not kept for these sends' : perCurrency(report.money.estimated)}</dd>
        <dt>Billed</dt>
        <dd>{perCurrency(cost.totalsByCurrency)}</dd>
        <dt>Per delivered message</dt>
        <dd>{perCurrency(report.money.costPerDelivered)}</dd>
        <dt>Revenue</dt>
        <dd>{perCurrency(report.money.revenue)}</dd>
      </dl>
      {cost.lines.length === 0 ? (
        <p className="empty">Nothing billed.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={`${name}: spend`}>
            <thead>
              <tr>
                <th>Channel</th>
                <th>Category</th>
                <th>Market</th>
                <th>Messages</th>
                <th>Price each</th>
                <th>Amount</th>
              </tr>
            </thead>
            <tbody>
              {cost.lines.map((line) => (
                <tr key={`${line.channel}-${line.category}-${line.market}-${line.rowId ?? ''}`}>
                  <td>{line.channel}</td>
                  <td>{line.category}</td>
                  <td>{line.market}</td>
                  <td>{count(line.count)}</td>
                  <td>{line.currency === null ? '–' : money(line.pricePerMessage, line.currency)}</td>
                  <td>{line.currency === null ? 'no known price' : money(line.amount, line.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        {cost.disclaimer} Prices as of {cost.asOf}.
      </p>
      {report.caveats.length > 0 ? (
        <ul className="muted">
          {report.caveats.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};
