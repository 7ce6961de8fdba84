/**
 * Interface under test: the admin API over HTTP on the local stack, fed by signed sample webhooks:
 * what an operator reads back about contacts, opt-ins, messages, templates and accounts.
 */
import { adminContract } from '../../lambdas/admin/contract';
import { loadEvent, loadEventText } from '../helpers/events';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { PAGE, PSID, PHONE, WABA, DE_WA, DE_BSUID } from '../helpers/sample-ids';


describe('admin API on the local stack', () => {
  let stack: TestStack;
  const send = async (...paths: string[]) => {
    for (const path of paths) expect((await stack.post(loadEventText(path))).status).toBe(200);
  };
  const put = (path: string, body: unknown) =>
    fetch(`${stack.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeEach(async () => {
    stack = await startTestStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  describe('contract', () => {
    it('answers GET /admin/openapi.json with an OpenAPI 3.1 document of every admin route', async () => {
      // Act
      const document = await stack.getJson<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/admin/openapi.json');

      // Assess
      expect(document.openapi).toBe('3.1.0');
      const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
      expect(operations.sort()).toEqual(Object.keys(adminContract).sort());
    });
  });

  describe('errors', () => {
    it.each([
      [`/admin/contacts/messenger/${PAGE}/999`, 404, 'contact not found'],
      ['/admin/messages/m_unknown', 404, 'message not found'],
      [`/admin/templates/whatsapp/${WABA}`, 404, 'no templates known for this account'],
      [`/admin/contacts/telegram/${PAGE}/${PSID}`, 400, 'unknown channel'],
      ['/admin/nothing-here', 404, 'no such route'],
    ])('GET %s answers %i with a JSON error', async (path, status, error) => {
      const response = await stack.get(path);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toMatchObject({ error });
    });

    it('answers 405 to a method a route does not take', async () => {
      const response = await fetch(`${stack.url}/admin/messages/m_1`, { method: 'POST' });
      expect(response.status).toBe(405);
    });
  });

  describe('contacts', () => {
    it('shows an opt-in token going active → stopped → active again, whatever the spelling', async () => {
      await send('meta/messenger/optin-marketing.json', 'meta/messenger/optin-stop.json');
      const stopped = await stack.getJson<{ optIns: Record<string, unknown>[] }>(`/admin/contacts/messenger/${PAGE}/${PSID}`);
      expect(stopped.optIns).toEqual([
        expect.objectContaining({ token: '7402981736455517236', title: 'Weekly deals', status: 'stopped', source: 'messenger:messaging_optins' }),
      ]);
      await send('meta/messenger/optin-resume-spaced.json');
      const resumed = await stack.getJson<{ optIns: Record<string, unknown>[] }>(`/admin/contacts/messenger/${PAGE}/${PSID}`);
      expect(resumed.optIns[0]).toMatchObject({ status: 'active', optedInAt: new Date(1779000008000).toISOString() });
    });

    it('keeps the thread owner when another app only requests control', async () => {
      await send('meta/messenger/pass-thread-control.json', 'meta/messenger/request-thread-control.json');
      const contact = await stack.getJson(`/admin/contacts/messenger/${PAGE}/${PSID}`);
      expect(contact.threadControl).toMatchObject({ action: 'pass', ownerAppId: '2233445566778899' });
      expect(contact.threadRequest).toMatchObject({ requestedBy: '2233445566778899' });
    });

    it('finds a WhatsApp username user by BSUID or wa_id once a body linked them, with one merged state', async () => {
      await send('meta/whatsapp/message-username-bsuid.json', 'meta/whatsapp/user-preferences-stop.json');
      const byBsuid = await stack.getJson(`/admin/contacts/whatsapp/${PHONE}/${DE_BSUID}`);
      const byWaId = await stack.getJson(`/admin/contacts/whatsapp/${PHONE}/${DE_WA}`);
      expect(byBsuid).toMatchObject({ userId: DE_WA, linkedFrom: DE_BSUID, marketingOptOut: true, identities: { waId: DE_WA, bsuid: DE_BSUID } });
      expect((byBsuid.window as { lastInboundAt: string | null }).lastInboundAt).not.toBeNull();
      expect({ ...byWaId, linkedFrom: DE_BSUID }).toEqual(byBsuid);
    });
  });

  describe('messages', () => {
    it('shows a failed WhatsApp message with its error code', async () => {
      await send('meta/whatsapp/status-failed-131049.json');
      const id = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI4QTk1OUMyRjQ4QzdDNzVDQzgA';
      expect(await stack.getJson(`/admin/messages/${encodeURIComponent(id)}`)).toMatchObject({
        messageId: id,
        status: 'failed',
        errorCode: 131049,
        channel: 'whatsapp',
        accountId: PHONE,
        userId: '16505551234',
      });
    });

    it('never moves a status back: read stays read when sent arrives later', async () => {
      await send('meta/whatsapp/status-read.json', 'meta/whatsapp/status-sent.json');
      const id = 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjc4QkIxMTI2OUVGQzJFNUQyRQA=';
      expect(await stack.getJson(`/admin/messages/${encodeURIComponent(id)}`)).toMatchObject({ status: 'read' });
    });
  });

  describe('templates', () => {
    it('lists each template with its latest status, category and quality', async () => {
      await send('meta/whatsapp/template-status-approved.json', 'meta/whatsapp/template-quality-update.json', 'meta/whatsapp/template-status-paused.json');
      const { templates } = await stack.getJson<{ templates: Record<string, unknown>[] }>(`/admin/templates/whatsapp/${WABA}`);
      expect(templates).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'order_shipped', language: 'de', status: 'APPROVED', templateId: '1689556908129835' }),
          expect.objectContaining({ name: 'summer_sale_2026', language: 'en_US', status: 'PAUSED', quality: 'YELLOW' }),
        ]),
      );
    });
  });

  describe('accounts', () => {
    it('registers, lists, shows and removes an account, refusing invalid input with the reasons', async () => {
      const invalid = await put(`/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/whatsapp/1', timezone: 'Mars/Olympus' });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ error: 'invalid account', detail: [expect.objectContaining({ path: 'timezone' })] });

      const account = { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/whatsapp/1', timezone: 'Europe/Berlin', wabaId: WABA };
      expect((await put(`/admin/accounts/whatsapp/${PHONE}`, account)).status).toBe(200);
      expect(await stack.getJson('/admin/accounts')).toEqual({ accounts: [{ channel: 'whatsapp', accountId: PHONE, ...account }] });

      const removed = await fetch(`${stack.url}/admin/accounts/whatsapp/${PHONE}`, { method: 'DELETE' });
      expect(removed.status).toBe(200);
      expect((await stack.get(`/admin/accounts/whatsapp/${PHONE}`)).status).toBe(404);
    });

    it("shows a phone number's quality, which Meta addresses to its WABA, on the phone number", async () => {
      await put(`/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', wabaId: WABA });
      await send('meta/whatsapp/phone-number-quality-update.json', 'meta/whatsapp/account-update-restriction.json');
      const view = await stack.getJson<{ registered: boolean; policy: Record<string, Record<string, unknown>> }>(`/admin/accounts/whatsapp/${PHONE}`);
      expect(view.registered).toBe(true);
      expect(view.policy.phoneQuality?.['15550783881']).toMatchObject({ event: 'THROUGHPUT_UPGRADE', messagingLimit: 'TIER_2K' });
      expect(Object.keys(view.policy.phoneQuality ?? {})).toEqual(['15550783881']);
      expect(Object.keys(view.policy.accountEvents ?? {})).toContain('ACCOUNT_RESTRICTION');
    });

    it('shows a Page blocked by policy enforcement', async () => {
      await send('meta/messenger/policy-enforcement-block.json');
      const view = await stack.getJson<{ registered: boolean; policy: { blocked: boolean } }>(`/admin/accounts/messenger/${PAGE}`);
      expect(view).toMatchObject({ registered: false, policy: { blocked: true } });
    });
  });

  it('records events for unregistered accounts, marked so automation leaves them alone', async () => {
    await put(`/admin/accounts/messenger/${PAGE}`, { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin' });
    const instagram = loadEvent('meta/instagram/message-text.json');
    await send('meta/messenger/message-text.json');
    expect((await stack.post(instagram)).status).toBe(200);
    const events = (await stack.dump()).filter((i) => i.entity === 'event');
    expect(events.map((e) => [e.channel, e.registered]).sort()).toEqual([
      ['instagram', false],
      ['messenger', true],
    ]);
  });
});
