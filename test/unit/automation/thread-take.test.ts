/**
 * Interface under test: the automation use case (createAutomation) giving the thread back to
 * afterchat after a handoff that passed it (handoff-rule.ts takeBackPlan), and the handoff ending
 * when Meta reports the thread handed back (the contact state stateChanges writes). Storage is the
 * register model; thread control goes to a recording Graph API, and a job's pass after its message
 * (the sender's) is recorded there when the job is made.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { mergeContactStates } from '../../../lambdas/adapters/dynamodb/contact-merge';
import { createAutomation } from '../../../lambdas/automation/run-automation';
import { CONFIRMATIONS } from '../../../lambdas/domain/automation/confirmations';
import { handoffLive, handoffOf } from '../../../lambdas/domain/automation/handoff';
import { HANDOFF_ACKNOWLEDGEMENTS } from '../../../lambdas/domain/automation/handoff-texts';
import type { AutomationInbound } from '../../../lambdas/domain/automation/keyword-opt-out';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { stateChanges } from '../../../lambdas/domain/state-changes';
import type { ThreadControlRequest } from '../../../lambdas/ports/graph-api';
import { type AutomationConfigInput, AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import { RegisterModel } from '../../helpers/register-model';

const PERSON: ContactRef = { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' };
const INBOX_APP = '263902037430900';
const T0 = Date.UTC(2026, 11, 6, 10);
const HOUR = 3_600_000;
const ROUTED: AutomationConfigInput = { handoff: { timeoutHours: 2, threadControl: { targetAppId: INBOX_APP } } };

const says = (n: number, text: string, at: number, standby = false): AutomationInbound => ({
  eventKey: `messenger#${PERSON.accountId}#mid#m_${n}`,
  occurredAt: at,
  contact: PERSON,
  text,
  ...(standby ? { standby: true } : {}),
});

const setup = (config: AutomationConfigInput = ROUTED, contact: ContactRef = PERSON) => {
  const model = new RegisterModel();
  const jobs = new Map<string, SendIntent>();
  const threadCalls: ThreadControlRequest[] = [];
  const clock = { now: T0 };
  const run = createAutomation({
    store: {
      getPerson: () => Promise.resolve(model.items.size === 0 ? undefined : { ...contact, state: mergeContactStates([...model.items.values()]), optIns: [] }),
      apply: (writes) => Promise.resolve(model.applyWrites(writes)),
    },
    sends: {
      send: (intent, idempotencyKey, afterSend) => {
        const created = !jobs.has(idempotencyKey);
        if (created) jobs.set(idempotencyKey, intent);
        // What the sender does once the acknowledgement is sent (sender-after-send.test.ts): pass the thread.
        if (created && afterSend) threadCalls.push({ channel: 'messenger', accountId: intent.accountId, userId: intent.userId, action: 'pass', targetAppId: afterSend.passThreadTo, metadata: 'afterchat:handoff' });
        return Promise.resolve({ created, record: { outboxId: `ob_${idempotencyKey}` }, decision: { outcome: 'allow', route: 'messenger.response', pricing: 'free', rule: 'messenger.window.standard' } });
      },
    },
    threadControl: {
      threadControl: (request) => {
        threadCalls.push(request);
        return Promise.resolve({ ok: true });
      },
    },
    configs: { get: () => Promise.resolve(AutomationConfigSchema.parse(config)) },
    accounts: { get: (a) => Promise.resolve({ ...a, displayName: 'Shop', tokenSecret: 'token', timezone: 'Europe/Amsterdam' }) },
    clock: () => clock.now,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const texts = () => [...jobs.values()].map((i) => (i.content.type === 'text' ? i.content.text : i.content.type));
  const actions = () => threadCalls.map((c) => c.action);
  const state = () => mergeContactStates([...model.items.values()]);
  /** The webhook's write for a handover Meta reported (pass_thread_control to afterchat's app). */
  const handedBack = (at: number) =>
    model.applyWrites(stateChanges({ type: 'thread_control', eventKey: `messenger#${PERSON.accountId}#thread#pass#${at}`, occurredAt: at, contact: PERSON, action: 'pass', holder: 'this_app' }));
  return { run, clock, texts, actions, threadCalls, state, handedBack };
};

/** A handoff word at T0 + 1 s: acknowledged, and the thread passed to the inbox app. */
const handedOver = async (ctx: ReturnType<typeof setup>) => {
  await ctx.run([says(1, 'agent', T0 + 1000)]);
  expect(ctx.actions()).toEqual(['pass']);
};

describe('taking the thread back after a handoff that passed it', () => {
  it('the first standby message after the timeout takes it back, unanswered; the next one, on the main field, is answered', async () => {
    const ctx = setup();
    await handedOver(ctx);

    // While the handoff is live, the inbox app has the person: nothing is taken.
    ctx.clock.now = T0 + HOUR;
    await ctx.run([says(2, 'STOP', T0 + HOUR, true)]);
    expect(ctx.actions()).toEqual(['pass']);

    // After the timeout, still on standby: take it back, once. The message itself stays unanswered.
    const late = T0 + 3 * HOUR;
    ctx.clock.now = late;
    await ctx.run([says(3, 'START', late, true)]);
    expect(ctx.threadCalls.at(-1)).toEqual({ channel: 'messenger', accountId: PERSON.accountId, userId: PERSON.userId, action: 'take', metadata: 'afterchat:handoff' });
    expect(ctx.texts()).toEqual([HANDOFF_ACKNOWLEDGEMENTS.en]);
    await ctx.run([says(4, 'hello?', late + 1000, true)]);
    expect(ctx.actions()).toEqual(['pass', 'take']);

    // Meta now delivers on the main field: automation answers.
    ctx.clock.now = late + 2000;
    await ctx.run([says(5, 'STOP', late + 2000)]);
    expect(ctx.texts()).toEqual([HANDOFF_ACKNOWLEDGEMENTS.en, CONFIRMATIONS.en.stop]);
    expect(ctx.actions()).toEqual(['pass', 'take']);
  });

  it('a redelivered message that took the thread back takes it again; nothing else repeats', async () => {
    const ctx = setup();
    await handedOver(ctx);
    const late = T0 + 3 * HOUR;
    ctx.clock.now = late;
    await ctx.run([says(3, 'hi', late, true)]);
    await ctx.run([says(3, 'hi', late, true)]);
    expect(ctx.actions()).toEqual(['pass', 'take', 'take']);
    expect(ctx.texts()).toEqual([HANDOFF_ACKNOWLEDGEMENTS.en]);
  });

  it('takes nothing once Meta reported the thread handed back, and the handoff ends then', async () => {
    const ctx = setup();
    await handedOver(ctx);
    // The Page inbox's "Mark as done", half an hour in.
    ctx.handedBack(T0 + HOUR / 2);
    expect(handoffLive(handoffOf(ctx.state()), T0 + HOUR / 2 - 1)).toBe(true);
    expect(handoffLive(handoffOf(ctx.state()), T0 + HOUR / 2)).toBe(false);

    ctx.clock.now = T0 + HOUR;
    await ctx.run([says(2, 'STOP', T0 + HOUR)]);
    expect(ctx.texts()).toEqual([HANDOFF_ACKNOWLEDGEMENTS.en, CONFIRMATIONS.en.stop]);
    ctx.clock.now = T0 + 3 * HOUR;
    await ctx.run([says(3, 'hi', T0 + 3 * HOUR, true)]);
    expect(ctx.actions()).toEqual(['pass']);
  });

  it('a new request on standby is recorded, and after its timeout the thread still comes back', async () => {
    const ctx = setup();
    await handedOver(ctx);
    ctx.clock.now = T0 + 3 * HOUR;
    // The timed-out person asks again while the inbox app still holds the thread: that app answers.
    await ctx.run([says(2, 'human', T0 + 3 * HOUR, true)]);
    expect(ctx.actions()).toEqual(['pass']);
    expect(handoffLive(handoffOf(ctx.state()), T0 + 3 * HOUR)).toBe(true);
    ctx.clock.now = T0 + 6 * HOUR;
    await ctx.run([says(3, 'hi', T0 + 6 * HOUR, true)]);
    expect(ctx.actions()).toEqual(['pass', 'take']);
  });

  it('never without a target app, and never on WhatsApp', async () => {
    const plain = setup({ handoff: { timeoutHours: 2 } });
    await plain.run([says(1, 'agent', T0 + 1000)]);
    plain.clock.now = T0 + 3 * HOUR;
    await plain.run([says(2, 'hi', T0 + 3 * HOUR, true)]);
    expect(plain.threadCalls).toEqual([]);

    const wa: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' };
    const whatsapp = setup(ROUTED, wa);
    const on = (n: number, text: string, at: number, standby = false): AutomationInbound => ({ ...says(n, text, at, standby), contact: wa, eventKey: `whatsapp#${wa.accountId}#wamid#${n}` });
    await whatsapp.run([on(1, 'agent', T0 + 1000)]);
    whatsapp.clock.now = T0 + 3 * HOUR;
    await whatsapp.run([on(2, 'hi', T0 + 3 * HOUR, true)]);
    expect(whatsapp.threadCalls).toEqual([]);
  });
});
