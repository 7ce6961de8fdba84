import type { ColumnDef } from '@tanstack/react-table';
import { api, type Answer } from '../../api/client';
import { useApi } from '../../api/use-api';
import type { Account } from '../../components/account-picker';
import { DataState } from '../../components/data-state';
import { DataTable } from '../../components/data-table';
import { count, money } from '../../components/format';

type RuleDay = Answer<'getAutomationUsage'>['days'][number];

const cost = (amounts: Record<string, number>) => {
  const entries = Object.entries(amounts);
  return entries.length === 0 ? '–' : entries.map(([currency, amount]) => money(amount, currency)).join(' + ');
};

const columns: ColumnDef<RuleDay, unknown>[] = [
  { header: 'Day', accessorKey: 'day' },
  { header: 'Rule', accessorKey: 'rule' },
  { header: 'Sent', accessorKey: 'sends' },
  { header: 'Refused', accessorKey: 'refused' },
  { header: 'Estimated cost', id: 'cost', cell: (c) => cost(c.row.original.estimatedCost) },
];

/** Automated sends per local day and rule over the last week, and their estimated cost. */
export const AutomationUsage = ({ account }: { account: Account }) => {
  const usage = useApi(() => api.GET('/admin/accounts/{channel}/{accountId}/automation/usage', { params: { path: { channel: account.channel, accountId: account.accountId } } }), [account.channel, account.accountId]);
  return (
    <DataState loaded={usage} what="automation usage" isEmpty={(u) => u.days.length === 0} empty="Automation sent nothing these 7 days.">
      {(u) => (
        <>
          <p>
            {u.from} to {u.to} ({u.timeZone}): {count(u.totals.sends)} sent, {count(u.totals.refused)} refused by the policy engine, estimated {cost(u.totals.estimatedCost)}
            {u.totals.unpriced > 0 ? ` (${count(u.totals.unpriced)} without a known price)` : ''}.
          </p>
          <DataTable rows={u.days} columns={columns} label="Automation usage per day and rule" />
          <p className="muted">{u.disclaimer}</p>
        </>
      )}
    </DataState>
  );
};
