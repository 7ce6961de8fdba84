/**
 * Interface under test: the local stack's webhook, the automation queue and its consumer, the admin
 * API, the business bus, and the sender with the Meta simulator, driven with signed webhooks and
 * injected time (README "Human handoff"): a handoff word is acknowledged once and silences
 * automation until its timeout; the admin API hands over and resumes; a reply from the Page inbox
 * or the WhatsApp Business app pauses automation; an agent's reply goes out as HUMAN_AGENT on day 3 and is refused on day 8 with
 * a sentence they can act on; a bot never gets HUMAN_AGENT; a redelivered event sends nothing twice.
 */
import { automationQueueDrained } from '../helpers/automation-queue';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { HANDOFF_ACKNOWLEDGEMENTS } from '../../lambdas/domain/automation/handoff-texts';
import { CONFIRMATIONS } from '../../lambdas/domain/automation/confirmations';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { toHandOff } from '../../lambdas/schemas/automation-hand-off';
import { adminCaller } from '../helpers/admin-contract';
import { PAGE, PHONE, WABA } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { SAMPLE_NUMBER, textBody } from '../helpers/whatsapp-webhook';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Meta's Page inbox app: what a person answering from Meta Business Suite sends with. */
const PAGE_INBOX_APP = 263902037430900;
const GREETING = 'Hi! Welcome to Shop.';
const DEFAULT_REPLY = 'Thanks! We will get back to you.';
const PEOPLE = { asks: '7000000000000001', admin: '7000000000000002', agent: '7000000000000003', inbox: '7000000000000004' };

interface HandoffView {
  active: boolean;
  source: string;
  since: string | null;
  until: string | null;
  note: string | null;
}

describe('automation: human handoff', () => {
  let stack: SendingStack;
  beforeAll(async () => {
    stack = await startSendingStack();
    const put = await call('PUT', `/admin/accounts/messenger/${PAGE}/automation`, {
      greeting: { texts: { en: GREETING } },
      defaultReply: { periodHours: 1, texts: { en: DEFAULT_REPLY } },
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => stack?.close());

  const call = adminCaller(() => stack.url);

  let mids = 0;
  /** The person writes `text`; the simulator learns they did, as Meta would. */
  const writes = async (psid: string, text: string) => {
    const at = stack.now();
    const mid = `m_handoff_${(mids += 1)}`;
    const body = { object: 'page', entry: [{ id: PAGE, time: at, messaging: [{ sender: { id: psid }, recipient: { id: PAGE }, timestamp: at, message: { mid, text } }] }] };
    expect(await stack.postWebhook(body)).toBe(200);
    stack.simulator.userMessaged({ channel: 'messenger', accountId: PAGE, userId: psid, at });
    return { body, mid, at };
  };

  /** Until automation has taken every hand-off off its queue and the sender has sent what it queued. */
  const settled = async () => {
    await automationQueueDrained(stack.queues);
    await stack.waitUntilDrained();
  };

  /** The texts the simulator accepted for the person, in order. */
  const received = (psid: string) =>
    stack.simulator
      .accepted()
      .filter((m) => m.recipient === psid)
      .map((m) => ((m.body as { message?: { text?: string } }).message?.text ?? m.kind));
  const handoffOf = async (psid: string) => (await call('GET', `/admin/contacts/messenger/${PAGE}/${psid}`)).body.handoff as HandoffView | null;
  const handoffEvents = (psid: string) =>
    stack.campaigns.eventBus.events().filter((e) => e['detail-type'] === 'handoff.requested' && (e.detail as { userId?: string }).userId === psid);

  it('"agent" is acknowledged once, announced on the bus, and silences automation until the timeout', async () => {
    const asked = await writes(PEOPLE.asks, 'Agent!');
    await settled();
    // Meta re-delivers the body, and SQS delivers its hand-off again.
    expect(await stack.postWebhook(asked.body)).toBe(200);
    await stack.queues.client.send(
      new SendMessageCommand({
        QueueUrl: stack.queues.automationQueueUrl,
        MessageBody: JSON.stringify(
          toHandOff([{ eventKey: `messenger#${PAGE}#mid#${asked.mid}`, occurredAt: asked.at, contact: { channel: 'messenger', accountId: PAGE, userId: PEOPLE.asks }, text: 'Agent!' }]),
        ),
      }),
    );
    await settled();
    expect(received(PEOPLE.asks)).toEqual([HANDOFF_ACKNOWLEDGEMENTS.en]);
    // The acknowledgement's own echo (afterchat's metadata) is not a human answering: the keyword stays the source.
    expect(await handoffOf(PEOPLE.asks)).toMatchObject({ active: true, source: 'keyword', until: new Date(asked.at + 24 * HOUR).toISOString() });
    // At least once: put again by the hand-off's redelivery, the same event by its key, which a consumer dedupes on.
    const events = handoffEvents(PEOPLE.asks);
    expect(events).toHaveLength(2);
    expect(new Set(events.map((e) => (e.detail as { eventKey: string }).eventKey))).toEqual(new Set([`messenger#${PAGE}#mid#${asked.mid}`]));
    expect(events[0]?.detail).toMatchObject({
      channel: 'messenger',
      accountId: PAGE,
      userId: PEOPLE.asks,
      contactPath: `/admin/contacts/messenger/${PAGE}/${PEOPLE.asks}`,
      source: 'keyword',
      keyword: 'AGENT',
    });

    // While a human has it, STOP is recorded but automation confirms nothing, and nothing else answers.
    stack.advance(HOUR);
    await writes(PEOPLE.asks, 'STOP');
    await writes(PEOPLE.asks, 'Hello?');
    await settled();
    expect(received(PEOPLE.asks)).toEqual([HANDOFF_ACKNOWLEDGEMENTS.en]);
    expect((await call('GET', `/admin/contacts/messenger/${PAGE}/${PEOPLE.asks}`)).body).toMatchObject({ keywordOptOut: { keyword: 'STOP' } });

    // After the timeout, automation answers again.
    stack.advance(24 * HOUR);
    expect(await handoffOf(PEOPLE.asks)).toMatchObject({ active: false, source: 'keyword' });
    await writes(PEOPLE.asks, 'START');
    await writes(PEOPLE.asks, 'Anyone there?');
    await settled();
    expect(received(PEOPLE.asks)).toEqual([HANDOFF_ACKNOWLEDGEMENTS.en, CONFIRMATIONS.en.start, DEFAULT_REPLY]);
  });

  it('an admin hands over and resumes through the API', async () => {
    await writes(PEOPLE.admin, 'Hello');
    await settled();
    const over = await call('POST', `/admin/contacts/messenger/${PAGE}/${PEOPLE.admin}/handoff`, { note: 'asked about a refund' });
    expect(over).toMatchObject({ status: 200, body: { handoff: { active: true, source: 'admin', note: 'asked about a refund' } } });
    expect(handoffEvents(PEOPLE.admin).map((e) => e.detail)).toEqual([expect.objectContaining({ source: 'admin', note: 'asked about a refund' })]);
    await writes(PEOPLE.admin, 'STOP');
    await settled();
    expect(received(PEOPLE.admin)).toEqual([GREETING]);

    const back = await call('DELETE', `/admin/contacts/messenger/${PAGE}/${PEOPLE.admin}/handoff`);
    expect(back).toMatchObject({ status: 200, body: { handoff: { active: false, source: 'resume', until: null } } });
    await writes(PEOPLE.admin, 'START');
    await settled();
    expect(received(PEOPLE.admin)).toEqual([GREETING, CONFIRMATIONS.en.start]);
    expect((await call('POST', `/admin/contacts/messenger/${PAGE}/7000000000000099/handoff`, {})).status).toBe(404);
  });

  it('a reply from the Page inbox (an echo of another app) pauses automation without a word', async () => {
    await writes(PEOPLE.inbox, 'Is my order on its way?');
    const at = stack.now();
    const echo = {
      object: 'page',
      entry: [{ id: PAGE, time: at, messaging: [{ sender: { id: PAGE }, recipient: { id: PEOPLE.inbox }, timestamp: at, message: { mid: 'm_inbox_1', is_echo: true, app_id: PAGE_INBOX_APP, text: 'Yes, tomorrow.' } }] }],
    };
    expect(await stack.postWebhook(echo)).toBe(200);
    await settled();
    expect(await handoffOf(PEOPLE.inbox)).toMatchObject({ active: true, source: 'echo' });
    await writes(PEOPLE.inbox, 'STOP');
    await writes(PEOPLE.inbox, 'Hello?');
    await settled();
    expect(received(PEOPLE.inbox)).toEqual([GREETING]);
    expect(handoffEvents(PEOPLE.inbox)).toEqual([]);
  });

  it('a reply from the WhatsApp Business app (smb_message_echoes, coexistence) pauses automation too', async () => {
    const waId = '4915100000201';
    const at = stack.now();
    expect(await stack.postWebhook(textBody(SAMPLE_NUMBER, { waId, id: 'wamid.handoff-wa-1', atMs: at }, 'Hallo'))).toBe(200);
    stack.simulator.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: waId, at });
    const echo = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: 'smb_message_echoes',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: PHONE },
                message_echoes: [{ from: '15550783881', to: waId, id: 'wamid.handoff-wa-echo-1', timestamp: String(Math.floor(at / 1000) + 5), type: 'text', text: { body: 'Hallo, hier ist Sandra.' } }],
              },
            },
          ],
        },
      ],
    };
    expect(await stack.postWebhook(echo)).toBe(200);
    await settled();
    expect(await stack.postWebhook(textBody(SAMPLE_NUMBER, { waId, id: 'wamid.handoff-wa-2', atMs: at + 10 * SECOND }, 'STOP'))).toBe(200);
    await settled();
    const contact = (await call('GET', `/admin/contacts/whatsapp/${PHONE}/${waId}`)).body;
    expect(contact).toMatchObject({ marketingOptOut: true, handoff: { active: true, source: 'echo' } });
    expect(stack.simulator.accepted().filter((m) => m.recipient === waId)).toEqual([]);
  });

  it('an agent’s reply goes out as HUMAN_AGENT on day 3 and is refused on day 8 with a sentence; a bot never gets HUMAN_AGENT', async () => {
    const wrote = await writes(PEOPLE.agent, 'Where is my refund?');
    await settled();
    const intent = (author: 'human' | 'bot', kind: SendIntent['kind'] = 'human_agent_reply'): SendIntent => ({
      channel: 'messenger',
      accountId: PAGE,
      userId: PEOPLE.agent,
      kind,
      author,
      content: { type: 'text', text: `Your refund left today (${author}).` },
    });

    stack.advance(3 * DAY);
    const human = await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-day-3' });
    const bot = await call('POST', '/admin/sends', { intent: intent('bot'), idempotencyKey: 'bot-day-3' });
    const botReply = await call('POST', '/admin/sends', { intent: intent('bot', 'reply'), idempotencyKey: 'bot-reply-day-3' });
    await settled();
    expect(human).toMatchObject({ status: 202, body: { preview: { outcome: 'allow', route: 'messenger.human_agent' } } });
    expect(bot.body).toMatchObject({ preview: { outcome: 'refuse', reason: 'human_agent_needs_human' } });
    expect(botReply.body).toMatchObject({ preview: { outcome: 'refuse', reason: 'window_closed' } });
    const sent = stack.simulator.accepted().filter((m) => m.recipient === PEOPLE.agent);
    // The greeting went as a response in the window; only the agent's reply carries the tag.
    expect(sent.map((m) => m.tag ?? m.messagingType)).toEqual(['RESPONSE', 'HUMAN_AGENT']);
    expect(sent[1]).toMatchObject({ messagingType: 'MESSAGE_TAG' });
    expect(received(PEOPLE.agent)).toEqual([GREETING, 'Your refund left today (human).']);
    // The agent's reply keeps the bot quiet while a human talks.
    expect(await handoffOf(PEOPLE.agent)).toMatchObject({ active: true, source: 'agent_reply' });
    // A retried call is the same job: nothing sent twice.
    expect(await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-day-3' })).toMatchObject({ status: 200, body: { created: false } });

    stack.advance(5 * DAY);
    const late = await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-day-8' });
    await settled();
    expect(late.body).toMatchObject({
      preview: {
        outcome: 'refuse',
        reason: 'human_agent_window_closed',
        detail: "The person last wrote 8 days ago; Messenger lets a human agent answer for 7 days after the person's last message. Ask them to write again, or send an approved UTILITY template.",
      },
    });
    expect(received(PEOPLE.agent)).toEqual([GREETING, 'Your refund left today (human).']);
    expect(stack.now() - wrote.at).toBeGreaterThan(8 * DAY);
  });
});
