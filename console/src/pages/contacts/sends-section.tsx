import type { ColumnDef } from '@tanstack/react-table';
import { type Answer, api } from '../../api/client';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { dateTime } from '../../components/format';
import type { ContactRef } from './contact-ref';
import { usePages } from './use-pages';

type Send = Answer<'listContactSends'>['sends'][number];

/** The status a person would care about, with Meta's failure or the policy's refusal beside it. */
const statusOf = (s: Send): string => {
  const failure = s.delivery?.failure;
  if (failure && s.status === 'failed') return `failed: ${failure.errorTitle ?? `error ${failure.errorCode ?? '?'}`}`;
  if (s.detail) return `${s.status}: ${s.detail}`;
  return s.status;
};

const columns: ColumnDef<Send, unknown>[] = [
  { header: 'Created', id: 'createdAt', accessorFn: (s) => s.createdAt ?? '', cell: ({ row }) => dateTime(row.original.createdAt) },
  { header: 'Kind', id: 'kind', accessorFn: (s) => `${s.intent.kind} (${s.intent.content})` },
  { header: 'By', id: 'author', accessorFn: (s) => s.intent.author },
  { header: 'Status', id: 'status', accessorFn: statusOf },
  { header: 'Route', id: 'route', accessorFn: (s) => [s.route, s.pricing].filter(Boolean).join(' · ') || '–' },
  { header: 'Updated', id: 'updatedAt', accessorFn: (s) => s.delivery?.at ?? s.updatedAt ?? '', cell: ({ row }) => dateTime(row.original.delivery?.at ?? row.original.updatedAt) },
];

/** The person's last sends, newest first, with what Meta reported; "More" reads older ones. */
export const SendsSection = ({ of, version }: { of: ContactRef; version: number }) => {
  const sends = usePages<Send>(
    async (cursor) => {
      const { data, error, response } = await api.GET('/admin/contacts/{channel}/{accountId}/{userId}/sends', { params: { path: of, query: { limit: 10, ...(cursor ? { cursor } : {}) } } });
      return { page: data && { rows: data.sends, cursor: data.cursor }, error, status: response.status };
    },
    [of.channel, of.accountId, of.userId, version],
  );
  return (
    <section aria-labelledby="sends-title">
      <h2 id="sends-title">Last messages</h2>
      <DataState loaded={sends.loaded} what="messages" isEmpty={(rows) => rows.length === 0} empty="afterchat has sent the person nothing yet.">
        {(rows) => <DataTable rows={rows} columns={columns} label="Last messages" />}
      </DataState>
      {sends.cursor ? (
        <button type="button" className="secondary" onClick={sends.more} disabled={sends.loadingMore}>
          {sends.loadingMore ? 'Loading…' : 'Older messages'}
        </button>
      ) : null}
      {sends.moreError ? <p className="error" role="alert">Could not load more: {sends.moreError}</p> : null}
    </section>
  );
};
