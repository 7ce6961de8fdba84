import { useMemo } from 'react';
import type { Schemas } from '../../api/client';
import { Chart } from '../../components/chart';
import { count, money, percent } from '../../components/format';
import { funnelApart, funnelSteps } from './funnel-steps';

type Report = Schemas['FunnelReport'];

const perCurrency = (amounts: Record<string, number | null> | null | undefined) => {
  const entries = Object.entries(amounts ?? {});
  return entries.length === 0 ? '–' : entries.map(([currency, amount]) => money(amount, currency)).join(' + ');
};

/**
 * A funnel (audience → sent → delivered → read → clicked → replied → converted) as bars with its
 * numbers in a table, what left it apart (Meta's limits, failures, opt-outs), and its cost.
 */
export const FunnelView = ({ audience, report, title }: { audience: number; report: Report; title: string }) => {
  const steps = useMemo(() => funnelSteps({ audience, report }), [audience, report]);
  const x = useMemo(() => steps.map((s) => s.label), [steps]);
  const series = useMemo(() => [{ label: 'People', values: steps.map((s) => s.count), color: '#1f5fbf' }], [steps]);
  const apart = funnelApart({ audience, report });
  const cost = report.money;
  return (
    <section aria-label={title} className="funnel">
      <div className="funnel-grid">
        <Chart title={title} x={x} series={series} kind="bars" height={260} />
        <div className="table-wrap">
          <table aria-label="Funnel">
            <thead>
              <tr>
                <th>Step</th>
                <th>People</th>
                <th>Of the step before</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((s) => (
                <tr key={s.label}>
                  <th scope="row">{s.label}</th>
                  <td>{count(s.count)}</td>
                  <td>{percent(s.ofPrevious)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <h3>Left the funnel</h3>
      {apart.length === 0 ? (
        <p className="empty">No limits, failures or opt-outs.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Limited and failed">
            <thead>
              <tr>
                <th>What</th>
                <th>Meta’s reason</th>
                <th>Messages</th>
              </tr>
            </thead>
            <tbody>
              {apart.map((row) => (
                <tr key={`${row.kind}-${row.code ?? ''}`}>
                  <td>{row.kind}</td>
                  <td>
                    {row.reason}
                    {row.code !== null ? <code className="muted"> {row.code}</code> : null}
                  </td>
                  <td>{count(row.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Cost</h3>
      <div className="cards">
        <div className="card">
          <div className="muted">Estimated</div>
          <div className="figure">{cost.estimated ? perCurrency(cost.estimated) : '–'}</div>
        </div>
        <div className="card">
          <div className="muted">Billed ({count(cost.billed.messages)} messages)</div>
          <div className="figure">{perCurrency(cost.billed.cost.totalsByCurrency)}</div>
          {cost.billed.cost.unpriced > 0 ? <div className="muted">{count(cost.billed.cost.unpriced)} unpriced</div> : null}
        </div>
        <div className="card">
          <div className="muted">Per delivered</div>
          <div className="figure">{perCurrency(cost.costPerDelivered)}</div>
        </div>
        <div className="card">
          <div className="muted">Per click</div>
          <div className="figure">{perCurrency(cost.costPerClick)}</div>
        </div>
        <div className="card">
          <div className="muted">Per conversion</div>
          <div className="figure">{perCurrency(cost.costPerConversion)}</div>
        </div>
        <div className="card">
          <div className="muted">Revenue</div>
          <div className="figure">{perCurrency(cost.revenue)}</div>
        </div>
      </div>
      {report.caveats.length > 0 ? (
        <ul className="muted small">
          {report.caveats.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};
