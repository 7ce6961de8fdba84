/**
 * Every HTTP call the CLI makes: the admin API's routes through one `call`, typed from the contract
 * (route-call.ts) with a named method per route for the commands, then the local stack's stand-ins
 * for EventBridge and the webhook. A refusal or failure throws ApiError with the stack's own words.
 */
import type { AdminRouteKey, Route } from '../../lambdas/admin/contract';
import { ApiError } from '../errors';
import type { FireRuleAnswer, LocalRulesAnswer, PutEventsAnswer, PutEventsBody } from './local-stack-answers';
import { type AnswerOf, pathSegment, type QueryValue, queryText, type RequestArgs, type RequestOf, requestLine, type ResponseOf } from './route-call';
import type { Answer, Transport } from './transport';

export type AccountRef = Route<'GET /admin/accounts/{channel}/{accountId}'>['path'];
export type Channel = AccountRef['channel'];
export type ContactRef = Route<'GET /admin/contacts/{channel}/{accountId}/{userId}'>['path'];

/** The header a CSV page of the contact search names the next page's cursor in (the contract's CSV_CURSOR_HEADER; the CLI loads no schema). */
const CSV_CURSOR_HEADER = 'x-afterchat-cursor';

/** Hints for refusals whose cause is usually on the caller's side of the wire. */
const hintFor = (status: number, body: unknown, signed: boolean): string | undefined => {
  if (status === 403 && signed) return 'the AWS identity signing these requests may lack the route: attach the viewer, operator or admin policy (README "Access levels")';
  if (status === 404 && typeof body === 'object' && body !== null && (body as { error?: unknown }).error === 'no such route') {
    return 'this stack has no such route: is --url an afterchat of this version?';
  }
  return undefined;
};

export const createAfterchatClient = (transport: Transport) => {
  const signed = !transport.target.loopback;
  const exchange = async (method: string, path: string, options: { body?: unknown; query?: Record<string, string | undefined> } = {}): Promise<Answer> => {
    const answer = await transport.send(method, path, {
      query: options.query,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    if (answer.status >= 400) throw new ApiError(answer.status, answer.body, `${method} ${path}`, hintFor(answer.status, answer.body, signed));
    return answer;
  };

  /** An admin route by its contract key, e.g. `call('GET /admin/sends/{outboxId}', { path: { outboxId } })`. */
  const call = async <K extends AdminRouteKey>(key: K, ...[request]: RequestArgs<K>): Promise<AnswerOf<K>> => {
    const { path, query, body } = (request ?? {}) as { path?: Record<string, unknown>; query?: Record<string, QueryValue>; body?: unknown };
    const line = requestLine(key, path);
    return (await exchange(line.method, line.path, { query: queryText(query), body })) as AnswerOf<K>;
  };
  /** The route's answer body, whichever success status it came with. */
  const read = async <K extends AdminRouteKey>(key: K, ...request: RequestArgs<K>): Promise<ResponseOf<K>> => (await call(key, ...request)).body as ResponseOf<K>;

  return {
    target: transport.target,
    call,

    getContact: (contact: ContactRef) => read('GET /admin/contacts/{channel}/{accountId}/{userId}', { path: contact }),
    listContactSends: (contact: ContactRef, query: RequestOf<'GET /admin/contacts/{channel}/{accountId}/{userId}/sends'>['query'] = {}) =>
      read('GET /admin/contacts/{channel}/{accountId}/{userId}/sends', { path: contact, query }),
    getContactProfile: (contact: ContactRef) => read('GET /admin/contacts/{channel}/{accountId}/{userId}/profile', { path: contact }),
    exportContact: (contact: ContactRef, query: RequestOf<'GET /admin/contacts/{channel}/{accountId}/{userId}/export'>['query'] = {}) =>
      read('GET /admin/contacts/{channel}/{accountId}/{userId}/export', { path: contact, query }),
    putContactProfile: (contact: ContactRef, profile: Route<'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile'>['body']) =>
      read('PUT /admin/contacts/{channel}/{accountId}/{userId}/profile', { path: contact, body: profile }),
    startHandoff: (contact: ContactRef, body: Route<'POST /admin/contacts/{channel}/{accountId}/{userId}/handoff'>['body'] = {}) =>
      read('POST /admin/contacts/{channel}/{accountId}/{userId}/handoff', { path: contact, body }),
    endHandoff: (contact: ContactRef) => read('DELETE /admin/contacts/{channel}/{accountId}/{userId}/handoff', { path: contact }),
    eraseContact: (contact: ContactRef) => read('DELETE /admin/contacts/{channel}/{accountId}/{userId}', { path: contact }),
    getMessage: (messageId: string) => read('GET /admin/messages/{messageId}', { path: { messageId } }),
    searchContacts: (account: AccountRef, query: RequestOf<'GET /admin/contacts/{channel}/{accountId}'>['query'] = {}) =>
      read('GET /admin/contacts/{channel}/{accountId}', { path: account, query: { ...query, format: 'json' } }),
    /** One page of a segment as CSV: the same search, its continuation in a header rather than the body. */
    exportContactsCsv: async (account: AccountRef, query: RequestOf<'GET /admin/contacts/{channel}/{accountId}'>['query'] = {}) => {
      const line = requestLine('GET /admin/contacts/{channel}/{accountId}', account);
      const answer = await exchange(line.method, line.path, { query: queryText({ ...query, format: 'csv' }) });
      const cursor = answer.headers?.[CSV_CURSOR_HEADER];
      return { csv: String(answer.body), ...(typeof cursor === 'string' ? { cursor } : {}) };
    },

    createImport: (body: Route<'POST /admin/imports'>['body']) => read('POST /admin/imports', { body }),
    putImportChunk: (importId: string, seq: number, body: Route<'PUT /admin/imports/{importId}/chunks/{seq}'>['body']) =>
      read('PUT /admin/imports/{importId}/chunks/{seq}', { path: { importId, seq: String(seq) }, body }),
    startImport: (importId: string, chunks: number) => read('POST /admin/imports/{importId}/start', { path: { importId }, body: { chunks } }),
    getImport: (importId: string) => read('GET /admin/imports/{importId}', { path: { importId } }),
    listImportErrors: (importId: string, query: RequestOf<'GET /admin/imports/{importId}/errors'>['query'] = {}) =>
      read('GET /admin/imports/{importId}/errors', { path: { importId }, query }),
    listImports: (query: RequestOf<'GET /admin/imports'>['query'] = {}) => read('GET /admin/imports', { query }),

    listTemplates: (account: AccountRef) => read('GET /admin/templates/{channel}/{accountId}', { path: account }),
    syncTemplates: (account: AccountRef) => read('POST /admin/templates/{channel}/{accountId}/sync', { path: account }),

    listAccounts: () => read('GET /admin/accounts'),
    getAccount: (account: AccountRef) => read('GET /admin/accounts/{channel}/{accountId}', { path: account }),
    putAccount: (account: AccountRef, body: Route<'PUT /admin/accounts/{channel}/{accountId}'>['body']) => read('PUT /admin/accounts/{channel}/{accountId}', { path: account, body }),
    deleteAccount: (account: AccountRef) => read('DELETE /admin/accounts/{channel}/{accountId}', { path: account }),
    getAutomationConfig: (account: AccountRef) => read('GET /admin/accounts/{channel}/{accountId}/automation', { path: account }),
    putAutomationConfig: (account: AccountRef, config: Route<'PUT /admin/accounts/{channel}/{accountId}/automation'>['body']) =>
      read('PUT /admin/accounts/{channel}/{accountId}/automation', { path: account, body: config }),
    getAutomationUsage: (account: AccountRef, query: RequestOf<'GET /admin/accounts/{channel}/{accountId}/automation/usage'>['query'] = {}) =>
      read('GET /admin/accounts/{channel}/{accountId}/automation/usage', { path: account, query }),
    getResponsiveness: (account: AccountRef, query: RequestOf<'GET /admin/accounts/{channel}/{accountId}/responsiveness'>['query'] = {}) =>
      read('GET /admin/accounts/{channel}/{accountId}/responsiveness', { path: account, query }),
    getAudienceGrowth: (account: AccountRef, query: RequestOf<'GET /admin/accounts/{channel}/{accountId}/growth'>['query'] = {}) =>
      read('GET /admin/accounts/{channel}/{accountId}/growth', { path: account, query }),
    getCampaignReport: (campaignId: string) => read('GET /admin/campaigns/{campaignId}/report', { path: { campaignId } }),
    getOccurrenceReport: (campaignId: string, occurrenceKey: string) =>
      read('GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/report', { path: { campaignId, occurrenceKey } }),
    getSendsReport: (query: RequestOf<'GET /admin/reports/sends'>['query']) => read('GET /admin/reports/sends', { query }),
    getTriggerReport: (detailType: string, query: RequestOf<'GET /admin/reports/triggers/{detailType}'>['query']) =>
      read('GET /admin/reports/triggers/{detailType}', { path: { detailType }, query }),

    previewSend: (body: Route<'POST /admin/sends/preview'>['body']) => read('POST /admin/sends/preview', { body }),
    send: (body: Route<'POST /admin/sends'>['body']) => read('POST /admin/sends', { body }),
    getSend: (outboxId: string) => read('GET /admin/sends/{outboxId}', { path: { outboxId } }),

    listCampaigns: () => read('GET /admin/campaigns'),
    /** `created`: the campaign was new (201), a draft now. */
    putCampaign: async (campaign: Route<'PUT /admin/campaigns/{campaignId}'>['body']) => {
      const { status, body } = await call('PUT /admin/campaigns/{campaignId}', { path: { campaignId: campaign.id }, body: campaign });
      return { created: status === 201, campaign: body };
    },
    getCampaign: (campaignId: string) => read('GET /admin/campaigns/{campaignId}', { path: { campaignId } }),
    deleteCampaign: (campaignId: string) => read('DELETE /admin/campaigns/{campaignId}', { path: { campaignId } }),
    previewCampaign: (campaignId: string) => read('POST /admin/campaigns/{campaignId}/preview', { path: { campaignId } }),
    scheduleCampaign: (campaignId: string) => read('POST /admin/campaigns/{campaignId}/schedule', { path: { campaignId } }),
    pauseCampaign: (campaignId: string) => read('POST /admin/campaigns/{campaignId}/pause', { path: { campaignId } }),
    resumeCampaign: (campaignId: string) => read('POST /admin/campaigns/{campaignId}/resume', { path: { campaignId } }),
    getOccurrence: (campaignId: string, occurrenceKey: string) =>
      read('GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}', { path: { campaignId, occurrenceKey } }),
    listOccurrenceRecipients: (campaignId: string, occurrenceKey: string, query: RequestOf<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients'>['query'] = {}) =>
      read('GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients', { path: { campaignId, occurrenceKey }, query }),
    /** A draft to the occurrence's recipients in one funnel state; `created`: it was new (201). */
    createFollowUp: async (campaignId: string, occurrenceKey: string, body: Route<'POST /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/follow-up'>['body']) => {
      const { status, body: campaign } = await call('POST /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/follow-up', { path: { campaignId, occurrenceKey }, body });
      return { created: status === 201, campaign };
    },

    health: () => read('GET /admin/health'),
    audit: (query: RequestOf<'GET /admin/audit'>['query'] = {}) => read('GET /admin/audit', { query }),
    quarantine: (query: RequestOf<'GET /admin/quarantine'>['query'] = {}) => read('GET /admin/quarantine', { query }),

    /** Local stack only: PutEvents on its business bus. */
    putEvents: async (body: PutEventsBody) => (await exchange('POST', '/local/events', { body })).body as PutEventsAnswer,
    /** Local stack only: the campaign rules of its scheduler. */
    localRules: async () => (await exchange('GET', '/local/rules')).body as LocalRulesAnswer,
    /** Local stack only: a campaign's rule fires now. */
    fireRule: async (campaignId: string) => (await exchange('POST', `/local/rules/${pathSegment('campaignId', campaignId)}/fire`)).body as FireRuleAnswer,

    /** A webhook body as Meta posts it: the exact bytes, signed with the app secret (never SigV4). */
    postWebhook: (body: string, signature: string): Promise<Answer> =>
      transport.send('POST', '/webhooks/meta', { body, headers: { 'x-hub-signature-256': signature }, sign: false }),
  };
};

export type AfterchatClient = ReturnType<typeof createAfterchatClient>;
