/**
 * The demo's conversation: one WhatsApp contact writes to the number, and each automated answer is
 * printed as Meta (the simulator) received it, with the rule that sent it (from its outbox job's
 * idempotency key). What is printed is what happened: a step whose rule sent nothing prints that.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AfterchatClient } from '../../cli/client/afterchat-client';
import type { Route } from '../../lambdas/admin/contract';
import { outboxIdOfCallback } from '../../lambdas/domain/send/callback-data';
import type { LocalStack } from '../../lambdas/local/local-stack';
import type { MetaSimulator } from '../../lambdas/local/meta-simulator';
import { printRows } from './print-rows';
import { inboundText, postSigned, type WhatsAppNumber, type Writer } from './whatsapp-webhooks';

type AutomationConfig = Route<'PUT /admin/accounts/{channel}/{accountId}/automation'>['body'];
export type AutomationUsage = Route<'GET /admin/accounts/{channel}/{accountId}/automation/usage'>['response'];

/** Greeting and default reply on, in English; STOP / START and the handoff words need no configuration. */
export const DEMO_AUTOMATION: AutomationConfig = {
  defaultLanguage: 'en',
  greeting: { enabled: true, quietGapHours: 24, texts: { en: 'Hi {firstName}, welcome to Demo Shop! How can we help?' } },
  defaultReply: { enabled: true, periodHours: 24, texts: { en: 'Thanks! A colleague will read this and reply soon. Type "agent" to talk to someone now.' } },
  keywords: { stop: [], start: [], handoff: [] },
  handoff: { timeoutHours: 12 },
};

/** A German number: priced at the DE row of the price table. */
export const DEMO_WRITER: Writer = { waId: '4915123400099', name: 'Sophie' };

/** What the person writes, in order; each waits for automation and the sender to finish. */
export const DEMO_MESSAGES = ['Hallo!', 'STOP', 'START', 'agent', 'Are you still there?'] as const;

export interface AutomatedReply {
  rule: string;
  text: string;
}

export interface ConversationTranscript {
  steps: { said: string; replies: AutomatedReply[] }[];
  handoffRequested: boolean;
  usage: AutomationUsage;
}

export interface ConversationDemo {
  stack: LocalStack;
  simulator: MetaSimulator;
  admin: AfterchatClient;
  appSecret: string;
  number: WhatsAppNumber;
  begin: (title: string) => void;
  say: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Messages waiting, in flight or delayed on the automation and send queues. */
const pending = async (stack: LocalStack): Promise<number> => {
  const counts = await Promise.all(
    [stack.queues.automationQueueUrl, stack.queues.queueUrl].map(async (QueueUrl) => {
      const { Attributes = {} } = await stack.queues.client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
      );
      return Object.values(Attributes).reduce((n, v) => n + Number(v), 0);
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
};

/** The webhook has handed the message off; done once both queues stay empty for a few looks. */
const settled = async (stack: LocalStack): Promise<void> => {
  for (let quiet = 0; quiet < 3; ) {
    quiet = (await pending(stack)) === 0 ? quiet + 1 : 0;
    await sleep(100);
  }
};

/** The automation rule a send came from: its outbox key is `automation#<rule>#<event>`. */
const ruleOf = (idempotencyKey: string): string => (idempotencyKey.startsWith('automation#') ? (idempotencyKey.split('#')[1] ?? '?') : `not automation (${idempotencyKey})`);

const textOf = (body: unknown): string => {
  const text = (body as { text?: { body?: unknown } }).text?.body;
  return typeof text === 'string' ? text : JSON.stringify(body);
};

const printUsage = (demo: ConversationDemo, usage: AutomationUsage): void => {
  const cost = (amounts: Record<string, number>, unpriced: number) =>
    [...Object.entries(amounts).map(([currency, n]) => `${n} ${currency}`), ...(unpriced > 0 ? [`${unpriced} not priced`] : [])].join(' + ') || 'free';
  printRows(
    [
      ...usage.days.map((d): [string, string] => [`${d.day} ${d.rule}`, `${d.sends} sent, ${d.refused} refused, ${cost(d.estimatedCost, d.unpriced)}`]),
      ['total', `${usage.totals.sends} sent, ${usage.totals.refused} refused, ${cost(usage.totals.estimatedCost, usage.totals.unpriced)}`],
    ],
    demo.say,
  );
  for (const row of usage.prices) {
    demo.say(`priced at ${row.id}: ${row.pricePerMessage ?? 'unknown'} ${row.currency ?? ''} a message from ${row.effectiveFrom}, ${row.confirmed ? "Meta's figure" : 'unconfirmed'} (${row.source})`);
  }
};

export const runConversationDemo = async (demo: ConversationDemo): Promise<ConversationTranscript> => {
  const { stack, simulator, admin, number } = demo;
  const account = { channel: 'whatsapp', accountId: number.phoneNumberId } as const;
  const contact = { ...account, userId: DEMO_WRITER.waId };

  demo.begin('Conversation automation: greeting, STOP, START and a human handoff');
  await admin.putAutomationConfig(account, DEMO_AUTOMATION);
  demo.say('automation configured through PUT /admin/accounts/whatsapp/…/automation: greeting and default reply on (STOP / START and handoff words are built in)');
  await admin.putContactProfile(contact, { attributes: { firstName: DEMO_WRITER.name } });
  demo.say(`${DEMO_WRITER.name} (+${DEMO_WRITER.waId}) has the profile attribute firstName, which the greeting uses`);

  demo.say("WhatsApp takes one message per 6 s to one person (pair rate): the sender paces the replies, so they come seconds apart");
  const steps: ConversationTranscript['steps'] = [];
  // A second apart, in the past: Meta's times order the messages, whatever the order they arrive in.
  const t0 = Date.now() - DEMO_MESSAGES.length * 1000;
  for (const [i, said] of DEMO_MESSAGES.entries()) {
    const seen = simulator.accepted().length;
    await postSigned(stack.url, demo.appSecret, inboundText(number, DEMO_WRITER, said, t0 + i * 1000));
    const postedAt = Date.now();
    demo.say(`→ ${DEMO_WRITER.name}: "${said}"`);
    await settled(stack);
    const replies: AutomatedReply[] = [];
    for (const message of simulator.accepted().slice(seen).filter((m) => m.recipient === DEMO_WRITER.waId)) {
      const outboxId = outboxIdOfCallback(message.callbackData);
      const job = outboxId === undefined ? undefined : await admin.getSend(outboxId);
      const reply = { rule: job === undefined ? 'unknown' : ruleOf(job.idempotencyKey), text: textOf(message.body) };
      replies.push(reply);
      demo.say(`  ← bot [${reply.rule}] after ${((message.at - postedAt) / 1000).toFixed(1)} s: "${reply.text}"`);
    }
    if (replies.length === 0) demo.say('  ← nothing sent');
    steps.push({ said, replies });
  }

  const handoff = stack.campaigns.eventBus.events().find((e) => e['detail-type'] === 'handoff.requested' && (e.detail as { userId?: string }).userId === DEMO_WRITER.waId);
  demo.say(handoff ? `handoff.requested on the business bus (source ${handoff.source}): a rule there could page a human` : 'no handoff.requested on the business bus');
  const person = await admin.getContact(contact);
  demo.say(`contact now: marketingOptOut ${String(person.marketingOptOut)}`);

  demo.begin('What automation sent per day and rule, and its estimated cost (GET …/automation/usage; `afterchat accounts automation usage` prints the same)');
  const usage = await admin.getAutomationUsage(account);
  printUsage(demo, usage);
  return { steps, handoffRequested: handoff !== undefined, usage };
};
