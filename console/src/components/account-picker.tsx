import { type ReactNode, useState } from 'react';
import { api, type Schemas } from '../api/client';
import { useApi } from '../api/use-api';

export type Account = Schemas['Account'];

/** The registered accounts, loaded once per page. */
export const useAccounts = () => useApi(() => api.GET('/admin/accounts'), []);

/** `<channel>/<accountId>`, the value a picker holds. */
export const accountKey = (account: Pick<Account, 'channel' | 'accountId'>): string => `${account.channel}/${account.accountId}`;

/** Picks one registered account (by channel and id), of one `channel` when given; empty when none is registered yet, or why the accounts could not be read. */
export const AccountPicker = ({ value, onChange, label = 'Account', id = 'account', channel }: { value: string; onChange: (key: string, account: Account | undefined) => void; label?: string; id?: string; channel?: string }) => {
  const accounts = useAccounts();
  const list = accounts.state === 'ready' ? accounts.data.accounts.filter((a) => !channel || a.channel === channel) : [];
  // A refused call (403, 502) is not an empty registry: say why, or the user goes registering accounts that exist.
  const prompt =
    accounts.state === 'loading' ? 'Loading…' : accounts.state === 'error' ? `Could not load accounts: ${accounts.error}` : list.length === 0 ? 'No accounts registered' : 'Choose an account';
  return (
    <label htmlFor={id}>
      {label}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value, list.find((a) => accountKey(a) === e.target.value))} disabled={accounts.state !== 'ready'}>
        <option value="">{prompt}</option>
        {list.map((a) => (
          <option key={accountKey(a)} value={accountKey(a)}>
            {a.displayName} ({a.channel} {a.accountId})
          </option>
        ))}
      </select>
    </label>
  );
};

/**
 * A page about one account: the picker, then `children` for the chosen account (keyed by it, so a
 * new choice starts afresh), or `empty` until one is chosen.
 */
export const ForAccount = ({ empty, children }: { empty: string; children: (account: Account, key: string) => ReactNode }) => {
  const [key, setKey] = useState('');
  const [account, setAccount] = useState<Account | undefined>();
  return (
    <>
      <AccountPicker
        value={key}
        onChange={(next, chosen) => {
          setKey(next);
          setAccount(chosen);
        }}
      />
      {account ? children(account, key) : <p className="empty">{empty}</p>}
    </>
  );
};
