/**
 * Interface under test: the local stack's business bus (`GET /local/events`), fed by the webhook, the
 * sender's messages through the Meta simulator (its status webhooks) and automation (a STOP keyword).
 * With the stage switch on, each message and consent event is put exactly once, however often Meta
 * repeats what caused it; with it off (the default), none of them is.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { isAfterchatEventType } from '../../lambdas/schemas/afterchat-events';
import { PHONE, WABA } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { SAMPLE_NUMBER, userPreferenceBody } from '../helpers/whatsapp-webhook';

type BusEvent = { 'detail-type': string; source: string; detail: Record<string, unknown> };

const seconds = (ms: number) => String(Math.floor(ms / 1000));
const utility = (waId: string): SendIntent => ({ channel: 'whatsapp', accountId: PHONE, userId: waId, kind: 'utility', author: 'bot', content: { type: 'template', name: 'order_update', language: 'de' } });

const run = async (stack: SendingStack, people: readonly string[]) => {
  const webhook = async (body: object) => expect(await stack.postWebhook(body)).toBe(200);
  const messages = (value: object) =>
    webhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE }, ...value } }] }] });
  await webhook({
    object: 'whatsapp_business_account',
    entry: [{ id: WABA, time: Math.floor(stack.now() / 1000), changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 1689556908129836, message_template_name: 'order_update', message_template_language: 'de', reason: 'NONE', message_template_category: 'UTILITY' } }] }],
  });
  await stack.openWhatsAppWindows(people);
  for (const waId of people) {
    const answer = await fetch(`${stack.url}/admin/sends`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ intent: utility(waId), idempotencyKey: `order-${waId}` }) });
    expect(answer.status).toBe(202);
  }
  await stack.waitUntilDrained();
  // Meta repeats a webhook it wasn't sure landed: the same user_preferences twice.
  const [stopper, keyword] = people;
  const preference = userPreferenceBody(SAMPLE_NUMBER, { waId: stopper as string, value: 'stop', atMs: stack.now() });
  await webhook(preference);
  await webhook(preference);
  const stop = { from: keyword, id: `wamid.stop-${keyword}`, timestamp: seconds(stack.now()), type: 'text', text: { body: 'STOP' } };
  await messages({ messages: [stop] });
  await messages({ messages: [stop] });
};

const ownEvents = async (stack: SendingStack): Promise<BusEvent[]> =>
  ((await (await fetch(`${stack.url}/local/events`)).json()) as { events: BusEvent[] }).events.filter((e) => isAfterchatEventType(e['detail-type']));

/** Automation runs from its queue: the keyword's event comes once its poller got to it. */
const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

const logger = new Logger({ serviceName: 'afterchat-test', logLevel: 'WARN' });

describe('afterchat’s own events on the business bus', () => {
  it('with the switch on: delivered and read once per message, each opt-out once, from afterchat.automation, with no text', async () => {
    const people = ['4915100000801', '4915100000802', '4915100000803'];
    const stack = await startSendingStack({}, logger, { eventsOut: true });
    try {
      await run(stack, people);
      const events = await eventually(() => ownEvents(stack), (found) => found.filter((e) => e.detail.source === 'keyword').length > 0);
      const keys = (type: string) => events.filter((e) => e['detail-type'] === type).map((e) => e.detail.eventKey as string).sort();

      expect(keys('message.delivered')).toHaveLength(people.length);
      expect(new Set(keys('message.delivered')).size).toBe(people.length);
      expect(keys('message.read')).toHaveLength(people.length);
      expect(events.filter((e) => e['detail-type'] === 'message.read').map((e) => e.detail.userId).sort()).toEqual(people);
      const optOuts = events.filter((e) => e['detail-type'] === 'contact.opted_out');
      expect(optOuts.map((e) => [e.detail.userId, e.detail.source])).toEqual(
        expect.arrayContaining([
          [people[0], 'user_preferences'],
          [people[1], 'keyword'],
        ]),
      );
      expect(optOuts).toHaveLength(2);
      expect(events.every((e) => e.source === 'afterchat.automation' && !('text' in e.detail))).toBe(true);
    } finally {
      await stack.close();
    }
  }, 300_000);

  it('with the switch off (the default): none of them', async () => {
    const people = ['4915100000901', '4915100000902'];
    const stack = await startSendingStack({}, logger);
    try {
      await run(stack, people);
      // The keyword's confirmation is the sign automation handled it.
      await stack.waitUntilDrained();
      expect(await ownEvents(stack)).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 300_000);
});
