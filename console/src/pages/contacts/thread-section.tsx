import { useState } from 'react';
import { api, type Answer, errorText } from '../../api/client';
import { dateTime } from '../../components/format';
import type { Contact, ContactRef } from './contact-ref';

/** What started a handoff (the API's `handoff.source`), in words. */
const STARTED_BY: Record<string, string> = {
  keyword: 'the person asked for a human',
  payload: 'the person tapped “talk to a human”',
  admin: 'an admin',
  agent_reply: 'an agent’s reply',
  echo: 'a reply from another tool',
  resume: 'handed back',
};

/** What became of the Messenger/Instagram thread on a hand back (`threadControl`). */
const TAKEN_BACK: Record<Answer<'endHandoff'>['threadControl'], string> = {
  taken: 'afterchat took the thread back from the inbox app.',
  failed: 'Meta refused to give the thread back; the person’s next message tries again.',
  not_passed: 'The thread was never passed away: nothing to take back.',
  not_configured: 'No thread control app is configured for this account.',
};

/** Who answers the person now: a human (a live handoff), Meta’s agent, another app, or automation. */
export const holderOf = (contact: Contact): { who: string; detail: string } => {
  const { handoff, threadHolder } = contact;
  if (handoff?.active) {
    const note = handoff.note ? ` Note: “${handoff.note}”.` : '';
    return { who: 'A human', detail: `Handed over by ${STARTED_BY[handoff.source] ?? handoff.source}${handoff.keyword ? ` (${handoff.keyword})` : ''} ${dateTime(handoff.since)}; automation stays quiet until ${dateTime(handoff.until)}.${note}` };
  }
  if (threadHolder?.holder === 'meta_business_agent') return { who: 'Meta’s agent', detail: `Meta Business Agent answers on this number since ${dateTime(threadHolder.since)}.` };
  if (threadHolder?.holder === 'other_app') return { who: 'Another app', detail: `Another app (e.g. the Page inbox) holds the thread since ${dateTime(threadHolder.since)}${threadHolder.role ? ` as ${threadHolder.role}` : ''}.` };
  const last = handoff ? ` The last handoff ended (${STARTED_BY[handoff.source] ?? handoff.source}, ${dateTime(handoff.since)}).` : '';
  return { who: 'Automation', detail: `afterchat’s automation answers the person.${last}` };
};

/** The thread's holder, with hand to a human (an optional note for whoever takes it) and hand back. */
export const ThreadSection = ({ contact, of, onChanged }: { contact: Contact; of: ContactRef; onChanged: () => void }) => {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  const holder = holderOf(contact);
  const human = contact.handoff?.active === true;

  const handOver = async () => {
    setBusy(true);
    const { data, error, response } = await api.POST('/admin/contacts/{channel}/{accountId}/{userId}/handoff', { params: { path: of }, body: note.trim() ? { note: note.trim() } : {} });
    setBusy(false);
    setOutcome(data ? { ok: true, text: `Handed to a human until ${dateTime(data.handoff.until)}.` } : { ok: false, text: `Could not hand over: ${errorText(error, response.status)}` });
    if (data) setNote('');
    onChanged();
  };
  const handBack = async () => {
    setBusy(true);
    const { data, error, response } = await api.DELETE('/admin/contacts/{channel}/{accountId}/{userId}/handoff', { params: { path: of } });
    setBusy(false);
    setOutcome(data ? { ok: true, text: `Handed back to automation. ${TAKEN_BACK[data.threadControl]}` } : { ok: false, text: `Could not hand back: ${errorText(error, response.status)}` });
    onChanged();
  };

  return (
    <section aria-labelledby="thread-title">
      <h2 id="thread-title">Who holds the thread</h2>
      <p className="banner" role="status" aria-label="Thread holder">
        <strong>{holder.who}</strong> · {holder.detail}
      </p>
      <div className="actions handoff">
        {human ? (
          <button type="button" onClick={() => void handBack()} disabled={busy}>
            Hand back to automation
          </button>
        ) : (
          <>
            <label htmlFor="handoff-note">
              Note for whoever takes it (optional)
              <input id="handoff-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
            </label>
            <button type="button" onClick={() => void handOver()} disabled={busy}>
              Hand to a human
            </button>
          </>
        )}
      </div>
      {outcome ? (
        <p className={outcome.ok ? 'muted' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      ) : null}
    </section>
  );
};
