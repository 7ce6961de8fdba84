import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'wouter';
import { type Answer, api } from '../../api/client';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { count, dateTime } from '../../components/format';
import { type Contact, contactHref, isChannel } from './contact-ref';
import { accountOf, type ContactSearch, searchFilters } from './search-query';
import { MoreButton } from './more-button';
import { usePages } from './use-pages';

type Found = Answer<'searchContacts'>['contacts'][number];

/** A contact read by its id, as a search row. */
const asFound = (c: Contact): Found => ({
  channel: c.channel,
  accountId: c.accountId,
  userId: c.userId,
  tags: c.profile.tags,
  attributes: c.profile.attributes,
  timeZone: c.profile.timeZone ?? null,
  window: { open: c.window.open, lastInboundAt: c.window.lastInboundAt },
  marketingOptOut: c.marketingOptOut,
  optIns: c.optIns.map((o) => ({ topic: o.topic, status: o.status === 'stopped' ? 'stopped' : 'active' })),
});

const columns: ColumnDef<Found, unknown>[] = [
  { header: 'Contact', accessorKey: 'userId', cell: ({ row }) => <Link href={contactHref(row.original)}>{row.original.userId}</Link> },
  { header: 'Window', id: 'window', accessorFn: (c) => (c.window.open ? 'open' : 'closed') },
  { header: 'Last wrote', id: 'lastInboundAt', accessorFn: (c) => c.window.lastInboundAt ?? '', cell: ({ row }) => dateTime(row.original.window.lastInboundAt) },
  { header: 'Tags', id: 'tags', accessorFn: (c) => c.tags.join(', ') || '–' },
  { header: 'Attributes', id: 'attributes', accessorFn: (c) => Object.entries(c.attributes).map(([k, v]) => `${k}=${v}`).join(', ') || '–' },
  { header: 'Opt-ins', id: 'optIns', accessorFn: (c) => c.optIns.map((o) => `${o.topic ?? 'opt-in'} (${o.status})`).join(', ') || '–' },
  { header: 'Marketing', id: 'marketing', accessorFn: (c) => (c.marketingOptOut ? 'opted out' : '–') },
];

/** The search's answer: every page read so far in one table, and "More" while the index has more to read. */
export const SearchResults = ({ search }: { search: ContactSearch }) => {
  const account = accountOf(search);
  const pages = usePages<Found>(
    async (cursor) => {
      if (!account || !isChannel(account.channel)) return { error: { message: 'choose an account' } };
      const path = { channel: account.channel, accountId: account.accountId };
      if (search.id.trim()) {
        const { data, error, response } = await api.GET('/admin/contacts/{channel}/{accountId}/{userId}', { params: { path: { ...path, userId: search.id.trim() } } });
        if (response.status === 404) return { page: { rows: [] } };
        return { page: data && { rows: [asFound(data)] }, error, status: response.status };
      }
      const { data, error, response } = await api.GET('/admin/contacts/{channel}/{accountId}', { params: { path, query: { ...searchFilters(search), limit: 50, ...(cursor ? { cursor } : {}) } } });
      return { page: data && { rows: data.contacts, cursor: data.cursor, scanned: data.scanned }, error, status: response.status };
    },
    [JSON.stringify(search)],
  );
  if (!account) return <p className="empty">Choose an account to search its contacts.</p>;
  const none = search.id.trim() ? `No contact with the id ${search.id.trim()} on this account.` : pages.cursor ? `None matched among the ${count(pages.scanned)} contacts read so far: read more to go on.` : 'No contact matches.';
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Contacts found</h2>
      <DataState loaded={pages.loaded} what="contacts" isEmpty={(rows) => rows.length === 0} empty={none}>
        {(rows) => (
          <>
            <p className="muted" role="status">
              {count(rows.length)} found{pages.scanned > 0 ? ` among ${count(pages.scanned)} read` : ''}
              {pages.cursor ? '; more to read' : ''}.
            </p>
            <DataTable rows={rows} columns={columns} label="Contacts found" />
          </>
        )}
      </DataState>
      <MoreButton pages={pages} />
    </section>
  );
};
