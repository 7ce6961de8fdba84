import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '../domain/clock';
import { errorJson, type HttpResult, json } from '../http/responses';
import type { AccountRegistry } from '../ports/account-registry';
import type { QuarantineStore } from '../ports/quarantine';
import type { StateStore } from '../ports/state-store';
import type { Decision } from '../domain/send/policy-types';
import { accountInputSchema } from '../schemas/account-input';
import { sendPreviewSchema, SendRequestSchema } from '../schemas/send-intent';
import { type createSendRequests, outboxView } from '../send/send-requests';
import { campaignRoutes, type CampaignRouteDeps } from './campaign-routes';
import { healthRoutes } from './health';
import { auditRoutes } from './audit-routes';
import { createAuditTrail } from '../audit/audit-trail';
import type { AuditLog } from '../ports/audit-log';
import { quarantineRoutes } from './quarantine-routes';
import { accountParams, contactParams, idParam, messageIdParam } from './path-params';
import { issuesOf, MALFORMED, readJson } from './request-body';
import { templateRoutes } from './template-routes';
import type { TemplateSync } from '../templates/sync-templates';
import { accountPolicyView, contactView, messageView, templateView } from './views';

export interface AdminDeps {
  store: StateStore;
  accounts: AccountRegistry;
  clock: Clock;
  logger: Logger;
  sends: ReturnType<typeof createSendRequests>;
  campaigns: CampaignRouteDeps['campaigns'];
  profiles: CampaignRouteDeps['profiles'];
  /**
   * The audit log: every POST, PUT, PATCH and DELETE the API accepts is recorded in it before it runs
   * (caller, action, target), and settled with its status; `GET /admin/audit` reads it. Absent: nothing
   * is recorded and that route answers 503 (the handlers in AWS and the local stack always give one).
   */
  audit?: AuditLog;
  /** Quarantined webhook items (`GET /admin/quarantine`); absent: that route answers 503. */
  quarantine?: Pick<QuarantineStore, 'list'>;
  /** Template sync against Meta's listings (`POST /admin/templates/.../sync`); absent: that route answers 503. */
  templateSync?: TemplateSync;
  /** The sender's Graph API version (GRAPH_API_VERSION), shown by `GET /admin/health`; absent: reported as not configured. */
  graphApiVersion?: string;
  /** Where `GET /admin/health` emits its Graph API version metrics; absent: logs only. */
  metrics?: Metrics;
  /**
   * The sender's TOKEN_SECRET_PREFIX (e.g. `afterchat/dev/tokens/`): a registration's `tokenSecret`
   * must be named under it, the only names the sender may read. Absent: every registration is refused.
   */
  tokenSecretPrefix?: string;
}

export type Route = (deps: AdminDeps, params: string[], event: APIGatewayProxyEventV2) => Promise<HttpResult>;

/** `METHOD /path/:param` patterns; parameters are single path segments, URL-decoded. */
// Exported for lib/access-levels.ts's test: every route here must have an access level.
export const routes: [string, RegExp, Route][] = [
  ['GET', /^\/admin\/contacts\/([^/]+)\/([^/]+)\/([^/]+)$/, getContact],
  ['GET', /^\/admin\/contacts\/([^/]+)\/([^/]+)\/([^/]+)\/sends$/, listContactSends],
  ['GET', /^\/admin\/messages\/([^/]+)$/, getMessage],
  ['GET', /^\/admin\/templates\/([^/]+)\/([^/]+)$/, getTemplates],
  ['GET', /^\/admin\/accounts$/, listAccounts],
  ['GET', /^\/admin\/accounts\/([^/]+)\/([^/]+)$/, getAccount],
  ['PUT', /^\/admin\/accounts\/([^/]+)\/([^/]+)$/, putAccount],
  ['DELETE', /^\/admin\/accounts\/([^/]+)\/([^/]+)$/, deleteAccount],
  ['POST', /^\/admin\/sends\/preview$/, previewSend],
  ['POST', /^\/admin\/sends$/, enqueueSend],
  ['GET', /^\/admin\/sends\/([^/]+)$/, getSend],
  ...templateRoutes,
  ...campaignRoutes,
  ...healthRoutes,
  ...auditRoutes,
  ...quarantineRoutes,
];

/** The admin API: IAM-authorised in AWS, open on localhost in the local stack. */
export const createAdminHandler =
  (deps: AdminDeps) =>
  async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    const method = event.requestContext.http.method;
    const path = event.rawPath.replace(/\/+$/, '');
    let pathMatched = false;
    for (const [routeMethod, pattern, route] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (routeMethod !== method) continue;
      let params: string[];
      try {
        params = match.slice(1).map((p) => decodeURIComponent(p));
      } catch {
        return errorJson(400, 'malformed path');
      }
      try {
        const run = () => route(deps, params, event);
        // Every write is recorded in the audit log before it runs (lambdas/audit/audit-trail.ts).
        const audit = deps.audit && createAuditTrail({ log: deps.audit, clock: deps.clock, logger: deps.logger });
        return await (audit ? audit.record({ event, method, pattern, params }, run) : run());
      } catch (error) {
        deps.logger.error('admin request failed', error as Error);
        return errorJson(500, 'internal error');
      }
    }
    return pathMatched ? errorJson(405, 'method not allowed') : errorJson(404, 'no such route', { path });
  };

async function getContact(deps: AdminDeps, [channel, accountId, userId]: string[]): Promise<HttpResult> {
  const contact = contactParams(channel, accountId, userId);
  if (!contact.ok) return contact.answer;
  const record = await deps.store.getPerson(contact.value);
  if (!record) return errorJson(404, 'contact not found', { channel, accountId, userId });
  return json(200, { ...contactView(record, deps.clock()), ...(record.userId !== userId ? { linkedFrom: userId } : {}) });
}

/** `?limit=` (1–100, default 20) and `?cursor=` from the previous page: one Query on the person index. */
async function listContactSends(deps: AdminDeps, [channel, accountId, userId]: string[], event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const contact = contactParams(channel, accountId, userId);
  if (!contact.ok) return contact.answer;
  const { limit: rawLimit, cursor } = event.queryStringParameters ?? {};
  const limit = rawLimit === undefined ? 20 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return errorJson(400, 'limit must be an integer from 1 to 100', { limit: rawLimit });
  let page: Awaited<ReturnType<AdminDeps['sends']['listByContact']>>;
  try {
    page = await deps.sends.listByContact(contact.value, cursor, limit);
  } catch (error) {
    if (error instanceof Error && /page cursor/.test(error.message)) return errorJson(400, error.message);
    throw error;
  }
  return json(200, { sends: page.sends.map(outboxView), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) });
}

async function getMessage(deps: AdminDeps, [messageId]: string[]): Promise<HttpResult> {
  const id = messageIdParam(messageId);
  if (!id.ok) return id.answer;
  const record = await deps.store.getMessage(id.value);
  return record ? json(200, messageView(record)) : errorJson(404, 'message not found', { messageId });
}

async function getTemplates(deps: AdminDeps, [channel, accountId]: string[]): Promise<HttpResult> {
  const account = accountParams(channel, accountId);
  if (!account.ok) return account.answer;
  const ref = account.value;
  const templates = await deps.store.listTemplates(ref);
  if (templates.length === 0) return errorJson(404, 'no templates known for this account', ref);
  return json(200, { ...ref, templates: templates.map(templateView) });
}

async function listAccounts(deps: AdminDeps): Promise<HttpResult> {
  return json(200, { accounts: await deps.accounts.list() });
}

async function getAccount(deps: AdminDeps, [channel, accountId]: string[]): Promise<HttpResult> {
  const checked = accountParams(channel, accountId);
  if (!checked.ok) return checked.answer;
  const ref = checked.value;
  const [account, policy] = await Promise.all([deps.accounts.get(ref), deps.store.getAccountPolicy(ref)]);
  if (!account && !policy) return errorJson(404, 'account not found', ref);
  const wabaPolicy = account?.wabaId ? await deps.store.getAccountPolicy({ channel: ref.channel, accountId: account.wabaId }) : undefined;
  return json(200, { ...ref, registered: account !== undefined, profile: account ?? null, policy: accountPolicyView([wabaPolicy, policy]) });
}

async function putAccount(deps: AdminDeps, [channel, accountId]: string[], event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const checked = accountParams(channel, accountId);
  if (!checked.ok) return checked.answer;
  const body = readJson(event);
  if (body === MALFORMED) return errorJson(400, 'malformed JSON');
  const parsed = accountInputSchema(deps.tokenSecretPrefix).safeParse(body);
  if (!parsed.success) return errorJson(400, 'invalid account', issuesOf(parsed.error));
  const account = { ...checked.value, ...parsed.data };
  await deps.accounts.put(account);
  return json(200, account);
}

async function deleteAccount(deps: AdminDeps, [channel, accountId]: string[]): Promise<HttpResult> {
  const account = accountParams(channel, accountId);
  if (!account.ok) return account.answer;
  const ref = account.value;
  return (await deps.accounts.remove(ref)) ? json(200, { deleted: ref }) : errorJson(404, 'account not found', ref);
}

async function previewSend(deps: AdminDeps, _params: string[], event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const body = readJson(event);
  if (body === MALFORMED) return errorJson(400, 'malformed JSON');
  const parsed = sendPreviewSchema(deps.clock()).safeParse(body);
  if (!parsed.success) return errorJson(400, 'invalid send intent', issuesOf(parsed.error));
  const { at, ...intent } = parsed.data;
  const { decision, decidedAt } = await deps.sends.previewAt(intent, at === undefined ? undefined : Date.parse(at));
  return json(200, { decision: withIsoTimes(decision), decidedAt: new Date(decidedAt).toISOString() });
}

async function enqueueSend(deps: AdminDeps, _params: string[], event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const body = readJson(event);
  if (body === MALFORMED) return errorJson(400, 'malformed JSON');
  const parsed = SendRequestSchema.safeParse(body);
  if (!parsed.success) return errorJson(400, 'invalid send request', issuesOf(parsed.error));
  const { created, record, decision } = await deps.sends.send(parsed.data.intent, parsed.data.idempotencyKey);
  // 202: accepted for sending; the sender decides again at send time, so the preview may change.
  return json(created ? 202 : 200, { outboxId: record.outboxId, created, status: record.status, preview: withIsoTimes(decision) });
}

async function getSend(deps: AdminDeps, [outboxId]: string[]): Promise<HttpResult> {
  const id = idParam('outboxId', outboxId, 'outboxId');
  if (!id.ok) return id.answer;
  const record = await deps.sends.get(id.value);
  return record ? json(200, outboxView(record)) : errorJson(404, 'send not found', { outboxId });
}

const withIsoTimes = (decision: Decision) =>
  decision.outcome === 'refuse' && decision.earliestAt !== undefined ? { ...decision, earliestAt: new Date(decision.earliestAt).toISOString() } : decision;
