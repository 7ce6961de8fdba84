/**
 * Who may call which admin route: the one table the IAM managed policies (lib/constructs/
 * access-policies.ts), the admin API's contract and OpenAPI document (lambdas/admin/contract), the
 * README's "Access levels" and test/infra/access-levels.test.ts read. Pure data, shared by synth and
 * the Lambdas, so it imports nothing.
 *
 * The levels are cumulative: an operator may do what a viewer may, an admin everything.
 * - viewer: reads and reports, contacts included, never a POST, PUT or DELETE;
 * - operator: sends and campaigns (previews, which are POSTs, included), contact profiles, template syncs;
 * - admin: accounts (registration, tokens), erasure, configuration, and the audit log.
 *
 * A new admin route needs a row here, or test/infra/access-levels.test.ts fails.
 */
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
  { method: 'GET', path: '/admin/contacts/{channel}/{accountId}/{userId}', level: 'viewer' },
  { method: 'GET', path: '/admin/contacts/{channel}/{accountId}/{userId}/sends', level: 'viewer' },
  { method: 'GET', path: '/admin/contacts/{channel}/{accountId}/{userId}/profile', level: 'viewer' },
  { method: 'GET', path: '/admin/messages/{messageId}', level: 'viewer' },
  { method: 'GET', path: '/admin/templates/{channel}/{accountId}', level: 'viewer' },
  { method: 'GET', path: '/admin/sends/{outboxId}', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns/{campaignId}', level: 'viewer' },
  { method: 'GET', path: '/admin/campaigns/{campaignId}/occurrences/{occurrenceKey}', level: 'viewer' },
  { method: 'GET', path: '/admin/quarantine', level: 'viewer' },
  { method: 'GET', path: '/admin/openapi.json', level: 'viewer' },
  // operator: sends and campaigns
  { method: 'POST', path: '/admin/sends/preview', level: 'operator' },
  { method: 'POST', path: '/admin/sends', level: 'operator' },
  { method: 'PUT', path: '/admin/campaigns/{campaignId}', level: 'operator' },
  { method: 'DELETE', path: '/admin/campaigns/{campaignId}', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/preview', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/schedule', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/pause', level: 'operator' },
  { method: 'POST', path: '/admin/campaigns/{campaignId}/resume', level: 'operator' },
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
  // which no viewer read shows (a send's view names its content type only). Not under
  // /admin/contacts/…: IAM's `*` matches `/`, so the viewer's GET on a contact would match it too.
  { method: 'GET', path: '/admin/exports/contacts/{channel}/{accountId}/{userId}', level: 'admin' },
];

/** True when `holder` may do what `required` allows (the levels are cumulative). */
export function levelIncludes(holder: AccessLevel, required: AccessLevel): boolean {
  return ACCESS_LEVELS.indexOf(holder) >= ACCESS_LEVELS.indexOf(required);
}

/** Channel and account an agency's policy is limited to, as they appear in the path. */
export interface AccountScope {
  readonly channel: 'messenger' | 'instagram' | 'whatsapp';
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
  if (scope === undefined) return routes.map((route) => `${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`);
  return routes
    .filter((route) => route.path.includes('{channel}/{accountId}'))
    .flatMap((route) =>
      scope.map(
        ({ channel, accountId }) =>
          `${route.method}${route.path.replace('{channel}/{accountId}', `${channel}/${accountId}`).replace(/\{[^}]+\}/g, '*')}`,
      ),
    );
}
