import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type Answer, api, errorText } from '../../api/client';
import { dateTime } from '../../components/format';
import type { ContactRef } from './contact-ref';

export type Erasure = Answer<'eraseContact'>;

/**
 * Erase, in two steps: the button opens a confirmation that asks for the person's id typed out
 * (focus goes to it; Escape or Cancel closes it), and only the exact id enables the erase.
 */
export const EraseSection = ({ of, onErased }: { of: ContactRef; onErased: (erasure: Erasure) => void }) => {
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) input.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    setTyped('');
    setFailure(undefined);
    // Back where the keyboard was, once the button is rendered again.
    requestAnimationFrame(() => opener.current?.focus());
  };
  const erase = async (e: FormEvent) => {
    e.preventDefault();
    if (typed !== of.userId) return;
    setBusy(true);
    const { data, error, response } = await api.DELETE('/admin/contacts/{channel}/{accountId}/{userId}', { params: { path: of } });
    setBusy(false);
    if (data) onErased(data);
    else setFailure(errorText(error, response.status));
  };

  return (
    <section aria-labelledby="erase-title" className="danger-zone">
      <h2 id="erase-title">Erase</h2>
      <p>Removes everything afterchat holds about the person, under every id they are held under: contact records, consents, tags, sends, statuses and events. A tombstone keeps an import from bringing them back; a new message from them starts afresh.</p>
      {confirming ? (
        <form onSubmit={(e) => void erase(e)} onKeyDown={(e) => e.key === 'Escape' && cancel()} aria-label="Confirm erasure">
          <label htmlFor="erase-confirm">
            Type the id {of.userId} to confirm
            <input id="erase-confirm" ref={input} value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
          </label>
          <div className="actions">
            <button type="submit" className="danger" disabled={typed !== of.userId || busy}>
              {busy ? 'Erasing…' : 'Erase for good'}
            </button>
            <button type="button" className="secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
          {failure ? (
            <p className="error" role="alert">
              Not erased: {failure}
            </p>
          ) : null}
        </form>
      ) : (
        <button type="button" className="danger" ref={opener} onClick={() => setConfirming(true)}>
          Erase this person…
        </button>
      )}
    </section>
  );
};

const KINDS: [keyof Erasure['removed'], string][] = [
  ['contactRecords', 'contact records'],
  ['optIns', 'opt-ins'],
  ['tags', 'tag listings'],
  ['otherContactItems', 'other contact items'],
  ['sends', 'sends'],
  ['messageStatuses', 'message statuses'],
  ['events', 'webhook events'],
  ['quarantined', 'quarantined items'],
  ['importRows', 'import rows'],
  ['limiterItems', 'send limiter items'],
];

/** What an erasure removed, by kind, and that the person is gone (asked again: not found). */
export const ErasedSummary = ({ erasure, gone }: { erasure: Erasure; gone: string }) => (
  <section aria-labelledby="erased-title">
    <h2 id="erased-title">Erased</h2>
    <p className="banner ok" role="status">
      <strong>The person is gone.</strong> {erasure.total === 0 ? 'Nothing left to remove: they were erased already.' : `${erasure.total} items removed under ${erasure.ids} ${erasure.ids === 1 ? 'id' : 'ids'}, ${dateTime(erasure.erasedAt)}.`}
    </p>
    <ul aria-label="Removed">
      {KINDS.filter(([kind]) => erasure.removed[kind] > 0).map(([kind, label]) => (
        <li key={kind}>
          {label}: {erasure.removed[kind]}
        </li>
      ))}
    </ul>
    <p>{gone}</p>
  </section>
);
