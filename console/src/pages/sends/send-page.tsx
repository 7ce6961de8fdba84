import { useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../../api/client';
import { useApi } from '../../api/use-api';
import { type Account, AccountPicker } from '../../components/account-picker';
import { Page } from '../../components/page';
import { type Decision, PolicyDecision } from './policy-preview';
import { KINDS, type SendForm, type SendIntent, sendIntent } from './send-intent';
import { SendStatus } from './send-status';

type Checked = { decision: Decision; decidedAt: string } | { error: string };

interface Preview {
  /** The intent (and `at`) it was decided for: a change to the form makes it stale. */
  of: string;
  now: Checked;
  at?: Checked;
  /** The send's idempotency key: the same previewed intent is never sent twice by a double click or a retry. */
  key: string;
}

const EMPTY: SendForm = { account: '', userId: '', kind: 'reply', author: 'human', contentType: 'text', text: '', templateName: '', templateLanguage: '', templateParameters: '' };

/** A random idempotency key; `crypto.randomUUID` only exists on https or localhost, and the console may be opened from another host on the local network. */
const newKey = (): string => `console-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/** Waits this long after the last keystroke before asking the policy engine. */
const DEBOUNCE_MS = 300;

const decide = async (intent: SendIntent, at?: string): Promise<Checked> => {
  try {
    const { data, error, response } = await api.POST('/admin/sends/preview', { body: { ...intent, ...(at ? { at } : {}) } });
    return data ? { decision: data.decision, decidedAt: data.decidedAt } : { error: errorText(error, response.status) };
  } catch (error) {
    return { error: errorText(error) };
  }
};

const CheckedView = ({ checked, when }: { checked: Checked; when: string }) =>
  'error' in checked ? (
    <p className="error" role="alert">
      The policy preview {when} failed: {checked.error}
    </p>
  ) : (
    <PolicyDecision decision={checked.decision} decidedAt={checked.decidedAt} when={when} />
  );

/** The known templates of the account, offered as the name's suggestions (none known: type it). */
const TemplateNames = ({ account }: { account: Account }) => {
  const owner = account.channel === 'whatsapp' ? (account.wabaId ?? account.accountId) : account.accountId;
  const templates = useApi(() => api.GET('/admin/templates/{channel}/{accountId}', { params: { path: { channel: account.channel, accountId: owner } } }), [account.channel, owner]);
  const list = templates.state === 'ready' ? templates.data.templates : [];
  return (
    <datalist id="template-names">
      {list.map((t) => (
        <option key={`${t.name}/${t.language}`} value={t.name}>
          {t.language} · {t.category ?? 'category unknown'} · {t.status ?? 'status unknown'}
        </option>
      ))}
    </datalist>
  );
};

/**
 * A one-off send: the account, the person, the kind and the content; the policy engine's decision
 * is shown as the form changes (now, and at a chosen time), and the send button is enabled only
 * once it allows the message now. Then the send's status, until Meta's last word.
 */
export const SendPage = () => {
  const [form, setForm] = useState<SendForm>(EMPTY);
  const [account, setAccount] = useState<Account | undefined>();
  const [at, setAt] = useState('');
  const [preview, setPreview] = useState<Preview | undefined>();
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | undefined>();
  const [sent, setSent] = useState<string[]>([]);
  const [round, setRound] = useState(0);
  const intent = useMemo(() => sendIntent(form), [form]);
  // `datetime-local` gives the minute without a zone: the console's times are UTC.
  const atIso = at ? `${at}:00Z` : undefined;
  const asked = intent ? JSON.stringify([intent, atIso]) : undefined;

  useEffect(() => {
    if (!intent || asked === undefined) return;
    let live = true;
    const timer = setTimeout(() => {
      void Promise.all([decide(intent), atIso ? decide(intent, atIso) : Promise.resolve(undefined)]).then(([now, later]) => {
        if (live) setPreview({ of: asked, now, ...(later ? { at: later } : {}), key: newKey() });
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [asked, round]);

  const current = preview && preview.of === asked ? preview : undefined;
  const allowed = current !== undefined && 'decision' in current.now && current.now.decision.outcome === 'allow';
  const set = <K extends keyof SendForm>(field: K) => (value: SendForm[K]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setSendError(undefined);
  };

  const send = async () => {
    if (!intent || !current || !allowed) return;
    setSending(true);
    setSendError(undefined);
    try {
      const { data, error, response } = await api.POST('/admin/sends', { body: { intent, idempotencyKey: current.key } });
      if (data) {
        setSent((list) => (list.includes(data.outboxId) ? list : [data.outboxId, ...list]));
        // Sending the same message again is a new send: the next preview brings a new key.
        setPreview(undefined);
        setRound((n) => n + 1);
      } else setSendError(errorText(error, response.status));
    } catch (error) {
      setSendError(errorText(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <Page title="Send a message">
      <form
        aria-label="One-off send"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <AccountPicker
          id="send-account"
          label="From account"
          value={form.account}
          onChange={(key, chosen) => {
            set('account')(key);
            setAccount(chosen);
          }}
        />
        <label htmlFor="send-recipient">
          To (PSID, IGSID or WhatsApp number)
          <input id="send-recipient" value={form.userId} onChange={(e) => set('userId')(e.target.value)} autoComplete="off" inputMode="text" />
        </label>
        <label htmlFor="send-kind">
          Kind of message
          <select id="send-kind" value={form.kind} onChange={(e) => set('kind')(e.target.value as SendForm['kind'])}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="send-author">
          Written by
          <select id="send-author" value={form.author} onChange={(e) => set('author')(e.target.value as SendForm['author'])}>
            <option value="human">A person</option>
            <option value="bot">Automation</option>
          </select>
        </label>
        <fieldset className="inline-choices">
          <legend>Content</legend>
          <label className="choice">
            <input type="radio" name="content-type" value="text" checked={form.contentType === 'text'} onChange={() => set('contentType')('text')} /> Text
          </label>
          <label className="choice">
            <input type="radio" name="content-type" value="template" checked={form.contentType === 'template'} onChange={() => set('contentType')('template')} /> Template
          </label>
        </fieldset>
        {form.contentType === 'text' ? (
          <label htmlFor="send-text">
            Message
            <textarea id="send-text" rows={4} maxLength={4096} value={form.text} onChange={(e) => set('text')(e.target.value)} />
          </label>
        ) : (
          <>
            <label htmlFor="send-template">
              Template name
              <input id="send-template" list="template-names" value={form.templateName} onChange={(e) => set('templateName')(e.target.value)} autoComplete="off" />
            </label>
            {account ? <TemplateNames account={account} /> : null}
            <label htmlFor="send-language">
              Template language (e.g. en_US, de)
              <input id="send-language" value={form.templateLanguage} onChange={(e) => set('templateLanguage')(e.target.value)} autoComplete="off" />
            </label>
            <label htmlFor="send-parameters">
              Body parameters, one per line
              <textarea id="send-parameters" rows={3} value={form.templateParameters} onChange={(e) => set('templateParameters')(e.target.value)} />
            </label>
          </>
        )}
        <label htmlFor="send-at">
          Also check at a later time (UTC, optional; the message itself goes now)
          <input id="send-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </label>
        <section aria-label="Policy preview" aria-live="polite">
          {!intent ? (
            <p className="muted">Fill in the account, the person and the content: the policy preview shows here, before you can send.</p>
          ) : !current ? (
            <p className="muted" role="status">
              Checking the policy…
            </p>
          ) : (
            <>
              <CheckedView checked={current.now} when="now" />
              {current.at && atIso ? <CheckedView checked={current.at} when={`at ${atIso.slice(0, 16).replace('T', ' ')} UTC`} /> : null}
            </>
          )}
        </section>
        <div className="actions">
          <button type="submit" disabled={!allowed || sending}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        </div>
        {sendError ? (
          <p className="error" role="alert">
            The send was not accepted: {sendError}
          </p>
        ) : null}
      </form>
      {sent.length > 0 ? (
        <>
          <h2>Sent from this page</h2>
          {sent.map((outboxId) => (
            <SendStatus key={outboxId} outboxId={outboxId} />
          ))}
        </>
      ) : null}
    </Page>
  );
};
