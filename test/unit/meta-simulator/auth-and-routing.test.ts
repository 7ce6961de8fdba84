/** Interface under test: what every simulator endpoint checks first — options, path, version, access token, JSON. */
import type { MetaSimulator } from '../../../lambdas/local/meta-simulator';
import { APP_SECRET, HOUR, PAGE, PHONE, PSID, TOKENS, errorOf, messengerText, post, start, testClock } from './helpers';

describe('meta simulator: auth and routing', () => {
  const clock = testClock();
  let sim: MetaSimulator;

  beforeEach(async () => {
    sim = await start({ clock: clock.now });
    sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() - HOUR });
  });
  afterEach(() => sim.close());

  describe('access token', () => {
    it.each([
      ['missing', null],
      ['wrong', 'not-the-token'],
      ['another account’s', TOKENS[PHONE]],
    ])('refuses a %s token with 190, HTTP 400, OAuthException', async (_case, token) => {
      const answer = await post(sim, PAGE, messengerText(), { token });
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ code: 190, type: 'OAuthException', message: 'Invalid OAuth access token' });
      expect(answer.headers.get('www-authenticate')).toContain('invalid_token');
      expect(sim.accepted()).toEqual([]);
    });

    it('takes the token from the access_token query parameter too', async () => {
      const response = await fetch(`${sim.url}/v25.0/${PAGE}/messages?access_token=page-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messengerText()),
      });
      expect(response.status).toBe(200);
    });

    it('refuses an account it has no token for with 190', async () => {
      expect(errorOf(await post(sim, '999', messengerText(), { token: 'page-token' })).code).toBe(190);
    });
  });

  describe('paths and versions', () => {
    it('answers an unknown path with 2500', async () => {
      const response = await fetch(`${sim.url}/v25.0/${PAGE}/conversations`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 2500, type: 'OAuthException' } });
    });

    it('answers a GET on /messages with 100', async () => {
      const response = await fetch(`${sim.url}/v25.0/${PAGE}/messages?access_token=page-token`);
      expect(await response.json()).toMatchObject({ error: { code: 100 } });
    });

    it.each(['v19.0', 'v25.0', 'v26.1'])('serves %s by default', async (version) => {
      expect((await post(sim, PAGE, messengerText(), { version })).status).toBe(200);
    });

    it('answers versions older than apiVersion with 2635', async () => {
      await sim.close();
      sim = await start({ clock: clock.now, apiVersion: 'v25.0' });
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() });
      expect(errorOf(await post(sim, PAGE, messengerText(), { version: 'v24.0' })).code).toBe(2635);
      expect((await post(sim, PAGE, messengerText(), { version: 'v25.0' })).status).toBe(200);
    });
  });

  it('counts every request, refused ones included', async () => {
    await post(sim, PAGE, messengerText());
    await post(sim, PAGE, messengerText(), { token: null });
    await fetch(`${sim.url}/nowhere`);
    expect(sim.requests()).toBe(3);
    expect(sim.accepted()).toHaveLength(1);
  });

  describe('options', () => {
    it.each([
      ['a rate above 1', { faults: { dropRate: 1.5 } }],
      ['rates that add up beyond 1', { faults: { serverErrorRate: 0.6, throttleRate: 0.6 } }],
      ['an empty app secret', { appSecret: '' }],
      ['a malformed apiVersion', { apiVersion: '25' }],
    ])('refuses %s', async (_case, options) => {
      await expect(start({ appSecret: APP_SECRET, ...options })).rejects.toThrow(/meta-simulator: invalid options/);
    });

    it('refuses impossible faults given later', () => {
      expect(() => sim.setFaults({ timeoutRate: -0.1 })).toThrow(/meta-simulator: invalid faults/);
    });
  });
});
