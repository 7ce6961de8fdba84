import type { CampaignScheduler } from '../ports/campaign-scheduler';
import type { StoredCampaign } from '../ports/campaign-store';
import type { Occurrence } from '../ports/occurrence-store';
import type { Campaign, CampaignFollowUp } from '../schemas/campaign';
import { type CampaignPreview, previewCampaign } from './campaign-preview';
import type { DispatcherDeps } from './dispatcher-deps';
import { occurrenceFunnel } from './occurrence-funnel';
import { pageRecipients, type RecipientPage } from './occurrence-recipients';
import type { RecipientState } from '../domain/campaign/recipient-state';
import { type ReportedFunnel, reportedFunnel, snapshotToKeep } from '../domain/campaign/funnel';
import { continuationOf, fannedOut, stalledSegments } from './segments';

export type CampaignServiceDeps = Pick<DispatcherDeps, 'campaigns' | 'occurrences' | 'audience' | 'store' | 'accounts' | 'outbox' | 'continuations' | 'clock' | 'policy'> & {
  scheduler: CampaignScheduler;
  /** How long a preview may read the audience (the admin API answers within API Gateway's 30 s). */
  previewBudgetMs?: number;
};

/** A refusal the caller can act on: `status` is the HTTP status the admin API answers with. */
export class CampaignError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CampaignError';
  }
}

const RECENT_OCCURRENCES = 10;

/** What an operator does with campaigns; the admin API and the CLI are thin layers over it. */
export const createCampaignService = (deps: CampaignServiceDeps) => {
  const budgetMs = deps.previewBudgetMs ?? 20_000;

  const require = async (campaignId: string): Promise<StoredCampaign> => {
    const stored = await deps.campaigns.get(campaignId);
    if (stored === undefined) throw new CampaignError(404, 'campaign not found', { campaignId });
    return stored;
  };

  /**
   * Creates a draft, or replaces a definition. The body's status must be the stored one (draft for a
   * new campaign): status changes go through schedule / pause / resume, which also move the rule.
   */
  const put = async (body: Campaign, asFollowUp = false): Promise<{ created: boolean; stored: StoredCampaign }> => {
    const now = deps.clock();
    const existing = await deps.campaigns.get(body.id);
    const campaign = keptFollowUp(body, existing?.campaign, asFollowUp);
    if (existing === undefined) {
      if (campaign.status !== 'draft') throw new CampaignError(409, "a new campaign starts as 'draft'; schedule it with POST .../schedule", { status: campaign.status });
      const stored = await deps.campaigns.put(campaign, now);
      if (stored === undefined) throw new CampaignError(409, 'the campaign was created concurrently; read it and try again');
      return { created: true, stored };
    }
    const status = existing.campaign.status;
    if (campaign.status !== status) throw new CampaignError(409, `the campaign is '${status}'; change status with schedule, pause or resume`, { status });
    if (status === 'done') throw new CampaignError(409, 'a done campaign cannot change; create a new one');
    const stored = await deps.campaigns.put(campaign, now, existing.version);
    if (stored === undefined) throw new CampaignError(409, 'the campaign changed meanwhile; read it and try again');
    // A live rule follows the new schedule; a paused one stays disabled.
    if (status !== 'draft') await deps.scheduler.schedule(stored.campaign);
    return { created: false, stored };
  };

  /**
   * A draft whose audience is the recipients of another campaign's occurrence in one funnel state
   * (README "Follow-ups"), `campaign` as PUT takes it. Sent again, it replaces the draft it made.
   */
  const followUp = async (source: CampaignFollowUp, campaign: Campaign): Promise<{ created: boolean; stored: StoredCampaign }> => {
    if (campaign.id === source.campaignId) throw new CampaignError(400, 'a follow-up is a campaign of its own: give it another id', { campaignId: campaign.id });
    // Every firing of a recurring follow-up would send to the same recipients again.
    if (campaign.schedule.kind === 'recurring') throw new CampaignError(400, "a follow-up sends once: schedule kind 'once' or 'local_time'");
    if ((await deps.occurrences.get(source.campaignId, source.occurrenceKey)) === undefined) {
      throw new CampaignError(404, 'occurrence not found', { campaignId: source.campaignId, occurrenceKey: source.occurrenceKey });
    }
    const existing = await deps.campaigns.get(campaign.id);
    if (existing !== undefined && !sameFollowUp(existing.campaign.followUp, source)) {
      throw new CampaignError(409, 'a campaign with this id exists and is not this follow-up; give the follow-up another id', { campaignId: campaign.id });
    }
    return put({ ...campaign, followUp: { ...source } }, true);
  };

  const preview = async (campaignId: string): Promise<CampaignPreview> => previewCampaign(deps, (await require(campaignId)).campaign, { budgetMs });

  /** Refuses a campaign already over its cost cap or whose only firing has passed: it would not start. */
  const schedule = async (campaignId: string): Promise<{ stored: StoredCampaign; preview: CampaignPreview }> => {
    const { campaign } = await require(campaignId);
    if (campaign.status !== 'draft') throw new CampaignError(409, `only a draft can be scheduled; the campaign is '${campaign.status}'`, { status: campaign.status });
    const now = deps.clock();
    if (campaign.schedule.kind === 'once' && Date.parse(campaign.schedule.at) <= now) {
      throw new CampaignError(409, 'the campaign’s time has passed; set a later schedule.at', { at: campaign.schedule.at });
    }
    const estimate = await previewCampaign(deps, campaign, { budgetMs });
    if (estimate.overCostCap) {
      throw new CampaignError(409, 'the estimated cost is over the campaign’s cost cap (caps.maxCostEur); it was not scheduled', { preview: estimate });
    }
    // A partial estimate can't show a cap holds; the dispatcher would still stop at it, mid-audience.
    if (!estimate.complete && campaign.caps?.maxCostEur !== undefined) {
      throw new CampaignError(409, 'the audience is too large to estimate within the preview’s time budget, so the cost cap can’t be checked; remove caps.maxCostEur or use caps.maxRecipients', {
        preview: estimate,
      });
    }
    const { ruleName } = await deps.scheduler.schedule({ ...campaign, status: 'scheduled' });
    const stored = await deps.campaigns.setStatus(campaignId, 'scheduled', now, { from: ['draft'], ruleName });
    if (stored === undefined) throw new CampaignError(409, 'the campaign changed while it was being scheduled; read it and try again');
    return { stored, preview: estimate };
  };

  const pause = async (campaignId: string): Promise<StoredCampaign> => {
    const stored = await deps.campaigns.setStatus(campaignId, 'paused', deps.clock(), { from: ['scheduled', 'running'] });
    if (stored === undefined) throw await statusConflict(campaignId, 'only a scheduled or running campaign can be paused');
    await deps.scheduler.pause(campaignId);
    return stored;
  };

  /**
   * Re-enables the rule and picks up any occurrence the pause stopped halfway, or whose worker stopped
   * without handing over (its lease ran out); for a fanned-out occurrence, each such segment. Listed
   * after the status change, so a worker that was just saving `paused` is seen.
   */
  const resume = async (campaignId: string): Promise<{ stored: StoredCampaign; resumedOccurrences: string[] }> => {
    const fired = (await deps.occurrences.list(campaignId, 1)).length > 0;
    const now = deps.clock();
    const stored = await deps.campaigns.setStatus(campaignId, fired ? 'running' : 'scheduled', now, { from: ['paused'] });
    if (stored === undefined) throw await statusConflict(campaignId, 'only a paused campaign can be resumed');
    await deps.scheduler.resume(campaignId);
    const resumed: string[] = [];
    for (const o of await deps.occurrences.list(campaignId, RECENT_OCCURRENCES)) {
      if (fannedOut(o)) {
        // Each segment the pause halted (or whose worker stopped) gets a continuation of its own.
        const stalled = stalledSegments(o, now);
        for (const segment of stalled) await deps.continuations.continueLater(continuationOf(campaignId, o.occurrenceKey, segment));
        if (stalled.length > 0) resumed.push(o.occurrenceKey);
      } else if (o.status === 'paused' || (o.status === 'running' && (o.leaseUntil ?? 0) <= now)) {
        await deps.continuations.continueLater({ campaignId, occurrenceKey: o.occurrenceKey });
        resumed.push(o.occurrenceKey);
      }
    }
    return { stored, resumedOccurrences: resumed };
  };

  /** The rule goes first, so a campaign is never left firing without a definition. */
  const remove = async (campaignId: string): Promise<void> => {
    await require(campaignId);
    await deps.scheduler.remove(campaignId);
    await deps.campaigns.delete(campaignId);
  };

  const show = async (campaignId: string): Promise<{ stored: StoredCampaign; occurrences: Occurrence[] }> => {
    const stored = await require(campaignId);
    return { stored, occurrences: await deps.occurrences.list(campaignId, RECENT_OCCURRENCES) };
  };

  /**
   * The occurrence and what became of its jobs. Each complete count is kept on the occurrence
   * (lambdas/domain/campaign/funnel.ts): outbox records expire (retention), and once they have, the
   * report answers the kept count, `source: 'snapshot'` with its time, instead of a shrunken one.
   */
  const occurrence = async (campaignId: string, occurrenceKey: string): Promise<{ occurrence: Occurrence; funnel: ReportedFunnel }> => {
    const found = await deps.occurrences.get(campaignId, occurrenceKey);
    if (found === undefined) throw new CampaignError(404, 'occurrence not found', { campaignId, occurrenceKey });
    const live = await occurrenceFunnel(deps, `${campaignId}#${occurrenceKey}`, { budgetMs });
    const keep = snapshotToKeep(live, found.funnel, deps.clock());
    if (keep !== undefined) await deps.occurrences.saveFunnel(campaignId, occurrenceKey, keep);
    return { occurrence: found, funnel: reportedFunnel(live, found.funnel) };
  };

  /** One page of the occurrence's recipients, in `state` when given (occurrence-recipients.ts). */
  const recipients = async (campaignId: string, occurrenceKey: string, query: { state?: RecipientState; cursor?: string; limit: number }): Promise<RecipientPage> => {
    const found = await deps.occurrences.get(campaignId, occurrenceKey);
    if (found === undefined) throw new CampaignError(404, 'occurrence not found', { campaignId, occurrenceKey });
    return pageRecipients(deps, `${campaignId}#${occurrenceKey}`, query);
  };

  const statusConflict = async (campaignId: string, message: string): Promise<CampaignError> => {
    const stored = await require(campaignId);
    return new CampaignError(409, message, { status: stored.campaign.status });
  };

  return { put, followUp, list: () => deps.campaigns.list(), preview, schedule, pause, resume, remove, show, occurrence, recipients };
};

export type CampaignService = ReturnType<typeof createCampaignService>;

const sameFollowUp = (a: CampaignFollowUp | undefined, b: CampaignFollowUp | undefined): boolean =>
  a?.campaignId === b?.campaignId && a?.occurrenceKey === b?.occurrenceKey && a?.state === b?.state;

/**
 * A follow-up's audience is fixed once made: a PUT of its definition keeps it (a body without
 * `followUp` too), and only the follow-up route sets one.
 */
const keptFollowUp = (body: Campaign, stored: Campaign | undefined, asFollowUp: boolean): Campaign => {
  if (asFollowUp) return body;
  if (body.followUp !== undefined && !sameFollowUp(body.followUp, stored?.followUp)) {
    throw new CampaignError(409, 'followUp is set by POST /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/follow-up and never changes', { followUp: stored?.followUp ?? null });
  }
  return stored?.followUp === undefined ? body : { ...body, followUp: { ...stored.followUp } };
};
