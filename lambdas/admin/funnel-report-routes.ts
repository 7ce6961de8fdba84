import type { Channel } from '../domain/events';
import { funnelReport } from '../domain/measurement/funnel-report';
import { errorJson } from '../http/responses';
import type { CampaignStore } from '../ports/campaign-store';
import type { Conversions, UnattributedDay } from '../ports/conversions';
import type { FunnelCounters } from '../ports/funnel-milestones';
import type { Occurrence, OccurrenceStore } from '../ports/occurrence-store';
import type { AdminRouteImpls, Handler } from './route-handler';

/** What the funnel reports read: counters, the campaign's own records for the audience and the estimate, and the orders no message led to. */
export interface FunnelReportDeps {
  counters: FunnelCounters;
  conversions: Pick<Conversions, 'unattributed'>;
  campaigns: Pick<CampaignStore, 'get'>;
  occurrences: Pick<OccurrenceStore, 'get' | 'list'>;
}

/** The occurrences a campaign report sums the audience of (its counters cover every occurrence). */
const REPORT_OCCURRENCES = 100;

const audienceOf = (occurrences: readonly Occurrence[]) => {
  const audience = { audience: 0, enqueued: 0, skipped: {} as Record<string, number> };
  for (const o of occurrences) {
    audience.audience += o.counts.audience;
    audience.enqueued += o.counts.enqueued;
    for (const [reason, n] of Object.entries(o.counts.skipped)) audience.skipped[reason] = (audience.skipped[reason] ?? 0) + n;
  }
  return audience;
};

/** Summed in ten-thousandths, as each occurrence keeps its estimate: a campaign of one occurrence reports what that occurrence reports. */
const estimatedOf = (occurrences: readonly Occurrence[]): Record<string, number> => {
  const totals: Record<string, number> = {};
  for (const o of occurrences) for (const [currency, amount] of Object.entries(o.costByCurrency)) totals[currency] = Math.round(((totals[currency] ?? 0) + amount) * 10_000) / 10_000;
  return totals;
};

const channelsOf = (accounts: readonly { channel: Channel }[]): Channel[] => [...new Set(accounts.map((a) => a.channel))];

const getCampaignReport: Handler<'GET /admin/campaigns/{campaignId}/report'> = async (deps, { path: { campaignId } }) => {
  if (!deps.funnel) return errorJson(503, 'funnel reports are not configured for this admin API');
  const stored = await deps.funnel.campaigns.get(campaignId);
  if (!stored) return errorJson(404, 'campaign not found', { campaignId });
  const [occurrences, tally] = await Promise.all([deps.funnel.occurrences.list(campaignId, REPORT_OCCURRENCES), deps.funnel.counters.read({ kind: 'campaign', campaignId })]);
  const firstAt = Math.min(deps.clock(), ...occurrences.map((o) => o.firingAt));
  const report = funnelReport({ tally, channels: channelsOf(stored.campaign.accounts), estimated: estimatedOf(occurrences), atMs: firstAt });
  return { status: 200, body: { campaignId, occurrences: occurrences.length, audience: audienceOf(occurrences), report } };
};

const getOccurrenceReport: Handler<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/report'> = async (deps, { path: { campaignId, occurrenceKey } }) => {
  if (!deps.funnel) return errorJson(503, 'funnel reports are not configured for this admin API');
  const [occurrence, tally] = await Promise.all([deps.funnel.occurrences.get(campaignId, occurrenceKey), deps.funnel.counters.read({ kind: 'occurrence', campaignId, occurrenceKey })]);
  if (!occurrence) return errorJson(404, 'occurrence not found', { campaignId, occurrenceKey });
  const report = funnelReport({ tally, channels: channelsOf(occurrence.campaign.accounts), estimated: occurrence.costByCurrency, atMs: occurrence.firingAt });
  return { status: 200, body: { campaignId, occurrenceKey, audience: audienceOf([occurrence]), report } };
};

const getSendsReport: Handler<'GET /admin/reports/sends'> = async (deps, { query: { channel, accountId, from, to } }) => {
  if (!deps.funnel) return errorJson(503, 'funnel reports are not configured for this admin API');
  const account = { channel, accountId };
  const [tally, days] = await Promise.all([deps.funnel.counters.read({ kind: 'sends', account, from, to }), deps.funnel.conversions.unattributed(account, from, to)]);
  return { status: 200, body: { channel, accountId, from, to, report: funnelReport({ tally, channels: [channel], atMs: Date.parse(from) }), unattributed: unattributedOf(days) } };
};

/** The account's orders no message led to, over the report's days: they belong to no send, so they stand beside the funnel. */
const unattributedOf = (days: readonly UnattributedDay[]) => {
  const revenue: Record<string, number> = {};
  for (const day of days) for (const [currency, amount] of Object.entries(day.revenue)) revenue[currency] = Math.round(((revenue[currency] ?? 0) + amount) * 1_000_000) / 1_000_000;
  return { orders: days.reduce((n, day) => n + day.orders, 0), revenue, days: [...days] };
};

const getTriggerReport: Handler<'GET /admin/reports/triggers/{detailType}'> = async (deps, { path: { detailType }, query: { from, to } }) => {
  if (!deps.funnel) return errorJson(503, 'funnel reports are not configured for this admin API');
  const tally = await deps.funnel.counters.read({ kind: 'trigger', detailType, from, to });
  return { status: 200, body: { detailType, from, to, report: funnelReport({ tally, channels: [], atMs: Date.parse(from) }) } };
};

export const funnelReportRoutes = {
  'GET /admin/campaigns/{campaignId}/report': { handle: getCampaignReport },
  'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/report': { handle: getOccurrenceReport },
  'GET /admin/reports/sends': { handle: getSendsReport },
  'GET /admin/reports/triggers/{detailType}': { handle: getTriggerReport },
} satisfies Partial<AdminRouteImpls>;
