/**
 * Interface under test: the admin handler (createAdminHandler) over in-memory adapters that refuse
 * what DynamoDB refuses (admin-rig.ts). Property: whatever the method, path, query and body, it
 * answers — never throws — and never with a 5xx: bad input is the caller's 4xx.
 */
import fc from 'fast-check';
import { loadEvent } from '../../helpers/events';
import { httpEvent } from '../../helpers/api-gateway-event';
import { DE_BSUID, DE_WA, PAGE, PHONE, PSID, WABA } from '../../helpers/sample-ids';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import { createImport } from '../../../lambdas/import/create-import';
import { ImportRequestSchema } from '../../../lambdas/schemas/import-request';
import { occurrence } from '../campaign/fakes';
import { adminRig, NOW, TOKEN_PREFIX } from './admin-rig';

const RESERVED = ['__proto__', 'constructor', 'prototype'];

/** A path segment: a valid id of some kind, a hostile spelling, or random text of any size. */
const segment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    PHONE, PAGE, PSID, WABA, DE_WA, DE_BSUID, 'whatsapp', 'messenger', 'instagram', 'telegram', 'weekly-deals',
    '2026-11-23T08:00:00.000Z', 'ob_RxvmVYtmXk9t1J8RhIFNFJGw', 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjc4QkIxMTI2OUVGQzJFNUQyRQA=', 'm_unknown',
  ),
  fc.constantFrom('..', '.', '%2F', '..%2F..%2Fx', '%2e%2e', '%', '%E0%A4%A', '%ED%A0%80', '%00', '%20', '', ...RESERVED),
  fc.constantFrom(1025, 3000, 5000).chain((n) => fc.constantFrom('a', '1', 'é', '😀').map((c) => c.repeat(n))),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
);

/** Each position of a valid tuple kept, or (one time in three) replaced by a random segment. */
const mutated = (valid: readonly string[][]) =>
  fc.constantFrom(...valid).chain((tuple) => fc.tuple(...tuple.map((s) => fc.oneof({ weight: 2, arbitrary: fc.constant(s) }, { weight: 1, arbitrary: segment }))));

const CONTACTS = [['whatsapp', PHONE, DE_WA], ['whatsapp', PHONE, DE_BSUID], ['messenger', PAGE, PSID], ['instagram', '17841400000000001', '9876543210987654']];
const ACCOUNTS = [['whatsapp', PHONE], ['whatsapp', WABA], ['messenger', PAGE], ['instagram', '17841400000000001']];
const CAMPAIGNS = [['weekly-deals', '2026-11-23T08:00:00.000Z']];
/** The import the rig is seeded with, and a chunk number. */
const IMPORT_ID = '0f8a2c34-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const IMPORTS = [[IMPORT_ID, '0'], [IMPORT_ID, '9999']];
const MESSAGES = [['wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjc4QkIxMTI2OUVGQzJFNUQyRQA='], ['m_unknown'], ['ob_RxvmVYtmXk9t1J8RhIFNFJGw']];

/** A key a caller names: ordinary, reserved, empty, with #, or random. */
const key = fc.oneof(fc.constantFrom('city', 'first_name', '', 'a#b', ...RESERVED), fc.string({ unit: 'binary', maxLength: 20 }), fc.constant('k'.repeat(300)));
/** An object with these keys as own properties (`__proto__` included, as JSON.parse makes it). */
const keyed = <T>(value: fc.Arbitrary<T>) => fc.array(fc.tuple(key, value), { maxLength: 6 }).map((entries) => Object.fromEntries(entries) as Record<string, T>);

const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(5000)));
const json: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), keyed(tie('node')), fc.array(tie('node'), { maxLength: 3 })),
})).node;

const intent = mutated(CONTACTS).chain(([channel, accountId, userId]) =>
  fc.record({
    channel: fc.constant(channel),
    accountId: fc.constant(accountId),
    userId: fc.constant(userId),
    kind: fc.constantFrom('reply', 'marketing', 'utility', 'other'),
    author: fc.constantFrom('bot', 'human'),
    content: fc.oneof(
      fc.record({ type: fc.constant('text'), text }),
      fc.record({ type: fc.constant('template'), name: fc.oneof(fc.constant('weekly_deals'), segment), language: fc.constantFrom('de', 'en_US', '') }),
      fc.record({ type: fc.constant('interactive'), interactive: keyed(json) }),
    ),
  }),
);

/** Numbers DynamoDB can't store among ordinary ones. */
const number = fc.oneof(fc.integer({ min: -2, max: 100 }), fc.constantFrom(2 ** 53, -(2 ** 60), 1e300, 5e-324, 0.001), fc.double({ noNaN: true, noDefaultInfinity: true }));

const sample = loadEvent<Campaign>('campaigns/weekly-deals-recurring.json');
const campaign = fc.record({
  id: fc.oneof(fc.constant('weekly-deals'), segment),
  accounts: fc.array(mutated(ACCOUNTS).map(([c, a]) => ({ channel: c, accountId: a })), { minLength: 1, maxLength: 3 }),
  audience: fc.record({ tags: fc.array(key, { maxLength: 3 }), attributes: keyed(text) }, { requiredKeys: [] }),
  content: fc.record({
    type: fc.constant('template'),
    name: fc.oneof(fc.constant('weekly_deals'), segment),
    language: fc.constant('de'),
    parameters: fc.array(fc.record({ fromAttribute: key, value: text }), { maxLength: 2 }),
  }),
  caps: fc.record({ maxRecipients: number, maxCostEur: number }, { requiredKeys: [] }),
  frequencyCap: fc.record({ max: number, perHours: number }),
}, { requiredKeys: [] }).map((over) => ({ ...sample, status: 'draft', ...over }));

const profileBody = fc
  .record({ tags: fc.array(key, { maxLength: 4 }), attributes: keyed(text), timeZone: fc.constantFrom('Europe/Berlin', 'Mars/Olympus') }, { requiredKeys: [] })
  .map((v) => JSON.stringify(v));
const accountBody = fc
  .record(
    { displayName: text, tokenSecret: fc.oneof(segment, segment.map((s) => TOKEN_PREFIX + s)), timezone: fc.constantFrom('Europe/Berlin', 'UTC'), wabaId: segment },
    { requiredKeys: ['displayName', 'tokenSecret', 'timezone'] },
  )
  .map((v) => JSON.stringify(v));
const sendBody = fc.record({ intent, idempotencyKey: text }).map((v) => JSON.stringify(v));
const target = fc.oneof(fc.constantFrom('userId', 'channel', 'ignore', 'consent.topic', 'attribute:firstName', 'attribute:__proto__', 'attribute:', 'nope'), text);
const importBody = fc
  .record(
    {
      header: fc.array(fc.oneof(key, fc.constantFrom('phone', 'first_name', 'channel')), { maxLength: 5 }),
      mapping: keyed(target),
      purpose: fc.constantFrom('add_new', 'update_existing', 'add_and_update', 'replace'),
      doNotOverwrite: fc.array(target, { maxLength: 3 }),
      dryRun: fc.boolean(),
      defaults: fc.record({ channel: segment, accountId: segment }, { requiredKeys: [] }),
      delimiter: fc.constantFrom(',', ';', '\t', '|'),
      name: text,
    },
    { requiredKeys: [] },
  )
  .map((v) => JSON.stringify(v));
const chunkBody = fc
  .record({ firstLine: number, csv: fc.oneof(text, fc.constantFrom(`${DE_WA},Lena\n`, '"open\n', 'a;b\r\n"x""y",z', '\uFEFF,,,\n\n')) }, { requiredKeys: [] })
  .map((v) => JSON.stringify(v));

/** A body: none, malformed, random JSON, or one shaped like a route's with hostile values. */
const anyBody: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('{', 'null', '[]', '"x"', '{"__proto__":{"polluted":true}}'),
  json.map((v) => JSON.stringify(v)),
  profileBody,
  accountBody,
  sendBody,
  intent.map((v) => JSON.stringify(v)),
  campaign.map((v) => JSON.stringify(v)),
  importBody,
  chunkBody,
);

interface Route {
  method: string;
  path: (s: string[]) => string;
  params: readonly string[][];
  body?: fc.Arbitrary<string | undefined>;
}

/** Every admin route, with valid parameters to start from and the body it takes. */
const ROUTES: Route[] = [
  { method: 'GET', path: ([c, a, u]) => `contacts/${c}/${a}/${u}`, params: CONTACTS },
  { method: 'GET', path: ([c, a, u]) => `contacts/${c}/${a}/${u}/sends`, params: CONTACTS },
  { method: 'PUT', path: ([c, a, u]) => `contacts/${c}/${a}/${u}/profile`, params: CONTACTS, body: profileBody },
  { method: 'GET', path: ([m]) => `messages/${m}`, params: MESSAGES },
  { method: 'GET', path: ([c, a]) => `templates/${c}/${a}`, params: ACCOUNTS },
  { method: 'POST', path: ([c, a]) => `templates/${c}/${a}/sync`, params: ACCOUNTS },
  { method: 'GET', path: () => 'accounts', params: [[]] },
  { method: 'GET', path: ([c, a]) => `accounts/${c}/${a}`, params: ACCOUNTS },
  { method: 'PUT', path: ([c, a]) => `accounts/${c}/${a}`, params: ACCOUNTS, body: accountBody },
  { method: 'DELETE', path: ([c, a]) => `accounts/${c}/${a}`, params: ACCOUNTS },
  { method: 'POST', path: () => 'sends/preview', params: [[]], body: intent.map((v) => JSON.stringify(v)) },
  { method: 'POST', path: () => 'sends', params: [[]], body: sendBody },
  { method: 'GET', path: ([o]) => `sends/${o}`, params: MESSAGES },
  { method: 'GET', path: () => 'campaigns', params: [[]] },
  { method: 'PUT', path: ([id]) => `campaigns/${id}`, params: CAMPAIGNS, body: campaign.map((v) => JSON.stringify(v)) },
  { method: 'GET', path: ([id]) => `campaigns/${id}`, params: CAMPAIGNS },
  { method: 'DELETE', path: ([id]) => `campaigns/${id}`, params: CAMPAIGNS },
  ...['preview', 'schedule', 'pause', 'resume'].map((action): Route => ({ method: 'POST', path: ([id]) => `campaigns/${id}/${action}`, params: CAMPAIGNS })),
  { method: 'GET', path: ([id, key]) => `campaigns/${id}/occurrences/${key}`, params: CAMPAIGNS },
  { method: 'POST', path: () => 'imports', params: [[]], body: importBody },
  { method: 'PUT', path: ([id, seq]) => `imports/${id}/chunks/${seq}`, params: IMPORTS, body: chunkBody },
  { method: 'POST', path: ([id]) => `imports/${id}/start`, params: IMPORTS, body: fc.record({ chunks: number }, { requiredKeys: [] }).map((v) => JSON.stringify(v)) },
  { method: 'GET', path: ([id]) => `imports/${id}`, params: IMPORTS },
  { method: 'GET', path: ([id]) => `imports/${id}/errors`, params: IMPORTS },
  { method: 'GET', path: () => 'imports', params: [[]] },
  { method: 'GET', path: () => 'health', params: [[]] },
  { method: 'GET', path: () => 'quarantine', params: [[]] },
  { method: 'GET', path: () => 'audit', params: [[]] },
];

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/** A route's request with some parameters and body values gone bad, or a random one. */
const request = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(...ROUTES).chain((route) =>
      fc.record({
        method: fc.oneof({ weight: 5, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
        path: fc.tuple(mutated(route.params), fc.constantFrom('', '/')).map(([params, tail]) => `/admin/${route.path(params)}${tail}`),
        body: route.body ? fc.oneof({ weight: 4, arbitrary: route.body }, { weight: 1, arbitrary: anyBody }) : anyBody,
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constantFrom(...METHODS),
      path: fc.array(segment, { minLength: 0, maxLength: 6 }).map((segments) => `/admin/${segments.join('/')}`),
      body: anyBody,
    }),
  },
);

const instant = fc.constantFrom('2026-11-23T08:00:00.000Z', '2026-11-23', 'yesterday', '', '9999-12-31T23:59:59.999Z', '0');
const query = fc.option(fc.record({ limit: fc.constantFrom('0', '1', '20', '1e9', 'x', '-1'), cursor: segment, from: instant, to: instant }, { requiredKeys: [] }), { nil: undefined });

describe('admin API under random requests', () => {
  it('answers every method, path, query and body without a 5xx, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(request, query, async ({ method, path, body }, q) => {
        const { handler, campaigns, occurrences, importJobs } = adminRig();
        campaigns.seed({ ...sample, id: 'weekly-deals', status: 'draft' }, NOW);
        occurrences.seed(occurrence('weekly-deals', '2026-11-23T08:00:00.000Z'));
        await createImport({ jobs: importJobs, clock: () => NOW, newId: () => IMPORT_ID }, ImportRequestSchema.parse(loadEvent('admin/import-request.json')));
        const result = await handler(httpEvent({ method, path, ...(body === undefined ? {} : { body }), ...(q ? { query: q } : {}) }));
        expect(result.statusCode).toBeGreaterThanOrEqual(200);
        expect(result.statusCode).toBeLessThan(500);
        expect(() => JSON.parse(String(result.body)) as unknown).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('routing headers', () => {
  // IAM authorises the request's real path: headers Powertools would build the URL from must not move it.
  it.each([
    ['x-forwarded-proto', 'http://x/admin/audit?'],
    ['X-Forwarded-Proto', 'http://x/admin/accounts/whatsapp/109876543210987?,https'],
    ['host', 'x/admin/audit?'],
  ])('a %s header naming another path changes nothing: the request runs the route of its own path', async (name, value) => {
    const { handler, accounts } = adminRig();
    const health = await handler({ ...httpEvent({ method: 'GET', path: '/admin/health' }), headers: { [name]: value } });
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(String(health.body))).not.toHaveProperty('entries');
    const deleted = await handler({ ...httpEvent({ method: 'DELETE', path: '/admin/campaigns/weekly-deals' }), headers: { [name]: value.replace('/admin/audit', `/admin/accounts/whatsapp/${PHONE}`) } });
    expect(JSON.parse(String(deleted.body))).not.toHaveProperty('deleted.channel');
    expect(await accounts.get({ channel: 'whatsapp', accountId: PHONE })).toBeDefined();
  });
});
