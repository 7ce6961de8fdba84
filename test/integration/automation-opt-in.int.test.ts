/**
 * Interface under test: the local stack's webhook, the automation queue and its consumer, the
 * business bus and the campaign dispatcher, the sender and the Meta simulator, driven with signed
 * webhooks and injected time (README "Automation", opt-in requests): a Messenger keyword asks for
 * the marketing-message opt-in through the policy engine, which refuses a second request within the
 * title's week and one after an order event outside the window, each with its reason on the send
 * record; a WhatsApp consent button stores a consent record with the text shown; redelivered events
 * send nothing twice.
 */
import { adminCaller } from '../helpers/admin-contract';
import { automationQueueDrained } from '../helpers/automation-queue';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { toHandOff } from '../../lambdas/schemas/automation-hand-off';
import { PAGE, PSID, PHONE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { from, messagesBody, SAMPLE_NUMBER } from '../helpers/whatsapp-webhook';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PROMPT = 'Can we send you our offers on WhatsApp? Tap "Yes, send me offers".';
const WA_PERSON = '4915100000071';

interface SendView {
  idempotencyKey: string;
  status: string;
  route: string | null;
  reason: string | null;
  intent: { kind: string; author: string; content: string };
}

describe('automation: opt-in requests and consent', () => {
  let stack: SendingStack;
  afterAll(async () => stack?.close());

  const call = adminCaller(() => stack.url);
  const messengerText = (n: number, text: string, atMs: number) => ({
    object: 'page',
    entry: [{ id: PAGE, time: atMs, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: atMs, message: { mid: `m_optin-${n}`, text } }] }],
  });
  const consentTap = (atMs: number) =>
    messagesBody(
      SAMPLE_NUMBER,
      from(
        { waId: WA_PERSON, id: 'wamid.consent-1', atMs },
        { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'AFTERCHAT_CONSENT', title: 'Yes, send me offers' } } },
      ),
    );
  /** Until automation has taken every hand-off off its queue, then the sender every job. */
  const settled = async () => {
    await automationQueueDrained(stack.queues);
    await stack.waitUntilDrained(60_000);
  };
  const sends = async (channel: string, accountId: string, userId: string) =>
    ((await call('GET', `/admin/contacts/${channel}/${accountId}/${userId}/sends`)).body as unknown as { sends: SendView[] }).sends;
  const optInRequestsAccepted = () => stack.simulator.accepted().filter((m) => m.recipient === PSID && m.kind === 'opt_in_request');

  it('a Messenger keyword asks once; again within the week and after an order event outside the window are refused with their reasons', async () => {
    stack = await startSendingStack();
    const configured = await call('PUT', `/admin/accounts/messenger/${PAGE}/automation`, {
      optInRequest: { messenger: { title: 'Weekly deals', payload: 'topic:deals', keywords: ['DEALS'], afterEvents: ['order.shipped'] } },
    });
    expect(configured.status).toBe(200);

    const first = messengerText(1, 'deals', stack.now() - 5_000);
    expect(await stack.postWebhook(first)).toBe(200);
    // Meta re-delivers the body, and SQS delivers its hand-off twice.
    expect(await stack.postWebhook(first)).toBe(200);
    const eventKey = `messenger#${PAGE}#mid#m_optin-1`;
    const handOff = toHandOff([{ eventKey, occurredAt: first.entry[0]!.messaging[0]!.timestamp, contact: { channel: 'messenger', accountId: PAGE, userId: PSID }, text: 'deals' }]);
    await stack.queues.client.send(new SendMessageCommand({ QueueUrl: stack.queues.automationQueueUrl, MessageBody: JSON.stringify(handOff) }));
    await settled();
    expect(optInRequestsAccepted()).toHaveLength(1);
    const asked = await sends('messenger', PAGE, PSID);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      idempotencyKey: `automation#opt_in_request#${eventKey}`,
      route: 'messenger.opt_in_request',
      intent: { kind: 'opt_in_request', author: 'bot', content: 'opt_in_request' },
    });

    stack.advance(60 * MINUTE);
    expect(await stack.postWebhook(messengerText(2, 'DEALS!', stack.now() - 5_000))).toBe(200);
    await settled();
    expect(optInRequestsAccepted()).toHaveLength(1);
    expect((await sends('messenger', PAGE, PSID)).find((s) => s.idempotencyKey === `automation#opt_in_request#messenger#${PAGE}#mid#m_optin-2`)).toMatchObject({
      status: 'skipped',
      reason: 'opt_in_request_too_soon',
    });

    // Two days after the person's last message a shipped order asks again: the window is closed.
    stack.advance(2 * DAY);
    const shipped = {
      Source: 'com.sampleshop.orders',
      DetailType: 'order.shipped',
      Detail: JSON.stringify({ channel: 'messenger', accountId: PAGE, userId: PSID, template: { name: 'order_shipped', language: 'en' }, idempotencyKey: 'order-SK-1042-shipped' }),
    };
    // The shop puts the event twice (its retry): one job.
    for (let copy = 0; copy < 2; copy += 1) expect((await stack.campaigns.eventBus.putEvents([shipped])).FailedEntryCount).toBe(0);
    await settled();
    expect(optInRequestsAccepted()).toHaveLength(1);
    const afterOrder = (await sends('messenger', PAGE, PSID)).filter(
      (s) => s.idempotencyKey === 'automation#opt_in_request#event#com.sampleshop.orders#order.shipped#order-SK-1042-shipped',
    );
    expect(afterOrder).toHaveLength(1);
    expect(afterOrder[0]).toMatchObject({ status: 'skipped', reason: 'opt_in_request_outside_window', intent: { kind: 'opt_in_request', author: 'bot' } });
  }, 120_000);

  it('a WhatsApp consent button stores the consent with the text shown and confirms once, however often the event arrives', async () => {
    const configured = await call('PUT', `/admin/accounts/whatsapp/${PHONE}/automation`, { optInRequest: { whatsapp: { topic: 'offers', promptText: PROMPT } } });
    expect(configured.status).toBe(200);
    const at = Math.floor((stack.now() - 5_000) / 1000) * 1000;
    const tap = consentTap(at);
    expect(await stack.postWebhook(tap)).toBe(200);
    expect(await stack.postWebhook(tap)).toBe(200);
    const handOff = toHandOff([
      { eventKey: `whatsapp#${PHONE}#wamid#wamid.consent-1`, occurredAt: at, contact: { channel: 'whatsapp', accountId: PHONE, userId: WA_PERSON }, payload: 'AFTERCHAT_CONSENT' },
    ]);
    await stack.queues.client.send(new SendMessageCommand({ QueueUrl: stack.queues.automationQueueUrl, MessageBody: JSON.stringify(handOff) }));
    await settled();

    const contact = (await call('GET', `/admin/contacts/whatsapp/${PHONE}/${WA_PERSON}`)).body;
    expect(contact).toMatchObject({
      marketingOptOut: false,
      consents: [{ topic: 'offers', basis: 'express', source: 'whatsapp_button', capturedAt: new Date(at).toISOString(), textShown: PROMPT, answer: 'AFTERCHAT_CONSENT' }],
    });
    const confirmations = await sends('whatsapp', PHONE, WA_PERSON);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]).toMatchObject({ idempotencyKey: `automation#opt_in_request#whatsapp#${PHONE}#wamid#wamid.consent-1`, intent: { kind: 'reply', author: 'bot', content: 'text' } });
    expect(stack.simulator.accepted().filter((m) => m.recipient === WA_PERSON)).toHaveLength(1);
  }, 90_000);
});
