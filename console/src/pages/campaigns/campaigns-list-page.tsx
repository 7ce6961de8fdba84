import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'wouter';
import { api, type Schemas } from '../../api/client';
import { useApi } from '../../api/use-api';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { dateTime } from '../../components/format';
import { Page } from '../../components/page';
import { scheduleText } from './schedule-text';
import { CampaignStatus } from './status-badge';

type Campaign = Schemas['Campaign'];

const columns: ColumnDef<Campaign, unknown>[] = [
  { header: 'Name', accessorKey: 'name', cell: ({ row }) => <Link href={`/campaigns/${row.original.id}`}>{row.original.name}</Link> },
  { header: 'Status', accessorKey: 'status', cell: ({ row }) => <CampaignStatus campaignId={row.original.id} status={row.original.status} /> },
  { header: 'Schedule', id: 'schedule', accessorFn: (c) => scheduleText(c.schedule) },
  { header: 'Kind', accessorKey: 'kind' },
  { header: 'Accounts', id: 'accounts', accessorFn: (c) => c.accounts.map((a) => `${a.channel} ${a.accountId}`).join(', ') },
  { header: 'Updated', id: 'updated', accessorFn: (c) => c.updatedAt ?? '', cell: ({ row }) => dateTime(row.original.updatedAt) },
];

/** Every campaign with its status as a marketer reads it (draft, scheduled, sending, sent, paused, partially sent). */
export const CampaignsListPage = () => {
  const campaigns = useApi(() => api.GET('/admin/campaigns'), []);
  return (
    <Page
      title="Campaigns"
      actions={
        <Link href="/campaigns/new" className="button">
          New campaign
        </Link>
      }
    >
      <DataState loaded={campaigns} what="campaigns" isEmpty={(c) => c.campaigns.length === 0} empty="No campaigns yet: create one with “New campaign”.">
        {(c) => <DataTable rows={c.campaigns} columns={columns} label="Campaigns" />}
      </DataState>
    </Page>
  );
};
