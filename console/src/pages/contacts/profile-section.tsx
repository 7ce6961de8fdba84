import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { type Answer, api, errorText } from '../../api/client';
import { useApi } from '../../api/use-api';
import { DataState } from '../../components/data-state';
import type { ContactRef } from './contact-ref';

type Profile = Pick<Answer<'getProfile'>, 'tags' | 'attributes' | 'timeZone' | 'country'>;
interface Row {
  name: string;
  value: string;
}

/** What the form can't send: the API would keep one of two attributes of the same name. */
const rowsProblem = (rows: Row[]): string | undefined => {
  const names = rows.map((r) => r.name.trim());
  const blank = names.findIndex((n) => n === '');
  if (blank >= 0) return `Attribute ${blank + 1} has no name.`;
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  return twice === undefined ? undefined : `Two attributes are named “${twice}”.`;
};

const ProfileForm = ({ initial, of }: { initial: Profile; of: ContactRef }) => {
  const [tags, setTags] = useState(initial.tags);
  const [newTag, setNewTag] = useState('');
  const [rows, setRows] = useState<Row[]>(Object.entries(initial.attributes).map(([name, value]) => ({ name, value })));
  const [timeZone, setTimeZone] = useState(initial.timeZone ?? '');
  const [country, setCountry] = useState(initial.country ?? '');
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();

  const addTag = () => {
    const tag = newTag.trim();
    if (tag && !tags.includes(tag)) setTags([...tags, tag]);
    setNewTag('');
  };
  const onTagKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    addTag();
  };
  const setRow = (index: number, change: Partial<Row>) => setRows(rows.map((r, i) => (i === index ? { ...r, ...change } : r)));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const problem = rowsProblem(rows);
    if (problem) return setOutcome({ ok: false, text: problem });
    setSaving(true);
    const body = {
      tags,
      attributes: Object.fromEntries(rows.map((r) => [r.name.trim(), r.value])),
      ...(timeZone.trim() ? { timeZone: timeZone.trim() } : {}),
      ...(country.trim() ? { country: country.trim() } : {}),
    };
    const { data, error, response } = await api.PUT('/admin/contacts/{channel}/{accountId}/{userId}/profile', { params: { path: of }, body });
    setSaving(false);
    if (!data) return setOutcome({ ok: false, text: `Not saved: ${errorText(error, response.status)}` });
    setTags(data.tags);
    setRows(Object.entries(data.attributes).map(([name, value]) => ({ name, value })));
    setOutcome({ ok: true, text: `Saved: ${data.tags.length} tags, ${Object.keys(data.attributes).length} attributes.` });
  };

  return (
    <form className="profile" onSubmit={(e) => void save(e)} aria-label="Tags and attributes">
      <fieldset>
        <legend>Tags</legend>
        {tags.length === 0 ? <p className="empty">No tags.</p> : null}
        <ul className="chips" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag}>
              {tag}
              <button type="button" className="secondary" aria-label={`Remove tag ${tag}`} onClick={() => setTags(tags.filter((t) => t !== tag))}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="field-row">
          <label htmlFor="new-tag">
            New tag
            <input id="new-tag" value={newTag} onChange={(e) => setNewTag(e.target.value)} onKeyDown={onTagKey} />
          </label>
          <button type="button" className="secondary" onClick={addTag} disabled={!newTag.trim()}>
            Add tag
          </button>
        </div>
      </fieldset>
      <fieldset>
        <legend>Attributes</legend>
        {rows.length === 0 ? <p className="empty">No attributes.</p> : null}
        {rows.map((row, i) => (
          <div className="field-row" key={i}>
            <input aria-label={`Attribute ${i + 1} name`} placeholder="name" value={row.name} onChange={(e) => setRow(i, { name: e.target.value })} />
            <input aria-label={`Attribute ${i + 1} value`} placeholder="value" value={row.value} onChange={(e) => setRow(i, { value: e.target.value })} />
            <button type="button" className="secondary" aria-label={`Remove attribute ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setRows([...rows, { name: '', value: '' }])}>
          Add attribute
        </button>
      </fieldset>
      <div className="field-row">
        <label htmlFor="time-zone">
          Time zone
          <input id="time-zone" placeholder="Europe/Berlin" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </label>
        <label htmlFor="country">
          Country
          <input id="country" placeholder="DE" value={country} maxLength={2} onChange={(e) => setCountry(e.target.value.toUpperCase())} />
        </label>
      </div>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save tags and attributes'}
        </button>
      </div>
      {outcome ? (
        <p className={outcome.ok ? 'muted' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      ) : null}
    </form>
  );
};

/** The person's tags, attributes, time zone and country, edited together and saved with one PUT (it replaces them). */
export const ProfileSection = ({ of }: { of: ContactRef }) => {
  const profile = useApi(() => api.GET('/admin/contacts/{channel}/{accountId}/{userId}/profile', { params: { path: of } }), [of.channel, of.accountId, of.userId]);
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">Tags and attributes</h2>
      <DataState loaded={profile} what="tags and attributes">
        {(p) => <ProfileForm initial={p} of={of} />}
      </DataState>
    </section>
  );
};
