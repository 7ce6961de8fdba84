import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type CampaignError, type CampaignService } from '../campaign/campaign-service';
import { errorJson, type HttpResult, json } from '../http/responses';
import type { ContactProfiles } from '../ports/contact-profiles';
import { CampaignSchema } from '../schemas/campaign';
import { ContactProfileSchema } from '../schemas/contact-profile';
import type { AdminDeps, Route } from './admin-api';
import { campaignView, occurrenceView } from './campaign-views';
import { issuesOf, MALFORMED, readJson } from './request-body';
import { isChannel } from './views';

export interface CampaignRouteDeps {
  campaigns: CampaignService;
  profiles: ContactProfiles;
}

const ID = '([^/]+)';

export const campaignRoutes: [string, RegExp, Route][] = [
  ['GET', /^\/admin\/campaigns$/, listCampaigns],
  ['PUT', new RegExp(`^/admin/campaigns/${ID}$`), putCampaign],
  ['GET', new RegExp(`^/admin/campaigns/${ID}$`), showCampaign],
  ['DELETE', new RegExp(`^/admin/campaigns/${ID}$`), deleteCampaign],
  ['POST', new RegExp(`^/admin/campaigns/${ID}/preview$`), (deps, [id]) => act(() => deps.campaigns.preview(String(id)), (p) => p)],
  ['POST', new RegExp(`^/admin/campaigns/${ID}/schedule$`), (deps, [id]) => act(() => deps.campaigns.schedule(String(id)), (r) => ({ ...campaignView(r.stored), preview: r.preview }))],
  ['POST', new RegExp(`^/admin/campaigns/${ID}/pause$`), (deps, [id]) => act(() => deps.campaigns.pause(String(id)), campaignView)],
  ['POST', new RegExp(`^/admin/campaigns/${ID}/resume$`), (deps, [id]) => act(() => deps.campaigns.resume(String(id)), (r) => ({ ...campaignView(r.stored), resumedOccurrences: r.resumedOccurrences }))],
  ['GET', new RegExp(`^/admin/campaigns/${ID}/occurrences/${ID}$`), showOccurrence],
  ['PUT', new RegExp(`^/admin/contacts/${ID}/${ID}/${ID}/profile$`), putProfile],
];

async function listCampaigns(deps: AdminDeps): Promise<HttpResult> {
  return json(200, { campaigns: (await deps.campaigns.list()).map(campaignView) });
}

async function putCampaign(deps: AdminDeps, [id]: string[], event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const body = readJson(event);
  if (body === MALFORMED) return errorJson(400, 'malformed JSON');
  const parsed = CampaignSchema.safeParse(body);
  if (!parsed.success) return errorJson(400, 'invalid campaign', issuesOf(parsed.error));
  if (parsed.data.id !== id) return errorJson(400, 'the body’s id differs from the path’s', { path: id, body: parsed.data.id });
  return act(
    () => deps.campaigns.put(parsed.data),
    (r) => campaignView(r.stored),
    (r) => (r.created ? 201 : 200),
  );
}

async function showCampaign(deps: AdminDeps, [id]: string[]): Promise<HttpResult> {
  return act(
    () => deps.campaigns.show(String(id)),
    (r) => ({ ...campaignView(r.stored), occurrences: r.occurrences.map(occurrenceView) }),
  );
}

async function deleteCampaign(deps: AdminDeps, [id]: string[]): Promise<HttpResult> {
  return act(
    () => deps.campaigns.remove(String(id)),
    () => ({ deleted: id }),
  );
}

async function showOccurrence(deps: AdminDeps, [id, key]: string[]): Promise<HttpResult> {
  return act(
    () => deps.campaigns.occurrence(String(id), String(key)),
    (r) => ({ ...occurrenceView(r.occurrence), funnel: r.funnel }),
  );
}

async function putProfile(deps: AdminDeps, [channel, accountId, userId]: string[], event: APIGatewayProxyEventV2): Promise<HttpResult> {
  if (!channel || !isChannel(channel)) return errorJson(400, 'unknown channel', { channel, expected: ['messenger', 'instagram', 'whatsapp'] });
  if (!/^\d{1,32}$/.test(String(accountId))) return errorJson(400, 'accountId must be a numeric Meta id');
  const body = readJson(event);
  if (body === MALFORMED) return errorJson(400, 'malformed JSON');
  const parsed = ContactProfileSchema.safeParse(body);
  if (!parsed.success) return errorJson(400, 'invalid profile', issuesOf(parsed.error));
  // A WhatsApp person may be addressed by BSUID: the profile goes on their main record, where reads look.
  const person = await deps.store.getPerson({ channel, accountId: String(accountId), userId: String(userId) });
  const home = person?.userId ?? String(userId);
  await deps.profiles.put({ channel, accountId: String(accountId), userId: home }, parsed.data, deps.clock());
  return json(200, { channel, accountId, userId: home, ...(home === userId ? {} : { linkedFrom: userId }), ...parsed.data });
}

/** Runs a campaign operation, answering its CampaignError as the status it names. */
const act = async <T>(run: () => Promise<T>, view: (result: T) => unknown, status: (result: T) => number = () => 200): Promise<HttpResult> => {
  try {
    const result = await run();
    return json(status(result), view(result));
  } catch (error) {
    if (isCampaignError(error)) return json(error.status, { error: error.message, ...error.details });
    throw error;
  }
};

const isCampaignError = (error: unknown): error is CampaignError => error instanceof Error && error.name === 'CampaignError';
