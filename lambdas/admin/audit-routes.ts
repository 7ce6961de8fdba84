import { errorJson } from '../http/responses';
import { InvalidAuditCursor, type StoredAuditEntry } from '../ports/audit-log';
import type { AdminRouteImpls, Handler } from './route-handler';

/**
 * `GET /admin/audit?from=…&to=…&limit=50&cursor=…`: the audit log of admin writes (README "Audit
 * log"), newest first; `from` and `to` (ISO-8601, inclusive) bound the time, `to` defaulting to now;
 * `limit` 1–100 (default 50); `cursor` from the previous page while more may follow.
 */
const listAudit: Handler<'GET /admin/audit'> = async (deps, { query }) => {
  if (!deps.audit) return errorJson(503, 'the audit log is not configured for this admin API');
  const now = deps.clock();
  const from = query.from === undefined ? undefined : Date.parse(query.from);
  const to = query.to === undefined ? now : Date.parse(query.to);
  if (from !== undefined && from > to) return errorJson(400, 'invalid query', [{ path: 'from', message: 'must not be after `to`' }]);
  try {
    // No entry is newer than now: a `to` in the future would only walk empty days.
    const page = await deps.audit.list({ to: Math.min(to, now), limit: query.limit, now, ...(from === undefined ? {} : { from }), ...(query.cursor === undefined ? {} : { cursor: query.cursor }) });
    return { status: 200, body: { entries: page.entries.map(auditView), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) } };
  } catch (error) {
    if (error instanceof InvalidAuditCursor) return errorJson(400, error.message);
    throw error;
  }
};

/**
 * Times as ISO-8601. `outcome`: `succeeded` (2xx/3xx), `refused` (4xx: nothing changed), `failed`
 * (5xx), or `unfinished`: no status, the request is running or its function died in it.
 */
const auditView = (e: StoredAuditEntry) => ({
  id: e.id,
  at: new Date(e.at).toISOString(),
  principal: e.principal,
  callerId: e.callerId ?? null,
  callerAccount: e.callerAccount ?? null,
  action: e.action,
  target: e.target,
  requestId: e.requestId ?? null,
  status: e.status ?? null,
  outcome: outcomeOf(e.status),
  finishedAt: e.finishedAt === undefined ? null : new Date(e.finishedAt).toISOString(),
  expiresAt: new Date(e.expiresAt).toISOString(),
});

const outcomeOf = (status: number | undefined): 'succeeded' | 'refused' | 'failed' | 'unfinished' =>
  status === undefined ? 'unfinished' : status < 400 ? 'succeeded' : status < 500 ? 'refused' : 'failed';

export const auditRoutes = {
  'GET /admin/audit': { handle: listAudit },
} satisfies Partial<AdminRouteImpls>;
