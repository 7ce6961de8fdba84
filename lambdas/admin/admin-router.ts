/**
 * The admin API on Powertools' HTTP router: one route per contract entry (lambdas/admin/contract),
 * each parsing its request with the entry's schemas before its handler runs; every write recorded in
 * the audit log first; every refusal in the one error shape (`{error, detail?}`).
 */
import { isHttpMethod, ParameterValidationError, Router } from '@aws-lambda-powertools/event-handler/http';
import type { Middleware } from '@aws-lambda-powertools/event-handler/types';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createAuditTrail } from '../audit/audit-trail';
import { errorJson, type HttpResult, json } from '../http/responses';
import type { AdminDeps } from './admin-api';
import { contractRoute, matchRoute, routesAt } from './contract/match';
import { type RouteContract, type RouteKey, splitKey } from './contract/route-contract';
import type { AdminRouteImpls, RouteImpl } from './route-handler';
import { parseInput, parsePath } from './route-input';

/** `{name}` → Powertools' `:name`. */
const routerPath = (template: string): `/${string}` => `/${template.slice(1).replace(/\{([^}]+)\}/g, ':$1')}`;

/** The contract template of a Powertools route string (`PUT /admin/accounts/:channel/:accountId`). */
const templateOf = (routerRoute: string): string => routerRoute.slice(routerRoute.indexOf(' ') + 1).replace(/:(\w+)/g, '{$1}');

/** No such path: 404 naming it; a path served for other methods: 405 with the methods it serves (RFC 9110 §15.5.6). */
const unmatched = (method: string, path: string): HttpResult => {
  const atPath = routesAt(path);
  if (atPath.length === 0) return errorJson(404, 'no such route', { path });
  if (atPath.some((r) => r.method === method)) return errorJson(400, 'malformed path');
  const refused = errorJson(405, 'method not allowed');
  return { ...refused, headers: { ...refused.headers, allow: [...new Set(atPath.map((r) => r.method))].sort().join(', ') } };
};

/** Trailing slashes off, in one pass (a regex would backtrack on a path of many slashes). */
const withoutTrailingSlashes = (path: string): string => {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end -= 1;
  return path.slice(0, end);
};

/**
 * The event with its path as the router can take it unchanged: each segment decoded and encoded
 * again, so a `?`, `#` or `\` in a segment stays in it. Powertools builds a URL from the path, which
 * would resolve `.` and `..` segments: a path with one is refused here (no id is `.` or `..`), never
 * routed as the shorter path it would become; as is a segment that isn't valid percent-encoding.
 */
const routable = (event: APIGatewayProxyEventV2, method: string): { event: APIGatewayProxyEventV2 } | { answer: HttpResult } => {
  const path = withoutTrailingSlashes(event.rawPath);
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { answer: unmatched(method, path) };
    }
    if (decoded === '.' || decoded === '..') return { answer: unmatched(method, path) };
    segments.push(encodeURIComponent(decoded));
  }
  // A GET or HEAD can't carry a body as a web Request; no read route reads one.
  const reads = method === 'GET' || method === 'HEAD';
  return { event: { ...event, headers: routingHeaders(event.headers), rawPath: segments.join('/') || '/', ...(reads ? { body: undefined, isBase64Encoded: false } : {}) } };
};

/**
 * Powertools builds the request URL from `X-Forwarded-Proto` and `Host` before the path: a caller's
 * value such as `http://x/admin/audit?` would route the request to another path than the one IAM
 * authorised. No route reads either header, so both are fixed here.
 */
const routingHeaders = (headers: APIGatewayProxyEventV2['headers'] = {}): APIGatewayProxyEventV2['headers'] => {
  const kept = Object.entries(headers).filter(([name]) => !ROUTING_HEADERS.has(name.toLowerCase()));
  return { ...Object.fromEntries(kept), host: 'admin.invalid', 'x-forwarded-proto': 'https' };
};
const ROUTING_HEADERS: ReadonlySet<string> = new Set(['host', 'x-forwarded-proto']);

/** The local stack and tests call without a Lambda context; no route reads it. */
const NO_CONTEXT = {} as Context;

type Answer = Awaited<ReturnType<RouteImpl<RouteContract>['handle']>>;

/** Success answers are `{status, body}`; errors come as HttpResults. */
const isHttpResult = (answer: Answer): answer is HttpResult => 'statusCode' in answer;

const answerOf = (answer: Answer): HttpResult => (isHttpResult(answer) ? answer : json(answer.status, answer.body));

/** Powertools takes a result with its status always set; ours are, from `json`. */
const routerResult = (result: HttpResult) => ({ ...result, statusCode: result.statusCode ?? 200 });

const register = (router: Router, deps: AdminDeps, key: RouteKey, route: RouteContract, impl: RouteImpl<RouteContract>): void => {
  const { method, path } = splitKey(key);
  router.route(
    async (reqCtx) => {
      const event = reqCtx.event as APIGatewayProxyEventV2;
      const bodySchema = impl.body?.(deps) ?? route.body?.schema;
      const input = parseInput(route, reqCtx.params, event, bodySchema);
      return routerResult(input.ok ? answerOf(await impl.handle(deps, { ...input.value, event })) : input.answer);
    },
    { method, path: routerPath(path) },
  );
};

/** Every write recorded before it runs, and settled with its status (lambdas/audit/audit-trail.ts). */
const auditWrites =
  (deps: AdminDeps): Middleware =>
  async ({ reqCtx, next }) => {
    if (!deps.audit || reqCtx.route === null) return next();
    const trail = createAuditTrail({ log: deps.audit, clock: deps.clock, logger: deps.logger });
    const event = reqCtx.event as APIGatewayProxyEventV2;
    let ran = false;
    const answer = await trail.record({ event, method: event.requestContext.http.method, template: templateOf(reqCtx.route), params: reqCtx.params }, async () => {
      await next();
      ran = true;
      return { statusCode: reqCtx.res.status };
    });
    // The log couldn't record the write: its refusal is the answer, and the route never ran.
    return ran ? undefined : routerResult(answer);
  };

/** The admin API's handler over `impls`: each a route of the contract, or the router refuses to start. */
export const serveAdminApi = (deps: AdminDeps, impls: AdminRouteImpls) => {
  const router = new Router({ logger: deps.logger });
  for (const [key, impl] of Object.entries(impls) as [RouteKey, unknown][]) {
    const entry = contractRoute(key);
    if (!entry) throw new Error(`${key} has no entry in the admin API's contract (lambdas/admin/contract)`);
    // Each implementation was checked against its own entry where it was written; here they are served alike.
    register(router, deps, key, entry.route, impl as RouteImpl<RouteContract>);
  }
  router.use(auditWrites(deps));
  router.notFound((_error, reqCtx) => {
    const event = reqCtx.event as APIGatewayProxyEventV2;
    return Promise.resolve(routerResult(unmatched(event.requestContext.http.method, withoutTrailingSlashes(event.rawPath))));
  });
  // A blank parameter: answered as its route's schema answers it.
  router.errorHandler(ParameterValidationError, (_error, reqCtx) => {
    const event = reqCtx.event as APIGatewayProxyEventV2;
    const path = withoutTrailingSlashes(event.rawPath);
    const method = event.requestContext.http.method;
    const match = matchRoute(method, path);
    const schema = match?.route.route.path;
    if (!match || !schema) return Promise.resolve(routerResult(unmatched(method, path)));
    const parsed = parsePath(schema, Object.fromEntries(Object.entries(match.params).map(([name, value]) => [name, decodeURIComponent(value)])));
    return Promise.resolve(routerResult(parsed.ok ? unmatched(method, path) : parsed.answer));
  });
  router.errorHandler(Error, (error) => {
    deps.logger.error('admin request failed', error);
    return Promise.resolve(routerResult(errorJson(500, 'internal error')));
  });

  const handler = async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    const method = event.requestContext.http.method.toUpperCase();
    if (!isHttpMethod(method)) return unmatched(method, withoutTrailingSlashes(event.rawPath));
    const request = routable(event, method);
    if ('answer' in request) return request.answer;
    try {
      return await router.resolve(request.event, context ?? NO_CONTEXT);
    } catch (error) {
      // The router couldn't read the event as a web request (a header no Request takes).
      deps.logger.error('admin request failed', error as Error);
      return errorJson(500, 'internal error');
    }
  };
  return handler;
};
