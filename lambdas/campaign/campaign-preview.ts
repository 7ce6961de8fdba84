import { type CostEstimate, type CostItem, estimateCost, exceedsCap } from '../domain/campaign/cost-estimate';
import { nextFireTimes } from '../domain/campaign/next-fire-times';
import { planDispatch, recipientsLeft } from '../domain/campaign/plan-dispatch';
import { marketOf } from '../domain/campaign/recipient-market';
import { parseScheduleExpression } from '../domain/campaign/schedule-expression';
import type { Campaign } from '../schemas/campaign';
import { audienceSources } from './audience-sources';
import { loadDispatchAccounts } from './dispatch-accounts';
import { addCounts } from './tally';
import type { DispatcherDeps } from './dispatcher-deps';
import { pageAudience } from './follow-up-audience';
import { loadMembers } from './load-members';

export interface CampaignPreview {
  campaignId: string;
  /** When the first send would go out (null for local-time campaigns: each contact's own time). */
  firstSendAt: string | null;
  /** Audience index entries read. */
  audience: number;
  eligible: number;
  eligibleByRoute: Record<string, number>;
  skipped: Record<string, number>;
  estimate: CostEstimate;
  overCostCap: boolean;
  /** False when the time budget ran out first: the counts cover `audience` contacts only. */
  complete: boolean;
}

export type PreviewDeps = Pick<DispatcherDeps, 'audience' | 'outbox' | 'store' | 'accounts' | 'clock' | 'policy'>;

const PAGE = 500;
const CONCURRENCY = 32;

/**
 * What the campaign would do at its next firing: the dispatcher's own planning over the whole
 * audience, with no writes. Contacts' windows, opt-ins and the accounts' state are read as they are
 * now; the policy engine decides at the next firing (a window closed by then refuses, a back-off or
 * an account pause over by then doesn't), and so do quiet hours. A local-time campaign has no single
 * firing: its policy is decided at the moment of the preview, its quiet hours at its wall-clock time.
 */
export const previewCampaign = async (deps: PreviewDeps, campaign: Campaign, options: { budgetMs: number }): Promise<CampaignPreview> => {
  const now = deps.clock();
  const deadline = now + options.budgetMs;
  const sendAtMs = firstSendAt(campaign, now);
  // The accounts' state (a pause still on or not) as of the instant the engine decides at; never before now.
  const decideAtMs = sendAtMs === undefined ? now : Math.max(now, sendAtMs);
  const accounts = await loadDispatchAccounts(deps, campaign, decideAtMs);
  const preview = { audience: 0, eligible: 0, eligibleByRoute: {} as Record<string, number>, skipped: {} as Record<string, number> };
  const items = new Map<string, CostItem>();
  let complete = true;
  sources: for (const source of audienceSources(campaign)) {
    let cursor: string | undefined;
    do {
      if (deps.clock() > deadline) {
        complete = false;
        break sources;
      }
      const page = await pageAudience(deps, source, cursor, PAGE);
      const loaded = await loadMembers(deps.store, source, page.userIds, CONCURRENCY);
      const plan = planDispatch(
        loaded.members.map((m) => m.member),
        { campaign, recipientsLeft: recipientsLeft(campaign, preview.eligible), firingAtMs: sendAtMs ?? now, occurrenceId: `${campaign.id}#preview`, accounts, now, preview: { sendAtMs: sendAtMs ?? now }, policy: deps.policy },
      );
      preview.audience += page.userIds.length;
      preview.eligible += plan.sends.length;
      addCounts(preview.skipped, plan.skipped);
      if (loaded.missing > 0) addCounts(preview.skipped, { contact_missing: loaded.missing });
      if (loaded.linked > 0) addCounts(preview.skipped, { duplicate: loaded.linked });
      for (const send of plan.sends) {
        addCounts(preview.eligibleByRoute, { [send.route]: 1 });
        const market = marketOf(send.intent.channel, send.intent.userId);
        const key = `${send.intent.channel}#${send.pricing}#${market}`;
        const item = items.get(key) ?? { channel: send.intent.channel, category: send.pricing, market, count: 0 };
        item.count += 1;
        items.set(key, item);
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  const estimate = estimateCost({ items: [...items.values()], atMs: sendAtMs ?? now });
  const maxCostEur = campaign.caps?.maxCostEur;
  return {
    campaignId: campaign.id,
    firstSendAt: sendAtMs === undefined ? null : new Date(sendAtMs).toISOString(),
    ...preview,
    estimate,
    overCostCap: maxCostEur !== undefined && exceedsCap(estimate, maxCostEur),
    complete,
  };
};

/** The next firing's instant; undefined for local-time campaigns, whose contacts each have their own. */
const firstSendAt = (campaign: Campaign, now: number): number | undefined => {
  const schedule = campaign.schedule;
  switch (schedule.kind) {
    case 'once':
      return Date.parse(schedule.at);
    case 'local_time':
      return undefined;
    case 'recurring': {
      const parsed = parseScheduleExpression(schedule.expression);
      return parsed.ok ? nextFireTimes(parsed.schedule, now, 1)[0] : undefined;
    }
  }
};

