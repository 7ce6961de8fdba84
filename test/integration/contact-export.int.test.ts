/**
 * Interface under test: the access export (`GET /admin/contacts/…/export`) over HTTP on the local
 * stack, after a person reached afterchat through every kind of item it files under them: a webhook
 * (event record, contact records for the wa_id and the BSUID), a quarantined webhook item, a status of
 * a message another app sent them, a profile with the shop's customer id, a handoff, a send, a click
 * on a link of it, an order attributed to it and a CSV import's row. Then the person index's pages,
 * walked two items at a time, hand out the same items as one page.
 */
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbClickLog } from '../../lambdas/adapters/dynamodb/click-log';
import { DynamoDbConversions } from '../../lambdas/adapters/dynamodb/conversions';
import { DynamoDbImportJobs } from '../../lambdas/adapters/dynamodb/import-jobs';
import { DynamoDbPersonData } from '../../lambdas/adapters/dynamodb/person-data';
import type { PersonItem } from '../../lambdas/ports/person-data';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { PHONE } from '../helpers/sample-ids';
import { from, messagesBody, SAMPLE_NUMBER, text, textBody, otherAppStatusBody } from '../helpers/whatsapp-webhook';

const WA = '4915100000042';
const BSUID = 'DE.1234567890123456789012';
const OTHER_WA = '4915100000043';

interface ExportBody {
  userIds: string[];
  contact: { userId: string; profile: { tags: string[] }; handoff: { active: boolean } | null } | null;
  records: Record<string, unknown>[];
  sends: Record<string, unknown>[];
  messageStatuses: Record<string, unknown>[];
  events: Record<string, unknown>[];
  quarantined: Record<string, unknown>[];
  importRows: Record<string, unknown>[];
  clicks: Record<string, unknown>[];
  conversions: Record<string, unknown>[];
  customerKeys: Record<string, unknown>[];
  cursor?: string;
}

describe('the access export on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('hands out every kind of item afterchat holds about the person, and nothing of another', async () => {
    const at = stack.now.value - 60_000;
    expect((await stack.post(textBody(SAMPLE_NUMBER, { waId: WA, bsuid: BSUID, id: 'wamid.export-in-1', atMs: at }, 'Hallo, wo ist mein Paket?'))).status).toBe(200);
    expect((await stack.post(textBody(SAMPLE_NUMBER, { waId: OTHER_WA, id: 'wamid.export-other-1', atMs: at }, 'Not me'))).status).toBe(200);
    // A timestamp no clock reaches: the item is quarantined, filed under the person it names.
    expect((await stack.post(messagesBody(SAMPLE_NUMBER, from({ waId: WA, id: 'wamid.export-poison', atMs: 1e23 }, text('poison'))))).status).toBe(200);
    expect((await stack.post(otherAppStatusBody(SAMPLE_NUMBER, { waId: WA, wamid: 'wamid.export-other-app', atSeconds: Math.floor(at / 1000) + 5 }))).status).toBe(200);
    const contact = `whatsapp/${PHONE}/${WA}`;
    expect((await call('PUT', `/admin/contacts/${contact}/profile`, { tags: ['vip'], attributes: { firstName: 'Lena', locale: 'de_DE', customer_id: 'C-4242' }, timeZone: 'Europe/Berlin' })).status).toBe(200);
    expect((await call('POST', `/admin/contacts/${contact}/handoff`, { note: 'asked for a person' })).status).toBe(200);
    const send = await call('POST', '/admin/sends', {
      intent: { channel: 'whatsapp', accountId: PHONE, userId: WA, kind: 'reply', author: 'human', content: { type: 'text', text: 'Ihr Paket kommt morgen.' } },
      idempotencyKey: 'export-reply-1',
    });
    expect(send.status).toBe(202);
    const importClient = documentClient({ endpoint: stack.dynamoEndpoint, region: 'local' });
    await new DynamoDbImportJobs(importClient, stack.tableName).putRowOutcome('imp-export', 7, { channel: 'whatsapp', accountId: PHONE, userId: WA }, 'updated', ['tags', 'attribute:firstName'], at);
    const person = { channel: 'whatsapp' as const, accountId: PHONE, userId: WA };
    const outboxId = String(send.body.outboxId);
    await new DynamoDbClickLog(importClient, stack.tableName).add({ outboxId, contact: person, clicked: { kind: 'link', target: 0 }, at });
    await new DynamoDbConversions(importClient, stack.tableName).keep({
      account: { channel: 'whatsapp', accountId: PHONE },
      orderId: 'SK-4242',
      occurredAt: at + 1000,
      value: { amount: 19.9, currency: 'EUR' },
      contact: person,
      touch: { outboxId, kind: 'click', at },
      recordedAt: at + 2000,
    });
    importClient.destroy();

    // Act
    const answer = await stack.getJson<ExportBody>(`/admin/contacts/${contact}/export`);

    // Assess
    expect(answer.userIds).toEqual([WA, BSUID]);
    expect(answer.contact).toMatchObject({ userId: WA, profile: { tags: ['vip'] }, handoff: { active: true } });
    const recordKeys = answer.records.map((r) => `${String(r.pk)} ${String(r.sk)}`).sort();
    expect(recordKeys).toEqual([`C#whatsapp#${PHONE}#${WA} STATE`, `C#whatsapp#${PHONE}#${WA} TAG#vip`, `C#whatsapp#${PHONE}#${BSUID} STATE`]);
    expect(answer.records.find((r) => r.sk === 'STATE' && r.userId === WA)).toMatchObject({ profileAttributes: { firstName: 'Lena', locale: 'de_DE' } });
    expect(answer.sends).toEqual([expect.objectContaining({ pk: `O#${String(send.body.outboxId)}`, intent: expect.objectContaining({ content: { type: 'text', text: 'Ihr Paket kommt morgen.' } }) as unknown })]);
    expect(answer.messageStatuses).toEqual([expect.objectContaining({ pk: 'M#wamid.export-other-app' })]);
    expect(answer.events).toEqual([expect.objectContaining({ type: 'inbound', userId: WA })]);
    expect(answer.quarantined).toEqual([expect.objectContaining({ reason: 'time_out_of_range', userId: WA })]);
    expect(answer.importRows).toEqual([
      { pk: 'IMPORTROW#imp-export#000000007', sk: 'ROW', entity: 'import_row', importId: 'imp-export', line: 7, channel: 'whatsapp', accountId: PHONE, userId: WA, outcome: 'updated', fields: ['tags', 'attribute:firstName'], at },
    ]);
    expect(answer.clicks).toEqual([expect.objectContaining({ pk: `CLICK#${outboxId}`, entity: 'click', userId: WA, at })]);
    expect(answer.conversions).toEqual([expect.objectContaining({ entity: 'conversion', orderId: 'SK-4242', amount: 19.9, currency: 'EUR', outboxId, touchKind: 'click', userId: WA })]);
    expect(answer.customerKeys).toEqual([expect.objectContaining({ sk: WA })]);
    expect(answer.cursor).toBeUndefined();
    expect(JSON.stringify(answer)).not.toContain(OTHER_WA);
    // No index attribute: they repeat what the items hold.
    expect(JSON.stringify(answer)).not.toMatch(/gsi\dpk/);

    // The pages of the person index, two items at a time, hold what the one page held.
    const client = documentClient({ endpoint: stack.dynamoEndpoint, region: 'local' });
    const personData = new DynamoDbPersonData(client, stack.tableName);
    const refs = answer.userIds.map((userId) => ({ channel: 'whatsapp' as const, accountId: PHONE, userId }));
    const walked: PersonItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await personData.personItems(refs, { ...(cursor === undefined ? {} : { cursor }), limit: 2, maxBytes: 1 << 20 });
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
    client.destroy();
    expect(walked.map((i) => i.kind).sort()).toEqual(['click', 'conversion', 'customerKey', 'event', 'importRow', 'messageStatus', 'quarantined', 'send']);
  }, 20_000);

  it('answers 400 to a cursor it didn’t give', async () => {
    const answer = await stack.get(`/admin/contacts/whatsapp/${PHONE}/${WA}/export?cursor=bm90LWEtY3Vyc29y`);
    expect(answer.status).toBe(400);
  });
});
