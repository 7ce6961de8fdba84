/**
 * Interface under test: the sender use case (createSender) with the outbox's real conditions in
 * memory and a scripted Graph API: exactly-once claims, ambiguous answers, retries and deferrals.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { callbackDataFor } from '../../../lambdas/domain/send/callback-data';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import type { GraphRequest, GraphResult } from '../../../lambdas/ports/graph-api';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PHONE = '109876543210987';
const intent: SendIntent = { channel: 'whatsapp', accountId: PHONE, userId: '4915112345678', kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hi' } };

class OpenWindow extends RecordingStore {
  constructor(
    private readonly now: () => number,
    private readonly stored: Record<string, unknown> = {},
  ) {
    super();
  }
  override getPerson(contact: { channel: 'whatsapp'; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, state: { lastInboundAt: this.now() - 60_000, ...this.stored }, optIns: [] });
  }
}

const setup = (answers: (GraphResult | Error)[], options: { pacerDefers?: number; stored?: Record<string, unknown> } = {}) => {
  const time = { now: Date.UTC(2026, 4, 17, 12) };
  const outbox = new MemoryOutbox();
  const calls: GraphRequest[] = [];
  const enqueued: { id: string; delaySeconds?: number }[] = [];
  let defers = options.pacerDefers ?? 0;
  const processJob = createSender({
    outbox,
    store: new OpenWindow(() => time.now, options.stored),
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC' }]),
    graph: {
      send: (request) => {
        calls.push(request);
        const answer = answers.shift() ?? { ok: true, messageId: 'wamid.x' };
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    },
    pacer: { acquire: () => Promise.resolve(defers-- > 0 ? { ok: false, retryAfterMs: 3000 } : { ok: true }), backOff: () => undefined },
    queue: {
      enqueue: (ids, o) => {
        enqueued.push(...ids.map((id) => ({ id, delaySeconds: o?.delaySeconds })));
        return Promise.resolve();
      },
    },
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    staleClaimMs: 120_000,
    maxAttempts: 3,
  });
  const job = async () => (await outbox.create({ idempotencyKey: 'k', intent, now: time.now })).record.outboxId;
  return { time, outbox, calls, enqueued, processJob, job };
};

const successWithoutId: GraphResult = { ok: false, failure: { channel: 'whatsapp', httpStatus: 200, requestSent: true } };
const failure = (httpStatus: number, code?: number): GraphResult => ({ ok: false, failure: { channel: 'whatsapp', httpStatus, code, requestSent: true } });

describe('sender', () => {
  it("tells Meta the recipient's ids it found stored (in the callback data), so the statuses don't write them again", async () => {
    const ids = { waId: intent.userId, bsuid: 'DE.88201734659910273645' };
    const known = setup([], { stored: { ...ids, linkedUserId: intent.userId } });
    const id = await known.job();
    await known.processJob(id);
    expect(known.calls[0]?.body.biz_opaque_callback_data).toBe(callbackDataFor(id, ids));
    // Ids not stored yet (nor the BSUID's link): the bare outbox id, and the first status learns them.
    for (const stored of [{}, ids]) {
      const unknown = setup([], { stored });
      const other = await unknown.job();
      await unknown.processJob(other);
      expect(unknown.calls[0]?.body.biz_opaque_callback_data).toBe(other);
    }
  });

  it('sends a job once; later deliveries find it done', async () => {
    const { processJob, job, calls, outbox } = setup([]);
    const id = await job();
    expect(await processJob(id)).toBe('sent');
    expect(await processJob(id)).toBe('already_done');
    expect(calls).toHaveLength(1);
    expect((await outbox.get(id))?.messageId).toBe('wamid.x');
  });

  it('never resends a job whose sender died during the Graph call: it ends unknown', async () => {
    const { processJob, job, calls, time, outbox } = setup([new Error('Lambda timed out')]);
    const id = await job();
    await expect(processJob(id)).rejects.toThrow('Lambda timed out');
    time.now += 121_000;
    expect(await processJob(id)).toBe('unknown');
    expect(calls).toHaveLength(1);
    expect((await outbox.get(id))?.status).toBe('unknown');
  });

  it('takes over a job whose sender died before calling Meta, and sends it', async () => {
    const { processJob, job, calls, time, outbox, enqueued } = setup([]);
    const id = await job();
    await outbox.claim(id, time.now, 120_000); // a sender claims it and dies
    expect(await processJob(id)).toBe('in_progress');
    expect(enqueued).toEqual([{ id, delaySeconds: 121 }]); // looked at again once the claim is stale
    time.now += 121_000;
    expect(await processJob(id)).toBe('sent');
    expect(calls).toHaveLength(1);
  });

  it('hands an early copy of a delayed retry on instead of dropping it', async () => {
    const { processJob, job, time, enqueued } = setup([failure(500, 2)]);
    const id = await job();
    expect(await processJob(id)).toBe('retry_scheduled');
    const retry = enqueued.at(-1);
    expect(retry?.delaySeconds).toBeGreaterThan(0);
    time.now += 1000; // the copy arrives before notBefore
    expect(await processJob(id)).toBe('deferred');
    expect(enqueued.at(-1)?.id).toBe(id);
  });

  it('fails a job with Meta’s code after maxAttempts calls; pacing deferrals do not count', async () => {
    const { processJob, job, time, outbox } = setup([failure(500, 2), failure(500, 2), failure(500, 2)], { pacerDefers: 4 });
    const id = await job();
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      outcomes.push(await processJob(id));
      time.now += 60 * 60_000;
    }
    expect(outcomes.filter((o) => o === 'deferred')).toHaveLength(4);
    expect(outcomes.at(-1)).toBe('failed');
    expect(await outbox.get(id)).toMatchObject({ status: 'failed', errorCode: 2, attempts: 3 });
  });

  it.each([
    ['a success without a message id', successWithoutId],
    ['a bare 504 from the gateway', failure(504)],
  ])('records %s as unknown and never resends it', async (_case, answer) => {
    const { processJob, job, calls, outbox } = setup([answer]);
    const id = await job();
    expect(await processJob(id)).toBe('unknown');
    expect(await processJob(id)).toBe('already_done');
    expect(calls).toHaveLength(1);
    expect((await outbox.get(id))?.status).toBe('unknown');
  });

  it('retries a 503 that carries no Graph error (the server refused it)', async () => {
    const { processJob, job } = setup([failure(503)]);
    expect(await processJob(await job())).toBe('retry_scheduled');
  });

  it('skips, with the reason and without calling Meta, what the policy refuses at send time', async () => {
    const { processJob, job, calls, outbox } = setup([]);
    const id = await job();
    (outbox.records.get(id) as { intent: SendIntent }).intent = { ...intent, kind: 'marketing', content: { type: 'template', name: 'unknown_tpl', language: 'en' } };
    expect(await processJob(id)).toBe('skipped');
    expect(calls).toHaveLength(0);
    expect(await outbox.get(id)).toMatchObject({ status: 'skipped', reason: 'template_unknown' });
  });
});
