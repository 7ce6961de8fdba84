/**
 * Interface under test: the automation use case (createAutomation) carrying a handoff outside
 * afterchat: `handoff.requested` through the EventBridge adapter onto the local business bus, and
 * the thread pass handed to the acknowledgement's job (the sender makes it: sender-after-send.test.ts). Storage is the register model; sends are recorded
 * under their outbox key.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { mergeContactStates } from '../../../lambdas/adapters/dynamodb/contact-merge';
import { EventBridgeBusinessBus } from '../../../lambdas/adapters/eventbridge/business-bus';
import { createAutomation } from '../../../lambdas/automation/run-automation';
import type { AutomationInbound } from '../../../lambdas/domain/automation/keyword-opt-out';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { AfterSend } from '../../../lambdas/domain/send/after-send';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { createLocalEventBus } from '../../../lambdas/local/local-event-bus';
import type { ThreadControlRequest, ThreadControlResult } from '../../../lambdas/ports/graph-api';
import { type AutomationConfigInput, AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import { RegisterModel } from '../../helpers/register-model';

const PAGE_PERSON: ContactRef = { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' };
const OTHER_PERSON: ContactRef = { ...PAGE_PERSON, userId: '7777777777777777' };
const WA_PERSON: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' };
const INBOX_APP = '263902037430900';
const T0 = Date.UTC(2026, 11, 6, 10);
const WITH_TARGET: AutomationConfigInput = { handoff: { threadControl: { targetAppId: INBOX_APP } } };

const inbound = (contact: ContactRef, n: number, text: string): AutomationInbound => ({
  eventKey: `${contact.channel}#${contact.accountId}#mid#m_${n}`,
  occurredAt: T0 + n * 1000,
  contact,
  text,
});

interface Counted {
  name: string;
  dimensions: Record<string, string>;
}

/** Powertools' singleMetric() as the use case calls it, recording name and dimensions. */
const recordingMetrics = (counted: Counted[]): Metrics =>
  ({
    singleMetric: () => {
      const dimensions: Record<string, string> = {};
      return {
        addDimension: (key: string, value: string) => void (dimensions[key] = value),
        addMetric: (name: string) => void counted.push({ name, dimensions }),
      };
    },
  }) as unknown as Metrics;

const setup = (options: { config?: AutomationConfigInput; threadAnswer?: ThreadControlResult; busRefuses?: number } = {}) => {
  const model = new RegisterModel();
  const jobs = new Map<string, SendIntent>();
  const afterSends = new Map<string, AfterSend>();
  const threadCalls: ThreadControlRequest[] = [];
  const counted: Counted[] = [];
  const localBus = createLocalEventBus({ clock: () => T0 + 60_000, deliver: () => Promise.reject(new Error('nothing here is a send request')) });
  let refusals = options.busRefuses ?? 0;
  const run = createAutomation({
    store: {
      getPerson: (contact) => {
        const items = [...model.items.values()].filter((item) => item.userId === contact.userId);
        return Promise.resolve(items.length === 0 ? undefined : { ...contact, state: mergeContactStates(items), optIns: [] });
      },
      apply: (writes) => Promise.resolve(model.applyWrites(writes)),
    },
    sends: {
      send: (intent, idempotencyKey, afterSend) => {
        const created = !jobs.has(idempotencyKey);
        if (created) jobs.set(idempotencyKey, intent);
        if (created && afterSend) afterSends.set(idempotencyKey, afterSend);
        return Promise.resolve({ created, record: { outboxId: `ob_${idempotencyKey}` }, decision: { outcome: 'allow', route: 'messenger.response', pricing: 'free', rule: 'messenger.window.standard' } });
      },
    },
    bus: new EventBridgeBusinessBus({
      busName: 'afterchat-dev-business',
      putEvents: (entries) => {
        if (refusals > 0) {
          refusals -= 1;
          return Promise.resolve({ FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' })) });
        }
        return localBus.putEvents(entries);
      },
    }),
    threadControl: {
      threadControl: (request) => {
        threadCalls.push(request);
        return Promise.resolve(options.threadAnswer ?? { ok: true });
      },
    },
    configs: { get: () => Promise.resolve(AutomationConfigSchema.parse(options.config ?? {})) },
    accounts: { get: (a) => Promise.resolve({ ...a, displayName: 'Shop', tokenSecret: 'token', timezone: 'Europe/Amsterdam' }) },
    clock: () => T0 + 60_000,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: recordingMetrics(counted),
  });
  return { run, jobs, afterSends, threadCalls, localBus, counted, model };
};

describe('a handoff, outside afterchat', () => {
  it('puts handoff.requested on the business bus from afterchat.automation, with ids and the contact link, never the message', async () => {
    const { run, localBus } = setup();

    await run([inbound(PAGE_PERSON, 1, ' Agent! ')]);

    expect(localBus.events()).toEqual([
      expect.objectContaining({
        source: 'afterchat.automation',
        'detail-type': 'handoff.requested',
        detail: {
          channel: 'messenger',
          accountId: PAGE_PERSON.accountId,
          userId: PAGE_PERSON.userId,
          contactPath: `/admin/contacts/messenger/${PAGE_PERSON.accountId}/${PAGE_PERSON.userId}`,
          source: 'keyword',
          keyword: 'AGENT',
          at: new Date(T0 + 1000).toISOString(),
          until: new Date(T0 + 1000 + 24 * 3_600_000).toISOString(),
          eventKey: inbound(PAGE_PERSON, 1, '').eventKey,
        },
      }),
    ]);
    expect(JSON.stringify(localBus.events())).not.toContain(' Agent! ');
  });

  it('leaves the pass to the acknowledgement’s job, so the sender makes it after the message (Meta lets only the holder send)', async () => {
    const { run, afterSends, threadCalls, model } = setup({ config: WITH_TARGET });
    const asked = inbound(PAGE_PERSON, 1, 'human');

    await run([asked]);

    expect([...afterSends]).toEqual([[`automation#handoff#${asked.eventKey}`, { passThreadTo: INBOX_APP, eventKey: asked.eventKey }]]);
    expect(threadCalls).toEqual([]);
    // Recorded now, so an admin's resume before the sender got to it cancels the pass.
    expect(mergeContactStates([...model.items.values()])).toMatchObject({ threadMoveAction: 'pass', threadMoveEventKey: asked.eventKey });
  });

  it('moves no thread without a configured app, nor on WhatsApp, where the bus event still goes out', async () => {
    const none = setup();
    await none.run([inbound(PAGE_PERSON, 1, 'agent')]);
    expect(none.afterSends.size).toBe(0);

    const whatsapp = setup({ config: WITH_TARGET });
    await whatsapp.run([inbound(WA_PERSON, 1, 'agent')]);
    expect(whatsapp.afterSends.size).toBe(0);
    expect(whatsapp.localBus.events().map((e) => e['detail-type'])).toEqual(['handoff.requested']);
  });

  it('a redelivered request finds the job that carries the pass: nothing passes twice, and automation stays quiet', async () => {
    const { run, jobs, afterSends, threadCalls } = setup({ config: { ...WITH_TARGET, defaultReply: { texts: { en: 'We answer within a day.' } } } });

    await run([inbound(PAGE_PERSON, 1, 'agent')]);
    await run([inbound(PAGE_PERSON, 1, 'agent')]);
    await run([inbound(PAGE_PERSON, 2, 'hello?'), inbound(OTHER_PERSON, 3, 'hello?')]);

    expect(afterSends.size).toBe(1);
    expect(threadCalls).toEqual([]);
    // The default reply stays quiet for the person a human now answers, and answers someone else.
    expect([...jobs.keys()]).toEqual([
      `automation#handoff#${inbound(PAGE_PERSON, 1, '').eventKey}`,
      `automation#default_reply#${inbound(OTHER_PERSON, 3, '').eventKey}`,
    ]);
  });

  it('fails the hand-off when the bus refuses, and its redelivery puts the event and sends the acknowledgement once', async () => {
    const { run, jobs, localBus } = setup({ busRefuses: 1 });

    await expect(run([inbound(PAGE_PERSON, 1, 'agent')])).rejects.toThrow('EventBridge refused 1 of 1 events on afterchat-dev-business');
    await run([inbound(PAGE_PERSON, 1, 'agent')]);

    expect(localBus.events().map((e) => e.detail.eventKey)).toEqual([inbound(PAGE_PERSON, 1, '').eventKey]);
    expect(jobs.size).toBe(1);
  });
});
