/** Interface under test: the simulator's WhatsApp Cloud API send (`POST /{version}/{phone-number-id}/messages`). */
import type { MetaSimulator, SimulatorOptions } from '../../../lambdas/local/meta-simulator';
import { HOUR, PHONE, WA_ID, WA_USER, errorOf, post, start, testClock, waTemplate, waText } from './helpers';

type TemplateStatus = 'APPROVED' | 'PAUSED' | 'DISABLED' | 'PENDING' | 'REJECTED';

describe('meta simulator: WhatsApp Cloud API send', () => {
  let clock = testClock();
  let sim: MetaSimulator;

  const restart = async (options: Partial<SimulatorOptions> = {}) => {
    await sim.close();
    sim = await start({ clock: clock.now, ...options });
  };
  const userWrote = (hoursAgo: number, userId = WA_ID) =>
    sim.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId, at: clock.now() - hoursAgo * HOUR });
  const setTemplate = (name: string, status: TemplateStatus, category: 'MARKETING' | 'UTILITY' = 'UTILITY') =>
    sim.setTemplate({ accountId: PHONE, name, language: 'en_US', status, category });

  beforeEach(async () => {
    clock = testClock();
    sim = await start({ clock: clock.now });
  });
  afterEach(() => sim.close());

  describe('accepted messages', () => {
    it('answers a text inside the window with contacts and a wamid, and records it by wa_id', async () => {
      userWrote(2);
      const answer = await post(sim, PHONE, waText(WA_USER, { biz_opaque_callback_data: 'campaign-42:job-7' }));

      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({
        messaging_product: 'whatsapp',
        contacts: [{ input: WA_USER, wa_id: WA_ID }],
        messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/) as unknown }],
      });
      const [{ id } = { id: '' }] = (answer.json as { messages: { id: string }[] }).messages;
      expect(sim.accepted()).toEqual([
        expect.objectContaining({ id, channel: 'whatsapp', accountId: PHONE, recipient: WA_ID, kind: 'text', callbackData: 'campaign-42:job-7' }),
      ]);
      expect(sim.countFor(WA_USER)).toBe(1);
      expect(sim.countFor(WA_ID)).toBe(1);
    });

    it('opens the window for a user id given with its +', async () => {
      sim.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: WA_USER, at: clock.now() });
      expect((await post(sim, PHONE, waText())).status).toBe(200);
    });

    it('sends an approved template outside the window, answering message_status accepted', async () => {
      setTemplate('order_update', 'APPROVED');
      const answer = await post(sim, PHONE, waTemplate('order_update'));
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ messages: [{ message_status: 'accepted' }] });
      expect(sim.accepted()[0]).toMatchObject({ kind: 'template', template: { name: 'order_update', language: 'en_US' } });
    });

    it('records interactive messages as interactive', async () => {
      userWrote(1);
      const answer = await post(sim, PHONE, {
        messaging_product: 'whatsapp',
        to: WA_USER,
        type: 'interactive',
        interactive: { type: 'button', body: { text: 'Pick one' }, action: { buttons: [] } },
      });
      expect(answer.status).toBe(200);
      expect(sim.accepted()[0]?.kind).toBe('interactive');
    });
  });

  describe('request shape', () => {
    it.each([
      ['a number without +', waText(WA_ID)],
      ['a number with spaces', waText('+49 151 12345678')],
      ['no messaging_product', { to: WA_USER, type: 'text', text: { body: 'hi' } }],
      ['type template without a template', { messaging_product: 'whatsapp', to: WA_USER, type: 'template' }],
      ['an empty text body', waText(WA_USER, { text: { body: '' } })],
      ['an unknown type', waText(WA_USER, { type: 'carousel' })],
      ['biz_opaque_callback_data over 512 characters', waText(WA_USER, { biz_opaque_callback_data: 'x'.repeat(513) })],
    ])('refuses %s with 100', async (_case, body) => {
      userWrote(1);
      const answer = await post(sim, PHONE, body);
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ code: 100, error_data: { messaging_product: 'whatsapp' } });
      expect(sim.accepted()).toEqual([]);
    });
  });

  describe('windows and templates', () => {
    it('refuses free-form outside the 24 h window with 131047', async () => {
      userWrote(24.5);
      const answer = await post(sim, PHONE, waText());
      expect(errorOf(answer)).toMatchObject({ code: 131047, error_data: { messaging_product: 'whatsapp', details: expect.any(String) as unknown } });
    });

    it.each([
      ['unknown', undefined, 132001],
      ['PENDING', 'PENDING', 132001],
      ['REJECTED', 'REJECTED', 132001],
      ['PAUSED', 'PAUSED', 132015],
      ['DISABLED', 'DISABLED', 132016],
    ] as const)('refuses a template that is %s (status %s) with %d', async (_case, status: TemplateStatus | undefined, code) => {
      if (status) setTemplate('promo', status, 'MARKETING');
      expect(errorOf(await post(sim, PHONE, waTemplate('promo'))).code).toBe(code);
    });

    it('looks templates up by language', async () => {
      setTemplate('order_update', 'APPROVED');
      const german = waTemplate('order_update', WA_USER, { template: { name: 'order_update', language: { code: 'de' } } });
      expect(errorOf(await post(sim, PHONE, german)).code).toBe(132001);
    });
  });

  describe('throughput and pair rate', () => {
    const recipient = (i: number) => `+49151${String(10_000_000 + i)}`;

    it('refuses the message over throughputPerSecond in one second with 130429, and recovers the next second', async () => {
      await restart({ pairRateMs: 0, throughputPerSecond: 5 });
      setTemplate('order_update', 'APPROVED');
      for (let i = 0; i < 5; i += 1) expect((await post(sim, PHONE, waTemplate('order_update', recipient(i)))).status).toBe(200);

      expect(errorOf(await post(sim, PHONE, waTemplate('order_update', recipient(5)))).code).toBe(130429);
      clock.advance(1_000);
      expect((await post(sim, PHONE, waTemplate('order_update', recipient(5)))).status).toBe(200);
    });

    it('defaults to 80 messages per second', async () => {
      await restart({ pairRateMs: 0 });
      setTemplate('order_update', 'APPROVED');
      const answers = await Promise.all(Array.from({ length: 81 }, (_, i) => post(sim, PHONE, waTemplate('order_update', recipient(i)))));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(80);
      expect(answers.filter((a) => a.status === 400).map((a) => errorOf(a).code)).toEqual([130429]);
    });

    it('refuses a second message to the same person within 6 s with 131056, and not to others', async () => {
      setTemplate('order_update', 'APPROVED');
      expect((await post(sim, PHONE, waTemplate('order_update'))).status).toBe(200);
      clock.advance(5_999);
      expect(errorOf(await post(sim, PHONE, waTemplate('order_update'))).code).toBe(131056);
      expect((await post(sim, PHONE, waTemplate('order_update', recipient(1)))).status).toBe(200);
      clock.advance(1);
      expect((await post(sim, PHONE, waTemplate('order_update'))).status).toBe(200);
      expect(sim.countFor(WA_ID)).toBe(2);
    });

    it('has no pair rate with pairRateMs 0', async () => {
      await restart({ pairRateMs: 0 });
      setTemplate('order_update', 'APPROVED');
      for (let i = 0; i < 3; i += 1) expect((await post(sim, PHONE, waTemplate('order_update'))).status).toBe(200);
    });
  });
});
