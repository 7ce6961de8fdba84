import { useState } from 'react';
import { Link } from 'wouter';
import { api, errorText } from '../../api/client';
import type { CampaignBody } from './campaign-form';
import { FOLLOW_UP_STATES, type FollowUpState } from './reason-text';

const HOUR = 3_600_000;

/** The follow-up's id: the source's with the state, cut to the schema's 63 characters. */
const followUpId = (campaignId: string, state: FollowUpState) => {
  const suffix = `-${state.replace(/_/g, '-')}`;
  return `${campaignId.slice(0, 63 - suffix.length)}${suffix}`;
};

/** The next whole hour: a follow-up is a draft whose time the marketer sets before scheduling it. */
const nextHour = () => new Date(Math.ceil((Date.now() + 1) / HOUR) * HOUR).toISOString().replace('.000Z', 'Z');

/**
 * "Follow up" on a funnel state: a draft campaign to this occurrence's recipients in that state,
 * with the campaign's accounts, content and audience (which filters them further), to edit before
 * it is scheduled. A recurring schedule can't follow up, and the source's one-off time has passed:
 * either becomes once, at the next hour; a local-time one stays.
 */
export const FollowUpForm = ({ campaign, occurrenceKey }: { campaign: CampaignBody; occurrenceKey: string }) => {
  const [state, setState] = useState<FollowUpState>('not_read');
  const [id, setId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; id: string } | { ok: false; error: string }>();
  const newId = id ?? followUpId(campaign.id, state);
  const label = FOLLOW_UP_STATES.find((s) => s.state === state)?.label ?? state;

  const create = async () => {
    setBusy(true);
    setResult(undefined);
    const draft = {
      id: newId,
      name: `${campaign.name} — follow-up: ${label.toLowerCase()}`.slice(0, 200),
      accounts: campaign.accounts,
      audience: campaign.audience,
      content: campaign.content,
      kind: campaign.kind,
      schedule: campaign.schedule.kind === 'local_time' ? campaign.schedule : { kind: 'once' as const, at: nextHour() },
      ...(campaign.quietHours ? { quietHours: campaign.quietHours } : {}),
      ...(campaign.frequencyCap ? { frequencyCap: campaign.frequencyCap } : {}),
      ...(campaign.caps ? { caps: campaign.caps } : {}),
      ...(campaign.tracking ? { tracking: campaign.tracking } : {}),
      status: 'draft' as const,
    };
    try {
      const { error, response } = await api.POST('/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/follow-up', {
        params: { path: { campaignId: campaign.id, occurrenceKey } },
        body: { state, campaign: draft as never },
      });
      setResult(error === undefined ? { ok: true, id: newId } : { ok: false, error: errorText(error, response.status) });
    } catch (error) {
      setResult({ ok: false, error: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="follow-up-title">
      <h2 id="follow-up-title">Follow up</h2>
      <div className="grid-2">
        <label>
          Recipients who are
          <select value={state} onChange={(e) => setState(e.target.value as FollowUpState)}>
            {FOLLOW_UP_STATES.map((s) => (
              <option key={s.state} value={s.state}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Follow-up campaign id
          <input value={newId} onChange={(e) => setId(e.target.value)} pattern="[a-z0-9][a-z0-9\-]{2,62}" />
        </label>
      </div>
      <div className="actions">
        <button type="button" onClick={() => void create()} disabled={busy}>
          {busy ? 'Creating…' : 'Create follow-up draft'}
        </button>
      </div>
      {result?.ok ? (
        <p role="status">
          Draft created: <Link href={`/campaigns/${result.id}/edit`}>open the follow-up {result.id}</Link> to check its content and time, preview and schedule it.
        </p>
      ) : null}
      {result && !result.ok ? (
        <p className="error" role="alert">
          No follow-up: {result.error}
        </p>
      ) : null}
    </section>
  );
};
