/**
 * Interface under test: the audit log over HTTP on the local stack (issue 11, item 5): the stack's
 * admin API records each write in the state table, with its TTL, and `GET /admin/audit` reads it
 * back. The local API signs nothing, so the principal is `unauthenticated` (in AWS, the IAM ARN:
 * test/unit/admin/audit-log.test.ts).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { auditKey } from '../../lambdas/adapters/dynamodb/keys';
import { auditDay } from '../../lambdas/domain/audit/audit-entry';
import { digest } from '../../lambdas/domain/event-key';
import { startTestStack, type TestStack } from '../helpers/local-stack';

const PHONE = '109876543210987';
const WA = '4915112345678';

describe('audit log on the local stack', () => {
  let stack: TestStack;
  beforeEach(async () => {
    stack = await startTestStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('records each write with its time, target and status, keeps it a year (TTL), and lists it newest first', async () => {
    const t0 = stack.now.value;
    expect((await call('PUT', `/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop', timezone: 'Europe/Berlin', tokenSecret: `afterchat/dev/tokens/whatsapp/${PHONE}` })).status).toBe(200);
    stack.now.value = t0 + 60_000;
    expect((await call('PUT', `/admin/contacts/whatsapp/${PHONE}/${WA}/profile`, { tags: ['vip'] })).status).toBe(200);
    stack.now.value = t0 + 120_000;
    expect((await call('DELETE', `/admin/accounts/whatsapp/1`)).status).toBe(404);
    expect((await call('GET', `/admin/accounts`)).status).toBe(200);

    const answer = await call('GET', '/admin/audit');
    expect(answer.status).toBe(200);
    const { entries } = (await answer.json()) as { entries: { id: string; at: string; action: string; target: Record<string, string>; status: number; principal: string; outcome: string; expiresAt: string }[] };
    expect(entries.map((e) => [e.at, e.action, e.status, e.outcome])).toEqual([
      [new Date(t0 + 120_000).toISOString(), 'DELETE /admin/accounts/{channel}/{accountId}', 404, 'refused'],
      [new Date(t0 + 60_000).toISOString(), 'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile', 200, 'succeeded'],
      [new Date(t0).toISOString(), 'PUT /admin/accounts/{channel}/{accountId}', 200, 'succeeded'],
    ]);
    expect(entries[1]).toMatchObject({ principal: 'unauthenticated', target: { channel: 'whatsapp', accountId: PHONE, userIdHash: digest(WA) } });
    expect(JSON.stringify(entries)).not.toContain(WA);

    // The stored item carries the table's TTL attribute: a year after the request, in epoch seconds.
    const client = documentClient({ endpoint: stack.dynamoEndpoint });
    try {
      const first = entries[2] as { id: string };
      const { Item } = await client.send(new GetCommand({ TableName: stack.tableName, Key: auditKey(auditDay(t0), first.id) }));
      expect(Item?.expiresAt).toBe(Math.floor(t0 / 1000) + 365 * 24 * 3600);
    } finally {
      client.destroy();
    }
  });
});
