import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { api, errorText, type Schemas } from '../../api/client';
import { useApi } from '../../api/use-api';
import { type Account, accountKey, useAccounts } from '../../components/account-picker';
import { DataState } from '../../components/data-state';
import { Page } from '../../components/page';
import { AudienceBuilder } from './audience-builder';
import { type CampaignBody, type CampaignForm, campaignOf, emptyForm, formOf, slugOf } from './campaign-form';
import { PreviewPanel } from './preview-panel';
import { SchedulePicker } from './schedule-picker';
import { TemplateParameters } from './template-parameters';
import { TemplatePicker } from './template-picker';

type Preview = Schemas['CampaignPreview'];

/** What the last save or preview found, and for which definition: a later edit makes it stale. */
interface Checked {
  body: string;
  preview: Preview;
}

const Editor = ({ initial, accounts, isNew }: { initial: CampaignForm; accounts: Account[]; isNew: boolean }) => {
  const [, navigate] = useLocation();
  const [form, setForm] = useState(initial);
  const [idTouched, setIdTouched] = useState(!isNew);
  const [busy, setBusy] = useState<'saving' | 'previewing' | 'scheduling' | undefined>();
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [checked, setChecked] = useState<Checked>();
  const set = (change: Partial<CampaignForm>) => setForm((f) => ({ ...f, ...change }));
  const body = campaignOf(form);
  const bodyText = JSON.stringify(body);
  const chosen = body.accounts;
  const templateAccount = accounts.find((a) => form.accounts.includes(accountKey(a)) && a.channel !== 'instagram');

  const save = async (): Promise<CampaignBody | undefined> => {
    const { data, error, response } = await api.PUT('/admin/campaigns/{campaignId}', { params: { path: { campaignId: body.id } }, body: body as never });
    if (error !== undefined || data === undefined) {
      setProblem(`Not saved: ${errorText(error, response.status)}`);
      return undefined;
    }
    setSaved(bodyText);
    return data;
  };

  const run = async (what: NonNullable<typeof busy>, step: () => Promise<void>) => {
    setBusy(what);
    setProblem(undefined);
    try {
      await step();
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(undefined);
    }
  };

  const onSave = (e: FormEvent) => {
    e.preventDefault();
    void run('saving', async () => {
      if (await save()) navigate(`/campaigns/${body.id}/edit`, { replace: true });
    });
  };

  const onPreview = () =>
    run('previewing', async () => {
      if (!(await save())) return;
      const { data, error, response } = await api.POST('/admin/campaigns/{campaignId}/preview', { params: { path: { campaignId: body.id } } });
      if (error !== undefined || data === undefined) return setProblem(`No preview: ${errorText(error, response.status)}`);
      setChecked({ body: bodyText, preview: data });
    });

  const onSchedule = () =>
    run('scheduling', async () => {
      const { error, response } = await api.POST('/admin/campaigns/{campaignId}/schedule', { params: { path: { campaignId: body.id } } });
      if (error !== undefined) return setProblem(`Not scheduled: ${errorText(error, response.status)}`);
      navigate(`/campaigns/${body.id}`);
    });

  const fresh = checked?.body === bodyText ? checked.preview : undefined;
  const scheduleBlocked =
    form.status !== 'draft'
      ? `Only a draft is scheduled; this campaign is ${form.status}.`
      : !fresh
        ? 'Preview the campaign first: scheduling needs a preview of this definition.'
        : fresh.overCostCap
          ? 'The estimate is over the cost cap.'
          : undefined;

  return (
    <form onSubmit={onSave} aria-label="Campaign" className="wide">
      <div className="grid-2">
        <label>
          Name
          <input value={form.name} required maxLength={200} onChange={(e) => set({ name: e.target.value, ...(idTouched ? {} : { id: slugOf(e.target.value) }) })} />
        </label>
        <label>
          Campaign id
          <input
            value={form.id}
            required
            readOnly={!isNew}
            pattern="[a-z0-9][a-z0-9\-]{2,62}"
            title="3–63 lowercase letters, digits and -, not starting with -"
            onChange={(e) => {
              setIdTouched(true);
              set({ id: e.target.value });
            }}
          />
        </label>
      </div>
      <fieldset>
        <legend>Send from</legend>
        {accounts.length === 0 ? <p className="empty">No accounts registered: add one with `afterchat accounts put`.</p> : null}
        <div className="choices">
          {accounts.map((a) => (
            <label key={accountKey(a)} className="choice">
              <input
                type="checkbox"
                checked={form.accounts.includes(accountKey(a))}
                onChange={(e) => set({ accounts: e.target.checked ? [...form.accounts, accountKey(a)] : form.accounts.filter((k) => k !== accountKey(a)) })}
              />
              {a.displayName} ({a.channel} {a.accountId})
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Content</legend>
        <div className="grid-2">
          <label>
            Kind
            <select value={form.kind} onChange={(e) => set({ kind: e.target.value as CampaignForm['kind'] })}>
              <option value="marketing">Marketing</option>
              <option value="utility">Utility</option>
            </select>
          </label>
          <label>
            Message
            <select value={form.contentType} onChange={(e) => set({ contentType: e.target.value as CampaignForm['contentType'] })}>
              <option value="template">Template</option>
              <option value="text">Free text (inside the window, or to opt-in holders)</option>
              <option value="marketing_message">Messenger Marketing Message</option>
            </select>
          </label>
        </div>
        {form.contentType === 'template' ? (
          <>
            <TemplatePicker account={templateAccount} value={form.template} onChange={(template) => set({ template })} />
            <TemplateParameters parameters={form.parameters} onChange={(parameters) => set({ parameters })} />
          </>
        ) : (
          <>
            {form.contentType === 'marketing_message' ? (
              <label>
                Campaign message id
                <input value={form.campaignMessageId} inputMode="numeric" onChange={(e) => set({ campaignMessageId: e.target.value })} />
              </label>
            ) : null}
            <label>
              Text
              <textarea rows={3} value={form.text} maxLength={form.contentType === 'text' ? 4096 : 2000} onChange={(e) => set({ text: e.target.value })} />
            </label>
          </>
        )}
      </fieldset>
      <SchedulePicker form={form} set={set} />
      <AudienceBuilder audience={form.audience} onChange={(audience) => set({ audience })} accounts={chosen} />
      <fieldset>
        <legend>Limits (optional)</legend>
        <div className="grid-2">
          <label>
            Quiet hours from
            <input type="time" value={form.quietStart} onChange={(e) => set({ quietStart: e.target.value })} />
          </label>
          <label>
            Quiet hours until
            <input type="time" value={form.quietEnd} onChange={(e) => set({ quietEnd: e.target.value })} />
          </label>
          <label>
            At most (marketing sends per contact)
            <input type="number" min={1} value={form.capMax} onChange={(e) => set({ capMax: e.target.value })} />
          </label>
          <label>
            In (hours)
            <input type="number" min={1} max={720} value={form.capPerHours} onChange={(e) => set({ capPerHours: e.target.value })} />
          </label>
          <label>
            Recipient cap per occurrence
            <input type="number" min={1} value={form.maxRecipients} onChange={(e) => set({ maxRecipients: e.target.value })} />
          </label>
          <label>
            Cost cap per occurrence (EUR)
            <input type="number" min={0.01} step={0.01} value={form.maxCostEur} onChange={(e) => set({ maxCostEur: e.target.value })} />
          </label>
        </div>
      </fieldset>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      {saved === bodyText && !problem ? (
        <p className="muted" role="status">
          Saved as {form.status}.
        </p>
      ) : null}
      {fresh ? <PreviewPanel preview={fresh} /> : checked ? <p className="muted">The campaign changed since its preview: preview it again.</p> : null}
      <div className="actions">
        <button type="submit" className="secondary" disabled={busy !== undefined}>
          {busy === 'saving' ? 'Saving…' : 'Save draft'}
        </button>
        <button type="button" className="secondary" onClick={() => void onPreview()} disabled={busy !== undefined}>
          {busy === 'previewing' ? 'Previewing…' : 'Save and preview'}
        </button>
        <button type="button" onClick={() => void onSchedule()} disabled={busy !== undefined || scheduleBlocked !== undefined} aria-describedby="schedule-why">
          {busy === 'scheduling' ? 'Scheduling…' : 'Schedule'}
        </button>
        {!isNew ? <Link href={`/campaigns/${form.id}`}>Back to the campaign</Link> : null}
      </div>
      {scheduleBlocked ? (
        <p id="schedule-why" className="muted">
          {scheduleBlocked}
        </p>
      ) : null}
    </form>
  );
};

/** Creates a campaign as a draft, or edits one: content, schedule, audience with who matches, then preview before schedule. */
export const CampaignEditorPage = () => {
  const { campaignId } = useParams<{ campaignId?: string }>();
  const accounts = useAccounts();
  const stored = useApi(
    () => (campaignId ? api.GET('/admin/campaigns/{campaignId}', { params: { path: { campaignId } } }) : Promise.resolve({ data: undefined, error: undefined, response: new Response(null, { status: 204 }) })),
    [campaignId],
  );
  const title = campaignId ? `Edit campaign ${campaignId}` : 'New campaign';
  return (
    <Page title={title}>
      <DataState loaded={accounts} what="accounts">
        {(a) =>
          campaignId ? (
            <DataState loaded={stored} what="the campaign">
              {(c) => <Editor key={c.id} initial={formOf(c)} accounts={a.accounts} isNew={false} />}
            </DataState>
          ) : (
            <Editor initial={emptyForm()} accounts={a.accounts} isNew />
          )
        }
      </DataState>
    </Page>
  );
};
