import type { Schemas } from '../../api/client';
import { count, dateTime, money } from '../../components/format';
import { reasonText } from './reason-text';

type Preview = Schemas['CampaignPreview'];

const byCount = (counts: Record<string, number>) => Object.entries(counts).sort(([, a], [, b]) => b - a);

/** Who the campaign would reach at its next firing, who it would skip and why, and what it would cost. */
export const PreviewPanel = ({ preview }: { preview: Preview }) => (
  <section aria-labelledby="preview-title" className="preview">
    <h2 id="preview-title">Preview</h2>
    <div className={`banner ${preview.overCostCap ? 'error' : 'ok'}`} role="status">
      <strong>
        {count(preview.eligible)} of {count(preview.audience)} would be sent
      </strong>
      {preview.firstSendAt ? ` at the next firing, ${dateTime(preview.firstSendAt)}` : ' at each contact’s own time'}
      {preview.complete ? '' : ' · the preview ran out of time: the figures cover the contacts it read'}
      {preview.overCostCap ? ' · the estimate is over the cost cap (or not all in EUR): schedule would refuse it' : ''}
    </div>
    <div className="cards">
      <div className="card">
        <div className="muted">Estimated cost</div>
        <div className="figure">{Object.keys(preview.estimate.totalsByCurrency).length === 0 ? money(0, 'EUR') : byCount(preview.estimate.totalsByCurrency).map(([currency, amount]) => money(amount, currency)).join(' + ')}</div>
        {preview.estimate.unpriced > 0 ? <div className="muted">{count(preview.estimate.unpriced)} unpriced</div> : null}
      </div>
      {byCount(preview.eligibleByRoute).map(([route, n]) => (
        <div className="card" key={route}>
          <div className="muted">Eligible by {route.replace(/_/g, ' ')}</div>
          <div className="figure">{count(n)}</div>
        </div>
      ))}
    </div>
    <h3>Skipped</h3>
    {Object.keys(preview.skipped).length === 0 ? (
      <p className="empty">Nobody would be skipped.</p>
    ) : (
      <div className="table-wrap">
        <table aria-label="Skipped by reason">
          <thead>
            <tr>
              <th>Reason</th>
              <th>People</th>
            </tr>
          </thead>
          <tbody>
            {byCount(preview.skipped).map(([reason, n]) => (
              <tr key={reason}>
                <td>
                  {reasonText(reason)} <code className="muted">{reason}</code>
                </td>
                <td>{count(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    <p className="muted small">
      Prices as of {preview.estimate.asOf}. {preview.estimate.disclaimer}
    </p>
  </section>
);
