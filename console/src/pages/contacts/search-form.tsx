import { type FormEvent, useState } from 'react';
import { AccountPicker } from '../../components/account-picker';
import type { ContactSearch } from './search-query';

/** The search's fields: an account (required), then an id (opens that one person) or filters. */
export const SearchForm = ({ initial, onSearch }: { initial: ContactSearch; onSearch: (search: ContactSearch) => void }) => {
  const [form, setForm] = useState(initial);
  // Narrows the account picker; the account itself names its channel.
  const [channel, setChannel] = useState(() => initial.account.split('/')[0] ?? '');
  const set = (change: Partial<ContactSearch>) => setForm({ ...form, ...change });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(form);
  };
  return (
    <form className="search-form" onSubmit={submit} aria-label="Search contacts">
      <label htmlFor="channel">
        Channel
        <select
          id="channel"
          value={channel}
          onChange={(e) => {
            setChannel(e.target.value);
            if (e.target.value && !form.account.startsWith(`${e.target.value}/`)) set({ account: '' });
          }}
        >
          <option value="">All channels</option>
          <option value="whatsapp">WhatsApp</option>
          <option value="messenger">Messenger</option>
          <option value="instagram">Instagram</option>
        </select>
      </label>
      <AccountPicker value={form.account} channel={channel || undefined} onChange={(account) => set({ account })} />
      <label htmlFor="contact-id">
        Contact id
        <input id="contact-id" placeholder="wa_id, PSID…" value={form.id} onChange={(e) => set({ id: e.target.value })} />
      </label>
      <label htmlFor="tag">
        Tag
        <input id="tag" value={form.tag} onChange={(e) => set({ tag: e.target.value })} />
      </label>
      <label htmlFor="attribute-name">
        Attribute name
        <input id="attribute-name" placeholder="city" value={form.attributeName} onChange={(e) => set({ attributeName: e.target.value })} />
      </label>
      <label htmlFor="attribute-value">
        Attribute value
        <input id="attribute-value" placeholder="Leipzig" value={form.attributeValue} onChange={(e) => set({ attributeValue: e.target.value })} />
      </label>
      <label htmlFor="topic">
        Opt-in topic
        <input id="topic" value={form.topic} onChange={(e) => set({ topic: e.target.value })} />
      </label>
      <label htmlFor="opt-in-status">
        Opt-in status
        <select id="opt-in-status" value={form.optInStatus} onChange={(e) => set({ optInStatus: e.target.value as ContactSearch['optInStatus'] })} disabled={!form.topic.trim()}>
          <option value="">Any</option>
          <option value="active">Active</option>
          <option value="stopped">Stopped</option>
        </select>
      </label>
      <label htmlFor="window-open">
        Window
        <select id="window-open" value={form.windowOpen} onChange={(e) => set({ windowOpen: e.target.value as ContactSearch['windowOpen'] })}>
          <option value="">Open or closed</option>
          <option value="true">Open now</option>
          <option value="false">Closed</option>
        </select>
      </label>
      <label htmlFor="marketing-opt-out">
        Marketing
        <select id="marketing-opt-out" value={form.marketingOptOut} onChange={(e) => set({ marketingOptOut: e.target.value as ContactSearch['marketingOptOut'] })}>
          <option value="">Any</option>
          <option value="false">Not opted out</option>
          <option value="true">Opted out</option>
        </select>
      </label>
      <label htmlFor="days">
        Wrote within (days)
        <input id="days" type="number" min={1} max={3650} value={form.lastInboundWithinDays} onChange={(e) => set({ lastInboundWithinDays: e.target.value })} />
      </label>
      <div className="actions">
        <button type="submit" disabled={!form.account}>
          Search
        </button>
      </div>
    </form>
  );
};
