import type { ReportedFunnel } from '../domain/campaign/funnel';
import type { OccurrenceRecipient } from '../campaign/occurrence-recipients';
import { REACHED_STEPS } from './contract/occurrence-recipients';
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

/** A milestone's time where the funnel recorded one (delivered, read and the like are flagged 0: their time is Meta's report). */
const milestoneAt = (record: OccurrenceRecipient['record'], milestone: 'clicked' | 'replied' | 'converted'): string | null => {
  const at = record.milestones?.[milestone];
  return at === undefined || at === 0 ? null : new Date(at).toISOString();
};

/** A recipient as `GET …/occurrences/{occurrenceKey}/recipients` lists it: its contact, status, reason and funnel. */
export const recipientView = ({ record, outcome, steps, states }: OccurrenceRecipient) => {
  const title = record.delivery?.failure?.title;
  // An earlier attempt's error, or a failure report a later delivery beat, is not why this send stands where it does.
  const failed = (steps.failed || steps.limited) && (outcome.errorCode !== undefined || title !== undefined);
  return {
    channel: record.intent.channel,
    accountId: record.intent.accountId,
    userId: record.intent.userId,
    outboxId: record.outboxId,
    status: outcome.status,
    states,
    reached: REACHED_STEPS.filter((step) => steps[step]),
    reason: record.reason ?? null,
    detail: record.detail ?? null,
    failure: failed ? { code: outcome.errorCode ?? null, title: title ?? null } : null,
    sentAt: iso(record.sentAt),
    statusAt: iso(record.delivery?.at),
    clickedAt: milestoneAt(record, 'clicked'),
    repliedAt: milestoneAt(record, 'replied'),
    convertedAt: milestoneAt(record, 'converted'),
  };
};
