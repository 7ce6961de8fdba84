import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { type Account, useAccounts } from '../../components/account-picker';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { dateTime } from '../../components/format';
import { Page } from '../../components/page';

const columns: ColumnDef<Account, unknown>[] = [
  { header: 'Name', accessorKey: 'displayName' },
  { header: 'Channel', accessorKey: 'channel' },
  { header: 'Account id', accessorKey: 'accountId' },
  { header: 'Time zone', accessorKey: 'timezone' },
];

/** The stack's health (Graph API version, warnings) and the accounts it serves. */
export const OverviewPage = () => {
  const health = useApi(() => api.GET('/admin/health'), []);
  const accounts = useAccounts();
  return (
    <Page title="Overview">
      <h2>Health</h2>
      <DataState loaded={health} what="health">
        {(h) => (
          <div className={`banner ${h.status}`} role="status">
            <strong>{h.status === 'ok' ? 'All checks pass' : h.status === 'warning' ? 'Warnings' : 'Errors'}</strong> · checked {dateTime(h.checkedAt)}
            {h.warnings.length > 0 ? (
              <ul>
                {h.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
          </div>
        )}
      </DataState>
      <h2>Accounts</h2>
      <DataState loaded={accounts} what="accounts" isEmpty={(a) => a.accounts.length === 0} empty="No accounts registered: add one with `afterchat accounts put` (README “Accounts”).">
        {(a) => <DataTable rows={a.accounts} columns={columns} label="Accounts" />}
      </DataState>
    </Page>
  );
};
