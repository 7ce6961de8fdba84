/**
 * Interface under test: the admin handler (createAdminHandler) over in-memory adapters that refuse
 * what DynamoDB refuses (admin-rig.ts). Issue 11's cases: input that answered 500, or was stored
 * though it names nothing afterchat could ever hold, now answers 400 naming the field
 * (`detail: [{path, message}]`), and nothing reaches a store.
 */
import { loadEvent } from '../../helpers/events';
import { DE_BSUID, DE_WA, PAGE, PHONE, PSID } from '../../helpers/sample-ids';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import { adminRig, TOKEN_PREFIX } from './admin-rig';

const registration = { displayName: 'Shop', timezone: 'Europe/Berlin' };
const textIntent = { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hallo!' } };
const campaign = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ ...loadEvent<Campaign>('campaigns/weekly-deals-recurring.json'), status: 'draft', ...over });

describe('admin input from issue 11', () => {
  it('answers 400 naming messageId to a 5,000-character message id', async () => {
    const { call } = adminRig();
    expect(await call('GET', `/admin/messages/${'a'.repeat(5000)}`)).toEqual({
      status: 400,
      body: { error: 'invalid path', detail: [{ path: 'messageId', message: 'at most 512 characters (got 5000)' }] },
    });
  });

  it('answers 400 naming outboxId to a 5,000-character send id', async () => {
    const { call } = adminRig();
    expect(await call('GET', `/admin/sends/ob_${'a'.repeat(4997)}`)).toEqual({
      status: 400,
      body: { error: 'invalid path', detail: [{ path: 'outboxId', message: 'at most 27 characters (got 5000)' }] },
    });
  });

  it('answers 400 naming userId to a 3,000-character user id in a profile PUT, and stores nothing', async () => {
    const { call, profiles } = adminRig();
    const answer = await call('PUT', `/admin/contacts/whatsapp/${PHONE}/${'4'.repeat(3000)}/profile`, { tags: ['vip'] });
    expect(answer).toEqual({ status: 400, body: { error: 'invalid path', detail: [{ path: 'userId', message: 'at most 259 characters (got 3000)' }] } });
    expect(profiles.profiles.size).toBe(0);
  });

  it('answers 400 naming attributes.constructor to {"attributes":{"constructor":"Berlin"}}, and stores nothing', async () => {
    const { call, profiles } = adminRig();
    const answer = await call('PUT', `/admin/contacts/whatsapp/${PHONE}/${DE_WA}/profile`, '{"attributes":{"constructor":"Berlin"}}');
    expect(answer).toEqual({
      status: 400,
      body: { error: 'invalid profile', detail: [{ path: 'attributes.constructor', message: "constructor is reserved: __proto__, constructor, prototype can't be used as names" }] },
    });
    expect(profiles.profiles.size).toBe(0);
  });

  it('refuses ../../x as a user id, so it never enters a campaign audience', async () => {
    const { call, profiles } = adminRig();
    const answer = await call('PUT', `/admin/contacts/whatsapp/${PHONE}/${encodeURIComponent('../../x')}/profile`, { tags: ['vip'] });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'invalid path',
        detail: [{ path: 'userId', message: 'a wa_id of 6–15 digits (E.164 without +), or a BSUID such as DE.88201734659910273645' }],
      },
    });
    expect(profiles.profiles.size).toBe(0);
  });

  it('refuses a tokenSecret outside the deployment’s token prefix, and keeps the registration', async () => {
    const { call, accounts } = adminRig();
    const before = structuredClone(accounts.accounts);
    const answer = await call('PUT', `/admin/accounts/whatsapp/${PHONE}`, { ...registration, tokenSecret: 'anything at all' });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'invalid account',
        detail: [{ path: 'tokenSecret', message: `a Secrets Manager secret name under ${TOKEN_PREFIX}, e.g. ${TOKEN_PREFIX}whatsapp/109876543210987` }],
      },
    });
    expect(accounts.accounts).toEqual(before);
  });
});

describe('admin path parameters', () => {
  const long = (n: number, c = '1') => c.repeat(n);
  it.each([
    ['GET', 'contacts/whatsapp/{phone}/{3,000 digits}', `/admin/contacts/whatsapp/${PHONE}/${long(3000)}`, 'userId'],
    ['GET', 'contacts/messenger/{3,000 digits}/{psid}', `/admin/contacts/messenger/${long(3000)}/${PSID}`, 'accountId'],
    ['GET', 'contacts/whatsapp/{phone}/{3,000 digits}/sends', `/admin/contacts/whatsapp/${PHONE}/${long(3000)}/sends`, 'userId'],
    ['GET', 'templates/whatsapp/{3,000 digits}', `/admin/templates/whatsapp/${long(3000)}`, 'accountId'],
    ['POST', 'templates/whatsapp/{3,000 digits}/sync', `/admin/templates/whatsapp/${long(3000)}/sync`, 'accountId'],
    ['GET', 'accounts/whatsapp/{3,000 digits}', `/admin/accounts/whatsapp/${long(3000)}`, 'accountId'],
    ['DELETE', 'accounts/whatsapp/{3,000 digits}', `/admin/accounts/whatsapp/${long(3000)}`, 'accountId'],
    ['GET', 'campaigns/{3,000 letters}', `/admin/campaigns/${long(3000, 'a')}`, 'campaignId'],
    ['DELETE', 'campaigns/{3,000 letters}', `/admin/campaigns/${long(3000, 'a')}`, 'campaignId'],
    ['POST', 'campaigns/{3,000 letters}/pause', `/admin/campaigns/${long(3000, 'a')}/pause`, 'campaignId'],
    ['GET', 'campaigns/weekly-deals/occurrences/{3,000 letters}', `/admin/campaigns/weekly-deals/occurrences/${long(3000, 'a')}`, 'occurrenceKey'],
  ])('%s /admin/%s answers 400 naming the parameter', async (method, _shown, path, parameter) => {
    const { call } = adminRig();
    const answer = await call(method, path);
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid path', detail: [{ path: parameter, message: expect.stringMatching(/^at most \d+ characters \(got 3000\)$/) as unknown }] } });
  });

  it.each([
    ['a PSID on WhatsApp', `/admin/contacts/whatsapp/${PHONE}/${PSID}99`, 'userId'],
    ['a BSUID on Messenger', `/admin/contacts/messenger/${PAGE}/${DE_BSUID}`, 'userId'],
    ['a wa_id with a +', `/admin/contacts/whatsapp/${PHONE}/%2B${DE_WA}`, 'userId'],
    ['an account id with a leading 0', `/admin/contacts/whatsapp/0${PHONE}/${DE_WA}`, 'accountId'],
    ['a message id of no channel’s shape', `/admin/messages/${encodeURIComponent('../../x')}`, 'messageId'],
    ['an outbox id of the wrong length', '/admin/sends/ob_short', 'outboxId'],
    ['an occurrence key that is no instant', '/admin/campaigns/weekly-deals/occurrences/2026-02-30T08:00:00.000Z', 'occurrenceKey'],
  ])('refuses %s', async (_case, path, parameter) => {
    const { call } = adminRig();
    expect(await call('GET', path)).toMatchObject({ status: 400, body: { error: 'invalid path', detail: [{ path: parameter }] } });
  });

  it.each([
    ['a wa_id', `/admin/contacts/whatsapp/${PHONE}/${DE_WA}`, 200],
    ['a BSUID', `/admin/contacts/whatsapp/${PHONE}/${DE_BSUID}`, 404],
    ['a PSID', `/admin/contacts/messenger/${PAGE}/${PSID}`, 200],
    ['a wamid (base64 with + / =)', `/admin/messages/${encodeURIComponent('wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjc4QkIxMTI2OUVGQzJFNUQyRQA+/=')}`, 404],
    ['a Messenger mid', '/admin/messages/m_ocuBeCW6AOWWxsJnvbfVrtr9peapHT2TLnFLIYlJwPEJCOW6eUxzWeh0YGSHldHBPsYxAT6Qkei4DS7sWzxY', 404],
    ['an Instagram mid', '/admin/messages/aWdfaXRlbToxOklHTWVzc2FnZUlEOjE3ODQxNDAwMDAwMDAwMDAx', 404],
    ['a Marketing Message tracking id', '/admin/messages/4738291056473829105', 404],
    ['an outbox id', '/admin/sends/ob_RxvmVYtmXk9t1J8RhIFNFJGw', 404],
    ['a campaign id and occurrence key', '/admin/campaigns/weekly-deals/occurrences/2026-11-23T08:00:00.000Z', 404],
  ])('lets %s through to the store', async (_case, path, status) => {
    const { call } = adminRig();
    expect((await call('GET', path)).status).toBe(status);
  });
});

describe('admin bodies', () => {
  it('refuses __proto__, prototype and over-long attribute names, each at its own path', async () => {
    const { call, profiles } = adminRig();
    const body = `{"attributes":{"__proto__":"x","prototype":"y","${'k'.repeat(101)}":"z","city":"Leipzig"},"tags":["constructor"]}`;
    const answer = await call('PUT', `/admin/contacts/whatsapp/${PHONE}/${DE_WA}/profile`, body);
    expect(answer.status).toBe(400);
    expect((answer.body.detail as { path: string }[]).map((d) => d.path).sort()).toEqual(['attributes.__proto__', `attributes.${'k'.repeat(64)}…`, 'attributes.prototype', 'tags.0']);
    expect(profiles.profiles.size).toBe(0);
  });

  it('stores attributes in a map without a prototype', async () => {
    const { call, profiles } = adminRig();
    const answer = await call('PUT', `/admin/contacts/whatsapp/${PHONE}/${DE_WA}/profile`, { attributes: { city: 'Leipzig' } });
    expect(answer).toMatchObject({ status: 200, body: { attributes: { city: 'Leipzig' } } });
    expect(Object.getPrototypeOf(profiles.profiles.get(`whatsapp#${PHONE}#${DE_WA}`)?.attributes)).toBeNull();
  });

  it('accepts a tokenSecret under the prefix, and refuses . or .. segments and a missing prefix', async () => {
    const { call } = adminRig();
    expect((await call('PUT', `/admin/accounts/whatsapp/${PHONE}`, { ...registration, tokenSecret: `${TOKEN_PREFIX}whatsapp/${PHONE}` })).status).toBe(200);
    const dotted = await call('PUT', `/admin/accounts/whatsapp/${PHONE}`, { ...registration, tokenSecret: `${TOKEN_PREFIX}../prod/x` });
    expect(dotted).toMatchObject({ status: 400, body: { detail: [{ path: 'tokenSecret', message: expect.stringMatching(/without empty, \. or \.\. segments$/) as unknown }] } });
    const unconfigured = adminRig({ tokenSecretPrefix: null });
    const refused = await unconfigured.call('PUT', `/admin/accounts/whatsapp/${PHONE}`, { ...registration, tokenSecret: `${TOKEN_PREFIX}whatsapp` });
    expect(refused).toMatchObject({ status: 400, body: { detail: [{ path: 'tokenSecret', message: expect.stringMatching(/TOKEN_SECRET_PREFIX/) as unknown }] } });
  });

  it('holds a send intent’s user id to its channel’s shape', async () => {
    const { call } = adminRig();
    const answer = await call('POST', '/admin/sends', { intent: { ...textIntent, userId: PSID.slice(0, 4) }, idempotencyKey: 'k-1' });
    expect(answer).toEqual({
      status: 400,
      body: { error: 'invalid send request', detail: [{ path: 'intent.userId', message: 'a wa_id of 6–15 digits (E.164 without +), or a BSUID such as DE.88201734659910273645' }] },
    });
  });

  it('refuses a reserved key anywhere in interactive content', async () => {
    const { call, outbox } = adminRig();
    const interactive = '{"type":"button","action":{"buttons":[{"reply":{"constructor":"x"}}]}}';
    const body = `{"idempotencyKey":"k-2","intent":${JSON.stringify({ ...textIntent, content: { type: 'interactive', interactive: '§' } }).replace('"§"', interactive)}}`;
    const answer = await call('POST', '/admin/sends', body);
    expect(answer).toMatchObject({
      status: 400,
      body: { error: 'invalid send request', detail: [{ path: 'intent.content.interactive.action.buttons.0.reply.constructor' }] },
    });
    expect(outbox.records.size).toBe(0);
  });

  it('refuses reserved attribute names in a campaign’s audience and parameters', async () => {
    const { call, campaigns } = adminRig();
    const content = { type: 'template', name: 'weekly_deals', language: 'de', parameters: [{ fromAttribute: 'constructor' }] };
    const body = campaign({ id: 'weekly-deals', audience: { attributes: { constructor: 'Berlin' } }, content });
    const answer = await call('PUT', '/admin/campaigns/weekly-deals', body);
    expect(answer.status).toBe(400);
    expect((answer.body.detail as { path: string }[]).map((d) => d.path).sort()).toEqual(['audience.attributes.constructor', 'content.parameters.0.fromAttribute']);
    expect(campaigns.records.size).toBe(0);
  });
});
