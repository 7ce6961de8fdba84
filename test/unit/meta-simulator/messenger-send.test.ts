/** Interface under test: the simulator's Messenger / Instagram Send API (`POST /{version}/{page-id}/messages`). */
import type { MetaSimulator } from '../../../lambdas/local/meta-simulator';
import { HOUR, IG, IGSID, OTHER_PAGE, PAGE, PSID, errorOf, messengerText, post, start, testClock } from './helpers';

describe('meta simulator: Messenger and Instagram Send API', () => {
  const clock = testClock();
  let sim: MetaSimulator;

  beforeEach(async () => {
    sim = await start({ clock: clock.now });
  });
  afterEach(() => sim.close());

  const userWrote = (hoursAgo: number, accountId = PAGE, userId = PSID, channel: 'messenger' | 'instagram' = 'messenger') =>
    sim.userMessaged({ channel, accountId, userId, at: clock.now() - hoursAgo * HOUR });

  describe('accepted messages', () => {
    it('answers a RESPONSE inside the window with recipient_id and an m_ message id, and records it', async () => {
      userWrote(1);
      const answer = await post(sim, PAGE, messengerText('Size M is in stock', { metadata: 'outbox:job-1' }));

      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ recipient_id: PSID, message_id: expect.stringMatching(/^m_[\w-]{20,}$/) as unknown });
      const { message_id: mid } = answer.json as { message_id: string };
      expect(sim.accepted()).toEqual([
        expect.objectContaining({
          id: mid,
          channel: 'messenger',
          accountId: PAGE,
          recipient: PSID,
          kind: 'text',
          messagingType: 'RESPONSE',
          callbackData: 'outbox:job-1',
          at: clock.now(),
        }),
      ]);
      expect(sim.countFor(PSID)).toBe(1);
    });

    it('treats a missing messaging_type as RESPONSE', async () => {
      userWrote(1);
      expect((await post(sim, PAGE, { recipient: { id: PSID }, message: { text: 'hi' } })).status).toBe(200);
    });

    it('sends UPDATE inside the window', async () => {
      userWrote(23);
      expect((await post(sim, PAGE, messengerText('Shipped', { messaging_type: 'UPDATE' }))).status).toBe(200);
    });

    it('sends HUMAN_AGENT up to 7 days after the person wrote', async () => {
      userWrote(6 * 24);
      const answer = await post(sim, PAGE, messengerText('An agent here', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }));
      expect(answer.status).toBe(200);
      expect(sim.accepted()[0]).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    });

    it('records an opt-in request template as opt_in_request', async () => {
      userWrote(1);
      const answer = await post(sim, PAGE, {
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: {
          attachment: {
            type: 'template',
            payload: { template_type: 'notification_messages', title: 'Weekly deals', payload: 'topic:deals' },
          },
        },
      });
      expect(answer.status).toBe(200);
      expect(sim.accepted()[0]?.kind).toBe('opt_in_request');
    });

    it('routes accounts listed as Instagram to the instagram channel', async () => {
      userWrote(1, IG, IGSID, 'instagram');
      const answer = await post(sim, IG, { recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { text: 'hi' } });
      expect(answer.status).toBe(200);
      expect(sim.accepted()[0]).toMatchObject({ channel: 'instagram', accountId: IG, recipient: IGSID });
    });

    it('keeps windows per channel and account', async () => {
      userWrote(1, OTHER_PAGE);
      expect(errorOf(await post(sim, PAGE, messengerText())).code).toBe(10);
    });
  });

  describe('window rules', () => {
    it.each([
      ['RESPONSE with no message from the person', undefined, 'RESPONSE'],
      ['RESPONSE 25 h after the last message', 25, 'RESPONSE'],
      ['UPDATE 25 h after the last message', 25, 'UPDATE'],
    ])('refuses %s with 10 / 2018278', async (_case, hoursAgo, messagingType) => {
      if (hoursAgo !== undefined) userWrote(hoursAgo);
      const answer = await post(sim, PAGE, messengerText('hi', { messaging_type: messagingType }));
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ code: 10, error_subcode: 2018278 });
      expect(sim.accepted()).toEqual([]);
    });

    it('refuses HUMAN_AGENT beyond 7 days with 10 / 2018278', async () => {
      userWrote(7 * 24 + 1);
      const answer = await post(sim, PAGE, messengerText('late', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }));
      expect(errorOf(answer)).toMatchObject({ code: 10, error_subcode: 2018278 });
    });

    it.each(['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'])('refuses the retired tag %s with 100', async (tag) => {
      userWrote(1);
      const answer = await post(sim, PAGE, messengerText('update', { messaging_type: 'MESSAGE_TAG', tag }));
      expect(errorOf(answer).code).toBe(100);
    });

    it('refuses MESSAGE_TAG without a tag with 100', async () => {
      userWrote(1);
      expect(errorOf(await post(sim, PAGE, messengerText('x', { messaging_type: 'MESSAGE_TAG' }))).code).toBe(100);
    });
  });

  describe('request shape', () => {
    it.each([
      ['no recipient', { messaging_type: 'RESPONSE', message: { text: 'hi' } }],
      ['no message', { recipient: { id: PSID }, messaging_type: 'RESPONSE' }],
      ['empty text', messengerText('')],
      ['text over 2000 characters', messengerText('x'.repeat(2001))],
      ['an unknown messaging_type', messengerText('hi', { messaging_type: 'PROMOTION' })],
      ['metadata over 1000 characters', messengerText('hi', { metadata: 'm'.repeat(1001) })],
      ['a numeric recipient id', { recipient: { id: 6543210987654321 }, message: { text: 'hi' } }],
    ])('refuses %s with 100', async (_case, body) => {
      userWrote(1);
      const answer = await post(sim, PAGE, body);
      expect(answer.status).toBe(400);
      expect(errorOf(answer).code).toBe(100);
    });

    it('refuses a body that is not JSON with 100', async () => {
      expect(errorOf(await post(sim, PAGE, '{not json')).code).toBe(100);
    });
  });

  describe('utility templates', () => {
    const utility = (name = 'order_update', extra: Record<string, unknown> = {}) => ({
      recipient: { id: PSID },
      messaging_type: 'UTILITY',
      message: { template: { name, language: { code: 'en_US' }, components: [] } },
      ...extra,
    });
    const setTemplate = (status: 'APPROVED' | 'PENDING' | 'PAUSED', category: 'UTILITY' | 'MARKETING' = 'UTILITY') =>
      sim.setTemplate({ accountId: PAGE, name: 'order_update', language: 'en_US', status, category });

    it('sends an approved utility template outside the window', async () => {
      setTemplate('APPROVED');
      const answer = await post(sim, PAGE, utility());
      expect(answer.status).toBe(200);
      expect(sim.accepted()[0]).toMatchObject({ kind: 'template', messagingType: 'UTILITY', template: { name: 'order_update', language: 'en_US' } });
    });

    it.each([
      ['unknown', () => undefined],
      ['pending', () => setTemplate('PENDING')],
      ['paused', () => setTemplate('PAUSED')],
      ['not a utility template', () => setTemplate('APPROVED', 'MARKETING')],
    ])('refuses a template that is %s with 100', async (_case, arrange) => {
      arrange();
      expect(errorOf(await post(sim, PAGE, utility())).code).toBe(100);
    });

    it('refuses UTILITY without a template, and a template without UTILITY, with 100', async () => {
      setTemplate('APPROVED');
      userWrote(1);
      expect(errorOf(await post(sim, PAGE, messengerText('x', { messaging_type: 'UTILITY' }))).code).toBe(100);
      expect(errorOf(await post(sim, PAGE, utility('order_update', { messaging_type: 'RESPONSE' }))).code).toBe(100);
    });
  });

  describe('notification_messages_token recipients', () => {
    const viaToken = (token: string) => ({ recipient: { notification_messages_token: token }, message: { text: 'Deals this week' } });

    it('sends to an active token outside the window, as a marketing message to its person', async () => {
      sim.addOptInToken({ accountId: PAGE, userId: PSID, token: 'nmt-1' });
      const answer = await post(sim, PAGE, viaToken('nmt-1'));
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ recipient_id: PSID });
      expect(sim.accepted()[0]).toMatchObject({ kind: 'marketing_message', recipient: PSID });
    });

    it('refuses an unknown token, or another Page’s, with 100', async () => {
      sim.addOptInToken({ accountId: OTHER_PAGE, userId: PSID, token: 'nmt-other' });
      expect(errorOf(await post(sim, PAGE, viaToken('nmt-unknown'))).code).toBe(100);
      expect(errorOf(await post(sim, PAGE, viaToken('nmt-other'))).code).toBe(100);
    });

    it('refuses a stopped token with 10 / 1893015', async () => {
      sim.addOptInToken({ accountId: PAGE, userId: PSID, token: 'nmt-stopped', status: 'stopped' });
      expect(errorOf(await post(sim, PAGE, viaToken('nmt-stopped')))).toMatchObject({ code: 10, error_subcode: 1893015 });
    });
  });
});
