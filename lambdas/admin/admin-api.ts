import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Clock } from '../domain/clock';
import type { Decision } from '../domain/send/policy-types';
import { errorJson } from '../http/responses';
import type { AccountRegistry } from '../ports/account-registry';
import type { AuditLog } from '../ports/audit-log';
import type { AudienceIndex } from '../ports/audience-index';
import type { AutomationConfigStore } from '../ports/automation-config-store';
import type { BusinessBus } from '../ports/business-bus';
import type { ThreadControlApi } from '../ports/graph-api';
import type { AutomationUsageStore } from '../ports/automation-usage-store';
import type { ErasureStore } from '../ports/erasure-store';
import type { ImportJobs } from '../ports/import-jobs';
import type { ImportQueue } from '../ports/import-queue';
import type { PersonData } from '../ports/person-data';
import type { MeasurementDeps } from '../measurement/note-conversation';
import type { QuarantineStore } from '../ports/quarantine';
import type { StateStore } from '../ports/state-store';
import { accountInputSchema } from '../schemas/account-input';
import { sendPreviewSchema } from '../schemas/send-intent';
import { type createSendRequests, outboxView } from '../send/send-requests';
import type { TemplateSync } from '../templates/sync-templates';
import { accountMeasurementRoutes, measureHumanSend } from './account-measurement-routes';
import { serveAdminApi } from './admin-router';
import { auditRoutes } from './audit-routes';
import { automationRoutes } from './automation-routes';
import { automationUsageRoutes } from './automation-usage-routes';
import { campaignRoutes, type CampaignRouteDeps } from './campaign-routes';
import { contactDataRoutes } from './contact-data-routes';
import { contactSearchRoutes } from './contact-search-routes';
import { erasureRoutes } from './erasure-routes';
import { afterAgentReply, handoffRoutes } from './handoff-routes';
import { healthRoutes } from './health';
import { importRoutes } from './import-routes';
import { openApiRoutes } from './openapi-route';
import { quarantineRoutes } from './quarantine-routes';
import type { AdminRouteImpls, Handler } from './route-handler';
import { templateRoutes } from './template-routes';
import { type FunnelReportDeps, funnelReportRoutes } from './funnel-report-routes';
import { accountPolicyView, contactView, messageView, templateView } from './views';

export interface AdminDeps {
  store: StateStore;
  accounts: AccountRegistry;
  /** Each account's automation configuration (`/admin/accounts/{channel}/{accountId}/automation`); reads are never cached. */
  automationConfigs: Pick<AutomationConfigStore, 'read' | 'put'>;
  /** What automation sent per account and day (`…/automation/usage`); absent: that route answers 503. */
  automationUsage?: Pick<AutomationUsageStore, 'tally'>;
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
  /** The business's bus, where an admin's handoff puts `handoff.requested`; absent: logged, not put. */
  bus?: BusinessBus;
  /**
   * Messenger/Instagram thread control: `DELETE .../handoff` takes back a thread a handoff passed to
   * the account's inbox app. Absent: nothing is taken (the answer says `not_configured`), and the
   * person's next message on standby takes it back through automation.
   */
  threadControl?: ThreadControlApi;
  /** Quarantined webhook items (`GET /admin/quarantine`); absent: that route answers 503. */
  quarantine?: Pick<QuarantineStore, 'list'>;
  /** The audience listings the contact search (`GET /admin/contacts/{channel}/{accountId}`) reads; absent: it answers 503. */
  audience?: AudienceIndex;
  /** A person's stored items, for the access export (`GET /admin/contacts/…/export`); absent: that route answers 503. */
  personData?: PersonData;
  /** Erasure (`DELETE /admin/contacts/…`): the person's items by key, and their tombstones; absent: that route answers 503. */
  erasure?: ErasureStore;
  /** CSV imports (`/admin/imports…`): the jobs with their chunks, and the queue whose worker processes a started one; absent: those routes answer 503. */
  imports?: { jobs: ImportJobs; queue: ImportQueue };
  /** Template sync against Meta's listings (`POST /admin/templates/.../sync`); absent: that route answers 503. */
  templateSync?: TemplateSync;
  /** Responsiveness and growth counters (`…/responsiveness`, `…/growth`), and the turn logs a human's send answers; absent: those routes answer 503. */
  measurement?: MeasurementDeps;
  /** The funnel's counters and the campaigns' records (`…/report`, `/admin/reports/…`); absent: those routes answer 503. */
  funnel?: FunnelReportDeps;
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

/** The admin API: IAM-authorised in AWS, open on localhost in the local stack. */
export const createAdminHandler = (deps: AdminDeps) => serveAdminApi(deps, adminRoutes);

const getContact: Handler<'GET /admin/contacts/{channel}/{accountId}/{userId}'> = async (deps, { path: contact }) => {
  const record = await deps.store.getPerson(contact);
  if (!record) return errorJson(404, 'contact not found', contact);
  return { status: 200, body: { ...contactView(record, deps.clock()), ...(record.userId !== contact.userId ? { linkedFrom: contact.userId } : {}) } };
};

/** `?limit=` (1–100, default 20) and `?cursor=` from the previous page: one Query on the person index. */
const listContactSends: Handler<'GET /admin/contacts/{channel}/{accountId}/{userId}/sends'> = async (deps, { path: contact, query: { limit, cursor } }) => {
  let page: Awaited<ReturnType<AdminDeps['sends']['listByContact']>>;
  try {
    page = await deps.sends.listByContact(contact, cursor, limit);
  } catch (error) {
    if (error instanceof Error && /page cursor/.test(error.message)) return errorJson(400, error.message);
    throw error;
  }
  return { status: 200, body: { sends: page.sends.map(outboxView), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) } };
};

/**
 * A message item: the statuses of a message afterchat didn't send (another app on the number), or of
 * a Messenger/Instagram message. afterchat's own WhatsApp sends keep theirs on the outbox record
 * (every status names it), so they answer 404 here with where to look instead.
 */
const getMessage: Handler<'GET /admin/messages/{messageId}'> = async (deps, { path: { messageId } }) => {
  const record = await deps.store.getMessage(messageId);
  return record
    ? { status: 200, body: messageView(record) }
    : errorJson(404, 'message not found', { messageId, hint: "afterchat's own WhatsApp sends keep their statuses on the send: GET /admin/sends/{outboxId}" });
};

const getTemplates: Handler<'GET /admin/templates/{channel}/{accountId}'> = async (deps, { path: ref }) => {
  const templates = await deps.store.listTemplates(ref);
  if (templates.length === 0) return errorJson(404, 'no templates known for this account', ref);
  return { status: 200, body: { ...ref, templates: templates.map(templateView) } };
};

const listAccounts: Handler<'GET /admin/accounts'> = async (deps) => ({ status: 200, body: { accounts: await deps.accounts.list() } });

const getAccount: Handler<'GET /admin/accounts/{channel}/{accountId}'> = async (deps, { path: ref }) => {
  const [account, policy] = await Promise.all([deps.accounts.get(ref), deps.store.getAccountPolicy(ref)]);
  if (!account && !policy) return errorJson(404, 'account not found', ref);
  const wabaPolicy = account?.wabaId ? await deps.store.getAccountPolicy({ channel: ref.channel, accountId: account.wabaId }) : undefined;
  return { status: 200, body: { ...ref, registered: account !== undefined, profile: account ?? null, policy: accountPolicyView([wabaPolicy, policy]) } };
};

const putAccount: Handler<'PUT /admin/accounts/{channel}/{accountId}'> = async (deps, { path: ref, body }) => {
  const account = { ...ref, ...body };
  await deps.accounts.put(account);
  return { status: 200, body: account };
};

const deleteAccount: Handler<'DELETE /admin/accounts/{channel}/{accountId}'> = async (deps, { path: ref }) =>
  (await deps.accounts.remove(ref)) ? { status: 200, body: { deleted: ref } } : errorJson(404, 'account not found', ref);

const previewSend: Handler<'POST /admin/sends/preview'> = async (deps, { body: { at, ...intent } }) => {
  const { decision, decidedAt } = await deps.sends.previewAt(intent, at === undefined ? undefined : Date.parse(at));
  return { status: 200, body: { decision: decisionView(decision), decidedAt: new Date(decidedAt).toISOString() } };
};

const enqueueSend: Handler<'POST /admin/sends'> = async (deps, { body: { intent, idempotencyKey } }) => {
  const { created, record, decision } = await deps.sends.send(intent, idempotencyKey);
  await afterAgentReply(deps, record.intent, { outboxId: record.outboxId, createdAt: record.createdAt, decision });
  await measureHumanSend(deps, record.intent, { outboxId: record.outboxId, createdAt: record.createdAt, decision });
  // 202: accepted for sending; the sender decides again at send time, so the preview may change.
  return { status: created ? 202 : 200, body: { outboxId: record.outboxId, created, status: record.status, preview: decisionView(decision) } };
};

const getSend: Handler<'GET /admin/sends/{outboxId}'> = async (deps, { path: { outboxId } }) => {
  const record = await deps.sends.get(outboxId);
  return record ? { status: 200, body: outboxView(record) } : errorJson(404, 'send not found', { outboxId });
};

/** A decision as the admin API shows it: its time ISO-8601. */
const decisionView = (decision: Decision) => {
  if (decision.outcome === 'allow') return decision;
  const { earliestAt, ...refusal } = decision;
  return earliestAt === undefined ? refusal : { ...refusal, earliestAt: new Date(earliestAt).toISOString() };
};

/** Every route of the contract, each once: the type says so, and the router refuses any other (test/unit/admin/admin-contract.test.ts). */
export const adminRoutes: AdminRouteImpls = {
  'GET /admin/contacts/{channel}/{accountId}/{userId}': { handle: getContact },
  'GET /admin/contacts/{channel}/{accountId}/{userId}/sends': { handle: listContactSends },
  'GET /admin/messages/{messageId}': { handle: getMessage },
  'GET /admin/templates/{channel}/{accountId}': { handle: getTemplates },
  'GET /admin/accounts': { handle: listAccounts },
  'GET /admin/accounts/{channel}/{accountId}': { handle: getAccount },
  // Registrations must name their token secret under this deployment's prefix.
  'PUT /admin/accounts/{channel}/{accountId}': { handle: putAccount, body: (deps) => accountInputSchema(deps.tokenSecretPrefix) },
  'DELETE /admin/accounts/{channel}/{accountId}': { handle: deleteAccount },
  // `at` is held to the range from now.
  'POST /admin/sends/preview': { handle: previewSend, body: (deps) => sendPreviewSchema(deps.clock()) },
  'POST /admin/sends': { handle: enqueueSend },
  'GET /admin/sends/{outboxId}': { handle: getSend },
  ...contactDataRoutes,
  ...contactSearchRoutes,
  ...erasureRoutes,
  ...importRoutes,
  ...automationRoutes,
  ...handoffRoutes,
  ...automationUsageRoutes,
  ...accountMeasurementRoutes,
  ...funnelReportRoutes,
  ...templateRoutes,
  ...campaignRoutes,
  ...healthRoutes,
  ...auditRoutes,
  ...quarantineRoutes,
  ...openApiRoutes,
};
