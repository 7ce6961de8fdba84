import { type CampaignError, type CampaignService } from '../campaign/campaign-service';
import { errorJson, type HttpResult, json } from '../http/responses';
import type { ContactProfiles } from '../ports/contact-profiles';
import { InvalidPageCursor } from '../ports/page-cursor';
import { campaignView, funnelView, occurrenceView, recipientView } from './campaign-views';
import type { SuccessStatus } from './contract/route-contract';
import type { AdminRouteImpls, Handler } from './route-handler';

export interface CampaignRouteDeps {
  campaigns: CampaignService;
  profiles: ContactProfiles;
}

const putCampaign: Handler<'PUT /admin/campaigns/{campaignId}'> = async (deps, { path: { campaignId }, body: campaign }) => {
  if (campaign.id !== campaignId) return errorJson(400, 'the body’s id differs from the path’s', { path: campaignId, body: campaign.id });
  return act(
    () => deps.campaigns.put(campaign),
    (r) => ({ status: r.created ? 201 : 200, body: campaignView(r.stored) }),
  );
};

const putProfile: Handler<'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile'> = async (deps, { path: contact, body: profile }) => {
  const { channel, accountId, userId } = contact;
  // A WhatsApp person may be addressed by BSUID: the profile goes on their main record, where reads look.
  const person = await deps.store.getPerson(contact);
  const home = person?.userId ?? userId;
  await deps.profiles.put({ channel, accountId, userId: home }, profile, deps.clock());
  return { status: 200, body: { channel, accountId, userId: home, ...(home === userId ? {} : { linkedFrom: userId }), ...profile } };
};

const listRecipients: Handler<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients'> = async (deps, { path: { campaignId, occurrenceKey }, query }) => {
  try {
    return await act(
      () => deps.campaigns.recipients(campaignId, occurrenceKey, query),
      (page) => ({ status: 200, body: { recipients: page.recipients.map(recipientView), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) } }),
    );
  } catch (error) {
    if (error instanceof InvalidPageCursor) return errorJson(400, error.message);
    throw error;
  }
};

/** Runs a campaign operation, answering its CampaignError as the status it names. */
const act = async <T, A extends { status: SuccessStatus }>(run: () => Promise<T>, answer: (result: T) => A): Promise<A | HttpResult> => {
  try {
    return answer(await run());
  } catch (error) {
    if (isCampaignError(error)) return json(error.status, { error: error.message, ...error.details });
    throw error;
  }
};

const isCampaignError = (error: unknown): error is CampaignError => error instanceof Error && error.name === 'CampaignError';

export const campaignRoutes = {
  'GET /admin/campaigns': { handle: async (deps) => ({ status: 200, body: { campaigns: (await deps.campaigns.list()).map(campaignView) } }) },
  'PUT /admin/campaigns/{campaignId}': { handle: putCampaign },
  'GET /admin/campaigns/{campaignId}': {
    handle: (deps, { path: { campaignId } }) =>
      act(
        () => deps.campaigns.show(campaignId),
        (r) => ({ status: 200, body: { ...campaignView(r.stored), occurrences: r.occurrences.map(occurrenceView) } }),
      ),
  },
  'DELETE /admin/campaigns/{campaignId}': {
    handle: (deps, { path: { campaignId } }) =>
      act(
        () => deps.campaigns.remove(campaignId),
        () => ({ status: 200, body: { deleted: campaignId } }),
      ),
  },
  'POST /admin/campaigns/{campaignId}/preview': {
    handle: (deps, { path: { campaignId } }) =>
      act(
        () => deps.campaigns.preview(campaignId),
        (preview) => ({ status: 200, body: preview }),
      ),
  },
  'POST /admin/campaigns/{campaignId}/schedule': {
    handle: (deps, { path: { campaignId } }) =>
      act(
        () => deps.campaigns.schedule(campaignId),
        (r) => ({ status: 200, body: { ...campaignView(r.stored), preview: r.preview } }),
      ),
  },
  'POST /admin/campaigns/{campaignId}/pause': {
    handle: (deps, { path: { campaignId } }) =>
      act(
        () => deps.campaigns.pause(campaignId),
        (stored) => ({ status: 200, body: campaignView(stored) }),
      ),
  },
  'POST /admin/campaigns/{campaignId}/resume': {
    handle: (deps, { path: { campaignId } }) =>
      act(
        () => deps.campaigns.resume(campaignId),
        (r) => ({ status: 200, body: { ...campaignView(r.stored), resumedOccurrences: r.resumedOccurrences } }),
      ),
  },
  'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}': {
    handle: (deps, { path: { campaignId, occurrenceKey } }) =>
      act(
        () => deps.campaigns.occurrence(campaignId, occurrenceKey),
        (r) => ({ status: 200, body: { ...occurrenceView(r.occurrence), funnel: funnelView(r.funnel) } }),
      ),
  },
  'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients': { handle: listRecipients },
  'POST /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/follow-up': {
    handle: (deps, { path: { campaignId, occurrenceKey }, body: { state, campaign } }) =>
      act(
        () => deps.campaigns.followUp({ campaignId, occurrenceKey, state }, campaign),
        (r) => ({ status: r.created ? 201 : 200, body: campaignView(r.stored) }),
      ),
  },
  'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile': { handle: putProfile },
} satisfies Partial<AdminRouteImpls>;
