import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { campaignDisplayStatus, type DisplayStatus } from './display-status';

export const StatusBadge = ({ status }: { status: DisplayStatus }) => <span className={`status status-${status.replace(' ', '-')}`}>{status}</span>;

type Stored = 'draft' | 'scheduled' | 'running' | 'paused' | 'done';

/** Reads the campaign's occurrences (newest first) to tell sending from scheduled, and sent from partially sent. */
const WithLatestOccurrence = ({ campaignId, status }: { campaignId: string; status: Stored }) => {
  const shown = useApi(() => api.GET('/admin/campaigns/{campaignId}', { params: { path: { campaignId } } }), [campaignId]);
  return <StatusBadge status={campaignDisplayStatus(status, shown.state === 'ready' ? shown.data.occurrences[0] : undefined)} />;
};

/** A campaign's status in a list; only running and done ones need their latest occurrence read. */
export const CampaignStatus = ({ campaignId, status }: { campaignId: string; status: Stored }) =>
  status === 'running' || status === 'done' ? <WithLatestOccurrence campaignId={campaignId} status={status} /> : <StatusBadge status={campaignDisplayStatus(status)} />;
