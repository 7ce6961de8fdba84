/**
 * Interface under test: erasure over HTTP on the local stack. A person reaches afterchat through
 * every kind of item it files under them (a webhook message with their wa_id and BSUID, a
 * quarantined item, a status of a message another app sent them, a profile, a handoff, a send, a
 * CSV import's row, their conversation-turn log, a click on a link, an order attributed to them
 * and the customer key lookup their profile's `customer_id` keeps);
 * the admin DELETE erases them, and a scan of the table (here, in the test only: the code never
 * scans) finds none of their ids or texts, only the tombstones' hashes. Meta's signed data deletion
 * callback erases a Messenger contact stored under the id it names; a forged one changes nothing.
 */
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbClickLog } from '../../lambdas/adapters/dynamodb/click-log';
import { DynamoDbConversationTurns } from '../../lambdas/adapters/dynamodb/conversation-turns';
import { DynamoDbConversions } from '../../lambdas/adapters/dynamodb/conversions';
import { DynamoDbErasureStore } from '../../lambdas/adapters/dynamodb/erasure-store';
import { DynamoDbMeasurementCounters } from '../../lambdas/adapters/dynamodb/measurement-counters';
import { signRequest } from '../../lambdas/domain/erasure/signed-request';
import { erasureHash } from '../../lambdas/domain/erasure/tombstone';
import { isErased } from '../../lambdas/erasure/erase-person';
import { noteConversationEvent } from '../../lambdas/measurement/note-conversation';
import { expectContract } from '../helpers/admin-contract';
import { loadEvent } from '../helpers/events';
import { runImport } from '../helpers/import-run';
import { startTestStack, TEST_APP_SECRET, type TestStack } from '../helpers/local-stack';
import { PAGE, PHONE, PSID } from '../helpers/sample-ids';
import { from, messagesBody, SAMPLE_NUMBER, text, textBody, otherAppStatusBody } from '../helpers/whatsapp-webhook';

const WA = '4915100000077';
const BSUID = 'DE.7777777777777777777777';
const OTHER_WA = '4915100000078';
const INBOUND_TEXT = 'Bitte loeschen Sie meine Daten';
const SENT_TEXT = 'Ihre Bestellung 4711 ist unterwegs';
const CONSENT_TEXT = 'Ja zu Angeboten per WhatsApp';

describe('erasure on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const postDeletion = (signedRequest: string) =>
    fetch(`${stack.url}/webhooks/meta/data-deletion`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ signed_request: signedRequest }).toString(),
    });
  /** Items holding any of these strings anywhere (keys, attributes, index attributes). */
  const holding = async (...needles: string[]) => (await stack.dump()).filter((item) => needles.some((needle) => JSON.stringify(item).includes(needle)));

  it('removes every item holding the person’s ids or texts, keeps tombstones, and lets them start afresh', async () => {
    // Prepare: the person through every path that stores data, and another person beside them
    const at = stack.now.value - 60_000;
    expect((await stack.post(textBody(SAMPLE_NUMBER, { waId: WA, bsuid: BSUID, id: 'wamid.erase-in-1', atMs: at }, INBOUND_TEXT))).status).toBe(200);
    expect((await stack.post(textBody(SAMPLE_NUMBER, { waId: OTHER_WA, id: 'wamid.erase-other-1', atMs: at }, 'Not me'))).status).toBe(200);
    expect((await stack.post(messagesBody(SAMPLE_NUMBER, from({ waId: WA, id: 'wamid.erase-poison', atMs: 1e23 }, text(INBOUND_TEXT))))).status).toBe(200);
    expect((await stack.post(otherAppStatusBody(SAMPLE_NUMBER, { waId: WA, wamid: 'wamid.erase-other-app', atSeconds: Math.floor(at / 1000) + 5 }))).status).toBe(200);
    const contact = `whatsapp/${PHONE}/${WA}`;
    expect((await call('PUT', `/admin/contacts/${contact}/profile`, { tags: ['vip'], attributes: { firstName: 'Lena', customer_id: 'C-7001' }, timeZone: 'Europe/Berlin' })).status).toBe(200);
    expect((await call('POST', `/admin/contacts/${contact}/handoff`, { note: 'wants erasure' })).status).toBe(200);
    const send = await call('POST', '/admin/sends', {
      intent: { channel: 'whatsapp', accountId: PHONE, userId: WA, kind: 'reply', author: 'human', content: { type: 'text', text: SENT_TEXT } },
      idempotencyKey: 'erase-reply-1',
    });
    expect(send.status).toBe(202);
    // Responsiveness keeps the person's conversation turns in their contact partition (a registered account's, seeded here directly).
    const turnsClient = documentClient({ endpoint: stack.dynamoEndpoint, region: 'local' });
    const measurement = { turns: new DynamoDbConversationTurns(turnsClient, stack.tableName), counters: new DynamoDbMeasurementCounters(turnsClient, stack.tableName, () => at) };
    await noteConversationEvent(measurement, { channel: 'whatsapp', accountId: PHONE, userId: WA }, { kind: 'in', at, eventKey: 'whatsapp#erase-turn' }, 'Europe/Berlin');
    // A click on a link of the send (README "Clicks"): filed in the person index, under the message.
    await new DynamoDbClickLog(turnsClient, stack.tableName).add({
      outboxId: String(send.body.outboxId),
      contact: { channel: 'whatsapp', accountId: PHONE, userId: WA },
      clicked: { kind: 'link', target: 0 },
      at,
    });
    expect(await holding(`CLICK#${String(send.body.outboxId)}`)).toEqual([expect.objectContaining({ userId: WA })]);
    // An order attributed to the send (README "Conversions"), filed in the person index; the profile's customer key lookup, too.
    await new DynamoDbConversions(turnsClient, stack.tableName).keep({
      account: { channel: 'whatsapp', accountId: PHONE },
      orderId: 'SK-7001',
      occurredAt: at,
      value: { amount: 30, currency: 'EUR' },
      contact: { channel: 'whatsapp', accountId: PHONE, userId: WA },
      touch: { outboxId: String(send.body.outboxId), kind: 'read', at },
      recordedAt: at,
    });
    expect(await holding('ORDER#whatsapp#')).toEqual([expect.objectContaining({ userId: WA, gsi2sk: expect.stringMatching(/^CONV#/) as unknown })]);
    expect(await holding('CUSTKEY#whatsapp#')).toEqual([expect.objectContaining({ userId: WA, gsi2sk: 'CUSTKEY#customer_id' })]);
    turnsClient.destroy();
    expect(await holding(`C#whatsapp#${PHONE}#${WA}`)).toEqual(expect.arrayContaining([expect.objectContaining({ sk: 'TURNS' })]));
    const imported = await runImport(call, `channel,account,phone,tags,consent_basis,consent_captured_at,consent_text,consent_topic\nwhatsapp,${PHONE},+${WA},crm-list,express,2026-01-02,${CONSENT_TEXT},offers\n`);
    // The import adds a tag (vip and crm-list: two TAG# items) and a consent with its text.
    expect(imported.job.counts).toMatchObject({ updated: 1 });
    expect(await holding(`IMPORTROW#${imported.importId}#`)).toEqual([expect.objectContaining({ userId: WA })]);
    expect((await holding(WA, BSUID)).length).toBeGreaterThanOrEqual(8);
    const otherBefore = await holding(OTHER_WA);

    // Act
    const erased = await call('DELETE', `/admin/contacts/${contact}`);

    // Assess
    expect(erased.status).toBe(200);
    expectContract('DELETE', `/admin/contacts/${contact}`, erased.status, erased.body);
    expect(erased.body).toMatchObject({
      ids: 2,
      removed: { contactRecords: 2, tags: 2, sends: 1, messageStatuses: 1, events: 1, quarantined: 1, importRows: 1 },
      tombstones: [erasureHash({ channel: 'whatsapp', accountId: PHONE, userId: WA }), erasureHash({ channel: 'whatsapp', accountId: PHONE, userId: BSUID })],
    });
    expect(await holding(WA, BSUID, INBOUND_TEXT, SENT_TEXT, 'Lena', CONSENT_TEXT)).toEqual([]);
    // The send's record is gone; the audit entry of the send keeps its outbox id, and the user id hashed.
    expect(await holding(`O#${String(send.body.outboxId)}`)).toEqual([]);
    expect(await holding(`CLICK#${String(send.body.outboxId)}`)).toEqual([]);
    expect(await holding('ORDER#whatsapp#', 'CUSTKEY#whatsapp#')).toEqual([]);
    expect(await holding(`IMPORTROW#${imported.importId}#`)).toEqual([]);
    expect(await holding(OTHER_WA)).toEqual(otherBefore);
    const tombstones = (await stack.dump()).filter((item) => String(item.pk).startsWith('ERASED#'));
    expect(tombstones.map((t) => Object.keys(t).sort())).toEqual([
      ['entity', 'erasedAt', 'pk', 'sk'],
      ['entity', 'erasedAt', 'pk', 'sk'],
    ]);

    // Again: nothing left, the same outcome.
    const again = await call('DELETE', `/admin/contacts/${contact}`);
    expect(again).toMatchObject({ status: 200, body: { total: 0 } });

    // The same import again can't bring them back: their row is skipped as erased.
    expect((await runImport(call, `channel,account,phone,tags\nwhatsapp,${PHONE},+${WA},crm-list\n`)).job.counts).toMatchObject({ created: 0, skipped: { erased: 1 } });
    expect(await holding(WA)).toEqual([]);

    // The import's question: erased under either id.
    const client = documentClient({ endpoint: stack.dynamoEndpoint, region: 'local' });
    const erasure = new DynamoDbErasureStore(client, stack.tableName);
    expect(await isErased(erasure, { channel: 'whatsapp', accountId: PHONE, userId: BSUID })).toBe(true);
    expect(await isErased(erasure, { channel: 'whatsapp', accountId: PHONE, userId: OTHER_WA })).toBe(false);
    client.destroy();

    // They write again: a new contact, from scratch.
    expect((await stack.post(textBody(SAMPLE_NUMBER, { waId: WA, id: 'wamid.erase-in-2', atMs: stack.now.value - 1_000 }, 'Hallo nochmal'))).status).toBe(200);
    const fresh = await stack.getJson<{ userId: string; profile: { tags: string[] }; window: { open: boolean } }>(`/admin/contacts/${contact}`);
    expect(fresh).toMatchObject({ userId: WA, profile: { tags: [] }, window: { open: true } });
  }, 20_000);

  it('erases more items than one delete batch holds', async () => {
    // Prepare: 60 messages of one person in one body, an event record each
    const many = '4915100000079';
    const at = stack.now.value - 120_000;
    const messages = Array.from({ length: 60 }, (_, i) => from({ waId: many, id: `wamid.erase-many-${i}`, atMs: at + i }, text(`message ${i}`)));
    expect((await stack.post(messagesBody(SAMPLE_NUMBER, ...messages))).status).toBe(200);

    // Act
    const erased = await call('DELETE', `/admin/contacts/whatsapp/${PHONE}/${many}`);

    // Assess
    expect(erased.body).toMatchObject({ ids: 1, removed: { contactRecords: 1, events: 60 }, total: 61 });
    expect(await holding(many)).toEqual([]);
  }, 20_000);

  it('erases by Meta’s signed callback what is stored under the id it names, and nothing for a forged one', async () => {
    // Prepare: a Messenger contact on a registered Page. Meta's callback names an app-scoped id, never
    // a PSID; a contact stored under the id it names stands in for the one case afterchat can match.
    expect((await call('PUT', `/admin/accounts/messenger/${PAGE}`, { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin' })).status).toBe(200);
    expect((await stack.post(loadEvent('meta/messenger/message-text.json'))).status).toBe(200);
    expect((await holding(PSID)).length).toBeGreaterThanOrEqual(2);
    const before = await stack.dump();
    const payload = { algorithm: 'HMAC-SHA256', issued_at: Math.floor(stack.now.value / 1000), user_id: PSID };

    // Act & Assess: forged, then of another algorithm: refused, nothing changed
    expect((await postDeletion(signRequest(payload, 'not-the-app-secret'))).status).toBe(403);
    expect((await postDeletion(signRequest({ ...payload, algorithm: 'HMAC-SHA1' }, TEST_APP_SECRET))).status).toBe(400);
    expect(await stack.dump()).toEqual(before);

    // Act: signed with the app secret
    const answer = await postDeletion(signRequest(payload, TEST_APP_SECRET));

    // Assess
    expect(answer.status).toBe(200);
    const { url, confirmation_code: code } = (await answer.json()) as { url: string; confirmation_code: string };
    expect(url).toBe(`${stack.url}/webhooks/meta/data-deletion/${code}`);
    expect(await holding(PSID)).toEqual([]);
    const status = await fetch(url);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ confirmation_code: code, state: 'completed', matchedContacts: 1, removed: { contactRecords: 1, events: 1 } });
  }, 20_000);
});
