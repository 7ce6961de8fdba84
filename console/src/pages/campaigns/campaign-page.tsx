import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, errorText, type Schemas } from '../../api/client';
import { useApi } from '../../api/use-api';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { count, dateTime } from '../../components/format';
import { Page } from '../../components/page';
import { campaignDisplayStatus, occurrenceDisplayStatus } from './display-status';
import { FunnelView } from './funnel-view';
import { scheduleText } from './schedule-text';
import { StatusBadge } from './status-badge';

type Occurrence = Schemas['Occurrence'];

const POLL_MS = 5_000;

const occurrenceColumns = (campaignId: string): ColumnDef<Occurrence, unknown>[] => [
  {
    header: 'Fired',
    accessorKey: 'occurrenceKey',
    cell: ({ row }) => <Link href={`/campaigns/${campaignId}/occurrences/${encodeURIComponent(row.original.occurrenceKey)}`}>{dateTime(row.original.occurrenceKey)}</Link>,
  },
  { header: 'Status', accessorKey: 'status', cell: ({ row }) => <StatusBadge status={occurrenceDisplayStatus(row.original)} /> },
  { header: 'Read', id: 'audience', accessorFn: (o) => o.counts.audience, cell: ({ getValue }) => count(getValue() as number) },
  { header: 'Queued', id: 'enqueued', accessorFn: (o) => o.counts.enqueued, cell: ({ getValue }) => count(getValue() as number) },
  { header: 'Skipped', id: 'skipped', accessorFn: (o) => Object.values(o.counts.skipped).reduce((a, b) => a + b, 0), cell: ({ getValue }) => count(getValue() as number) },
  { header: 'Finished', id: 'finished', accessorFn: (o) => o.finishedAt ?? '', cell: ({ row }) => dateTime(row.original.finishedAt) },
];

const audienceText = (audience: Schemas['Campaign']['audience']) => {
  const parts = [
    audience.tags?.length ? `tags ${audience.tags.join(', ')}` : '',
    ...Object.entries(audience.attributes ?? {}).map(([n, v]) => `${n} = ${v}`),
    audience.topic ? `topic ${audience.topic}${audience.optInStatus ? ` (${audience.optInStatus})` : ''}` : '',
    audience.lastInboundWithinDays ? `wrote within ${audience.lastInboundWithinDays} days` : '',
    audience.windowOpen === undefined ? '' : audience.windowOpen ? 'window open' : 'window closed',
    audience.marketingOptOut === undefined ? '' : audience.marketingOptOut ? 'stopped marketing' : 'did not stop marketing',
    audience.channel ? `on ${audience.channel}` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'Every contact of the accounts' : parts.join(' · ');
};

/** Pause or resume, as the stored status allows; the answer refreshes the page. */
const Actions = ({ campaign, reload }: { campaign: Schemas['Campaign']; reload: () => void }) => {
  const [problem, setProblem] = useState<string>();
  const act = async (action: 'pause' | 'resume') => {
    setProblem(undefined);
    const path = { campaignId: campaign.id };
    const { error, response } = action === 'pause' ? await api.POST('/admin/campaigns/{campaignId}/pause', { params: { path } }) : await api.POST('/admin/campaigns/{campaignId}/resume', { params: { path } });
    if (error !== undefined) setProblem(`Could not ${action}: ${errorText(error, response.status)}`);
    reload();
  };
  return (
    <div className="actions">
      {campaign.status !== 'done' ? (
        <Link href={`/campaigns/${campaign.id}/edit`} className="button secondary">
          {campaign.status === 'draft' ? 'Edit, preview and schedule' : 'Edit'}
        </Link>
      ) : null}
      {campaign.status === 'scheduled' || campaign.status === 'running' ? (
        <button type="button" className="secondary" onClick={() => void act('pause')}>
          Pause
        </button>
      ) : null}
      {campaign.status === 'paused' ? (
        <button type="button" onClick={() => void act('resume')}>
          Resume
        </button>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
};

/** A campaign: its definition, status with pause and resume, its recent occurrences, and the funnel across them. */
export const CampaignPage = () => {
  const { campaignId } = useParams<{ campaignId: string }>();
  const shown = useApi(() => api.GET('/admin/campaigns/{campaignId}', { params: { path: { campaignId } } }), [campaignId], { every: POLL_MS });
  const fired = shown.state === 'ready' && shown.data.occurrences.length > 0;
  const report = useApi(() => api.GET('/admin/campaigns/{campaignId}/report', { params: { path: { campaignId } } }), [campaignId, fired], { every: POLL_MS });
  return (
    <Page title={shown.state === 'ready' ? shown.data.name : `Campaign ${campaignId}`} actions={<Link href="/campaigns">All campaigns</Link>}>
      <DataState loaded={shown} what="the campaign">
        {(c) => (
          <>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <StatusBadge status={campaignDisplayStatus(c.status, c.occurrences[0])} />
              </dd>
              <dt>Schedule</dt>
              <dd>{scheduleText(c.schedule)}</dd>
              <dt>Content</dt>
              <dd>
                {c.kind} ·{' '}
                {c.content.type === 'template' ? `template ${c.content.name} (${c.content.language})` : c.content.type === 'text' ? `text: ${c.content.text}` : `marketing message ${c.content.campaignMessageId}`}
              </dd>
              <dt>Accounts</dt>
              <dd>{c.accounts.map((a) => `${a.channel} ${a.accountId}`).join(', ')}</dd>
              <dt>Audience</dt>
              <dd>{audienceText(c.audience)}</dd>
              {c.followUp ? (
                <>
                  <dt>Follows up</dt>
                  <dd>
                    <Link href={`/campaigns/${c.followUp.campaignId}/occurrences/${encodeURIComponent(c.followUp.occurrenceKey)}`}>
                      {c.followUp.campaignId} at {dateTime(c.followUp.occurrenceKey)}
                    </Link>{' '}
                    ({c.followUp.state.replace(/_/g, ' ')})
                  </dd>
                </>
              ) : null}
            </dl>
            <Actions campaign={c} reload={shown.reload} />
            <h2>Occurrences</h2>
            <DataTable rows={c.occurrences} columns={occurrenceColumns(c.id)} label="Occurrences" empty="Not fired yet." />
            {c.occurrences.length > 0 ? (
              <>
                <h2>Funnel across its recent occurrences</h2>
                <DataState loaded={report} what="the campaign’s funnel">
                  {(r) => <FunnelView audience={r.audience.audience} report={r.report} title="Campaign funnel" />}
                </DataState>
              </>
            ) : null}
          </>
        )}
      </DataState>
    </Page>
  );
};
