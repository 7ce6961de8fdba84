/**
 * Interface under test: the sender use case (createSender) over the in-memory outbox, a scripted
 * Graph API and a funnel that names what it would count (the domain's own `landedMilestones`): a
 * message Meta refuses at the send call is a failure of its funnel, `limited` or `failed` by Meta's
 * code with Meta's title, counted once however often its job comes back. Time is injected.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { landedMilestones } from '../../../lambdas/domain/measurement/status-milestones';
import { FAILURE_TITLE_MAX_BYTES } from '../../../lambdas/domain/send/failure-title';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { MilestoneEvent } from '../../../lambdas/ports/funnel-milestones';
import type { GraphResult } from '../../../lambdas/ports/graph-api';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import type { StatusFunnel } from '../../../lambdas/ports/status-funnel';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PHONE = '109876543210987';
const PAGE = '1234567890123456';
const START = Date.UTC(2026, 11, 7, 12);
const waIntent: SendIntent = { channel: 'whatsapp', accountId: PHONE, userId: '4915112345678', kind: 'reply', author: 'human', content: { type: 'text', text: 'Hi' } };
const fbIntent: SendIntent = { channel: 'messenger', accountId: PAGE, userId: '6543210987654321', kind: 'reply', author: 'human', content: { type: 'text', text: 'Hi' } };

/** A person who wrote a minute ago: the policy lets a reply go, so only Meta refuses it. */
class Person extends RecordingStore {
  constructor(private readonly now: () => number) {
    super();
  }
  override getPerson(contact: { channel: SendIntent['channel']; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, state: { lastInboundAt: this.now() - 60_000 }, optIns: [] } as ContactRecord);
  }
}

const refusal = (channel: SendIntent['channel'], code: number | undefined, message?: string, httpStatus = 400): GraphResult => ({
  ok: false,
  failure: { channel, httpStatus, code, ...(message === undefined ? {} : { title: message }), requestSent: true },
  ...(message === undefined ? {} : { message: `(#${code}) ${message}` }),
});

const rig = (answers: GraphResult[], options: { intent?: SendIntent; maxAttempts?: number; funnel?: boolean } = {}) => {
  const time = { now: START };
  const outbox = new MemoryOutbox();
  const counted: MilestoneEvent[] = [];
  const funnel: StatusFunnel = {
    countStatuses: (landed) => {
      const named = landedMilestones(landed);
      counted.push(...named.map(({ event }) => event));
      return Promise.resolve(named);
    },
  };
  const processJob = createSender({
    outbox,
    store: new Person(() => time.now),
    accounts: new FixedAccounts([
      { channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC' },
      { channel: 'messenger', accountId: PAGE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC' },
    ]),
    graph: { send: () => Promise.resolve(answers.shift() ?? { ok: true, messageId: 'wamid.x' }) },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    queue: { enqueue: () => Promise.resolve() },
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    maxAttempts: options.maxAttempts ?? 3,
    maxRetryDelayMs: 0,
    ...(options.funnel === false ? {} : { funnel }),
  });
  const job = async () => (await outbox.create({ idempotencyKey: 'manual#1', intent: options.intent ?? waIntent, now: time.now })).record.outboxId;
  return { time, outbox, counted, processJob, job };
};

describe("a message Meta refuses at the send call, in its funnel", () => {
  it("counts as failed, by Meta's code with Meta's title, and flags the record so nothing counts it again", async () => {
    const { processJob, job, outbox, counted, time } = rig([refusal('whatsapp', 131047, 'Re-engagement message')]);
    const id = await job();

    expect(await processJob(id)).toBe('failed');

    expect(counted).toEqual([{ outboxId: id, milestone: 'failed', at: START, errorCode: 131047, errorTitle: 'Re-engagement message', refusedAtSend: true }]);
    expect(await outbox.get(id)).toMatchObject({ status: 'failed', errorCode: 131047, errorTitle: 'Re-engagement message', milestones: { failed: START } });
    // A redelivered send job finds it done.
    time.now += 60_000;
    expect(await processJob(id)).toBe('already_done');
    expect(counted).toHaveLength(1);
  });

  it("counts one of Meta's marketing limits as limited: Messenger's minimum delay between marketing messages", async () => {
    const { processJob, job, counted } = rig([refusal('messenger', 2300035, 'Minimum delay between marketing messages not reached')], { intent: fbIntent });
    const id = await job();

    expect(await processJob(id)).toBe('failed');

    expect(counted).toEqual([{ outboxId: id, milestone: 'limited', at: START, errorCode: 2300035, errorTitle: 'Minimum delay between marketing messages not reached', refusedAtSend: true }]);
  });

  it('counts a job that ran out of retries on a Meta code once, under the last code', async () => {
    const { processJob, job, counted, time } = rig([refusal('whatsapp', 131000, 'Something went wrong'), refusal('whatsapp', 130429, 'Rate limit hit')], { maxAttempts: 2 });
    const id = await job();

    expect(await processJob(id)).toBe('retry_scheduled');
    expect(counted).toEqual([]);
    time.now += 1_000;
    expect(await processJob(id)).toBe('failed');

    expect(counted).toEqual([{ outboxId: id, milestone: 'failed', at: START + 1_000, errorCode: 130429, errorTitle: 'Rate limit hit', refusedAtSend: true }]);
  });

  it('keeps the title within what a status stores', async () => {
    const { processJob, job, outbox, counted } = rig([refusal('whatsapp', 100, `Param template: ${'x'.repeat(200)}`)]);
    const id = await job();

    await processJob(id);

    const title = (await outbox.get(id))?.errorTitle ?? '';
    expect(Buffer.byteLength(title)).toBeLessThanOrEqual(FAILURE_TITLE_MAX_BYTES);
    expect(counted[0]?.errorTitle).toBe(title);
  });

  it('counts nothing for a failure without a Meta code, nor for a message Meta took', async () => {
    const noCode = rig([refusal('whatsapp', undefined, undefined, 500)], { maxAttempts: 1 });
    const failed = await noCode.job();
    const sent = rig([]);
    const accepted = await sent.job();

    expect(await noCode.processJob(failed)).toBe('failed');
    expect(await sent.processJob(accepted)).toBe('sent');

    expect([...noCode.counted, ...sent.counted]).toEqual([]);
    expect((await noCode.outbox.get(failed))?.milestones).toBeUndefined();
    expect((await sent.outbox.get(accepted))?.milestones).toBeUndefined();
  });

  it('flags the record without a funnel to count in (AWS, where the stream counts the flag)', async () => {
    const { processJob, job, outbox } = rig([refusal('whatsapp', 131026, 'Message undeliverable')], { funnel: false });
    const id = await job();

    expect(await processJob(id)).toBe('failed');

    expect(await outbox.get(id)).toMatchObject({ errorCode: 131026, errorTitle: 'Message undeliverable', milestones: { failed: START } });
  });
});
