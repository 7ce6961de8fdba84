/**
 * Interface under test: the simulator's WhatsApp Marketing Messages API
 * (`POST /{version}/{phone-number-id}/marketing_messages`), the end of marketing templates on Cloud
 * API `/messages` (131063) when afterchat's dated rule says so, and the BSUID send shape.
 */
import type { MetaSimulator, SimulatorOptions } from '../../../lambdas/local/meta-simulator';
import { type Answer, PHONE, TOKENS, WA_ID, WA_USER, errorOf, post, start, startReceiver, testClock, waTemplate, waText } from './helpers';

const BSUID = 'DE.88201734659910273645';
const DECEMBER = Date.UTC(2026, 11, 6, 12);
const AFTER_SUNSET = Date.UTC(2027, 9, 13, 0);

const postMarketing = async (sim: MetaSimulator, body: unknown): Promise<Answer> => {
  const response = await fetch(`${sim.url}/v25.0/${PHONE}/marketing_messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[PHONE]}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
};
const mmTemplate = (name: string, extra: Record<string, unknown> = {}) => ({
  ...waTemplate(name, WA_USER, { recipient_type: 'individual', product_policy: 'STRICT' }),
  ...extra,
});

describe('meta simulator: WhatsApp Marketing Messages API', () => {
  let clock = testClock(DECEMBER);
  let sim: MetaSimulator;

  const restart = async (options: Partial<SimulatorOptions> = {}) => {
    await sim.close();
    sim = await start({ clock: clock.now, ...options });
  };
  const setTemplate = (name: string, category: 'MARKETING' | 'UTILITY') => sim.setTemplate({ accountId: PHONE, name, language: 'en_US', status: 'APPROVED', category });

  beforeEach(async () => {
    clock = testClock(DECEMBER);
    sim = await start({ clock: clock.now, marketingMessagesOnboarded: [PHONE] });
    setTemplate('spring_sale', 'MARKETING');
    setTemplate('order_update', 'UTILITY');
  });
  afterEach(() => sim.close());

  describe('/marketing_messages', () => {
    it('takes a MARKETING template of an onboarded number and bills it marketing_lite', async () => {
      const answer = await postMarketing(sim, mmTemplate('spring_sale', { biz_opaque_callback_data: 'ob_1' }));
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ messaging_product: 'whatsapp', contacts: [{ input: WA_USER, wa_id: WA_ID }], messages: [{ message_status: 'accepted' }] });
      expect(sim.accepted()).toEqual([
        expect.objectContaining({ recipient: WA_ID, endpoint: 'marketing_messages', pricingCategory: 'marketing_lite', kind: 'template', callbackData: 'ob_1' }),
      ]);
    });

    it('posts Cloud API status webhooks priced marketing_lite', async () => {
      const receiver = await startReceiver();
      try {
        await restart({ webhookUrl: receiver.url, marketingMessagesOnboarded: [PHONE], appSecret: 'x' });
        setTemplate('spring_sale', 'MARKETING');
        expect((await postMarketing(sim, mmTemplate('spring_sale'))).status).toBe(200);
        await sim.flushWebhooks();
        const statuses = receiver.received.map((r) => (r.json as { entry: { changes: { value: { statuses: { status: string; pricing?: unknown }[] } }[] }[] }).entry[0]?.changes[0]?.value.statuses[0]);
        expect(statuses.map((s) => s?.status)).toEqual(['sent', 'delivered', 'read']);
        expect(statuses[1]?.pricing).toMatchObject({ category: 'marketing_lite', pricing_model: 'PMP' });
      } finally {
        await receiver.close();
      }
    });

    it.each([
      ['a text message', 131055, { ...waText(), product_policy: 'STRICT' }],
      ['a UTILITY template', 134100, mmTemplate('order_update')],
      ['an unknown template', 132001, mmTemplate('missing')],
      ['an unknown product_policy', 100, mmTemplate('spring_sale', { product_policy: 'SOMETIMES' })],
    ])('refuses %s with %d', async (_case, code, body) => {
      expect(errorOf(await postMarketing(sim, body)).code).toBe(code);
      expect(sim.accepted()).toEqual([]);
    });

    it('answers 134102 (HTTP 500) for a number not onboarded with product_policy STRICT', async () => {
      sim.setMarketingMessagesOnboarded({ accountId: PHONE, onboarded: false });
      const answer = await postMarketing(sim, mmTemplate('spring_sale'));
      expect(answer.status).toBe(500);
      expect(errorOf(answer)).toMatchObject({ code: 134102, error_data: { messaging_product: 'whatsapp' } });
    });

    it('falls back to Cloud API with CLOUD_API_FALLBACK while /messages takes marketing, billed marketing; 134102 after', async () => {
      await restart();
      setTemplate('spring_sale', 'MARKETING');
      expect((await postMarketing(sim, mmTemplate('spring_sale', { product_policy: 'CLOUD_API_FALLBACK' }))).status).toBe(200);
      expect(sim.accepted()[0]).toMatchObject({ endpoint: 'marketing_messages', pricingCategory: 'marketing' });
      clock.advance(AFTER_SUNSET - DECEMBER);
      expect(errorOf(await postMarketing(sim, mmTemplate('spring_sale', { product_policy: 'CLOUD_API_FALLBACK' }))).code).toBe(134102);
    });

    it('serves a number once it is onboarded', async () => {
      await restart();
      setTemplate('spring_sale', 'MARKETING');
      expect(errorOf(await postMarketing(sim, mmTemplate('spring_sale'))).code).toBe(134102);
      sim.setMarketingMessagesOnboarded({ accountId: PHONE });
      expect((await postMarketing(sim, mmTemplate('spring_sale'))).status).toBe(200);
    });
  });

  describe('marketing templates on /messages', () => {
    it('are taken until afterchat’s dated rule ends marketing on Cloud API, then refused 131063; utility still goes', async () => {
      expect((await post(sim, PHONE, waTemplate('spring_sale'))).status).toBe(200);
      clock.advance(AFTER_SUNSET - 1 - DECEMBER);
      expect((await post(sim, PHONE, waTemplate('spring_sale', '+4915112345679'))).status).toBe(200);
      clock.advance(1);
      const refused = errorOf(await post(sim, PHONE, waTemplate('spring_sale', '+4915112345670')));
      expect(refused).toMatchObject({ code: 131063, error_data: { messaging_product: 'whatsapp', details: expect.stringContaining('/marketing_messages') as unknown } });
      expect((await post(sim, PHONE, waTemplate('order_update', '+4915112345670'))).status).toBe(200);
      expect(sim.accepted().map((m) => m.endpoint)).toEqual(['messages', 'messages', 'messages']);
    });

    it('are refused 131063 when the WABA disabled marketing on Cloud API', async () => {
      sim.disableCloudApiMarketing({ accountId: PHONE });
      expect(errorOf(await post(sim, PHONE, waTemplate('spring_sale'))).code).toBe(131063);
    });
  });
});

describe('meta simulator: sends to a person known only by a BSUID', () => {
  let clock = testClock(DECEMBER);
  let sim: MetaSimulator;
  const bsuidTemplate = (field: 'to' | 'recipient') => ({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    [field]: BSUID,
    type: 'template',
    template: { name: 'order_update', language: { code: 'en_US' } },
  });
  const begin = async (options: Partial<SimulatorOptions> = {}) => {
    sim = await start({ clock: clock.now, ...options });
    sim.setTemplate({ accountId: PHONE, name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY' });
  };
  afterEach(() => sim.close());

  it('accepts the shape afterchat’s rule names (recipient by default) and answers with the BSUID as user_id', async () => {
    clock = testClock(DECEMBER);
    await begin();
    const answer = await post(sim, PHONE, bsuidTemplate('recipient'));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ contacts: [{ input: BSUID, wa_id: '', user_id: BSUID }] });
    expect(sim.accepted()[0]).toMatchObject({ recipient: BSUID });
  });

  it('refuses a BSUID in to with 100 under the default shape, naming where it goes', async () => {
    await begin();
    const refused = errorOf(await post(sim, PHONE, bsuidTemplate('to')));
    expect(refused).toMatchObject({ code: 100, error_data: { details: expect.stringMatching(/^Param to: .*goes in recipient/) as unknown } });
    expect(sim.accepted()).toEqual([]);
  });

  it('with the shape set to `to`, accepts it there and refuses a recipient field', async () => {
    await begin({ bsuidRecipientField: 'to' });
    expect((await post(sim, PHONE, bsuidTemplate('to'))).status).toBe(200);
    clock.advance(10_000);
    expect(errorOf(await post(sim, PHONE, bsuidTemplate('recipient')))).toMatchObject({ code: 100, error_data: { details: expect.stringMatching(/^Param recipient:/) as unknown } });
  });

  it('reports statuses of a BSUID send with an empty recipient_id and the BSUID as recipient_user_id', async () => {
    const receiver = await startReceiver();
    try {
      await begin({ webhookUrl: receiver.url, statuses: [] });
      expect((await post(sim, PHONE, bsuidTemplate('recipient'))).status).toBe(200);
      await sim.flushWebhooks();
      const status = (receiver.received[0]?.json as { entry: { changes: { value: { statuses: unknown[] } }[] }[] }).entry[0]?.changes[0]?.value.statuses[0];
      expect(status).toMatchObject({ status: 'sent', recipient_id: '', recipient_user_id: BSUID });
    } finally {
      await receiver.close();
    }
  });

  it('still takes a phone number in to, whatever the shape', async () => {
    await begin({ bsuidRecipientField: 'recipient' });
    expect((await post(sim, PHONE, { ...bsuidTemplate('recipient'), recipient: undefined, to: WA_USER })).status).toBe(200);
  });
});
