// Matches every admin route (those the router serves) against the viewer, operator and admin managed policies' execute-api ARN patterns, Allow minus Deny, with IAM's wildcard rules; no IAM simulator.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { adminRoutes } from '../../lambdas/admin/admin-api';
import {
  ACCESS_LEVELS,
  ADMIN_ROUTE_ACCESS,
  CHANNELS,
  deniedResourcePaths,
  invokeResourcePaths,
  levelIncludes,
  type AccessLevel,
  type AdminRouteAccess,
} from '../../lib/access-levels';
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

/** Every literal segment of every admin path, and the methods: ids that look like another route's path, where a wildcard might reach further than meant. */
const TRICKY_SEGMENTS = [...new Set([...ADMIN_ROUTE_ACCESS.flatMap((row) => row.path.split('/')).filter((s) => s !== '' && !s.startsWith('{')), 'GET', 'POST', 'PUT', 'DELETE'])];

/**
 * Request paths a router template accepts: one with a plain value per parameter, then each parameter
 * in turn, and all of them at once, set to each tricky segment. A `{channel}` is always a channel
 * (the router refuses any other), each of them in turn.
 */
function requestPaths(template: string): string[] {
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
  const fill = (value: (name: string, i: number) => string): string => {
    let i = -1;
    return template.replace(/\{([^}]+)\}/g, (_m, name: string) => value(name, (i += 1)));
  };
  const valuesOf = (name: string): readonly string[] => (name === 'channel' ? CHANNELS : TRICKY_SEGMENTS);
  const plain = (name: string, i: number): string => (name === 'channel' ? CHANNELS[i % CHANNELS.length]! : `p${i + 1}`);
  const eachParameter = names.flatMap((name, at) => valuesOf(name).map((v) => fill((n, i) => (i === at ? v : plain(n, i)))));
  const allAtOnce = TRICKY_SEGMENTS.map((v) => fill((n, i) => (n === 'channel' ? plain(n, i) : v)));
  return [...new Set([fill(plain), ...eachParameter, ...allAtOnce])];
}

const rowPattern = (row: AdminRouteAccess): RegExp => new RegExp(`^${row.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
const rowSample = (row: AdminRouteAccess): string => row.path.replace(/\{([^}]+)\}/g, 'x-$1');

const routerRoutes = Object.keys(adminRoutes).map((key) => {
  const [method = '', template = ''] = key.split(' ');
  return { method, template, pattern: templatePattern(template), path: samplePath(template) };
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

  /** A policy's Invoke resources, allowed and denied, as concrete ARN patterns (this test's partition, region, account and API id). */
  const patternsOf = (level: AccessLevel): Record<'Allow' | 'Deny', string[]> => {
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
    const byEffect = { Allow: [] as string[], Deny: [] as string[] };
    for (const s of statements) {
      expect(s).toMatchObject({ Effect: expect.stringMatching(/^(Allow|Deny)$/) as unknown, Action: 'execute-api:Invoke' });
      expect(Object.keys(s).sort()).toEqual(['Action', 'Effect', 'Resource']);
      byEffect[s.Effect as 'Allow' | 'Deny'].push(...[s.Resource].flat().map(render));
    }
    return byEffect;
  };
  const documents = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, patternsOf(level)])) as Record<AccessLevel, Record<'Allow' | 'Deny', string[]>>;
  const policies = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, documents[level].Allow])) as Record<AccessLevel, string[]>;
  /** IAM's evaluation of one policy: an explicit Deny wins over any Allow. */
  const effective = (patterns: Record<'Allow' | 'Deny', string[]>, arn: string): boolean =>
    patterns.Allow.some((pattern) => iamMatches(pattern, arn)) && !patterns.Deny.some((pattern) => iamMatches(pattern, arn));
  const levelsAllowed = (method: string, path: string): AccessLevel[] => ACCESS_LEVELS.filter((level) => effective(documents[level], requestArn(method, path)));

  it('knows some routes (the router is read, not a copy)', () => {
    // Assess
    expect(routerRoutes.length).toBeGreaterThan(20);
    expect(routerRoutes.map((r) => `${r.method} ${r.path}`)).toContain('GET /admin/contacts/p1/p2/p3');
  });

  it.each(routerRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s has exactly one access row', (_name, route) => {
    // Assess
    expect(rowFor(route.method, route.path)).toBeDefined();
  });

  it.each(Object.keys(adminRoutes).map((key) => [key] as const))(
    '%s, with ids spelling other routes’ segments, is allowed (Allow minus Deny) to the level of the route that serves it, no other',
    (key) => {
      // Prepare
      const [method = '', template = ''] = key.split(' ');
      const wrong: string[] = [];

      // Act
      for (const path of requestPaths(template)) {
        const row = rowFor(method, path);
        const expected = row === undefined ? [] : ACCESS_LEVELS.filter((level) => levelIncludes(level, row.level));
        const allowed = levelsAllowed(method, path);
        if (row === undefined || allowed.join() !== expected.join()) wrong.push(`${method} ${path}: ${allowed.join() || 'nobody'}, not ${row?.level ?? 'one row'}`);
      }

      // Assess
      expect(wrong).toEqual([]);
    },
  );

  it('denies the access export to the viewer and the operator, whose grants on a contact reach it, and still lets them read the contact', () => {
    // Prepare
    const contact = '/admin/contacts/whatsapp/109876543210987/4915112345678';

    // Assess
    for (const level of ['viewer', 'operator'] as const) {
      expect(policies[level].some((pattern) => iamMatches(pattern, requestArn('GET', `${contact}/export`)))).toBe(true);
    }
    expect(levelsAllowed('GET', `${contact}/export`)).toEqual(['admin']);
    expect(levelsAllowed('GET', contact)).toEqual(['viewer', 'operator', 'admin']);
    expect(levelsAllowed('GET', `${contact}/sends`)).toEqual(['viewer', 'operator', 'admin']);
    expect(levelsAllowed('GET', '/admin/contacts/whatsapp/109876543210987/export')).toEqual(['viewer', 'operator', 'admin']);
  });

  it.each(ACCESS_LEVELS.map((level) => [level] as const))('%s: every Deny keeps out a route above the level that its Allow would let in', (level) => {
    // Assess
    for (const deny of documents[level].Deny) {
      const keptOut = routerRoutes
        .flatMap(({ method, template }) => requestPaths(template).map((path) => ({ method, path })))
        .filter(({ method, path }) => iamMatches(deny, requestArn(method, path)) && policies[level].some((pattern) => iamMatches(pattern, requestArn(method, path))));
      expect(keptOut.length).toBeGreaterThan(0);
      for (const { method, path } of keptOut) expect(levelIncludes(level, (rowFor(method, path) as AdminRouteAccess).level)).toBe(false);
    }
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

  it('lets only the admin level create, upload and start a CSV import; every level reads imports and their errors', () => {
    // Prepare
    const job = '/admin/imports/0f8a2c34-5d6e-4f70-8a9b-0c1d2e3f4a5b';

    // Assess
    expect(levelsAllowed('POST', '/admin/imports')).toEqual(['admin']);
    expect(levelsAllowed('PUT', `${job}/chunks/0`)).toEqual(['admin']);
    expect(levelsAllowed('POST', `${job}/start`)).toEqual(['admin']);
    for (const path of ['/admin/imports', job, `${job}/errors`]) expect(levelsAllowed('GET', path)).toEqual(['viewer', 'operator', 'admin']);
  });

  it('grants nothing outside the admin routes: not the webhook, not a method wildcard, not another API', () => {
    // Assess
    for (const level of ACCESS_LEVELS) {
      expect(levelsAllowed('POST', '/webhooks/meta')).toEqual([]);
      for (const pattern of [...documents[level].Allow, ...documents[level].Deny]) expect(pattern).toMatch(/^arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5\/\*\/(GET|POST|PUT|DELETE)\/admin\//);
    }
    expect(levelsAllowed('GET', '/admin/unknown')).toEqual([]);
  });

  it("stays inside IAM's 6,144-character limit for a managed policy, with room for new routes", () => {
    // Assess
    for (const level of ACCESS_LEVELS) {
      const document = JSON.stringify({
        Version: '2012-10-17',
        Statement: (['Allow', 'Deny'] as const).map((effect) => ({ Effect: effect, Action: 'execute-api:Invoke', Resource: documents[level][effect] })),
      });
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
    const accounts = [
      { channel: 'whatsapp', accountId: '1111' },
      { channel: 'messenger', accountId: '2222' },
    ] as const;
    const scopedPolicies = Object.fromEntries(
      ACCESS_LEVELS.map((level) => [
        level,
        {
          Allow: invokeResourcePaths(level, accounts).map((methodPath) => `${ARN_PREFIX}/*/${methodPath}`),
          Deny: deniedResourcePaths(level, accounts).map((methodPath) => `${ARN_PREFIX}/*/${methodPath}`),
        },
      ]),
    ) as Record<AccessLevel, Record<'Allow' | 'Deny', string[]>>;
    const allowed = (level: AccessLevel, method: string, path: string) => effective(scopedPolicies[level], requestArn(method, path));

    it.each(routerRoutes.filter((r) => r.template.includes('{channel}/{accountId}')).map((r) => [`${r.method} ${r.template}`, r] as const))(
      "%s, on its accounts and with ids spelling other routes' segments, is allowed (Allow minus Deny) to the level of the route that serves it",
      (_name, { method, template }) => {
        // Prepare
        const wrong: string[] = [];

        // Act
        for (const { channel, accountId } of accounts) {
          for (const path of requestPaths(template.replace('{channel}/{accountId}', `${channel}/${accountId}`))) {
            const row = rowFor(method, path);
            const expected = row === undefined ? [] : ACCESS_LEVELS.filter((level) => levelIncludes(level, row.level));
            const levels = ACCESS_LEVELS.filter((level) => allowed(level, method, path));
            if (row === undefined || levels.join() !== expected.join()) wrong.push(`${method} ${path}: ${levels.join() || 'nobody'}, not ${row?.level ?? 'one row'}`);
          }
        }

        // Assess
        expect(wrong).toEqual([]);
      },
    );

    it("exports its own contacts only at the admin level, though its viewer's grant on a contact reaches the export", () => {
      // Prepare
      const exportPath = '/admin/contacts/whatsapp/1111/4915112345678/export';

      // Assess
      expect(scopedPolicies.viewer.Allow.some((p) => iamMatches(p, requestArn('GET', exportPath)))).toBe(true);
      expect(ACCESS_LEVELS.filter((level) => allowed(level, 'GET', exportPath))).toEqual(['admin']);
    });

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
