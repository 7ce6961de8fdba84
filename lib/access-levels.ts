/**
 * Who may call which admin route: the one table the IAM managed policies (lib/constructs/
 * access-policies.ts), the admin API's contract and OpenAPI document (lambdas/admin/contract), the
 * README's "Access levels" and test/infra/access-levels.test.ts read. Pure data, shared by synth and
 * the Lambdas, so it imports nothing but the wildcard matching beside it.
 *
 * The levels are cumulative: an operator may do what a viewer may, an admin everything.
 * - viewer: reads and reports, contacts included (not a person's access export), never a POST, PUT or DELETE;
 * - operator: sends and campaigns (previews, which are POSTs, included), contact profiles, template syncs;
 * - admin: accounts (registration, tokens), erasure and access exports, configuration, CSV imports, and the audit log.
 *
 * A new admin route needs a row here, or test/infra/access-levels.test.ts fails.
 */
import { iamPatternReachesTemplate } from './iam-wildcards';

export const ACCESS_LEVELS = ['viewer', 'operator', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export type AdminMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface AdminRouteAccess {
  readonly method: AdminMethod;
  /** The request path, `{name}` for one path segment; `{channel}/{accountId}` is what an agency scopes on. */
  readonly path: string;
  /** The lowest level that may call it. */
  readonly level: AccessLevel;
}

export const ADMIN_ROUTE_ACCESS: readonly AdminRouteAccess[] = [
  // viewer: reads and reports
  { method: 'GET', path: '/admin/health', level: 'viewer' },
  { method: 'GET', path: '/admin/accounts', level: 'viewer' },
  { method: 'GET', path: '/admin/accounts/{channel}/{accountId}', level: 'viewer' },
  { method: 'GET', path: '/admin/accounts/{channel}/{accountId}/automation', level: 'viewer' },
  { method: 'GET', path: '/admin/accounts/{channel}/{accountId}/automation/usage', level: 'viewer' },
  { method: 'GET', path: '/admin/accounts/{channel}/{accountId}/responsiveness', level: 'viewer' },
  { method: 'GET', path: '/admin/accounts/{channel}/{accountId}/growth', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns/{campaignId}/report', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/report', level: 'viewer' },
  { method: 'GET', path: '/admin/reports/sends', level: 'viewer' },
  { method: 'GET', path: '/admin/reports/triggers/{detailType}', level: 'viewer' },
  // Search and its CSV export (`?format=csv`): under `{channel}/{accountId}`, so an agency's scope reaches it.
  { method: 'GET', path: '/admin/contacts', level: 'viewer' },
  { method: 'GET', path: '/admin/contacts/{channel}/{accountId}', level: 'viewer' },
  { method: 'GET', path: '/admin/contacts/{channel}/{accountId}/{userId}', level: 'viewer' },
  { method: 'GET', path: '/admin/contacts/{channel}/{accountId}/{userId}/sends', level: 'viewer' },
  { method: 'GET', path: '/admin/contacts/{channel}/{accountId}/{userId}/profile', level: 'viewer' },
  { method: 'GET', path: '/admin/messages/{messageId}', level: 'viewer' },
  { method: 'GET', path: '/admin/templates/{channel}/{accountId}', level: 'viewer' },
  { method: 'GET', path: '/admin/sends/{outboxId}', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns/{campaignId}', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients', level: 'viewer' },
  { method: 'GET', path: '/admin/quarantine', level: 'viewer' },
  { method: 'GET', path: '/admin/openapi.json', level: 'viewer' },
  // An import's report names lines and columns, never a value.
  { method: 'GET', path: '/admin/imports', level: 'viewer' },
  { method: 'GET', path: '/admin/imports/{importId}', level: 'viewer' },
  { method: 'GET', path: '/admin/imports/{importId}/errors', level: 'viewer' },
  // operator: sends and campaigns
  { method: 'POST', path: '/admin/sends/preview', level: 'operator' },
  { method: 'POST', path: '/admin/sends', level: 'operator' },
  { method: 'PUT', path: '/admin/campaigns/{campaignId}', level: 'operator' },
  { method: 'DELETE', path: '/admin/campaigns/{campaignId}', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/preview', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/schedule', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/pause', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/resume', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/follow-up', level: 'operator' },
  { method: 'PUT', path: '/admin/contacts/{channel}/{accountId}/{userId}/profile', level: 'operator' },
  // Who answers a person is an agent's daily work, as their replies (POST /admin/sends) are.
  { method: 'POST', path: '/admin/contacts/{channel}/{accountId}/{userId}/handoff', level: 'operator' },
  { method: 'DELETE', path: '/admin/contacts/{channel}/{accountId}/{userId}/handoff', level: 'operator' },
  { method: 'POST', path: '/admin/templates/{channel}/{accountId}/sync', level: 'operator' },
  // admin: accounts, erasure, configuration, audit
  { method: 'PUT', path: '/admin/accounts/{channel}/{accountId}', level: 'admin' },
  { method: 'DELETE', path: '/admin/accounts/{channel}/{accountId}', level: 'admin' },
  // An account's automation speaks for the business to every person who writes: configuration, as its registration is.
  { method: 'PUT', path: '/admin/accounts/{channel}/{accountId}/automation', level: 'admin' },
  { method: 'GET', path: '/admin/audit', level: 'admin' },
  // The access request hands out everything held about a person, the texts sent to them included,
  // which no viewer read shows (a send's view names its content type only). The viewer's GETs on
  // contacts reach it too (IAM's `*` matches `/`): their policies deny it (deniedResourcePaths).
  { method: 'GET', path: '/admin/contacts/{channel}/{accountId}/{userId}/export', level: 'admin' },
  // Erasure can't be undone: it removes every item holding the person's data.
  { method: 'DELETE', path: '/admin/contacts/{channel}/{accountId}/{userId}', level: 'admin' },
  // An import writes thousands of people's data and consent at once, into any account: configuration-grade.
  { method: 'POST', path: '/admin/imports', level: 'admin' },
  { method: 'PUT', path: '/admin/imports/{importId}/chunks/{seq}', level: 'admin' },
  { method: 'POST', path: '/admin/imports/{importId}/start', level: 'admin' },
];

/** True when `holder` may do what `required` allows (the levels are cumulative). */
export function levelIncludes(holder: AccessLevel, required: AccessLevel): boolean {
  return ACCESS_LEVELS.indexOf(holder) >= ACCESS_LEVELS.indexOf(required);
}

/** What a `{channel}` in a path may be: the router refuses any other, so no route serves it. */
export const CHANNELS = ['messenger', 'instagram', 'whatsapp'] as const;

/** Channel and account an agency's policy is limited to, as they appear in the path. */
export interface AccountScope {
  readonly channel: (typeof CHANNELS)[number];
  readonly accountId: string;
}

/**
 * The `METHOD/path` parts of the `execute-api:Invoke` resource ARNs (`<api>/<stage>/METHOD/path`)
 * a level is granted. Unscoped, each `{param}` becomes `*`. Scoped to accounts, only the routes with
 * `{channel}/{accountId}` in their path remain, one resource per account with both written out: IAM's
 * `*` also matches `/`, so a wildcard channel in front of the account id would also match another
 * account's contact whose user id happens to be that account id; `contacts/whatsapp/123/...` cannot.
 */
export function invokeResourcePaths(level: AccessLevel, scope?: readonly AccountScope[]): string[] {
  const routes = ADMIN_ROUTE_ACCESS.filter((route) => levelIncludes(level, route.level));
  if (scope === undefined) return routes.map(unscopedPath);
  return routes
    .filter((route) => route.path.includes('{channel}/{accountId}'))
    .flatMap((route) =>
      scope.map(
        ({ channel, accountId }) =>
          `${route.method}${route.path.replace('{channel}/{accountId}', `${channel}/${accountId}`).replace(/\{[^}]+\}/g, '*')}`,
      ),
    );
}

/** A route's `METHOD/path` with `*` for each path parameter. */
const unscopedPath = (route: AdminRouteAccess): string => `${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`;

/**
 * Whether an `execute-api` resource (`METHOD/path`, on every stage) matches some request the route
 * serves. The stage's `*` counts: in front of `/GET/admin/health` it also matches the request
 * `DELETE /admin/contacts/GET/admin/health`, which no route serves, as `GET` is no channel.
 */
const reaches = (methodPath: string, route: AdminRouteAccess): boolean =>
  CHANNELS.some((channel) => iamPatternReachesTemplate(`*/${methodPath}`, `{stage}/${route.method}${route.path.replace('{channel}', channel)}`));

/**
 * The `METHOD/path` parts a level's policy denies, for the same accounts as its
 * invokeResourcePaths(level, scope): each route above the level that one of those grants reaches,
 * because IAM's `*` also matches `/` (the viewer's grants on a contact end in a `*`, which reaches
 * `GET /admin/contacts/{channel}/{accountId}/{userId}/export` too). An explicit Deny overrides every
 * Allow of the principal, so the route stays with its level. Throws when such a Deny would also reach
 * a route the level holds: that route needs another path.
 */
export function deniedResourcePaths(level: AccessLevel, scope?: readonly AccountScope[]): string[] {
  const granted = invokeResourcePaths(level, scope);
  const held = ADMIN_ROUTE_ACCESS.filter((route) => levelIncludes(level, route.level));
  return ADMIN_ROUTE_ACCESS.filter((route) => !levelIncludes(level, route.level) && granted.some((methodPath) => reaches(methodPath, route))).map((route) => {
    const denied = unscopedPath(route);
    const caught = held.find((other) => reaches(denied, other));
    if (caught !== undefined) {
      throw new Error(`${route.method} ${route.path} (${route.level}) can't be denied to ${level}: a Deny on ${denied} also reaches ${caught.method} ${caught.path}`);
    }
    return denied;
  });
}
