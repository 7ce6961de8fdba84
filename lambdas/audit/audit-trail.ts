import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type AuditEntry, actionOf, auditId, auditTarget, isAudited, principalOf } from '../domain/audit/audit-entry';
import type { Clock } from '../domain/clock';
import { errorJson, type HttpResult } from '../http/responses';
import { outboxIdFor } from '../domain/send/outbox-id';
import type { AuditLog } from '../ports/audit-log';

export interface AuditTrailDeps {
  log: AuditLog;
  clock: Clock;
  logger: Pick<Logger, 'error'>;
  /** A unique suffix for each entry's id; default a random UUID. */
  newId?: () => string;
}

/** A request the admin API matched to a route: what the audit log names it by. */
export interface RoutedRequest {
  event: APIGatewayProxyEventV2;
  method: string;
  /** The route's path template (lambdas/admin/contract): `/admin/accounts/{channel}/{accountId}`. */
  template: string;
  /** The route's parameters by name, URL-decoded. */
  params: Readonly<Record<string, string>>;
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;

/**
 * Records every admin write: before the route runs, an entry naming the caller, the action and the
 * target; after it, the answer's status. Write-ahead, so no write goes unrecorded: when the entry
 * can't be stored, the route doesn't run and the caller gets 503 (nothing was changed, try again);
 * a function that dies mid-request leaves its entry without a status. Reads pass through unrecorded.
 */
export const createAuditTrail = (deps: AuditTrailDeps) => {
  const newId = deps.newId ?? randomUUID;

  const entryFor = (request: RoutedRequest): AuditEntry => {
    const at = deps.clock();
    const requestId = request.event.requestContext.requestId;
    return {
      id: auditId(at, newId()),
      at,
      ...principalOf(request.event.requestContext),
      action: actionOf(request.method, request.template),
      target: auditTarget(request.params, intentOf(request.event)),
      ...(requestId ? { requestId } : {}),
    };
  };

  const settle = async (entry: AuditEntry, status: number): Promise<void> => {
    try {
      await deps.log.settle(entry, { status, at: deps.clock() });
    } catch (error) {
      // The write happened; its entry stays without a status, which the log shows as unfinished.
      deps.logger.error('audit entry not settled', { auditId: entry.id, status, error: error as Error });
    }
  };

  /** Runs `route` for `request`, recorded when its method may write. */
  const record = async (request: RoutedRequest, route: () => Promise<HttpResult>): Promise<HttpResult> => {
    if (!isAudited(request.method)) return route();
    const entry = entryFor(request);
    try {
      await deps.log.append(entry);
    } catch (error) {
      deps.logger.error('audit log unavailable: request refused', { action: entry.action, error: error as Error });
      return errorJson(503, 'audit log unavailable: nothing was changed, try again');
    }
    let result: HttpResult;
    try {
      result = await route();
    } catch (error) {
      await settle(entry, 500);
      throw error;
    }
    await settle(entry, result.statusCode ?? 200);
    return result;
  };

  return { record };
};

/**
 * What a send's body names: its intent's `channel`, `accountId` and `userId` (recorded hashed), and
 * the outbox id its idempotency key makes (the same the answer gives).
 */
const intentOf = (event: APIGatewayProxyEventV2): Record<string, string | undefined> => {
  if (event.body === undefined || event.body.length > 256 * 1024) return {};
  let body: unknown;
  try {
    body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null) return {};
  const { intent, idempotencyKey } = body as { intent?: unknown; idempotencyKey?: unknown };
  // POST /admin/sends carries `{intent, idempotencyKey}`; the preview the intent itself.
  const fields = (typeof intent === 'object' && intent !== null ? intent : body) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    channel: text(fields.channel),
    accountId: text(fields.accountId),
    userId: text(fields.userId),
    outboxId: typeof idempotencyKey === 'string' && idempotencyKey.length > 0 ? outboxIdFor(idempotencyKey) : undefined,
  };
};
