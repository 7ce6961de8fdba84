import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import type { Account } from '../../components/account-picker';

/** Where an account's templates live: a WhatsApp number's WABA, a Page itself. */
const templateAccount = (account: Account) => ({ channel: account.channel, accountId: account.channel === 'whatsapp' ? (account.wabaId ?? account.accountId) : account.accountId });

/** The account's known templates (synced from Meta), approved ones first, as `<name>|<language>`. */
export const TemplatePicker = ({ account, value, onChange }: { account: Account | undefined; value: string; onChange: (value: string) => void }) => {
  const where = account ? templateAccount(account) : undefined;
  const templates = useApi(
    () => (where ? api.GET('/admin/templates/{channel}/{accountId}', { params: { path: where } }) : Promise.resolve({ data: undefined, error: undefined, response: new Response(null, { status: 204 }) })),
    [where?.channel, where?.accountId],
  );
  const list = templates.state === 'ready' ? [...templates.data.templates].sort((a, b) => Number(b.status === 'APPROVED') - Number(a.status === 'APPROVED') || a.name.localeCompare(b.name)) : [];
  const known = list.some((t) => `${t.name}|${t.language}` === value);
  return (
    <label>
      Template
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={!account}>
        <option value="">{!account ? 'Choose an account first' : templates.state === 'loading' ? 'Loading templates…' : list.length === 0 ? 'No templates known: sync them (Templates)' : 'Choose a template'}</option>
        {value && !known ? <option value={value}>{value.replace('|', ' · ')} (not among the account’s templates)</option> : null}
        {list.map((t) => (
          <option key={`${t.name}|${t.language}`} value={`${t.name}|${t.language}`}>
            {t.name} · {t.language} · {t.category ?? 'no category'} · {t.status ?? 'unknown status'}
          </option>
        ))}
      </select>
    </label>
  );
};
