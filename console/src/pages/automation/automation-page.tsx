import { type InputHTMLAttributes, useState } from 'react';
import { api, errorText, type Schemas } from '../../api/client';
import { useApi } from '../../api/use-api';
import { type Account, ForAccount } from '../../components/account-picker';
import { DataState } from '../../components/data-state';
import { dateTime } from '../../components/format';
import { Page } from '../../components/page';
import { type AutomationForm, configOf, type FieldErrors, fieldOf, formOf, WEEKDAYS } from './automation-form';
import { AutomationUsage } from './automation-usage';
import { FieldError, fieldId, invalid } from './field-error';
import { TextsEditor } from './texts-editor';

type View = Schemas['AutomationConfigOutput'];

type Saved = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: string | null } | { state: 'refused'; message: string };

/** The API's `[{path, message}]` as errors per field; what belongs to no field goes under `''`. */
const fieldErrors = (detail: unknown): FieldErrors => {
  const errors: FieldErrors = {};
  if (!Array.isArray(detail)) return errors;
  for (const issue of detail as { path?: string; message?: string }[]) {
    const field = fieldOf(issue.path ?? '');
    const text = field === '' && issue.path ? `${issue.path}: ${issue.message ?? ''}` : (issue.message ?? '');
    errors[field] = errors[field] ? `${errors[field]}; ${text}` : text;
  }
  return errors;
};

const Input = ({ field, label, value, errors, onChange, ...rest }: { field: string; label: string; value: string; errors: FieldErrors; onChange: (value: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'>) => (
  <label htmlFor={fieldId(field)}>
    {label}
    <input id={fieldId(field)} value={value} onChange={(e) => onChange(e.target.value)} {...invalid(field, errors[field])} {...rest} />
    <FieldError field={field} error={errors[field]} />
  </label>
);

const Toggle = ({ label, checked, onChange }: { label: string; checked: boolean; onChange: (on: boolean) => void }) => (
  <label className="choice">
    <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
    {label}
  </label>
);

const Settings = ({ account, view, configured, updatedAt }: { account: Account; view: View; configured: boolean; updatedAt: string | null }) => {
  const [form, setForm] = useState<AutomationForm>(() => formOf(view));
  const [kept, setKept] = useState(() => ({ optInRequest: view.optInRequest }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<Saved>({ state: 'idle' });
  const edit = (change: Partial<AutomationForm>) => {
    setForm({ ...form, ...change });
    if (saved.state === 'saved') setSaved({ state: 'idle' });
  };

  const save = async () => {
    const { config, errors: found } = configOf(form, kept);
    setErrors(found);
    if (!config) {
      setSaved({ state: 'refused', message: 'Not saved: fix the fields marked below.' });
      return;
    }
    setSaved({ state: 'saving' });
    try {
      const { data, error, response } = await api.PUT('/admin/accounts/{channel}/{accountId}/automation', { params: { path: { channel: account.channel, accountId: account.accountId } }, body: config });
      if (data) {
        setForm(formOf(data.config));
        setKept({ optInRequest: data.config.optInRequest });
        setSaved({ state: 'saved', at: data.updatedAt });
        return;
      }
      const byField = fieldErrors((error as { detail?: unknown } | undefined)?.detail);
      setErrors(byField);
      setSaved({ state: 'refused', message: Object.keys(byField).length > 0 ? `Not saved: the stack refused it (${response.status}); see the fields marked below.` : `Not saved: ${errorText(error, response.status)}` });
    } catch (error) {
      setSaved({ state: 'refused', message: `Not saved: ${errorText(error)}` });
    }
  };

  const language = form.defaultLanguage || 'en';
  return (
    <form
      className="automation"
      aria-label="Automation settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted">{configured ? `Stored ${dateTime(updatedAt)}.` : 'Never configured: the built-in settings (keywords and handoff only) are in force.'}</p>
      <Input field="defaultLanguage" label="Default language (ISO 639-1, for contacts without one)" value={form.defaultLanguage} errors={errors} maxLength={2} onChange={(defaultLanguage) => edit({ defaultLanguage })} />

      <fieldset>
        <legend>Business hours</legend>
        <Toggle label="Use business hours (otherwise always open, and the away message never sends)" checked={form.hoursOn} onChange={(hoursOn) => edit({ hoursOn })} />
        {form.hoursOn ? (
          <>
            <p className="muted">In the account’s time zone ({account.timezone}). Periods like 09:00–12:00, 13:00–18:00; empty: closed.</p>
            {WEEKDAYS.map(([day, name]) => (
              <Input key={day} field={`businessHours.weekly.${day}`} label={name} value={form.weekly[day]} errors={errors} placeholder="closed" onChange={(value) => edit({ weekly: { ...form.weekly, [day]: value } })} />
            ))}
            <label htmlFor={fieldId('businessHours.holidays')}>
              Holidays (closed all day; one per line, e.g. 2026-12-25 Christmas)
              <textarea id={fieldId('businessHours.holidays')} rows={3} value={form.holidays} onChange={(e) => edit({ holidays: e.target.value })} {...invalid('businessHours.holidays', errors['businessHours.holidays'])} />
              <FieldError field="businessHours.holidays" error={errors['businessHours.holidays']} />
            </label>
          </>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>Greeting</legend>
        <Toggle label="Greet a new conversation ({firstName} is replaced)" checked={form.greeting.on} onChange={(on) => edit({ greeting: { ...form.greeting, on } })} />
        <Input field="greeting.quietGapHours" label="A conversation is new after this many quiet hours" type="number" min={1} value={form.greeting.quietGapHours} errors={errors} onChange={(quietGapHours) => edit({ greeting: { ...form.greeting, quietGapHours } })} />
        <TextsEditor title="Greeting" field="greeting.texts" language={language} rows={form.greeting.texts} error={errors['greeting.texts']} onChange={(texts) => edit({ greeting: { ...form.greeting, texts } })} />
      </fieldset>

      <fieldset>
        <legend>Away message</legend>
        <Toggle label="Answer outside business hours, once per person per closed period" checked={form.away.on} onChange={(on) => edit({ away: { ...form.away, on } })} />
        <TextsEditor title="Away message" field="away.texts" language={language} rows={form.away.texts} error={errors['away.texts']} onChange={(texts) => edit({ away: { ...form.away, texts } })} />
      </fieldset>

      <fieldset>
        <legend>Default reply</legend>
        <Toggle label="Answer what nothing else answered" checked={form.defaultReply.on} onChange={(on) => edit({ defaultReply: { ...form.defaultReply, on } })} />
        <Input field="defaultReply.periodHours" label="At most once per person every (hours)" type="number" min={1} value={form.defaultReply.periodHours} errors={errors} onChange={(periodHours) => edit({ defaultReply: { ...form.defaultReply, periodHours } })} />
        <TextsEditor title="Default reply" field="defaultReply.texts" language={language} rows={form.defaultReply.texts} error={errors['defaultReply.texts']} onChange={(texts) => edit({ defaultReply: { ...form.defaultReply, texts } })} />
      </fieldset>

      <fieldset>
        <legend>Keywords</legend>
        <p className="muted">Whole-message words added to the built-in STOP, START and handoff words, comma-separated.</p>
        <Input field="keywords.stop" label="Stop words" value={form.keywords.stop} errors={errors} onChange={(stop) => edit({ keywords: { ...form.keywords, stop } })} />
        <Input field="keywords.start" label="Start words" value={form.keywords.start} errors={errors} onChange={(start) => edit({ keywords: { ...form.keywords, start } })} />
        <Input field="keywords.handoff" label="Handoff words" value={form.keywords.handoff} errors={errors} onChange={(handoff) => edit({ keywords: { ...form.keywords, handoff } })} />
      </fieldset>

      <fieldset>
        <legend>Handoff to a human</legend>
        <Input field="handoff.timeoutHours" label="Automation speaks again after (hours)" type="number" min={1} value={form.handoff.timeoutHours} errors={errors} onChange={(timeoutHours) => edit({ handoff: { ...form.handoff, timeoutHours } })} />
        <TextsEditor title="Handoff message" field="handoff.texts" language={language} rows={form.handoff.texts} error={errors['handoff.texts']} onChange={(texts) => edit({ handoff: { ...form.handoff, texts } })} />
        {account.channel === 'whatsapp' ? null : (
          <Input field="handoff.threadControl.targetAppId" label="Pass the thread to this Meta app id (optional)" value={form.handoff.targetAppId} errors={errors} inputMode="numeric" onChange={(targetAppId) => edit({ handoff: { ...form.handoff, targetAppId } })} />
        )}
      </fieldset>

      {kept.optInRequest ? <p className="muted">Opt-in requests are configured too; saving here keeps them as they are.</p> : null}
      {errors[''] ? (
        <p className="error" role="alert">
          {errors['']}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={saved.state === 'saving'}>
          {saved.state === 'saving' ? 'Saving…' : 'Save settings'}
        </button>
      </div>
      {saved.state === 'saved' ? (
        <p className="banner ok" role="status">
          Saved {dateTime(saved.at)}: automation picks the settings up within a minute.
        </p>
      ) : saved.state === 'refused' ? (
        <p className="banner error" role="alert">
          {saved.message}
        </p>
      ) : null}
    </form>
  );
};

const Automation = ({ account }: { account: Account }) => {
  const loaded = useApi(() => api.GET('/admin/accounts/{channel}/{accountId}/automation', { params: { path: { channel: account.channel, accountId: account.accountId } } }), [account.channel, account.accountId]);
  const [showUsage, setShowUsage] = useState(false);
  return (
    <>
      <DataState loaded={loaded} what="the automation settings">
        {(a) => <Settings account={account} view={a.config} configured={a.configured} updatedAt={a.updatedAt} />}
      </DataState>
      <h2>What automation sent</h2>
      {showUsage ? (
        <AutomationUsage account={account} />
      ) : (
        <button type="button" className="secondary" onClick={() => setShowUsage(true)}>
          Show the last 7 days
        </button>
      )}
    </>
  );
};

/** Per-account conversation automation: business hours, texts, keywords and handoff, checked before saving. */
export const AutomationPage = () => {
  return (
    <Page title="Automation">
      <ForAccount empty="Choose an account to see its automation settings.">{(account, key) => <Automation key={key} account={account} />}</ForAccount>
    </Page>
  );
};
