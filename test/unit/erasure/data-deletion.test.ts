/**
 * Interface under test: Meta's data deletion callback (lambdas/erasure/data-deletion.ts) as its
 * Lambda receives it: a refused request erases nothing and records nothing; a verified one erases
 * the contacts stored under the id on registered Messenger and Instagram accounts, and its status
 * URL answers the erasure's state, also to Meta's retry of the same request.
 */
import { signRequest } from '../../../lambdas/domain/erasure/signed-request';
import { noneErased } from '../../../lambdas/domain/erasure/tombstone';
import type { ContactRef } from '../../../lambdas/domain/events';
import { createDataDeletionHandler } from '../../../lambdas/erasure/data-deletion';
import type { Account } from '../../../lambdas/ports/account-registry';
import type { DeletionRequestRecord } from '../../../lambdas/ports/deletion-requests';
import type { ErasureStore } from '../../../lambdas/ports/erasure-store';
import { httpEvent } from '../../helpers/api-gateway-event';
import { IG, PAGE, PHONE, PSID } from '../../helpers/sample-ids';

const SECRET = 'app-secret';
const NOW = Date.UTC(2026, 4, 17, 14);
const PAYLOAD = { algorithm: 'HMAC-SHA256', issued_at: 1779001200, user_id: PSID };

const rig = () => {
  const stored = new Set([`messenger#${PAGE}#${PSID}`, `whatsapp#${PHONE}#${PSID}`]);
  const erased: ContactRef[][] = [];
  const erasure: ErasureStore = {
    contactState: (c) => Promise.resolve(stored.has(`${c.channel}#${c.accountId}#${c.userId}`) ? {} : undefined),
    eraseItems: (contacts) => {
      erased.push([...contacts]);
      for (const c of contacts) stored.delete(`${c.channel}#${c.accountId}#${c.userId}`);
      return Promise.resolve({ ...noneErased(), contactRecords: contacts.length, events: 2 });
    },
    putTombstones: () => Promise.resolve(),
    hasTombstone: () => Promise.resolve(false),
  };
  const registered: Account[] = [
    { channel: 'messenger', accountId: PAGE, displayName: 'Shop', timezone: 'Europe/Berlin', tokenSecret: 'afterchat/dev/tokens/t' },
    { channel: 'instagram', accountId: IG, displayName: 'Shop', timezone: 'Europe/Berlin', tokenSecret: 'afterchat/dev/tokens/t' },
    { channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', timezone: 'Europe/Berlin', tokenSecret: 'afterchat/dev/tokens/t' },
  ];
  const records = new Map<string, DeletionRequestRecord>();
  const logged: unknown[] = [];
  const handler = createDataDeletionHandler({
    secrets: { appSecrets: () => Promise.resolve([SECRET]) },
    erasure,
    accounts: { list: () => Promise.resolve(registered), get: (ref) => Promise.resolve(registered.find((a) => a.channel === ref.channel && a.accountId === ref.accountId)) },
    requests: { get: (code) => Promise.resolve(records.get(code)), put: (record) => Promise.resolve(void records.set(record.confirmationCode, record)) },
    clock: () => NOW,
    logger: { info: (...args: unknown[]) => logged.push(args), warn: (...args: unknown[]) => logged.push(args), error: (...args: unknown[]) => logged.push(args) },
  });
  const post = (body: string, base64 = false) =>
    handler(httpEvent({ method: 'POST', path: '/webhooks/meta/data-deletion', body, base64, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
  return { handler, post, erased, records, logged };
};

const form = (signedRequest: string) => new URLSearchParams({ signed_request: signedRequest }).toString();

describe('the data deletion callback', () => {
  it.each([
    ['forged', form(signRequest(PAYLOAD, 'not-the-secret')), 403],
    ['of another algorithm', form(signRequest({ ...PAYLOAD, algorithm: 'HMAC-SHA1' }, SECRET)), 400],
    ['malformed', form('not-a-signed-request'), 400],
    ['without a signed_request', 'user_id=6543210987654321', 400],
  ])('refuses a request %s, erasing and recording nothing', async (_name, body, status) => {
    // Prepare
    const { post, erased, records } = rig();

    // Act
    const answer = await post(body);

    // Assess
    expect(answer.statusCode).toBe(status);
    expect(erased).toEqual([]);
    expect(records.size).toBe(0);
  });

  it('erases the contacts stored under the id on Messenger and Instagram, and answers the status URL and code', async () => {
    // Prepare
    const { post, handler, erased, logged } = rig();

    // Act
    const answer = await post(form(signRequest(PAYLOAD, SECRET)), true);

    // Assess
    expect(answer.statusCode).toBe(200);
    const body = JSON.parse(String(answer.body)) as { url: string; confirmation_code: string };
    expect(body.confirmation_code).toMatch(/^[0-9a-f]{20}$/);
    expect(body.url).toBe(`https://api.example.com/webhooks/meta/data-deletion/${body.confirmation_code}`);
    // The WhatsApp record keyed by the same digits is no app-scoped id's: it stays.
    expect(erased).toEqual([[{ channel: 'messenger', accountId: PAGE, userId: PSID }]]);
    expect(JSON.stringify(logged)).not.toContain(PSID);

    const status = await handler(httpEvent({ method: 'GET', path: `/webhooks/meta/data-deletion/${body.confirmation_code}` }));
    expect(status.statusCode).toBe(200);
    expect(JSON.parse(String(status.body))).toMatchObject({
      confirmation_code: body.confirmation_code,
      state: 'completed',
      receivedAt: new Date(NOW).toISOString(),
      matchedContacts: 1,
      removed: { contactRecords: 1, events: 2 },
    });
    expect(String(status.body)).not.toContain(PSID);
  });

  it('answers Meta’s retry with the same code, erasing nothing again', async () => {
    // Prepare
    const { post, erased } = rig();
    const signed = form(signRequest(PAYLOAD, SECRET));
    const first = JSON.parse(String((await post(signed)).body)) as { confirmation_code: string };

    // Act
    const again = JSON.parse(String((await post(signed)).body)) as { confirmation_code: string };

    // Assess
    expect(again.confirmation_code).toBe(first.confirmation_code);
    expect(erased).toHaveLength(1);
  });

  it('answers 404 to a code it never gave', async () => {
    const { handler } = rig();
    expect((await handler(httpEvent({ method: 'GET', path: '/webhooks/meta/data-deletion/0123456789abcdef0123' }))).statusCode).toBe(404);
  });
});
