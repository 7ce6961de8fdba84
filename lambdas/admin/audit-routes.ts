import { errorJson, type HttpResult, json } from '../http/responses';
import { InvalidAuditCursor, type StoredAuditEntry } from '../ports/audit-log';
import type { AdminDeps, Route } from './admin-api';

/**
 * `GET /admin/audit?from=…&to=…&limit=50&cursor=…`: the audit log of admin writes (README "Audit
 * log"), newest first; `from` and `to` (ISO-8601, inclusive) bound the time, `to` defaulting to now;
 * `limit` 1–100 (default 50); `cursor` from the previous page while more may follow.
 */
export const auditRoutes: [string, RegExp, Route][] = [['GET', /^\/admin\/audit$/, listAudit]];

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 time with its zone, as epoch ms; undefined when absent, NaN when malformed. */
const timeParam = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  return value.length <= 40 && ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
};

async function listAudit(deps: AdminDeps, _params: string[], event: Parameters<Route>[2]): Promise<HttpResult> {
  if (!deps.audit) return errorJson(503, 'the audit log is not configured for this admin API');
  const { from: rawFrom, to: rawTo, limit: rawLimit, cursor } = event.queryStringParameters ?? {};
  const limit = rawLimit === undefined ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return errorJson(400, 'limit must be an integer from 1 to 100', { limit: rawLimit });
  const now = deps.clock();
  const from = timeParam(rawFrom);
  const to = timeParam(rawTo) ?? now;
  const bad = [
    ...(Number.isNaN(from) ? [{ path: 'from', message: 'an ISO-8601 time with its zone, e.g. 2026-12-01T00:00:00Z' }] : []),
    ...(Number.isNaN(to) ? [{ path: 'to', message: 'an ISO-8601 time with its zone, e.g. 2026-12-06T23:59:59Z' }] : []),
  ];
  if (bad.length > 0) return errorJson(400, 'invalid query', bad);
  if (from !== undefined && from > to) return errorJson(400, 'invalid query', [{ path: 'from', message: 'must not be after `to`' }]);
  if (cursor !== undefined && cursor.length > 1024) return errorJson(400, 'invalid audit cursor');
  try {
    // No entry is newer than now: a `to` in the future would only walk empty days.
    const page = await deps.audit.list({ to: Math.min(to, now), limit, now, ...(from === undefined ? {} : { from }), ...(cursor === undefined ? {} : { cursor }) });
    return json(200, { entries: page.entries.map(auditView), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) });
  } catch (error) {
    if (error instanceof InvalidAuditCursor) return errorJson(400, error.message);
    throw error;
  }
}

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
  outcome: e.status === undefined ? 'unfinished' : e.status < 400 ? 'succeeded' : e.status < 500 ? 'refused' : 'failed',
  finishedAt: e.finishedAt === undefined ? null : new Date(e.finishedAt).toISOString(),
  expiresAt: new Date(e.expiresAt).toISOString(),
});
