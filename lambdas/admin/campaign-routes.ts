import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type CampaignError, type CampaignService } from '../campaign/campaign-service';
import { errorJson, type HttpResult, json } from '../http/responses';
import type { ContactProfiles } from '../ports/contact-profiles';
import { CampaignSchema } from '../schemas/campaign';
import { ContactProfileSchema } from '../schemas/contact-profile';
import type { AdminDeps, Route } from './admin-api';
import { campaignView, occurrenceView } from './campaign-views';
import { contactParams, idParam } from './path-params';
import { issuesOf, MALFORMED, readJson } from './request-body';

export interface CampaignRouteDeps {
  campaigns: CampaignService;
  profiles: ContactProfiles;
}

const ID = '([^/]+)';

export const campaignRoutes: [string, RegExp, Route][] = [
  ['GET', /^\/admin\/campaigns$/, listCampaigns],
  ['PUT', new RegExp(`^/admin/campaigns/${ID}$`), forCampaign(putCampaign)],
  ['GET', new RegExp(`^/admin/campaigns/${ID}$`), forCampaign(showCampaign)],
  ['DELETE', new RegExp(`^/admin/campaigns/${ID}$`), forCampaign(deleteCampaign)],
  ['POST', new RegExp(`^/admin/campaigns/${ID}/preview$`), forCampaign((deps, id) => act(() => deps.campaigns.preview(id), (p) => p))],
  ['POST', new RegExp(`^/admin/campaigns/${ID}/schedule$`), forCampaign((deps, id) => act(() => deps.campaigns.schedule(id), (r) => ({ ...campaignView(r.stored), preview: r.preview })))],
  ['POST', new RegExp(`^/admin/campaigns/${ID}/pause$`), forCampaign((deps, id) => act(() => deps.campaigns.pause(id), campaignView))],
  ['POST', new RegExp(`^/admin/campaigns/${ID}/resume$`), forCampaign((deps, id) => act(() => deps.campaigns.resume(id), (r) => ({ ...campaignView(r.stored), resumedOccurrences: r.resumedOccurrences })))],
  ['GET', new RegExp(`^/admin/campaigns/${ID}/occurrences/${ID}$`), forCampaign(showOccurrence)],
  ['PUT', new RegExp(`^/admin/contacts/${ID}/${ID}/${ID}/profile$`), putProfile],
];

type CampaignRoute = (deps: AdminDeps, campaignId: string, event: APIGatewayProxyEventV2, rest: string[]) => Promise<HttpResult>;

/** A route on `/admin/campaigns/{id}...`, reached only with an id of the campaign id's shape; `rest` holds the later parameters. */
function forCampaign(route: CampaignRoute): Route {
  return (deps, [id, ...rest], event) => {
    const campaignId = idParam('campaignId', id, 'campaignId');
    return campaignId.ok ? route(deps, campaignId.value, event, rest) : Promise.resolve(campaignId.answer);
  };
}

async function listCampaigns(deps: AdminDeps): Promise<HttpResult> {
  return json(200, { campaigns: (await deps.campaigns.list()).map(campaignView) });
}

async function putCampaign(deps: AdminDeps, id: string, event: APIGatewayProxyEventV2): Promise<HttpResult> {
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

async function showCampaign(deps: AdminDeps, id: string): Promise<HttpResult> {
  return act(
    () => deps.campaigns.show(id),
    (r) => ({ ...campaignView(r.stored), occurrences: r.occurrences.map(occurrenceView) }),
  );
}

async function deleteCampaign(deps: AdminDeps, id: string): Promise<HttpResult> {
  return act(
    () => deps.campaigns.remove(id),
    () => ({ deleted: id }),
  );
}

async function showOccurrence(deps: AdminDeps, id: string, _event: APIGatewayProxyEventV2, [rawKey]: string[]): Promise<HttpResult> {
  const key = idParam('occurrenceKey', rawKey, 'occurrenceKey');
  if (!key.ok) return key.answer;
  return act(
    () => deps.campaigns.occurrence(id, key.value),
    (r) => ({ ...occurrenceView(r.occurrence), funnel: r.funnel }),
  );
}

async function putProfile(deps: AdminDeps, [rawChannel, rawAccountId, rawUserId]: string[], event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const contact = contactParams(rawChannel, rawAccountId, rawUserId);
  if (!contact.ok) return contact.answer;
  const { channel, accountId, userId } = contact.value;
  const body = readJson(event);
  if (body === MALFORMED) return errorJson(400, 'malformed JSON');
  const parsed = ContactProfileSchema.safeParse(body);
  if (!parsed.success) return errorJson(400, 'invalid profile', issuesOf(parsed.error));
  // A WhatsApp person may be addressed by BSUID: the profile goes on their main record, where reads look.
  const person = await deps.store.getPerson(contact.value);
  const home = person?.userId ?? userId;
  await deps.profiles.put({ channel, accountId, userId: home }, parsed.data, deps.clock());
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
