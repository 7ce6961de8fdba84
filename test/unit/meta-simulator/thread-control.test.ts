/**
 * Interface under test: the simulator's pass_thread_control / take_thread_control (Conversation
 * Routing), over HTTP with afterchat's own GraphApiClient, as automation calls them on a handoff.
 */
import { GraphApiClient } from '../../../lambdas/adapters/meta/graph-api-client';
import { StaticAccessTokens } from '../../../lambdas/adapters/secrets/access-tokens';
import type { MetaSimulator } from '../../../lambdas/local/meta-simulator';
import { errorOf, IG, IGSID, messengerText, PAGE, PHONE, post, PSID, START, start, TOKENS, WA_ID } from './helpers';

const INBOX_APP = '263902037430900';

let sim: MetaSimulator;
let graph: GraphApiClient;

beforeEach(async () => {
  sim = await start({ clock: () => START });
  graph = new GraphApiClient({ baseUrl: sim.url, version: 'v25.0', tokens: new StaticAccessTokens(TOKENS) });
});
afterEach(() => sim.close());

const raw = async (accountId: string, edge: string, body: unknown, token: string | undefined = TOKENS[accountId]) => {
  const response = await fetch(`${sim.url}/v25.0/${accountId}/${edge}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
};

describe('meta simulator: thread control', () => {
  it('passes a Page thread to the target app and takes it back, answering success and recording both', async () => {
    await expect(graph.threadControl({ channel: 'messenger', accountId: PAGE, userId: PSID, action: 'pass', targetAppId: INBOX_APP, metadata: 'afterchat:handoff' })).resolves.toEqual({ ok: true });
    expect(sim.threadOwner({ accountId: PAGE, userId: PSID })).toBe(INBOX_APP);

    await expect(graph.threadControl({ channel: 'messenger', accountId: PAGE, userId: PSID, action: 'take' })).resolves.toEqual({ ok: true });
    expect(sim.threadOwner({ accountId: PAGE, userId: PSID })).toBeUndefined();

    expect(sim.threadControlCalls()).toEqual([
      { accountId: PAGE, userId: PSID, action: 'pass', targetAppId: INBOX_APP, metadata: 'afterchat:handoff', at: START },
      { accountId: PAGE, userId: PSID, action: 'take', at: START },
    ]);
  });

  it('refuses a send from afterchat while another app holds the thread (100 / 2534037), and takes it again once the thread is back', async () => {
    sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: START - 1000 });
    await graph.threadControl({ channel: 'messenger', accountId: PAGE, userId: PSID, action: 'pass', targetAppId: INBOX_APP });

    const refused = await post(sim, PAGE, messengerText('Thanks! A colleague will answer you here soon.'));
    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toMatchObject({ code: 100, error_subcode: 2534037 });

    await graph.threadControl({ channel: 'messenger', accountId: PAGE, userId: PSID, action: 'take' });
    expect((await post(sim, PAGE, messengerText())).status).toBe(200);
  });

  it("moves one person's thread only, and works on an Instagram account", async () => {
    await graph.threadControl({ channel: 'instagram', accountId: IG, userId: IGSID, action: 'pass', targetAppId: INBOX_APP });
    expect(sim.threadOwner({ accountId: IG, userId: IGSID })).toBe(INBOX_APP);
    expect(sim.threadOwner({ accountId: PAGE, userId: PSID })).toBeUndefined();
  });

  it('refuses a pass without target_app_id with 100 naming it, and moves nothing', async () => {
    const answer = await raw(PAGE, 'pass_thread_control', { recipient: { id: PSID } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({ code: 100, message: expect.stringContaining('target_app_id') as unknown });
    expect(sim.threadControlCalls()).toEqual([]);
  });

  it("refuses another Page's token with 190", async () => {
    const answer = await raw(PAGE, 'take_thread_control', { recipient: { id: PSID } }, TOKENS[IG]);
    expect(errorOf(answer).code).toBe(190);
  });

  it('has no thread-control edge on a WhatsApp number', async () => {
    const answer = await raw(PHONE, 'pass_thread_control', { recipient: { id: WA_ID }, target_app_id: INBOX_APP });
    expect(errorOf(answer)).toMatchObject({ code: 100, message: expect.stringContaining('WhatsAppBusinessPhoneNumber') as unknown });
  });

  it('answers a server fault the client reports as a failure, and records nothing', async () => {
    sim.setFaults({ serverErrorRate: 1 });
    const result = await graph.threadControl({ channel: 'messenger', accountId: PAGE, userId: PSID, action: 'pass', targetAppId: INBOX_APP });
    expect(result.ok).toBe(false);
    expect(sim.threadControlCalls()).toEqual([]);
  });
});
