import type { ReportedFunnel } from '../domain/campaign/funnel';
import type { StoredCampaign } from '../ports/campaign-store';
import type { Occurrence } from '../ports/occurrence-store';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export const campaignView = (s: StoredCampaign) => ({
  ...s.campaign,
  ruleName: s.ruleName ?? null,
  version: s.version,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export const occurrenceView = (o: Occurrence) => ({
  campaignId: o.campaignId,
  occurrenceKey: o.occurrenceKey,
  status: o.status,
  stopReason: o.stopReason ?? null,
  // Waiting for a sending account's pause to end; a continuation carries on then.
  heldUntil: iso(o.heldUntil),
  heldReason: o.heldReason ?? null,
  heldAccount: o.heldAccount ?? null,
  firingAt: iso(o.firingAt),
  startedAt: iso(o.startedAt),
  updatedAt: iso(o.updatedAt),
  finishedAt: iso(o.finishedAt),
  pages: o.pages,
  counts: o.counts,
  costByCurrency: o.costByCurrency,
});

/** The funnel with its snapshot's time ISO-8601. */
export const funnelView = (funnel: ReportedFunnel) => (funnel.source === 'snapshot' ? { ...funnel, asOf: new Date(funnel.asOf).toISOString() } : funnel);
