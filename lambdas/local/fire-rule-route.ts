import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { occurrenceKeyOf } from '../domain/campaign/occurrence-key';
import type { Clock } from '../domain/clock';
import { errorJson, type HttpResult, json } from '../http/responses';
import type { CampaignFiring } from '../ports/campaign-scheduler';
import type { CampaignStore } from '../ports/campaign-store';
import type { LocalRule } from './local-scheduler';

export const FIRE_RULE_PATH = /^\/local\/rules\/([^/]+)\/fire$/;

export interface FireRuleDeps {
  rules: () => LocalRule[];
  campaigns: Pick<CampaignStore, 'get'>;
  /** The rule's target, as the scheduler invokes it at a fire time; resolves with the dispatcher's outcome. */
  invoke: (firing: CampaignFiring) => Promise<unknown>;
  clock: Clock;
}

/**
 * `POST /local/rules/{campaignId}/fire`: the campaign's rule fires now, outside its schedule, so a
 * walk-through can see an occurrence without waiting for Monday 08:00. The target gets what it gets
 * at a fire time (`{campaignId, firingAt}`), as `aws lambda invoke` on the dispatcher would give it
 * in AWS; the rule's own next fire time stays as it was.
 */
export const fireRuleRoute = async (deps: FireRuleDeps, event: APIGatewayProxyEventV2): Promise<HttpResult> => {
  let campaignId: string;
  try {
    campaignId = decodeURIComponent(FIRE_RULE_PATH.exec(event.rawPath)?.[1] ?? '');
  } catch {
    return errorJson(400, 'malformed path');
  }
  const rule = deps.rules().find((r) => r.campaignId === campaignId);
  if (rule === undefined) return errorJson(404, 'no local rule for this campaign: schedule it first', { campaignId });
  if (!rule.enabled) return errorJson(409, 'the campaign is paused: resume it first', { campaignId });
  const stored = await deps.campaigns.get(campaignId);
  if (stored === undefined) return errorJson(404, 'campaign not found', { campaignId });
  const now = deps.clock();
  const firingAt = new Date(now).toISOString();
  try {
    const result = await deps.invoke({ campaignId, firingAt });
    const outcome = typeof result === 'object' && result !== null && 'outcome' in result ? result.outcome : null;
    return json(200, { campaignId, firingAt, occurrenceKey: occurrenceKeyOf(stored.campaign.schedule, now), outcome });
  } catch (error) {
    return errorJson(502, 'the dispatcher failed on the firing', { message: (error as Error).message });
  }
};
