/**
 * Interface under test: the admin handler's audit log (issue 11, item 5). Every write the API accepts
 * is recorded before it runs, with the caller's IAM principal, the action as a route template, the
 * target (a person's ids hashed), the time and the status; admins read it with GET /admin/audit.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InMemoryAuditLog } from '../../../lambdas/adapters/memory/audit-log';
import { digest } from '../../../lambdas/domain/event-key';
import { outboxIdFor } from '../../../lambdas/domain/send/outbox-id';
import { httpEvent } from '../../helpers/api-gateway-event';
import { DE_WA, PHONE } from '../../helpers/sample-ids';
import { adminRig, NOW, TOKEN_PREFIX } from './admin-rig';

const OPERATOR = 'arn:aws:sts::123456789012:assumed-role/afterchat-operator/jane';
const registration = { displayName: 'Shop', timezone: 'Europe/Berlin', tokenSecret: `${TOKEN_PREFIX}whatsapp/${PHONE}` };
const textIntent = { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hallo!' } };

/** An HTTP API event as API Gateway's IAM authorisation hands it to the function. */
const signed = (method: string, path: string, body?: unknown, query?: Record<string, string>): APIGatewayProxyEventV2 => {
  const event = httpEvent({ method, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }), ...(query ? { query } : {}) });
  const iam = { accessKey: 'ASIAEXAMPLE', accountId: '123456789012', callerId: 'AROAEXAMPLE:jane', cognitoIdentity: null, principalOrgId: 'o-1', userArn: OPERATOR, userId: 'AROAEXAMPLE:jane' };
  return { ...event, requestContext: { ...event.requestContext, authorizer: { iam } } } as APIGatewayProxyEventV2;
};

const rig = (log = new InMemoryAuditLog()) => {
  const admin = adminRig({ audit: log });
  const send = async (event: APIGatewayProxyEventV2) => {
    const result = await admin.handler(event);
    return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
  };
  return { ...admin, log, send };
};

describe('audit log of admin writes', () => {
  it('records each write with the caller’s IAM principal, the route template, the target, the time and the status; reads are not recorded', async () => {
    const { send, log } = rig();

    expect((await send(signed('PUT', `/admin/accounts/whatsapp/${PHONE}`, registration))).status).toBe(200);
    expect((await send(signed('GET', '/admin/accounts'))).status).toBe(200);
    expect((await send(signed('GET', `/admin/accounts/whatsapp/${PHONE}`))).status).toBe(200);
    expect((await send(signed('DELETE', '/admin/campaigns/no-such-campaign'))).status).toBe(404);

    const entries = log.all();
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => e.action.startsWith('PUT'))).toEqual({
      id: expect.stringMatching(/^2026-05-17T12:00:00\.000Z#[0-9a-f-]{36}$/) as string,
      at: NOW,
      principal: OPERATOR,
      callerId: 'AROAEXAMPLE:jane',
      callerAccount: '123456789012',
      action: 'PUT /admin/accounts/{channel}/{accountId}',
      target: { channel: 'whatsapp', accountId: PHONE },
      requestId: 'req-1',
      status: 200,
      finishedAt: NOW,
      expiresAt: NOW + 365 * 24 * 3600 * 1000,
    });
    // A refused write is recorded too, with its status.
    expect(entries.find((e) => e.action.startsWith('DELETE'))).toMatchObject({
      action: 'DELETE /admin/campaigns/{campaignId}',
      target: { campaignId: 'no-such-campaign' },
      status: 404,
    });
  });

  it('names a person only by a hash: a profile PUT and a send, whose outbox id it records', async () => {
    const { send, log } = rig();

    expect((await send(signed('PUT', `/admin/contacts/whatsapp/${PHONE}/${DE_WA}/profile`, { tags: ['vip'] }))).status).toBe(200);
    const sent = await send(signed('POST', '/admin/sends', { intent: textIntent, idempotencyKey: 'order-1001-shipped' }));
    expect(sent.status).toBe(202);

    const sendEntry = log.all().find((e) => e.action.startsWith('POST'));
    const profileEntry = log.all().find((e) => e.action.startsWith('PUT'));
    expect(profileEntry).toMatchObject({
      action: 'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile',
      target: { channel: 'whatsapp', accountId: PHONE, userIdHash: digest(DE_WA) },
      status: 200,
    });
    expect(sendEntry).toMatchObject({
      action: 'POST /admin/sends',
      target: { channel: 'whatsapp', accountId: PHONE, userIdHash: digest(DE_WA), outboxId: outboxIdFor('order-1001-shipped') },
      status: 202,
    });
    expect(sent.body.outboxId).toBe(outboxIdFor('order-1001-shipped'));
    expect(JSON.stringify(log.all())).not.toContain(DE_WA);
  });

  it('refuses a write with 503, changing nothing, when its entry can’t be recorded', async () => {
    let failing = true;
    const { send, log, accounts } = rig(new InMemoryAuditLog({ failWrites: () => failing }));
    const before = structuredClone(accounts.accounts);

    const refused = await send(signed('PUT', `/admin/accounts/whatsapp/${PHONE}`, { ...registration, displayName: 'Renamed' }));

    expect(refused).toEqual({ status: 503, body: { error: 'audit log unavailable: nothing was changed, try again' } });
    expect(accounts.accounts).toEqual(before);
    failing = false;
    expect(log.all()).toEqual([]);
    // Reads need no audit log.
    failing = true;
    expect((await send(signed('GET', '/admin/accounts'))).status).toBe(200);
  });

  it('records a write that broke with a 500 as failed', async () => {
    const { send, log, accounts } = rig();
    accounts.put = () => Promise.reject(new Error('storage down'));

    expect((await send(signed('PUT', `/admin/accounts/whatsapp/${PHONE}`, registration))).status).toBe(500);

    expect(log.all()).toEqual([expect.objectContaining({ action: 'PUT /admin/accounts/{channel}/{accountId}', status: 500 })]);
  });

  it('answers GET /admin/audit newest first, in pages, within a time range, with each entry’s outcome', async () => {
    const log = new InMemoryAuditLog();
    const { send } = rig(log);
    const at = (iso: string) => Date.parse(iso);
    const entry = (iso: string, status: number | undefined, action: string) => ({
      id: `${iso}#00000000-0000-0000-0000-${String(at(iso)).slice(-12)}`,
      at: at(iso),
      principal: OPERATOR,
      action,
      target: { campaignId: 'weekly-deals' },
      ...(status === undefined ? {} : { status, finishedAt: at(iso) + 20 }),
    });
    for (const [iso, status, action] of [
      ['2026-05-15T09:00:00.000Z', 200, 'PUT /admin/campaigns/{campaignId}'],
      ['2026-05-16T10:00:00.000Z', 409, 'POST /admin/campaigns/{campaignId}/pause'],
      ['2026-05-17T11:00:00.000Z', undefined, 'POST /admin/campaigns/{campaignId}/schedule'],
      ['2026-05-17T11:30:00.000Z', 502, 'POST /admin/campaigns/{campaignId}/resume'],
    ] as const) {
      const e = entry(iso, status, action);
      await log.append(e);
      if (status !== undefined) await log.settle(e, { status, at: e.at + 20 });
    }

    const first = await send(signed('GET', '/admin/audit', undefined, { limit: '2' }));
    expect(first.status).toBe(200);
    expect((first.body.entries as { at: string; outcome: string }[]).map((e) => [e.at, e.outcome])).toEqual([
      ['2026-05-17T11:30:00.000Z', 'failed'],
      ['2026-05-17T11:00:00.000Z', 'unfinished'],
    ]);
    expect(first.body.entries).toContainEqual({
      id: expect.any(String) as string,
      at: '2026-05-17T11:00:00.000Z',
      principal: OPERATOR,
      callerId: null,
      callerAccount: null,
      action: 'POST /admin/campaigns/{campaignId}/schedule',
      target: { campaignId: 'weekly-deals' },
      requestId: null,
      status: null,
      outcome: 'unfinished',
      finishedAt: null,
      expiresAt: '2027-05-17T11:00:00.000Z',
    });
    const second = await send(signed('GET', '/admin/audit', undefined, { limit: '2', cursor: String(first.body.cursor) }));
    expect((second.body.entries as { outcome: string }[]).map((e) => e.outcome)).toEqual(['refused', 'succeeded']);
    expect(second.body.cursor).toBeUndefined();

    const ranged = await send(signed('GET', '/admin/audit', undefined, { from: '2026-05-16T00:00:00Z', to: '2026-05-17T11:00:00Z' }));
    expect((ranged.body.entries as { at: string }[]).map((e) => e.at)).toEqual(['2026-05-17T11:00:00.000Z', '2026-05-16T10:00:00.000Z']);
  });

  it('answers 400 to a malformed range, limit or cursor, and 503 without an audit log', async () => {
    const { send } = rig();
    expect(await send(signed('GET', '/admin/audit', undefined, { from: 'yesterday' }))).toMatchObject({ status: 400, body: { error: 'invalid query', detail: [{ path: 'from' }] } });
    expect(await send(signed('GET', '/admin/audit', undefined, { from: '2026-05-17T00:00:00Z', to: '2026-05-16T00:00:00Z' }))).toMatchObject({ status: 400 });
    expect(await send(signed('GET', '/admin/audit', undefined, { limit: '101' }))).toMatchObject({ status: 400 });
    expect(await send(signed('GET', '/admin/audit', undefined, { cursor: 'forged' }))).toEqual({ status: 400, body: { error: 'invalid audit cursor' } });
    expect((await adminRig({ audit: null }).call('GET', '/admin/audit')).status).toBe(503);
  });
});
