// Matches every admin route (those the router serves) against the viewer, operator and admin managed policies' execute-api ARN patterns, with IAM's wildcard rules; no IAM simulator.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { adminRoutes } from '../../lambdas/admin/admin-api';
import { ACCESS_LEVELS, ADMIN_ROUTE_ACCESS, invokeResourcePaths, levelIncludes, type AccessLevel, type AdminRouteAccess } from '../../lib/access-levels';
import { buildApp } from './app';
import { idOf, resourcesOf } from './template-helpers';

const ARN_PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5';

/** IAM's resource matching: `*` any run of characters (`/` included), `?` one character, case-sensitive. */
function iamMatches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

/** What API Gateway authorises for a request on the `$default` stage. */
const requestArn = (method: string, path: string): string => `${ARN_PREFIX}/$default/${method}${path}`;

/** A request path the router's template accepts: each `{name}` becomes a sample segment. */
function samplePath(template: string): string {
  let n = 0;
  return template.replace(/\{[^}]+\}/g, () => `p${(n += 1)}`);
}

/** The paths a router template accepts: each `{name}` one segment. */
const templatePattern = (template: string): RegExp => new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);

const rowPattern = (row: AdminRouteAccess): RegExp => new RegExp(`^${row.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
const rowSample = (row: AdminRouteAccess): string => row.path.replace(/\{([^}]+)\}/g, 'x-$1');

const routerRoutes = Object.keys(adminRoutes).map((key) => {
  const [method = '', template = ''] = key.split(' ');
  return { method, pattern: templatePattern(template), path: samplePath(template) };
});

/** The access row of a router route: exactly one, or undefined. */
function rowFor(method: string, path: string): AdminRouteAccess | undefined {
  const rows = ADMIN_ROUTE_ACCESS.filter((row) => row.method === method && rowPattern(row).test(path));
  return rows.length === 1 ? rows[0] : undefined;
}

describe('admin access levels', () => {
  const { stateless } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const apiId = idOf(stateless.api);

  /** A policy's Invoke resources as concrete ARN patterns (this test's partition, region, account and API id). */
  const patternsOf = (level: AccessLevel): string[] => {
    const policy = resourcesOf(template, 'AWS::IAM::ManagedPolicy')[idOf(stateless.accessPolicies.policies[level])];
    const statements = (policy?.Properties.PolicyDocument as { Statement: { Effect: string; Action: unknown; Resource: unknown }[] }).Statement;
    const values: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012', [apiId]: 'a1b2c3d4e5' };
    const render = (value: unknown): string => {
      if (typeof value === 'string') return value;
      const v = value as Record<string, unknown>;
      if (typeof v.Ref === 'string') return values[v.Ref] ?? `?${v.Ref}`;
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    };
    return statements.flatMap((s) => {
      expect(s).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
      return [s.Resource].flat().map(render);
    });
  };
  const policies = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, patternsOf(level)])) as Record<AccessLevel, string[]>;
  const levelsAllowed = (method: string, path: string): AccessLevel[] =>
    ACCESS_LEVELS.filter((level) => policies[level].some((pattern) => iamMatches(pattern, requestArn(method, path))));

  it('knows some routes (the router is read, not a copy)', () => {
    // Assess
    expect(routerRoutes.length).toBeGreaterThan(20);
    expect(routerRoutes.map((r) => `${r.method} ${r.path}`)).toContain('GET /admin/contacts/p1/p2/p3');
  });

  it.each(routerRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s has exactly one access row', (_name, route) => {
    // Assess
    expect(rowFor(route.method, route.path)).toBeDefined();
  });

  it.each(routerRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s is allowed to its level and those above, no other', (_name, route) => {
    // Prepare
    const row = rowFor(route.method, route.path) as AdminRouteAccess;
    const expected = ACCESS_LEVELS.filter((level) => levelIncludes(level, row.level));

    // Act
    const allowed = levelsAllowed(route.method, route.path);

    // Assess
    expect(allowed).toEqual(expected);
  });

  it.each(ADMIN_ROUTE_ACCESS.map((row) => [`${row.method} ${row.path}`, row] as const))('%s is a route the router serves', (_name, row) => {
    // Assess
    expect(routerRoutes.some((r) => r.method === row.method && r.pattern.test(rowSample(row)))).toBe(true);
  });

  it('keeps the viewer to GET: no POST, PUT, DELETE or PATCH on any admin path', () => {
    // Assess
    expect(policies.viewer.every((pattern) => pattern.includes('/*/GET/admin/'))).toBe(true);
    for (const route of routerRoutes) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect(levelsAllowed(method, route.path)).not.toContain('viewer');
    }
    expect(levelsAllowed('GET', '/admin/audit')).toEqual(['admin']);
    expect(levelsAllowed('GET', '/admin/quarantine')).toEqual(['viewer', 'operator', 'admin']);
  });

  it('grants nothing outside the admin routes: not the webhook, not a method wildcard, not another API', () => {
    // Assess
    for (const level of ACCESS_LEVELS) {
      expect(levelsAllowed('POST', '/webhooks/meta')).toEqual([]);
      for (const pattern of policies[level]) expect(pattern).toMatch(/^arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5\/\*\/(GET|POST|PUT|DELETE)\/admin\//);
    }
    expect(levelsAllowed('GET', '/admin/unknown')).toEqual([]);
  });

  it("stays inside IAM's 6,144-character limit for a managed policy, with room for new routes", () => {
    // Assess
    for (const level of ACCESS_LEVELS) {
      const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: policies[level] }] });
      expect(document.length).toBeLessThan(4_500);
    }
  });

  it('publishes the three policy ARNs as stack outputs', () => {
    // Assess
    for (const [output, level] of [
      ['ViewerPolicyArn', 'viewer'],
      ['OperatorPolicyArn', 'operator'],
      ['AdminPolicyArn', 'admin'],
    ] as const) {
      template.hasOutput(output, { Value: { Ref: idOf(stateless.accessPolicies.policies[level]) } });
    }
    expect(Stack.of(stateless.accessPolicies).resolve(stateless.accessPolicies.policies.viewer.managedPolicyArn)).toEqual({
      Ref: idOf(stateless.accessPolicies.policies.viewer),
    });
  });

  describe('an agency scoped to some accounts (README "Access levels")', () => {
    const scoped = (level: AccessLevel) =>
      invokeResourcePaths(level, [
        { channel: 'whatsapp', accountId: '1111' },
        { channel: 'messenger', accountId: '2222' },
      ]).map((methodPath) => `${ARN_PREFIX}/*/${methodPath}`);
    const allowed = (level: AccessLevel, method: string, path: string) => scoped(level).some((p) => iamMatches(p, requestArn(method, path)));

    it("reaches its own accounts' contacts, sends, templates and registrations", () => {
      // Assess
      expect(allowed('viewer', 'GET', '/admin/contacts/whatsapp/1111/4915112345678')).toBe(true);
      expect(allowed('viewer', 'GET', '/admin/contacts/messenger/2222/psid-9/sends')).toBe(true);
      expect(allowed('viewer', 'GET', '/admin/templates/whatsapp/1111')).toBe(true);
      expect(allowed('operator', 'PUT', '/admin/contacts/whatsapp/1111/4915112345678/profile')).toBe(true);
      expect(allowed('admin', 'PUT', '/admin/accounts/messenger/2222')).toBe(true);
    });

    it('reaches no other account, even through a user id equal to its account id, and no route without an account in its path', () => {
      // Assess
      expect(allowed('viewer', 'GET', '/admin/contacts/whatsapp/3333/1111')).toBe(false);
      expect(allowed('viewer', 'GET', '/admin/contacts/whatsapp/3333/1111/sends')).toBe(false);
      expect(allowed('viewer', 'GET', '/admin/contacts/messenger/1111/x')).toBe(false);
      expect(allowed('admin', 'DELETE', '/admin/accounts/whatsapp/3333')).toBe(false);
      for (const path of ['/admin/accounts', '/admin/messages/m1', '/admin/campaigns', '/admin/quarantine', '/admin/health']) {
        expect(allowed('admin', 'GET', path)).toBe(false);
      }
      expect(allowed('viewer', 'PUT', '/admin/contacts/whatsapp/1111/4915112345678/profile')).toBe(false);
    });
  });
});
