/**
 * Interface under test: the webhooks the simulator posts after accepting a message, checked the way
 * afterchat receives them: the X-Hub-Signature-256 gate, then normaliseWebhookBody.
 */
import type { MetaSimulator, SimulatorOptions } from '../../../lambdas/local/meta-simulator';
import type { WebhookEvent } from '../../../lambdas/domain/events';
import { normaliseWebhookBody } from '../../../lambdas/normalise/webhook-body';
import { isValidSignature } from '../../../lambdas/webhook/signature';
import {
  AD_ACCOUNT,
  APP_SECRET,
  HOUR,
  IG,
  IGSID,
  PAGE,
  PHONE,
  PSID,
  type Receiver,
  type ReceivedWebhook,
  START,
  WA_ID,
  messengerText,
  post,
  start,
  startReceiver,
  testClock,
  waTemplate,
  waText,
} from './helpers';

/** What afterchat's webhook Lambda would do with one POST: check the signature, then normalise. */
const eventsOf = (webhook: ReceivedWebhook): WebhookEvent[] => {
  const header = webhook.headers['x-hub-signature-256'];
  expect(isValidSignature(webhook.raw, typeof header === 'string' ? header : undefined, [APP_SECRET])).toBe(true);
  const batch = normaliseWebhookBody(webhook.json);
  expect(batch.skipped).toEqual([]);
  return batch.events;
};

describe('meta simulator: status webhooks', () => {
  const clock = testClock();
  let receiver: Receiver;
  let sim: MetaSimulator;

  const restart = async (options: Partial<SimulatorOptions> = {}) => {
    await sim.close();
    sim = await start({ clock: clock.now, webhookUrl: receiver.url, ...options });
  };
  const allEvents = async (): Promise<WebhookEvent[]> => {
    await sim.flushWebhooks();
    return receiver.received.flatMap(eventsOf);
  };

  beforeEach(async () => {
    receiver = await startReceiver();
    sim = await start({ clock: clock.now, webhookUrl: receiver.url });
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  describe('WhatsApp', () => {
    const wamidOf = (json: unknown): string => (json as { messages: { id: string }[] }).messages[0]?.id ?? '';
    const contact = { channel: 'whatsapp', accountId: PHONE, userId: WA_ID };

    it('posts sent, delivered and read for a text, with the callback data and service pricing on delivered', async () => {
      sim.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: WA_ID, at: clock.now() - HOUR });
      const wamid = wamidOf((await post(sim, PHONE, waText(undefined, { biz_opaque_callback_data: 'campaign-42:job-7' }))).json);

      const events = await allEvents();
      expect(events).toEqual([
        expect.objectContaining({ type: 'message_status', messageId: wamid, status: 'sent', callbackData: 'campaign-42:job-7', contact, occurredAt: START }),
        expect.objectContaining({
          type: 'message_status',
          messageId: wamid,
          status: 'delivered',
          callbackData: 'campaign-42:job-7',
          pricing: { billable: false, pricingModel: 'PMP', type: 'free_customer_service', category: 'service' },
        }),
        expect.objectContaining({ type: 'message_status', messageId: wamid, status: 'read', callbackData: 'campaign-42:job-7', pricing: undefined }),
      ]);
      expect(events[0]).toMatchObject({ pricing: undefined });
      expect(receiver.received[0]?.headers['content-type']).toBe('application/json');
    });

    it('prices a template at its category, on the first status after sent', async () => {
      await restart({ statuses: ['read'] });
      sim.setTemplate({ accountId: PHONE, name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY' });
      await post(sim, PHONE, waTemplate('order_update'));

      const events = await allEvents();
      expect(events.map((e) => e.type === 'message_status' && [e.status, e.pricing])).toEqual([
        ['sent', undefined],
        ['read', { billable: true, pricingModel: 'PMP', type: 'regular', category: 'utility' }],
      ]);
    });

    it('posts only sent, priced, when no statuses follow', async () => {
      await restart({ statuses: [] });
      sim.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: WA_ID, at: clock.now() });
      await post(sim, PHONE, waText());
      expect(await allEvents()).toEqual([expect.objectContaining({ status: 'sent', pricing: expect.objectContaining({ category: 'service' }) as unknown })]);
    });

    describe('marketing templates that Meta accepts but does not deliver', () => {
      beforeEach(() => {
        sim.setTemplate({ accountId: PHONE, name: 'spring_sale', language: 'en_US', status: 'APPROVED', category: 'MARKETING' });
      });

      it('fails with 131050 for a person who stopped marketing messages, even inside the window', async () => {
        sim.optOutMarketing({ accountId: PHONE, userId: WA_ID });
        sim.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: WA_ID, at: clock.now() });
        const answer = await post(sim, PHONE, waTemplate('spring_sale', undefined, { biz_opaque_callback_data: 'job-312' }));
        expect(answer.status).toBe(200);

        expect(await allEvents()).toEqual([
          expect.objectContaining({ messageId: wamidOf(answer.json), status: 'failed', error: expect.objectContaining({ code: 131050 }) as unknown, callbackData: 'job-312' }),
        ]);
      });

      it('fails with 131049 for a person at their marketing limit outside a window they opened', async () => {
        sim.setMarketingLimited({ accountId: PHONE, userId: WA_ID });
        await post(sim, PHONE, waTemplate('spring_sale'));
        expect(await allEvents()).toEqual([expect.objectContaining({ status: 'failed', error: expect.objectContaining({ code: 131049 }) as unknown })]);
      });

      it('delivers to a person at their marketing limit inside a window they opened', async () => {
        sim.setMarketingLimited({ accountId: PHONE, userId: WA_ID });
        sim.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: WA_ID, at: clock.now() - HOUR });
        await post(sim, PHONE, waTemplate('spring_sale'));
        const events = await allEvents();
        expect(events.map((e) => e.type === 'message_status' && e.status)).toEqual(['sent', 'delivered', 'read']);
        expect(events[1]).toMatchObject({ pricing: { category: 'marketing', type: 'regular', billable: true } });
      });
    });
  });

  describe('Messenger and Instagram', () => {
    it('posts an echo with the metadata, then delivery and read for Messenger', async () => {
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() - HOUR });
      const answer = await post(sim, PAGE, messengerText('Size M is in stock', { metadata: 'outbox:job-1' }));
      const { message_id: mid } = answer.json as { message_id: string };
      const contact = { channel: 'messenger', accountId: PAGE, userId: PSID };

      expect(await allEvents()).toEqual([
        expect.objectContaining({ type: 'echo', messageId: mid, metadata: 'outbox:job-1', appId: '1122334455667788', contact }),
        expect.objectContaining({ type: 'message_status', messageId: mid, status: 'delivered', contact }),
        expect.objectContaining({ type: 'watermark', kind: 'delivered', watermark: START, contact }),
        expect.objectContaining({ type: 'watermark', kind: 'read', watermark: START, contact }),
      ]);
      expect(receiver.received.map((w) => (w.json as { object: string }).object)).toEqual(['page', 'page', 'page']);
    });

    it('posts an echo and messaging_seen for Instagram, and no delivery', async () => {
      sim.userMessaged({ channel: 'instagram', accountId: IG, userId: IGSID, at: clock.now() - HOUR });
      const answer = await post(sim, IG, { recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { text: 'We ship to Austria' } });
      const { message_id: mid } = answer.json as { message_id: string };
      const contact = { channel: 'instagram', accountId: IG, userId: IGSID };

      expect(await allEvents()).toEqual([
        expect.objectContaining({ type: 'echo', messageId: mid, contact }),
        expect.objectContaining({ type: 'message_status', messageId: mid, status: 'read', contact }),
      ]);
    });

    it('signs the escaped-unicode form of the body, like Meta', async () => {
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() });
      await post(sim, PAGE, messengerText('Grüße 👋'));
      await sim.flushWebhooks();

      const echo = receiver.received[0];
      expect(echo?.raw.toString('utf8')).toContain('Gr\\u00fc\\u00dfe \\ud83d\\udc4b');
      expect(echo && eventsOf(echo)).toEqual([expect.objectContaining({ type: 'echo' })]);
      expect(echo?.json).toMatchObject({ entry: [{ messaging: [{ message: { text: 'Grüße 👋' } }] }] });
    });
  });

  it('posts Marketing Message API deliveries and reads keyed by the tracking id', async () => {
    sim.addOptInToken({ accountId: PAGE, userId: PSID, token: 'sub-1' });
    const answer = await post(sim, AD_ACCOUNT, {
      message_id: '120215000000000101',
      messenger_delivery_data: { subscription_token: 'sub-1' },
      message: { text: 'Spring sale' },
    });
    const { marketing_message_tracking_id: trackingId } = answer.json as { marketing_message_tracking_id: string };
    const contact = { channel: 'messenger', accountId: PAGE, userId: PSID };

    expect(await allEvents()).toEqual([
      expect.objectContaining({ type: 'message_status', messageId: trackingId, callbackData: trackingId, status: 'delivered', contact }),
      expect.objectContaining({ type: 'message_status', messageId: trackingId, callbackData: trackingId, status: 'read', contact }),
    ]);
  });

  describe('delivery', () => {
    beforeEach(() => {
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() });
    });

    it('retries a webhook the receiver refused, and flushWebhooks waits for the retries', async () => {
      await receiver.close();
      receiver = await startReceiver({ failFirst: 2 });
      await restart({ statuses: [] });
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() });
      await post(sim, PAGE, messengerText());
      await sim.flushWebhooks();
      expect(receiver.refused).toBe(2);
      expect(receiver.received).toHaveLength(1);
    });

    it('gives up on an unreachable receiver without failing the sends', async () => {
      await receiver.close();
      await restart({ statuses: [] });
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() });
      expect((await post(sim, PAGE, messengerText())).status).toBe(200);
      await expect(sim.flushWebhooks()).resolves.toBeUndefined();
    });

    it('waits webhookDelayMs before posting', async () => {
      await restart({ webhookDelayMs: 150, statuses: [] });
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() });
      const started = Date.now();
      await post(sim, PAGE, messengerText());
      expect(receiver.received).toHaveLength(0);
      await sim.flushWebhooks();
      expect(receiver.received).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    });

    it('posts nothing without a webhookUrl', async () => {
      await restart({ webhookUrl: undefined });
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() });
      await post(sim, PAGE, messengerText());
      await sim.flushWebhooks();
      expect(receiver.received).toEqual([]);
    });

    it('drops unsent webhooks on close()', async () => {
      await restart({ webhookDelayMs: 10_000 });
      sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() });
      await post(sim, PAGE, messengerText());
      const started = Date.now();
      await sim.close();
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(receiver.received).toEqual([]);
    });
  });
});
