import { useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, type Answer } from '../../api/client';
import { useApi } from '../../api/use-api';
import { DataState } from '../../components/data-state';
import { count, dateTime, money } from '../../components/format';
import { Page } from '../../components/page';
import { occurrenceDisplayStatus } from './display-status';
import { FollowUpForm } from './follow-up-form';
import { FunnelView } from './funnel-view';
import { reasonText } from './reason-text';
import { RecipientOutcomes } from './recipient-outcomes';
import { RecipientTable } from './recipient-table';
import { recipientsVersion } from './recipients-version';
import { StatusBadge } from './status-badge';

/** While it sends, the banner moves every 2 s; after, statuses and clicks still arrive for days. */
const SENDING_POLL_MS = 2_000;
const SETTLED_POLL_MS = 5_000;

const decoded = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

const ProgressBanner = ({ occurrence }: { occurrence: Answer<'showOccurrence'> }) => {
  const status = occurrenceDisplayStatus(occurrence);
  const { funnel, counts } = occurrence;
  const handed = funnel.jobs - funnel.pending;
  const tone = status === 'sending' || status === 'paused' ? 'warning' : status === 'sent' ? 'ok' : 'error';
  const costs = Object.entries(occurrence.costByCurrency);
  return (
    <div className={`banner ${tone}`} role="status" aria-label="Progress">
      <p>
        <StatusBadge status={status} /> <strong>{count(handed)}</strong> of {count(funnel.jobs)} messages through the sender · {count(counts.audience)} contacts read, {count(counts.enqueued)} queued,{' '}
        {count(Object.values(counts.skipped).reduce((a, b) => a + b, 0))} skipped{counts.notDue > 0 ? `, ${count(counts.notDue)} due at another time` : ''}
        {costs.length > 0 ? ` · estimated ${costs.map(([c, a]) => money(a, c)).join(' + ')}` : ''}
      </p>
      <progress max={Math.max(1, funnel.jobs)} value={handed} aria-label="Messages through the sender" />
      <p className="muted">
        Fired {dateTime(occurrence.firingAt)} · started {dateTime(occurrence.startedAt)}
        {occurrence.finishedAt ? ` · finished ${dateTime(occurrence.finishedAt)}` : ''}
        {occurrence.stopReason ? ` · stopped early: ${reasonText(occurrence.stopReason)}` : ''}
        {occurrence.heldUntil ? ` · waiting until ${dateTime(occurrence.heldUntil)}: ${reasonText(occurrence.heldReason ?? 'account_paused')} (${occurrence.heldAccount ?? 'an account'})` : ''}
        {funnel.complete ? '' : ' · the statuses could not all be read this time'}
      </p>
    </div>
  );
};

/** One firing of a campaign: its progress (live while it sends), its funnel, cost, recipients by status and one by one, and follow-ups. */
export const OccurrencePage = () => {
  const params = useParams<{ campaignId: string; occurrenceKey: string }>();
  const campaignId = params.campaignId;
  const occurrenceKey = decoded(params.occurrenceKey);
  const path = { campaignId, occurrenceKey };
  const campaign = useApi(() => api.GET('/admin/campaigns/{campaignId}', { params: { path: { campaignId } } }), [campaignId]);
  const [every, setEvery] = useState(SENDING_POLL_MS);
  const sending = useApi(() => api.GET('/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}', { params: { path } }), [campaignId, occurrenceKey], { every });
  const report = useApi(() => api.GET('/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/report', { params: { path } }), [campaignId, occurrenceKey], { every });
  const running = sending.state !== 'ready' || sending.data.status === 'running';
  useEffect(() => setEvery(running ? SENDING_POLL_MS : SETTLED_POLL_MS), [running]);
  const name = campaign.state === 'ready' ? campaign.data.name : campaignId;
  return (
    <Page title={`${name} · ${dateTime(occurrenceKey)}`} actions={<Link href={`/campaigns/${campaignId}`}>Back to the campaign</Link>}>
      <DataState loaded={sending} what="the occurrence">
        {(o) => (
          <>
            <ProgressBanner occurrence={o} />
            <h2>Funnel</h2>
            <DataState loaded={report} what="the funnel">
              {(r) => <FunnelView audience={r.audience.audience} report={r.report} title="Occurrence funnel" />}
            </DataState>
            <RecipientOutcomes skipped={o.counts.skipped} funnel={o.funnel} report={report.state === 'ready' ? report.data.report : undefined} />
            <RecipientTable campaignId={campaignId} occurrenceKey={occurrenceKey} version={recipientsVersion(o)} />
            {campaign.state === 'ready' ? <FollowUpForm campaign={campaign.data} occurrenceKey={occurrenceKey} /> : null}
          </>
        )}
      </DataState>
    </Page>
  );
};
