/**
 * Interface under test: the sender use case (createSender), end to end over the in-memory outbox and
 * a scripted Graph API, for what an operator sees of each outcome: whom the message went to, the
 * metric it counts under, when the job goes again and why, and what a delivery that cannot claim the
 * job does. Time is injected. Written for mutants StrykerJS found surviving in sender.ts (README,
 * "Mutation testing").
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { WHATSAPP_PAIR_GAP_MS } from '../../../lambdas/domain/send/send-limits';
import type { GraphRequest, GraphResult } from '../../../lambdas/ports/graph-api';
import type { PaceRequest, PaceAnswer } from '../../../lambdas/ports/pacer';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PHONE = '109876543210987';
const PAGE = '1234567890123456';
const START = Date.UTC(2026, 4, 17, 12);
const waIntent: SendIntent = { channel: 'whatsapp', accountId: PHONE, userId: '4915112345678', kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hi' } };
const fbIntent: SendIntent = { channel: 'messenger', accountId: PAGE, userId: '6543210987654321', kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hi' } };

/** A person who wrote a minute ago, known under `currentId` (a newer id than the job's, when given). */
class Person extends RecordingStore {
  constructor(
    private readonly now: () => number,
    private readonly currentId?: string,
  ) {
    super();
  }
  override getPerson(contact: { channel: SendIntent['channel']; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, userId: this.currentId ?? contact.userId, state: { lastInboundAt: this.now() - 60_000 }, optIns: [] } as ContactRecord);
  }
}

interface RigOptions {
  intent?: SendIntent;
  currentId?: string;
  pace?: (request: PaceRequest) => PaceAnswer;
  maxAttempts?: number;
  maxRetryDelayMs?: number;
  outbox?: MemoryOutbox;
}

const rig = (answers: GraphResult[], options: RigOptions = {}) => {
  const time = { now: START };
  const outbox = options.outbox ?? new MemoryOutbox();
  const logger = new Logger({ logLevel: 'SILENT' });
  const calls: GraphRequest[] = [];
  const paced: PaceRequest[] = [];
  const backOffs: { accountId: string; ms: number }[] = [];
  const enqueued: { id: string; delaySeconds?: number }[] = [];
  const counted: string[] = [];
  const metrics = {
    addMetric: (name: string) => void counted.push(name),
    singleMetric: () => ({ addDimension: () => undefined, addMetric: () => undefined }),
  } as unknown as Metrics;
  const intent = options.intent ?? waIntent;
  const processJob = createSender({
    outbox,
    store: new Person(() => time.now, options.currentId),
    accounts: new FixedAccounts([
      { channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC' },
      { channel: 'messenger', accountId: PAGE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC' },
    ]),
    graph: {
      send: (request) => {
        calls.push(request);
        return Promise.resolve(answers.shift() ?? { ok: true, messageId: 'wamid.x' });
      },
    },
    pacer: {
      acquire: (request) => {
        paced.push(request);
        return Promise.resolve(options.pace?.(request) ?? { ok: true });
      },
      backOff: (accountId, ms) => void backOffs.push({ accountId, ms }),
    },
    queue: {
      enqueue: (ids, o) => {
        enqueued.push(...ids.map((id) => ({ id, delaySeconds: o?.delaySeconds })));
        return Promise.resolve();
      },
    },
    clock: () => time.now,
    logger,
    metrics,
    staleClaimMs: 120_000,
    maxAttempts: options.maxAttempts ?? 3,
    maxRetryDelayMs: options.maxRetryDelayMs,
  });
  const job = async (over: { group?: string } = {}) => (await outbox.create({ idempotencyKey: 'k', intent, now: time.now, ...over })).record.outboxId;
  return { time, outbox, logger, calls, paced, backOffs, enqueued, counted, processJob, job };
};

const failure = (httpStatus: number | undefined, code?: number): GraphResult => ({ ok: false, failure: { channel: 'whatsapp', httpStatus, code, requestSent: true } });

describe('whom a job goes to', () => {
  it("the person's current id when they are known under a newer one than the job names", async () => {
    const { processJob, job, calls, paced } = rig([], { currentId: '4915199999999' });
    expect(await processJob(await job())).toBe('sent');
    expect(calls[0]?.body).toMatchObject({ to: '+4915199999999' });
    expect(paced[0]?.recipient).toBe('4915199999999');
  });

  it('the id the job names otherwise', async () => {
    const { processJob, job, calls } = rig([]);
    await processJob(await job());
    expect(calls[0]?.body).toMatchObject({ to: '+4915112345678' });
  });

  it("keeps WhatsApp's gap between two messages to the same person, and no such gap on Messenger", async () => {
    const wa = rig([]);
    await wa.processJob(await wa.job());
    expect(wa.paced[0]?.pairGapMs).toBe(WHATSAPP_PAIR_GAP_MS);
    const fb = rig([], { intent: fbIntent });
    await fb.processJob(await fb.job());
    expect(fb.paced[0]?.pairGapMs).toBeUndefined();
  });
});

describe('what each outcome counts under', () => {
  it('Sent, Failed, Unknown, RetryScheduled, and Skipped_ with the reason', async () => {
    const sent = rig([]);
    await sent.processJob(await sent.job());
    expect(sent.counted).toEqual(['Sent']);

    const failed = rig([failure(400, 131026)]);
    await failed.processJob(await failed.job());
    expect(failed.counted).toEqual(['Failed']);

    const unknown = rig([failure(504)]);
    await unknown.processJob(await unknown.job());
    expect(unknown.counted).toEqual(['Unknown']);

    const retried = rig([failure(503)]);
    await retried.processJob(await retried.job());
    expect(retried.counted).toEqual(['RetryScheduled']);

    const refused = rig([], { intent: { ...waIntent, kind: 'marketing', content: { type: 'template', name: 'unknown_tpl', language: 'en' } } });
    await refused.processJob(await refused.job());
    expect(refused.counted).toEqual(['Skipped_template_unknown']);
  });

  it("a one-off send over the portfolio's messaging limit is skipped under that reason, saying from when the person can be reached", async () => {
    const { processJob, job, outbox, counted } = rig([], { pace: () => ({ ok: false, retryAfterMs: 3_600_000, reason: 'messaging_limit_reached' }) });
    const id = await job();
    expect(await processJob(id)).toBe('skipped');
    expect(counted).toEqual(['Skipped_messaging_limit_reached']);
    expect(await outbox.get(id)).toMatchObject({
      status: 'skipped',
      reason: 'messaging_limit_reached',
      earliestAt: START + 3_600_000,
      detail: `The business portfolio reached its WhatsApp messaging limit (unique people outside the customer service window per rolling 24 h): this person can be reached from ${new Date(START + 3_600_000).toISOString()}.`,
    });
  });

  it('a paced job goes back to the queue under the reason "paced" when the pacer gives none', async () => {
    const { processJob, job, outbox, enqueued } = rig([], { pace: () => ({ ok: false, retryAfterMs: 3000 }) });
    const id = await job();
    expect(await processJob(id)).toBe('deferred');
    expect(await outbox.get(id)).toMatchObject({ status: 'queued', reason: 'paced', notBefore: START + 3000 });
    expect(enqueued).toEqual([{ id, delaySeconds: 3 }]);
  });
});

describe('what the operator is told', () => {
  it('a message Meta took whose outbox record had moved on is logged as an error, with its message id', async () => {
    class MovedOn extends MemoryOutbox {
      override finish(...args: Parameters<MemoryOutbox['finish']>): ReturnType<MemoryOutbox['finish']> {
        return args[3].status === 'sent' ? Promise.resolve(false) : super.finish(...args);
      }
    }
    const { processJob, job, logger } = rig([], { outbox: new MovedOn() });
    const errors = jest.spyOn(logger, 'error');
    const id = await job();
    expect(await processJob(id)).toBe('sent');
    expect(errors).toHaveBeenCalledWith('sent, but the outbox record had moved on', { outboxId: id, messageId: 'wamid.x' });
  });

  it('a recorded send logs no error', async () => {
    const { processJob, job, logger } = rig([]);
    const errors = jest.spyOn(logger, 'error');
    await processJob(await job());
    expect(errors).not.toHaveBeenCalled();
  });

  it("a failed send is logged as a warning with what was done about it and Meta's codes", async () => {
    const { processJob, job, logger } = rig([failure(400, 131026)]);
    const warnings = jest.spyOn(logger, 'warn');
    const id = await job();
    await processJob(id);
    expect(warnings).toHaveBeenCalledWith('send failed', { outboxId: id, action: 'stop_contact', code: 131026, subcode: undefined, httpStatus: 400, transport: undefined });
  });
});

describe('retries', () => {
  it('wait twice as long each time, from the time Meta answered, then fail naming the reason', async () => {
    const { processJob, job, outbox, enqueued, counted, time } = rig([failure(503), failure(503), failure(503)]);
    const id = await job();
    expect(await processJob(id)).toBe('retry_scheduled');
    expect(await outbox.get(id)).toMatchObject({ status: 'queued', reason: 'http_503', notBefore: START + 30_000 });
    time.now += 30_000;
    expect(await processJob(id)).toBe('retry_scheduled');
    expect(await outbox.get(id)).toMatchObject({ notBefore: time.now + 60_000 });
    expect(enqueued.map((e) => e.delaySeconds)).toEqual([30, 60]);
    time.now += 60_000;
    expect(await processJob(id)).toBe('failed');
    expect(await outbox.get(id)).toMatchObject({ status: 'failed', reason: 'retries_exhausted:http_503', attempts: 3 });
    expect(counted).toEqual(['RetryScheduled', 'RetryScheduled', 'Failed']);
  });

  it('never wait longer than the deployment caps them at', async () => {
    const { processJob, job, enqueued, time } = rig([failure(503), failure(503)], { maxRetryDelayMs: 40_000 });
    const id = await job();
    await processJob(id);
    time.now += 30_000;
    await processJob(id);
    expect(enqueued.map((e) => e.delaySeconds)).toEqual([30, 40]);
  });

  it("slow the whole account down when Meta throttles the account, capped like a retry, and not when the error is the job's own", async () => {
    const throttled = rig([failure(400, 130429)], { maxRetryDelayMs: 1_000 });
    await throttled.processJob(await throttled.job());
    expect(throttled.backOffs).toEqual([{ accountId: PHONE, ms: 1_000 }]);
    const uncapped = rig([failure(400, 130429)]);
    await uncapped.processJob(await uncapped.job());
    expect(uncapped.backOffs).toEqual([{ accountId: PHONE, ms: 2_000 }]);
    const ownError = rig([failure(503)]);
    await ownError.processJob(await ownError.job());
    expect(ownError.backOffs).toEqual([]);
  });
});

describe('answers that may mean Meta took the message', () => {
  it('a 3xx is not a success without an id: the job fails, unclassified', async () => {
    const { processJob, job, outbox } = rig([failure(300)]);
    const id = await job();
    expect(await processJob(id)).toBe('failed');
    expect(await outbox.get(id)).toMatchObject({ status: 'failed', reason: 'unclassified_http_300' });
  });

  it('a 2xx without an id, or a bare 502, ends unknown with the reason saying which', async () => {
    const ok = rig([failure(201)]);
    const a = await ok.job();
    await ok.processJob(a);
    expect(await ok.outbox.get(a)).toMatchObject({ status: 'unknown', reason: 'answer_without_message_id' });
    const gateway = rig([failure(502)]);
    const b = await gateway.job();
    await gateway.processJob(b);
    expect(await gateway.outbox.get(b)).toMatchObject({ status: 'unknown', reason: 'gateway_502_without_graph_error' });
  });

  it('a 502 that carries a Graph error is classified by its code', async () => {
    const { processJob, job, outbox } = rig([failure(502, 131026)]);
    const id = await job();
    expect(await processJob(id)).toBe('failed');
    expect(await outbox.get(id)).toMatchObject({ status: 'failed', reason: 'undeliverable', errorCode: 131026 });
  });
});

describe('a delivery that cannot claim its job', () => {
  it('while another sender is calling Meta and its claim is fresh, looks again once the claim would be stale', async () => {
    const { processJob, job, outbox, enqueued, time } = rig([]);
    const id = await job();
    const claim = await outbox.claim(id, time.now, 120_000);
    if (!claim.claimed) throw new Error('not claimed');
    await outbox.markSending(id, claim.claimToken, time.now, { outcome: 'allow', route: 'whatsapp.free_form' } as never, 1);
    time.now += 119_000;
    expect(await processJob(id)).toBe('in_progress');
    expect(enqueued).toEqual([{ id, delaySeconds: 2 }]);
    expect((await outbox.get(id))?.status).toBe('claimed');
  });

  it('once that claim is stale to the millisecond, ends the job unknown, saying its sender stopped during the send', async () => {
    const { processJob, job, outbox, time, calls } = rig([]);
    const id = await job();
    const claim = await outbox.claim(id, time.now, 120_000);
    if (!claim.claimed) throw new Error('not claimed');
    await outbox.markSending(id, claim.claimToken, time.now, { outcome: 'allow', route: 'whatsapp.free_form' } as never, 1);
    time.now += 120_000;
    expect(await processJob(id)).toBe('unknown');
    expect(await outbox.get(id)).toMatchObject({ status: 'unknown', reason: 'sender_stopped_during_send' });
    expect(calls).toHaveLength(0);
  });

  it('hands an early copy of a delayed retry on with the time left until it is due', async () => {
    const { processJob, job, enqueued, time } = rig([failure(503)]);
    const id = await job();
    await processJob(id); // due 30 s later
    time.now += 10_500;
    expect(await processJob(id)).toBe('deferred');
    expect(enqueued).toEqual([
      { id, delaySeconds: 30 },
      { id, delaySeconds: 20 },
    ]);
  });

  it('drops a job without an outbox record, logging a warning that names it', async () => {
    const { processJob, logger, calls, enqueued } = rig([]);
    const warnings = jest.spyOn(logger, 'warn');
    expect(await processJob('ob_missing')).toBe('missing');
    expect(warnings).toHaveBeenCalledWith('send job without outbox record dropped', { outboxId: 'ob_missing' });
    expect(calls).toHaveLength(0);
    expect(enqueued).toEqual([]);
  });

  it('finds a finished job done, and queues nothing', async () => {
    const { processJob, job, enqueued } = rig([]);
    const id = await job();
    await processJob(id);
    expect(await processJob(id)).toBe('already_done');
    expect(enqueued).toEqual([]);
  });
});
