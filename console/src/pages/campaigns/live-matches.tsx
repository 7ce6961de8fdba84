import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import { type Answer, api, errorText, type Schemas } from '../../api/client';
import { DataTable } from '../../components/data-table';
import { count } from '../../components/format';
import { type Audience, type Channel, audienceAccounts, matchesRest, personName, searchQuery } from './audience-query';

type Found = Answer<'searchContacts'>['contacts'][number];

/** Enough to show who matches; past it the count reads "at least". */
const MAX_LISTED = 1000;
const DEBOUNCE_MS = 400;

type Matches = { state: 'idle' } | { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; contacts: Found[]; more: boolean };

const columns: ColumnDef<Found, unknown>[] = [
  { header: 'Name', id: 'name', accessorFn: (c) => personName(c.attributes) ?? '–' },
  { header: 'Id', accessorKey: 'userId' },
  { header: 'Account', id: 'account', accessorFn: (c) => `${c.channel} ${c.accountId}` },
  { header: 'Tags', id: 'tags', accessorFn: (c) => c.tags.join(', ') },
];

/** Pages through the contact search for each account the audience reads, up to MAX_LISTED people. */
const findMatches = async (accounts: { channel: Channel; accountId: string }[], audience: Audience, live: () => boolean): Promise<Matches> => {
  const contacts: Found[] = [];
  for (const account of audienceAccounts(accounts, audience)) {
    let cursor: string | undefined;
    do {
      const { data, error, response } = await api.GET('/admin/contacts/{channel}/{accountId}', {
        params: { path: account, query: { ...searchQuery(audience), limit: 100, ...(cursor ? { cursor } : {}) } },
      });
      if (!live()) return { state: 'idle' };
      if (error !== undefined || data === undefined) return { state: 'error', error: errorText(error, response.status) };
      contacts.push(...data.contacts.filter((c) => matchesRest(c, audience)));
      cursor = data.cursor;
      if (contacts.length >= MAX_LISTED) return { state: 'ready', contacts: contacts.slice(0, MAX_LISTED), more: true };
    } while (cursor);
  }
  return { state: 'ready', contacts, more: false };
};

/**
 * Who the audience holds now, on the campaign's accounts: the contact search with the same filters
 * (debounced while the filters are edited), counted and listed.
 */
export const LiveMatches = ({ accounts, audience }: { accounts: Schemas['Campaign']['accounts']; audience: Audience }) => {
  const [matches, setMatches] = useState<Matches>({ state: 'idle' });
  const key = JSON.stringify([accounts, audience]);
  useEffect(() => {
    if (accounts.length === 0) {
      setMatches({ state: 'idle' });
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      setMatches({ state: 'loading' });
      findMatches(accounts, audience, () => live).then(
        (found) => live && found.state !== 'idle' && setMatches(found),
        (error: unknown) => live && setMatches({ state: 'error', error: errorText(error) }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // The key holds both inputs' content: a new array with the same accounts is no change.
  }, [key]);
  return (
    <section aria-labelledby="matches-title" className="matches">
      <h3 id="matches-title">Who matches</h3>
      <output aria-live="polite" className="match-count">
        {matches.state === 'idle'
          ? 'Choose an account to see who matches.'
          : matches.state === 'loading'
            ? 'Counting…'
            : matches.state === 'error'
              ? `Could not count: ${matches.error}`
              : `${matches.more ? 'At least ' : ''}${count(matches.contacts.length)} ${matches.contacts.length === 1 ? 'person matches' : 'people match'}`}
      </output>
      {matches.state === 'ready' ? <DataTable rows={matches.contacts} columns={columns} label="Matching people" empty="Nobody matches these filters on these accounts." /> : null}
    </section>
  );
};
