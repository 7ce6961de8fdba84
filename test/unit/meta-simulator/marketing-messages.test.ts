/** Interface under test: the simulator's Marketing Message API for Messenger (`POST /{version}/act_{id}/messages`). */
import type { MetaSimulator } from '../../../lambdas/local/meta-simulator';
import { AD_ACCOUNT, PAGE, PSID, errorOf, post, start, testClock } from './helpers';

describe('meta simulator: Marketing Message API', () => {
  const clock = testClock();
  let sim: MetaSimulator;

  beforeEach(async () => {
    sim = await start({ clock: clock.now });
  });
  afterEach(() => sim.close());

  const marketing = (token: string, extra: Record<string, unknown> = {}) => ({
    message_id: '120215000000000101',
    messenger_delivery_data: { subscription_token: token },
    message: { attachment: { type: 'template', payload: { template_type: 'generic', elements: [] } } },
    ...extra,
  });

  it('answers success with a 19-digit tracking id and records a marketing message to the token’s person', async () => {
    sim.addOptInToken({ accountId: PAGE, userId: PSID, token: 'sub-1' });
    const answer = await post(sim, AD_ACCOUNT, marketing('sub-1'));

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ success: true, marketing_message_tracking_id: expect.stringMatching(/^\d{19}$/) as unknown });
    const { marketing_message_tracking_id: trackingId } = answer.json as { marketing_message_tracking_id: string };
    expect(sim.accepted()).toEqual([
      expect.objectContaining({ id: trackingId, channel: 'messenger', accountId: PAGE, recipient: PSID, kind: 'marketing_message' }),
    ]);
  });

  it('refuses an unknown subscription token with 2300004', async () => {
    expect(errorOf(await post(sim, AD_ACCOUNT, marketing('sub-unknown'))).code).toBe(2300004);
  });

  it('refuses a stopped subscription token with 2300034', async () => {
    sim.addOptInToken({ accountId: PAGE, userId: PSID, token: 'sub-stopped', status: 'stopped' });
    expect(errorOf(await post(sim, AD_ACCOUNT, marketing('sub-stopped'))).code).toBe(2300034);
  });

  it('refuses a send inside min_conversation_gap_seconds of the person’s last message with 2300052', async () => {
    sim.addOptInToken({ accountId: PAGE, userId: PSID, token: 'sub-1' });
    sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() - 60_000 });
    expect(errorOf(await post(sim, AD_ACCOUNT, marketing('sub-1', { min_conversation_gap_seconds: 3600 }))).code).toBe(2300052);
    expect((await post(sim, AD_ACCOUNT, marketing('sub-1', { min_conversation_gap_seconds: 30 }))).status).toBe(200);
  });

  it.each([
    ['no message_id', { messenger_delivery_data: { subscription_token: 'sub-1' }, message: {} }],
    ['no subscription token', { message_id: '1', messenger_delivery_data: {}, message: {} }],
    ['no message', { message_id: '1', messenger_delivery_data: { subscription_token: 'sub-1' } }],
  ])('refuses %s with 100', async (_case, body) => {
    sim.addOptInToken({ accountId: PAGE, userId: PSID, token: 'sub-1' });
    expect(errorOf(await post(sim, AD_ACCOUNT, body)).code).toBe(100);
  });

  it('takes the ad account’s token or the Page token of the subscription’s Page, and no other', async () => {
    sim.addOptInToken({ accountId: PAGE, userId: PSID, token: 'sub-1' });
    expect((await post(sim, AD_ACCOUNT, marketing('sub-1'), { token: 'page-token' })).status).toBe(200);
    expect(errorOf(await post(sim, AD_ACCOUNT, marketing('sub-1'), { token: 'other-page-token' })).code).toBe(190);
    expect(errorOf(await post(sim, AD_ACCOUNT, marketing('sub-1'), { token: null })).code).toBe(190);
  });
});
