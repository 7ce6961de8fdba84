import type { ColumnDef } from '@tanstack/react-table';
import { useCallback, useEffect, useState } from 'react';
import { type Answer, api, errorText } from '../../api/client';
import type { Loaded } from '../../api/use-api';
import { type Account, ForAccount } from '../../components/account-picker';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { count, dateTime } from '../../components/format';
import { Page } from '../../components/page';
import { type Template, type TemplateChange, templateChanges } from './template-changes';

type SyncResult = Answer<'syncTemplates'>;

const columns: ColumnDef<Template, unknown>[] = [
  { header: 'Name', accessorKey: 'name' },
  { header: 'Language', accessorKey: 'language' },
  { header: 'Status', accessorKey: 'status', cell: (c) => [c.row.original.status ?? '–', c.row.original.statusReason && c.row.original.statusReason !== 'NONE' ? ` (${c.row.original.statusReason})` : ''].join('') },
  {
    header: 'Category',
    accessorKey: 'category',
    cell: (c) => {
      const t = c.row.original;
      const note = t.correctCategory && t.correctCategory !== t.category ? `, Meta says ${t.correctCategory}` : t.previousCategory && t.previousCategory !== t.category ? `, was ${t.previousCategory}` : '';
      return `${t.category ?? '–'}${note}`;
    },
  },
  { header: 'Quality', accessorKey: 'quality', cell: (c) => c.row.original.quality ?? '–' },
  { header: 'Last listed', accessorKey: 'syncedAt', cell: (c) => dateTime(c.row.original.syncedAt) },
];

/** Where an account's templates live: a WhatsApp number's WABA (a sync names it when the account doesn't), a Page itself. */
const templateOwner = (account: Account) => (account.channel === 'whatsapp' ? (account.wabaId ?? account.accountId) : account.accountId);

/** The templates known for the account; a 404 means none yet, which is a state, not an error. */
const readTemplates = async (account: Account, owner: string): Promise<Loaded<Template[]>> => {
  try {
    const { data, error, response } = await api.GET('/admin/templates/{channel}/{accountId}', { params: { path: { channel: account.channel, accountId: owner } } });
    if (data) return { state: 'ready', data: data.templates };
    return response.status === 404 ? { state: 'ready', data: [] } : { state: 'error', error: errorText(error, response.status) };
  } catch (error) {
    return { state: 'error', error: errorText(error) };
  }
};

type SyncOutcome = { result?: SyncResult; changes: TemplateChange[]; error?: string };

const SyncReport = ({ outcome }: { outcome: SyncOutcome }) => {
  const { result, changes, error } = outcome;
  return (
    <div className={`banner spaced ${error ? 'error' : 'ok'}`} role="status" aria-label="Sync result">
      {error ? <p className="error">Sync refused or broke off: {error}</p> : null}
      {result ? (
        <p>
          <strong>Synced {dateTime(result.fetchedAt)}</strong>: {count(result.counts.listed)} listed by Meta, {count(result.counts.created)} new, {count(result.counts.changed)} changed, {count(result.counts.unchanged)} unchanged,{' '}
          {count(result.counts.deleted)} gone{result.complete ? '' : ' (listing incomplete: nothing marked gone)'}.
        </p>
      ) : null}
      {changes.length === 0 ? (
        result ? <p>Nothing changed.</p> : null
      ) : (
        <ul aria-label="What changed">
          {changes.map((c) => (
            <li key={`${c.name}-${c.language}`}>
              {c.kind === 'new' ? 'New' : c.kind === 'gone' ? 'Gone' : 'Changed'}: <strong>{c.name}</strong> ({c.language}) — {c.what.join(', ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};

const Templates = ({ account }: { account: Account }) => {
  const [templates, setTemplates] = useState<Loaded<Template[]>>({ state: 'loading' });
  const [syncing, setSyncing] = useState(false);
  const [outcome, setOutcome] = useState<SyncOutcome | undefined>();
  const [owner, setOwner] = useState(() => templateOwner(account));
  useEffect(() => {
    let live = true;
    void readTemplates(account, owner).then((loaded) => live && setTemplates(loaded));
    return () => {
      live = false;
    };
  }, [account, owner]);
  const sync = useCallback(async () => {
    setSyncing(true);
    const before = templates.state === 'ready' ? templates.data : [];
    try {
      const { data, error, response } = await api.POST('/admin/templates/{channel}/{accountId}/sync', { params: { path: { channel: account.channel, accountId: owner } } });
      // A broken-off listing (502) answers what was read beside Meta's error.
      const partial = error as (SyncResult & { error?: string }) | undefined;
      const synced = data?.account.accountId ?? partial?.account?.accountId ?? owner;
      const after = await readTemplates(account, synced);
      setTemplates(after);
      setOwner(synced);
      const changes = after.state === 'ready' ? templateChanges(before, after.data) : [];
      setOutcome(data ? { result: data, changes } : { result: partial?.counts ? partial : undefined, changes, error: errorText(error, response.status) });
    } catch (error) {
      setOutcome({ changes: [], error: errorText(error) });
    } finally {
      setSyncing(false);
    }
  }, [account, owner, templates]);
  return (
    <>
      <div className="actions">
        <button type="button" onClick={() => void sync()} disabled={syncing}>
          {syncing ? 'Syncing…' : 'Sync now'}
        </button>
        <span className="muted">Reads the account’s templates from Meta now; webhooks keep them current in between.</span>
      </div>
      {outcome ? <SyncReport outcome={outcome} /> : null}
      <DataState loaded={templates} what="templates" isEmpty={(t) => t.length === 0} empty="No templates known for this account yet: Sync now reads them from Meta.">
        {(t) => <DataTable rows={t} columns={columns} label="Templates" />}
      </DataState>
    </>
  );
};

/** Message templates per account (status, category, quality), and a sync with Meta on demand. */
export const TemplatesPage = () => {
  return (
    <Page title="Templates">
      <ForAccount empty="Choose an account to see its templates.">
        {(account, key) => (account.channel === 'instagram' ? <p className="empty">Instagram has no message templates.</p> : <Templates key={key} account={account} />)}
      </ForAccount>
    </Page>
  );
};
