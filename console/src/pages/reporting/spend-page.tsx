import { useState } from 'react';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { type Account, ForAccount } from '../../components/account-picker';
import { DataState } from '../../components/data-state';
import { Page } from '../../components/page';
import { ErrorsAndSpend } from './errors-and-spend';
import { ReportTabs } from './report-tabs';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The report needs its UTC days named: the last seven by this browser's clock until others are chosen. */
const lastWeek = () => ({ from: isoDay(Date.now() - 6 * DAY_MS), to: isoDay(Date.now()) });

const SendsReport = ({ account }: { account: Account }) => {
  const [range, setRange] = useState(lastWeek);
  const [draft, setDraft] = useState(range);
  const loaded = useApi(
    () => api.GET('/admin/reports/sends', { params: { query: { channel: account.channel, accountId: account.accountId, ...range } } }),
    [account.channel, account.accountId, range.from, range.to],
  );
  return (
    <>
      <form
        className="inline"
        aria-label="One-off sends: days"
        onSubmit={(e) => {
          e.preventDefault();
          setRange(draft);
        }}
      >
        <label htmlFor="sends-from">
          From (UTC)
          <input id="sends-from" type="date" required value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label htmlFor="sends-to">
          To (UTC)
          <input id="sends-to" type="date" required value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit">Show</button>
      </form>
      <DataState loaded={loaded} what="the one-off sends report" isEmpty={(r) => r.report.sent === 0 && r.report.failed.total === 0 && r.report.limited.total === 0} empty="No one-off sends on these days.">
        {(r) => <ErrorsAndSpend report={r.report} name="One-off sends" />}
      </DataState>
    </>
  );
};

const CampaignReport = ({ campaignId }: { campaignId: string }) => {
  const loaded = useApi(() => api.GET('/admin/campaigns/{campaignId}/report', { params: { path: { campaignId } } }), [campaignId]);
  return (
    <DataState loaded={loaded} what="the campaign report">
      {(r) => (
        <>
          <p className="muted">Across its last {r.occurrences} occurrences.</p>
          <ErrorsAndSpend report={r.report} name={`Campaign ${r.campaignId}`} />
        </>
      )}
    </DataState>
  );
};

const CampaignChoice = () => {
  const campaigns = useApi(() => api.GET('/admin/campaigns'), []);
  const [campaignId, setCampaignId] = useState('');
  return (
    <DataState loaded={campaigns} what="campaigns" isEmpty={(c) => c.campaigns.length === 0} empty="No campaigns yet.">
      {(c) => (
        <>
          <label htmlFor="report-campaign">
            Campaign
            <select id="report-campaign" value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
              <option value="">Choose a campaign</option>
              {c.campaigns.map((campaign) => (
                <option key={campaign.id} value={campaign.id}>
                  {campaign.id}
                </option>
              ))}
            </select>
          </label>
          {campaignId ? <CampaignReport key={campaignId} campaignId={campaignId} /> : null}
        </>
      )}
    </DataState>
  );
};

/** Errors by Meta's code and billed spend: of an account's one-off sends, and of a campaign. */
export const SpendPage = () => {
  return (
    <Page title="Reports">
      <ReportTabs />
      <h2>One-off sends</h2>
      <ForAccount empty="Choose an account to see its one-off sends.">{(account, key) => <SendsReport key={key} account={account} />}</ForAccount>
      <h2>A campaign</h2>
      <CampaignChoice />
    </Page>
  );
};
