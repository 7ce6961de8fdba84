/**
 * Interface under test: the local stack's webhook, the automation queue and its consumer, and the
 * admin API (automation configuration, contact profile, a contact's sends), driven with signed
 * webhooks and injected time (README "Automation"): the greeting once per new conversation, the away
 * message once per closed period, the default reply rate-limited, the contact's first name used, and
 * nothing sent twice for a redelivered event.
 */
import { automationQueueDrained } from '../helpers/automation-queue';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import type { AutomationRuleName } from '../../lambdas/domain/automation/rule';
import { toHandOff } from '../../lambdas/schemas/automation-hand-off';
import type { AutomationConfigInput } from '../../lambdas/schemas/automation-config';
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { PHONE } from '../helpers/sample-ids';
import { SAMPLE_NUMBER, textBody } from '../helpers/whatsapp-webhook';

const SECOND = 1000;
const PEOPLE = { anna: '4915100000101', ben: '4915100000102', cara: '4915100000103' };

/** Berlin's office hours, Monday to Friday; texts in English and German. */
const CONFIG: AutomationConfigInput = {
  defaultLanguage: 'en',
  businessHours: {
    weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ from: '09:00', to: '18:00' }]])),
    holidays: [{ date: '2026-12-25', name: 'Weihnachten' }],
  },
  greeting: { quietGapHours: 24, texts: { en: 'Hi {firstName}, welcome to Shop!', de: 'Hallo {firstName}, willkommen bei Shop!' } },
  away: { texts: { en: "We're closed right now, {firstName}. We answer from 09:00 on weekdays." } },
  defaultReply: { periodHours: 4, texts: { en: 'Thanks! Someone will get back to you.' } },
};

interface SendView {
  outboxId: string;
  idempotencyKey: string;
  intent: { kind: string; author: string; content: string };
}

describe('automation: greeting, away message and default reply', () => {
  let stack: CampaignStack;
  let outbox: DynamoDbOutbox;
  beforeAll(async () => {
    stack = await startCampaignStack();
    outbox = new DynamoDbOutbox(documentClient({ endpoint: stack.dynamoEndpoint, region: 'local' }), stack.tableName);
    const put = await stack.call('PUT', `/admin/accounts/whatsapp/${PHONE}/automation`, CONFIG);
    expect(put.status).toBe(200);
  });
  afterAll(async () => stack?.close());

  const counters = new Map<string, number>();
  const wamid = (waId: string, n: number) => `wamid.conv-${waId}-${n}`;
  const eventKey = (waId: string, n: number) => `whatsapp#${PHONE}#wamid#${wamid(waId, n)}`;

  /** Until automation has taken every hand-off off its queue (as its event source mapping would). */
  const automationSettled = async () => {
    await automationQueueDrained(stack.queues);
  };

  /** The person writes at `iso` (the stack's clock then), and automation has run; returns the message's number. */
  const says = async (waId: string, iso: string, body: string): Promise<number> => {
    const n = (counters.get(waId) ?? 0) + 1;
    counters.set(waId, n);
    stack.now.value = Date.parse(iso);
    await stack.postWebhook(textBody(SAMPLE_NUMBER, { waId, id: wamid(waId, n), atMs: stack.now.value - 2 * SECOND }, body));
    await automationSettled();
    return n;
  };

  /** SQS delivers the hand-off of message `n` (written at `writtenIso`) again, automation's clock at `nowIso`. */
  const handedOffAgain = async (waId: string, n: number, writtenIso: string, text: string, nowIso: string) => {
    stack.now.value = Date.parse(nowIso);
    const event = { eventKey: eventKey(waId, n), occurredAt: Date.parse(writtenIso) - 2 * SECOND, contact: { channel: 'whatsapp' as const, accountId: PHONE, userId: waId }, text };
    await stack.queues.client.send(new SendMessageCommand({ QueueUrl: stack.queues.automationQueueUrl, MessageBody: JSON.stringify(toHandOff([event])) }));
    await automationSettled();
  };

  /** What automation sent the person, oldest first: the rule, the message it answered, and the text. */
  const sent = async (waId: string) => {
    const { body } = await stack.call('GET', `/admin/contacts/whatsapp/${PHONE}/${waId}/sends?limit=100`);
    const sends = (body as unknown as { sends: SendView[] }).sends;
    for (const send of sends) expect(send.intent).toMatchObject({ kind: 'reply', author: 'bot', content: 'text' });
    const answers = await Promise.all(
      sends.map(async (send) => {
        const [, rule, ...key] = send.idempotencyKey.split('#');
        const n = Number(/-(\d+)$/.exec(key.join('#'))?.[1]);
        const record = await outbox.get(send.outboxId);
        return { rule: rule as AutomationRuleName, n, text: record?.intent.content.type === 'text' ? record.intent.content.text : undefined };
      }),
    );
    return answers.sort((a, b) => a.n - b.n);
  };

  it("greets once per new conversation in the contact's language with their first name, and rate-limits the default reply", async () => {
    const profile = await stack.call('PUT', `/admin/contacts/whatsapp/${PHONE}/${PEOPLE.anna}/profile`, { attributes: { firstName: 'Anna', locale: 'de_DE' } });
    expect(profile.status).toBe(200);
    // Wednesday 2026-12-09, 10:00 in Berlin.
    await says(PEOPLE.anna, '2026-12-09T09:00:00Z', 'Hallo');
    await says(PEOPLE.anna, '2026-12-09T10:00:00Z', 'Wo ist meine Bestellung?');
    await says(PEOPLE.anna, '2026-12-09T11:00:00Z', 'Noch da?');
    // Thursday 17:00: 28 h without a message, a new conversation.
    await says(PEOPLE.anna, '2026-12-10T16:00:00Z', 'Hallo nochmal');
    await says(PEOPLE.anna, '2026-12-10T16:10:00Z', 'Meine Bestellung?');

    expect(await sent(PEOPLE.anna)).toEqual([
      { rule: 'greeting', n: 1, text: 'Hallo Anna, willkommen bei Shop!' },
      { rule: 'default_reply', n: 2, text: 'Thanks! Someone will get back to you.' },
      { rule: 'greeting', n: 4, text: 'Hallo Anna, willkommen bei Shop!' },
      { rule: 'default_reply', n: 5, text: 'Thanks! Someone will get back to you.' },
    ]);
  }, 90_000);

  it('sends the away message only outside business hours, once per closed period', async () => {
    // Saturday 2026-12-12, 22:00 and 23:00 in Berlin: one closed period since Friday 18:00.
    await says(PEOPLE.ben, '2026-12-12T21:00:00Z', 'Hello?');
    await says(PEOPLE.ben, '2026-12-12T22:00:00Z', 'Anyone there?');
    await handedOffAgain(PEOPLE.ben, 1, '2026-12-12T21:00:00Z', 'Hello?', '2026-12-12T22:30:00Z');
    // Monday 10:00: open, and a new conversation (35 h of quiet).
    await says(PEOPLE.ben, '2026-12-14T09:00:00Z', 'Good morning');
    // Monday 22:00: closed again, a new period.
    await says(PEOPLE.ben, '2026-12-14T21:00:00Z', 'One more thing');

    expect(await sent(PEOPLE.ben)).toEqual([
      { rule: 'away', n: 1, text: "We're closed right now. We answer from 09:00 on weekdays." },
      { rule: 'greeting', n: 3, text: 'Hi, welcome to Shop!' },
      { rule: 'away', n: 4, text: "We're closed right now. We answer from 09:00 on weekdays." },
    ]);
  }, 90_000);

  it('a redelivered inbound event sends nothing twice', async () => {
    const first = await says(PEOPLE.cara, '2026-12-09T09:00:00Z', 'hi');
    // Meta re-delivers the body, and SQS delivers the hand-off twice more, the last after another message.
    stack.now.value = Date.parse('2026-12-09T09:00:10Z');
    await stack.postWebhook(textBody(SAMPLE_NUMBER, { waId: PEOPLE.cara, id: wamid(PEOPLE.cara, first), atMs: Date.parse('2026-12-09T09:00:00Z') - 2 * SECOND }, 'hi'));
    await handedOffAgain(PEOPLE.cara, first, '2026-12-09T09:00:00Z', 'hi', '2026-12-09T09:01:00Z');
    const second = await says(PEOPLE.cara, '2026-12-09T09:30:00Z', 'where is my order?');
    await handedOffAgain(PEOPLE.cara, first, '2026-12-09T09:00:00Z', 'hi', '2026-12-09T09:40:00Z');
    await handedOffAgain(PEOPLE.cara, second, '2026-12-09T09:30:00Z', 'where is my order?', '2026-12-09T09:41:00Z');

    expect((await sent(PEOPLE.cara)).map(({ rule, n }) => ({ rule, n }))).toEqual([
      { rule: 'greeting', n: 1 },
      { rule: 'default_reply', n: 2 },
    ]);
  }, 90_000);
});
