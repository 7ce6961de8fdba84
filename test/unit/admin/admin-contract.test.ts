/**
 * Interface under test: the admin API's contract (lambdas/admin/contract), the router that serves it
 * and the OpenAPI document generated from it. This is the CI check: it fails when a route has no
 * contract entry or an entry no route, when a route promises no success answer, when the document
 * isn't valid OpenAPI 3.1 or misses a route, and when an answer leaves its route's schema (the rig
 * holds every answer to it).
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import { adminRoutes } from '../../../lambdas/admin/admin-api';
import { serveAdminApi } from '../../../lambdas/admin/admin-router';
import { CONTRACT_AREAS, contractRoutes } from '../../../lambdas/admin/contract';
import { openApiDocument } from '../../../lambdas/admin/contract/openapi';
import type { RouteContract } from '../../../lambdas/admin/contract/route-contract';
import type { AdminRouteImpls } from '../../../lambdas/admin/route-handler';
import { httpEvent } from '../../helpers/api-gateway-event';
import { loadEvent } from '../../helpers/events';
import { DE_WA, PHONE, WABA } from '../../helpers/sample-ids';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import { occurrence } from '../campaign/fakes';
import { adminRig, NOW, TOKEN_PREFIX } from './admin-rig';

const contractKeys = () => contractRoutes().map(([key]) => key).sort();
const HTTP_SUCCESS = /^2\d\d$/;

/** The routes that promise no success answer: a client could type nothing they answer, and the document would show none. */
const withoutSuccess = (routes: [string, RouteContract][]): string[] =>
  routes.filter(([, route]) => !Object.keys(route.responses).some((status) => HTTP_SUCCESS.test(status))).map(([key]) => key);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

describe('the admin API contract', () => {
  it('has an entry for every route the router serves, and a route for every entry', () => {
    // Assess
    expect(Object.keys(adminRoutes).sort()).toEqual(contractKeys());
    expect(contractKeys().length).toBeGreaterThan(25);
  });

  it('promises at least one success answer (2xx) with its schema for each route', () => {
    // Prepare: an entry that answers nothing but errors
    const answersNothing: [string, RouteContract] = ['GET /admin/widgets', { operationId: 'getWidgets', summary: 'Widgets', responses: {} }];

    // Assess
    expect(withoutSuccess([answersNothing])).toEqual(['GET /admin/widgets']);
    expect(withoutSuccess(contractRoutes())).toEqual([]);
  });

  it('names each route in one area only', () => {
    // Assess
    const inAreas = Object.values(CONTRACT_AREAS).flatMap((area) => Object.keys(area));
    expect(inAreas.sort()).toEqual(contractKeys());
  });

  it('refuses to serve a route its contract doesn’t have', () => {
    // Prepare
    const { deps } = adminRig();
    const extra = { ...adminRoutes, 'GET /admin/widgets': { handle: () => Promise.resolve({ status: 200, body: {} }) } } as AdminRouteImpls;

    // Act & Assess
    expect(() => serveAdminApi(deps, extra)).toThrow('GET /admin/widgets has no entry');
  });

  it.each(contractKeys())('routes %s to its handler', async (key) => {
    // Prepare
    const { call } = adminRig();
    const [method = '', template = ''] = key.split(' ');

    // Act
    const answer = await call(method, template.replace(/\{[^}]+\}/g, 'x'));

    // Assess
    expect(answer.body.error).not.toBe('no such route');
    expect(answer.status).not.toBe(405);
  });

  it.each([
    ['PATCH', `/admin/accounts/whatsapp/${PHONE}`, 'DELETE, GET, PUT'],
    ['POST', '/admin/health', 'GET'],
    // A path two templates match is allowed the methods of both.
    ['DELETE', '/admin/sends/preview', 'GET, POST'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
    // Prepare
    const { handler } = adminRig();

    // Act
    const answer = await handler(httpEvent({ method, path }));

    // Assess
    expect(answer.statusCode).toBe(405);
    expect(JSON.parse(String(answer.body))).toEqual({ error: 'method not allowed' });
    expect(answer.headers).toMatchObject({ allow });
  });

  describe('the OpenAPI document', () => {
    const document = openApiDocument();

    it('is valid OpenAPI 3.1', async () => {
      // Act
      const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);

      // Assess
      expect(document.openapi).toBe('3.1.0');
      expect(result.valid ? '' : compileErrors(result)).toBe('');
    });

    it('has every route, each with its own operation id and access level', () => {
      // Act
      const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
        Object.entries(item as Record<string, { operationId?: string; 'x-access-level'?: string }>)
          .filter(([method]) => HTTP_METHODS.includes(method))
          .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, ...operation })),
      );

      // Assess
      expect(operations.map((o) => o.key).sort()).toEqual(contractKeys());
      expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
      expect(operations.filter((o) => !['viewer', 'operator', 'admin'].includes(String(o['x-access-level'])))).toEqual([]);
    });

    it('is what GET /admin/openapi.json answers', async () => {
      // Act
      const answer = await adminRig().call('GET', '/admin/openapi.json');

      // Assess
      expect(answer).toEqual({ status: 200, body: JSON.parse(JSON.stringify(document)) as unknown });
    });
  });

  it('answers each route’s success in its schema, every time in it ISO-8601', async () => {
    // Prepare: a campaign and one of its firings, a quarantined item, a send
    const { call, campaigns, occurrences, quarantine, automationUsage } = adminRig();
    await automationUsage.record({ account: { channel: 'whatsapp', accountId: PHONE }, day: '2026-05-16', rule: 'keyword', outboxId: 'ob_RxvmVYtmXk9t1J8RhIFNFJGw', pricing: 'service', market: 'DE' });
    const campaign = { ...loadEvent<Campaign>('campaigns/weekly-deals-recurring.json'), id: 'weekly-deals', status: 'draft' };
    occurrences.seed(occurrence('weekly-deals', '2026-11-23T08:00:00.000Z'));
    const followUp = { ...campaign, id: 'weekly-deals-retry', schedule: { kind: 'once', at: '2026-11-24T08:00:00Z' } };
    await quarantine.put(
      [{ quarantineId: 'q1', reason: 'time_out_of_range', issues: [{ path: 'occurredAt', message: 'in range' }], type: 'inbound', item: '{"type":"inbound"}', itemTruncated: false }],
      NOW,
    );
    const intent = { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hallo!' } };
    const contact = `whatsapp/${PHONE}/${DE_WA}`;
    const steps: [string, string, unknown, number][] = [
      ['GET', '/admin/health', undefined, 200],
      ['GET', '/admin/accounts', undefined, 200],
      ['GET', `/admin/accounts/whatsapp/${PHONE}`, undefined, 200],
      ['GET', `/admin/accounts/whatsapp/${PHONE}/automation/usage`, undefined, 200],
      ['GET', `/admin/accounts/whatsapp/${PHONE}/responsiveness`, undefined, 200],
      ['GET', `/admin/accounts/whatsapp/${PHONE}/growth`, undefined, 200],
      ['PUT', `/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop', timezone: 'Europe/Berlin', tokenSecret: `${TOKEN_PREFIX}whatsapp`, wabaId: WABA }, 200],
      ['GET', `/admin/contacts/${contact}`, undefined, 200],
      ['PUT', `/admin/contacts/${contact}/profile`, { tags: ['vip'], attributes: { city: 'Leipzig' } }, 200],
      ['POST', `/admin/contacts/${contact}/handoff`, { note: 'asked about a refund' }, 200],
      ['GET', `/admin/contacts/${contact}`, undefined, 200],
      ['DELETE', `/admin/contacts/${contact}/handoff`, undefined, 200],
      ['POST', '/admin/sends/preview', intent, 200],
      ['POST', '/admin/sends', { intent, idempotencyKey: 'k-1' }, 202],
      ['POST', '/admin/sends', { intent, idempotencyKey: 'k-1' }, 200],
      ['GET', `/admin/contacts/${contact}/sends`, undefined, 200],
      ['POST', `/admin/templates/whatsapp/${WABA}/sync`, undefined, 200],
      ['PUT', '/admin/campaigns/weekly-deals', campaign, 201],
      ['PUT', '/admin/campaigns/weekly-deals', campaign, 200],
      ['GET', '/admin/campaigns', undefined, 200],
      ['POST', '/admin/campaigns/weekly-deals/preview', undefined, 200],
      ['POST', '/admin/campaigns/weekly-deals/schedule', undefined, 200],
      ['POST', '/admin/campaigns/weekly-deals/pause', undefined, 200],
      ['POST', '/admin/campaigns/weekly-deals/resume', undefined, 200],
      ['GET', '/admin/campaigns/weekly-deals', undefined, 200],
      ['GET', '/admin/campaigns/weekly-deals/occurrences/2026-11-23T08:00:00.000Z', undefined, 200],
      ['GET', '/admin/campaigns/weekly-deals/occurrences/2026-11-23T08:00:00.000Z/report', undefined, 200],
      ['GET', '/admin/campaigns/weekly-deals/occurrences/2026-11-23T08:00:00.000Z/recipients', undefined, 200],
      ['GET', '/admin/campaigns/weekly-deals/report', undefined, 200],
      ['POST', '/admin/campaigns/weekly-deals/occurrences/2026-11-23T08:00:00.000Z/follow-up', { state: 'limited_by_meta', campaign: followUp }, 201],
      ['POST', '/admin/campaigns/weekly-deals/occurrences/2026-11-23T08:00:00.000Z/follow-up', { state: 'limited_by_meta', campaign: followUp }, 200],
      ['DELETE', '/admin/campaigns/weekly-deals-retry', undefined, 200],
      ['DELETE', '/admin/campaigns/weekly-deals', undefined, 200],
      ['GET', '/admin/quarantine', undefined, 200],
      ['GET', '/admin/audit', undefined, 200],
      ['DELETE', `/admin/accounts/whatsapp/${PHONE}`, undefined, 200],
    ];

    // Act & Assess: `call` throws on an answer off its contract
    for (const [method, path, body, status] of steps) {
      expect({ step: `${method} ${path}`, status: (await call(method, path, body)).status }).toEqual({ step: `${method} ${path}`, status });
    }
    expect(campaigns.records.size).toBe(0);
    const days = { from: '2026-11-01', to: '2026-11-30' };
    expect((await call('GET', '/admin/reports/sends', undefined, { channel: 'whatsapp', accountId: PHONE, ...days })).status).toBe(200);
    expect((await call('GET', '/admin/reports/triggers/order.shipped', undefined, days)).status).toBe(200);
    const search = await call('GET', `/admin/contacts/whatsapp/${PHONE}`, undefined, { windowOpen: 'true', limit: '10' });
    expect(search).toMatchObject({ status: 200, body: { contacts: [{ userId: DE_WA, window: { open: true } }] } });
    // The account as query parameters answers exactly what the path form does.
    expect(await call('GET', '/admin/contacts', undefined, { channel: 'whatsapp', accountId: PHONE, windowOpen: 'true', limit: '10' })).toEqual(search);
    expect((await call('GET', '/admin/contacts', undefined, { channel: 'telegram', accountId: PHONE })).status).toBe(400);
  });
});
