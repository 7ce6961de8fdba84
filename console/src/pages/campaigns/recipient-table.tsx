import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { count, dateTime } from '../../components/format';
import { contactHref } from '../contacts/contact-ref';
import { MoreButton } from '../contacts/more-button';
import { usePages } from '../contacts/use-pages';
import { reachedText, type Recipient, RECIPIENT_STATES, recipientReason, type RecipientState, standing } from './recipient-words';

const PAGE = 50;

const columns: ColumnDef<Recipient, unknown>[] = [
  { header: 'Contact', accessorKey: 'userId', cell: ({ row }) => <Link href={contactHref(row.original)}>{row.original.userId}</Link> },
  { header: 'Channel', id: 'channel', accessorFn: (r) => `${r.channel} ${r.accountId}` },
  { header: 'Where they stand', id: 'standing', accessorFn: standing },
  { header: 'Reason', id: 'reason', accessorFn: (r) => recipientReason(r) || '–' },
  { header: 'Reached', id: 'reached', accessorFn: reachedText },
  { header: 'Sent', id: 'sentAt', accessorFn: (r) => r.sentAt ?? '', cell: ({ row }) => dateTime(row.original.sentAt) },
  { header: 'Meta’s last report', id: 'statusAt', accessorFn: (r) => r.statusAt ?? '', cell: ({ row }) => dateTime(row.original.statusAt) },
];

/**
 * The occurrence's recipients one by one, filtered by funnel state, "More" while the listing has
 * more to read; each person links to their contact page. `version` changes when the occurrence's
 * counts moved: the first page is read again behind the rows shown, or, once "More" read further
 * pages, a "Refresh" button offers it (reading again would drop those pages).
 */
export const RecipientTable = ({ campaignId, occurrenceKey, version }: { campaignId: string; occurrenceKey: string; version: string }) => {
  const [state, setState] = useState<RecipientState | ''>('');
  const pages = usePages<Recipient>(
    async (cursor) => {
      const query = { limit: PAGE, ...(state === '' ? {} : { state }), ...(cursor ? { cursor } : {}) };
      const { data, error, response } = await api.GET('/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients', { params: { path: { campaignId, occurrenceKey }, query } });
      return { page: data && { rows: data.recipients, cursor: data.cursor }, error, status: response.status };
    },
    [campaignId, occurrenceKey, state],
    version,
  );
  return (
    <section aria-labelledby="recipient-list-title">
      <h2 id="recipient-list-title">Recipients</h2>
      <label className="inline">
        Show recipients
        <select value={state} onChange={(e) => setState(e.target.value as RecipientState | '')}>
          <option value="">Everyone sent to</option>
          {RECIPIENT_STATES.map((s) => (
            <option key={s.state} value={s.state}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <DataState
        loaded={pages.loaded}
        what="the recipients"
        isEmpty={(rows) => rows.length === 0 && pages.cursor === undefined}
        empty={state === '' ? 'No messages for this occurrence yet.' : 'No recipients in this state.'}
      >
        {(rows) => (
          <>
            <p className="muted" role="status">
              {count(rows.length)} listed{pages.cursor ? '; more to read' : ''}.
            </p>
            {pages.stale ? (
              <p className="muted">
                The counts moved since this list was read.{' '}
                <button type="button" className="secondary" onClick={pages.refresh}>
                  Refresh
                </button>
              </p>
            ) : null}
            {pages.refreshError ? <p className="error" role="alert">Could not refresh the recipients: {pages.refreshError}</p> : null}
            <DataTable rows={rows} columns={columns} label="Recipients" empty="None on the pages read so far." />
          </>
        )}
      </DataState>
      <MoreButton pages={pages} />
    </section>
  );
};
