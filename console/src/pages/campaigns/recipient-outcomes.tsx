import { useState } from 'react';
import type { Answer, Schemas } from '../../api/client';
import { count } from '../../components/format';
import { reasonText } from './reason-text';

type Shown = Answer<'showOccurrence'>['funnel'];

interface Row {
  status: string;
  reason: string;
  count: number;
}

/**
 * Where the occurrence's recipients stand, counted by status and reason: the planner's skips (people
 * who never got a send, so the recipient table below can't list them), the sender's, each send's
 * current status, and Meta's failures by code from the report.
 */
const rowsOf = (skipped: Record<string, number>, funnel: Shown, report: Schemas['FunnelReport'] | undefined): Row[] => [
  ...Object.entries(skipped).map(([reason, n]) => ({ status: 'Skipped when planned', reason: reasonText(reason), count: n })),
  ...Object.entries(funnel.skippedAtSend).map(([reason, n]) => ({ status: 'Skipped when sent', reason: reasonText(reason), count: n })),
  { status: 'Waiting to send', reason: 'On the send queue', count: funnel.pending },
  // The funnel's counts are cumulative (a read message was delivered and sent): each row here is where a send stands now.
  { status: 'Sent', reason: 'Meta accepted it; no delivery reported (yet: Instagram reports none)', count: funnel.sent - funnel.delivered },
  { status: 'Delivered', reason: 'Not read yet', count: funnel.delivered - funnel.read },
  { status: 'Read', reason: 'Delivered and read', count: funnel.read },
  ...(report
    ? [
        ...report.limited.byCode.map((c) => ({ status: 'Limited by Meta', reason: c.title ?? `Meta error ${c.code}`, count: c.count })),
        ...report.failed.byCode.map((c) => ({ status: 'Failed', reason: `${c.title ?? 'Meta error'} (${c.code})`, count: c.count })),
      ]
    : [{ status: 'Failed', reason: 'Meta refused or failed it', count: funnel.failed }]),
  { status: 'Unknown', reason: 'Its record expired or could not be read', count: funnel.unknown },
].filter((row) => row.count > 0);

export const RecipientOutcomes = ({ skipped, funnel, report }: { skipped: Record<string, number>; funnel: Shown; report?: Schemas['FunnelReport'] }) => {
  const [status, setStatus] = useState('');
  const rows = rowsOf(skipped, funnel, report);
  const statuses = [...new Set(rows.map((r) => r.status))];
  const shown = rows.filter((r) => status === '' || r.status === status);
  return (
    <section aria-labelledby="recipients-title">
      <h2 id="recipients-title">Recipients by status</h2>
      <label className="inline">
        Status
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Every status</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {shown.length === 0 ? (
        <p className="empty">No recipients yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Recipients by status">
            <thead>
              <tr>
                <th>Status</th>
                <th>Reason</th>
                <th>Recipients</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={`${r.status}-${r.reason}`}>
                  <td>{r.status}</td>
                  <td>{r.reason}</td>
                  <td>{count(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};
