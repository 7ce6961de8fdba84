/**
 * Interface under test: the sender use case (createSender) carrying out a job's step after its
 * message (`afterSend`): the handoff's acknowledgement goes first, then the Messenger thread passes
 * to the inbox app, since Meta lets only the thread's holder send. Over the in-memory outbox, a
 * scripted Graph API (sends and thread control in one log, in call order) and injected time.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { threadMoveWrite } from '../../../lambdas/domain/automation/thread-move';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { GraphResult, ThreadControlRequest, ThreadControlResult } from '../../../lambdas/ports/graph-api';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PAGE = '1234567890123456';
const PERSON: ContactRef = { channel: 'messenger', accountId: PAGE, userId: '6543210987654321' };
const INBOX_APP = '263902037430900';
const START = Date.UTC(2026, 11, 6, 10);
const HANDOFF_KEY = `messenger#${PAGE}#mid#m_1`;
const ACK: SendIntent = { ...PERSON, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Thanks! A colleague will answer you here soon.' } };
const AFTER = { passThreadTo: INBOX_APP, eventKey: HANDOFF_KEY };

/** The person who asked for a human a second ago: in the window, and the handoff's pass on record (unless `state` says otherwise). */
class Person extends RecordingStore {
  constructor(public state: Record<string, unknown>) {
    super();
  }
  override getPerson(contact: ContactRef): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, state: { lastInboundAt: START - 1000, ...this.state }, optIns: [] });
  }
}
const passRecorded = (eventKey = HANDOFF_KEY) => threadMoveWrite(PERSON, 'pass', START - 1000, eventKey).fields;

const rig = (options: { answers?: GraphResult[]; threadAnswer?: ThreadControlResult; state?: Record<string, unknown> } = {}) => {
  const outbox = new MemoryOutbox();
  const log: string[] = [];
  const passes: ThreadControlRequest[] = [];
  const counted: { name: string; dimensions: Record<string, string> }[] = [];
  const metrics = {
    addMetric: () => undefined,
    singleMetric: () => {
      const dimensions: Record<string, string> = {};
      return { addDimension: (k: string, v: string) => void (dimensions[k] = v), addMetric: (name: string) => void counted.push({ name, dimensions }) };
    },
  } as unknown as Metrics;
  const answers = [...(options.answers ?? [])];
  const time = { now: START };
  const processJob = createSender({
    outbox,
    store: new Person(options.state ?? passRecorded()),
    accounts: new FixedAccounts([{ channel: 'messenger', accountId: PAGE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC' }]),
    graph: {
      send: () => {
        log.push('send');
        return Promise.resolve(answers.shift() ?? { ok: true, messageId: 'm_ack' });
      },
    },
    threadControl: {
      threadControl: (request) => {
        log.push(request.action);
        passes.push(request);
        return Promise.resolve(options.threadAnswer ?? { ok: true });
      },
    },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    queue: { enqueue: () => Promise.resolve() },
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    maxAttempts: 3,
  });
  const job = async (afterSend = AFTER) => (await outbox.create({ idempotencyKey: `automation#handoff#${HANDOFF_KEY}`, intent: ACK, now: START, afterSend })).record.outboxId;
  return { processJob, job, log, passes, counted, time };
};

const refused = (code: number, subcode?: number): GraphResult => ({ ok: false, failure: { channel: 'messenger', httpStatus: 400, code, subcode, requestSent: true } });

describe('a job that passes the thread after its message', () => {
  it('sends the acknowledgement first, then passes the thread to the inbox app', async () => {
    const { processJob, job, log, passes } = rig();

    expect(await processJob(await job())).toBe('sent');

    expect(log).toEqual(['send', 'pass']);
    expect(passes).toEqual([{ ...PERSON, action: 'pass', targetAppId: INBOX_APP, metadata: 'afterchat:handoff' }]);
  });

  it('passes once: a redelivered job is done and passes nothing again', async () => {
    const { processJob, job, log } = rig();
    const id = await job();

    await processJob(id);
    expect(await processJob(id)).toBe('already_done');

    expect(log).toEqual(['send', 'pass']);
  });

  it('waits while the acknowledgement may still go, and passes once Meta refused it for good', async () => {
    const { processJob, job, log, time } = rig({ answers: [refused(2, undefined), refused(100, 2534037)] });
    const id = await job();

    expect(await processJob(id)).toBe('retry_scheduled');
    expect(log).toEqual(['send']);
    time.now += 3_600_000;
    expect(await processJob(id)).toBe('failed');
    expect(log).toEqual(['send', 'send', 'pass']);
  });

  it('a refused pass fails nothing: the job stays sent, the refusal is counted', async () => {
    const { processJob, job, counted } = rig({ threadAnswer: { ok: false, failure: { channel: 'messenger', httpStatus: 400, code: 10, requestSent: true } } });

    expect(await processJob(await job())).toBe('sent');

    expect(counted).toContainEqual({ name: 'ThreadControlFailed', dimensions: { action: 'pass' } });
  });

  it('passes nothing when the register no longer records this pass: taken back, or handed over, since', async () => {
    const taken = rig({ state: threadMoveWrite(PERSON, 'take', START - 500, 'admin#resume').fields });
    expect(await taken.processJob(await taken.job())).toBe('sent');
    expect(taken.log).toEqual(['send']);

    const handedOver = rig({ state: { ...passRecorded(), threadControlAt: START - 500, threadHolder: 'this_app' } });
    await handedOver.processJob(await handedOver.job());
    expect(handedOver.log).toEqual(['send']);

    const anotherHandoff = rig({ state: passRecorded(`messenger#${PAGE}#mid#m_9`) });
    await anotherHandoff.processJob(await anotherHandoff.job());
    expect(anotherHandoff.log).toEqual(['send']);
  });
});
