/**
 * Interface under test: the sender (createSender) routing WhatsApp MARKETING templates by category:
 * `/marketing_messages` for an onboarded account, and Meta's 134102 / 131063 shutting one door, after
 * which the job goes again through the other (or ends skipped with marketing_api_required).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { AccountRef } from '../../../lambdas/domain/events';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { Account } from '../../../lambdas/ports/account-registry';
import type { GraphRequest, GraphResult } from '../../../lambdas/ports/graph-api';
import type { StoredAttributes, TemplateRecord } from '../../../lambdas/ports/state-store';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PHONE = '109876543210987';
const WABA = '102290129340398';
const DECEMBER = Date.UTC(2026, 11, 6, 12);
const AFTER_SUNSET = Date.UTC(2027, 9, 14, 12);
const intent: SendIntent = {
  channel: 'whatsapp',
  accountId: PHONE,
  userId: '4915112345678',
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name: 'spring_sale', language: 'de' },
};

/** Templates of the WABA, and account records that the sender's own feedback writes land on. */
class AccountStore extends RecordingStore {
  override listTemplates(): Promise<TemplateRecord[]> {
    return Promise.resolve([{ name: 'spring_sale', language: 'de', status: 'APPROVED', category: 'MARKETING' }]);
  }
  override getAccountPolicy(ref: AccountRef): Promise<StoredAttributes | undefined> {
    const fields: StoredAttributes = {};
    for (const w of this.writes) {
      if (w.target.entity === 'account' && w.target.account.accountId === ref.accountId) Object.assign(fields, w.fields);
    }
    return Promise.resolve(fields);
  }
}

const setup = (start: number, answers: GraphResult[], registration: Partial<Account> = {}, maxAttempts?: number) => {
  const time = { now: start };
  const enqueued: { id: string; delaySeconds?: number }[] = [];
  const counted: string[] = [];
  const metrics = {
    addMetric: (name: string) => void counted.push(name),
    singleMetric: () => ({ addDimension: () => undefined, addMetric: () => undefined }),
  } as unknown as Metrics;
  const outbox = new MemoryOutbox();
  const store = new AccountStore();
  const calls: GraphRequest[] = [];
  const processJob = createSender({
    outbox,
    store,
    accounts: new FixedAccounts([
      { channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC', wabaId: WABA, marketingMessagesOnboarded: true, ...registration },
    ]),
    graph: {
      send: (request) => {
        calls.push(request);
        return Promise.resolve(answers.shift() ?? { ok: true, messageId: 'wamid.x' });
      },
    },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    queue: {
      enqueue: (ids, o) => {
        enqueued.push(...ids.map((id) => ({ id, delaySeconds: o?.delaySeconds })));
        return Promise.resolve();
      },
    },
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    maxAttempts,
  });
  const job = async () => (await outbox.create({ idempotencyKey: 'k', intent, now: time.now })).record.outboxId;
  return { time, outbox, store, calls, enqueued, counted, processJob, job };
};

const metaError = (code: number, httpStatus = 400): GraphResult => ({ ok: false, failure: { channel: 'whatsapp', httpStatus, code, requestSent: true } });

describe('sender: WhatsApp marketing doors', () => {
  it('sends a MARKETING template of an onboarded account to /marketing_messages with product_policy STRICT, priced marketing_lite', async () => {
    const { processJob, job, calls, outbox } = setup(DECEMBER, []);
    const id = await job();
    expect(await processJob(id)).toBe('sent');
    expect(calls[0]).toMatchObject({ path: `${PHONE}/marketing_messages`, body: { type: 'template', product_policy: 'STRICT', to: '+4915112345678' } });
    expect(await outbox.get(id)).toMatchObject({ status: 'sent', route: 'whatsapp.marketing_message', pricing: 'marketing_lite' });
  });

  it('134102: stops trusting the onboarded flag for a day and sends the job again through /messages', async () => {
    const { processJob, job, calls, outbox, store, time } = setup(DECEMBER, [metaError(134102, 500)]);
    const id = await job();
    expect(await processJob(id)).toBe('retry_scheduled');
    expect(store.writes).toContainEqual(
      expect.objectContaining({
        target: { entity: 'account', account: { channel: 'whatsapp', accountId: PHONE } },
        register: 'marketingMessagesPause',
        fields: { marketingMessagesPausedUntil: DECEMBER + 86_400_000, marketingMessagesPauseCode: 134102 },
      }),
    );
    time.now += 2_000;
    expect(await processJob(id)).toBe('sent');
    expect(calls.map((c) => c.path)).toEqual([`${PHONE}/marketing_messages`, `${PHONE}/messages`]);
    expect(await outbox.get(id)).toMatchObject({ route: 'whatsapp.template', pricing: 'marketing' });
  });

  it('134102 after the reported end of marketing on /messages: the job ends skipped, marketing_api_required', async () => {
    const { processJob, job, calls, outbox, time } = setup(AFTER_SUNSET, [metaError(134102, 500)]);
    const id = await job();
    expect(await processJob(id)).toBe('retry_scheduled');
    time.now += 2_000;
    expect(await processJob(id)).toBe('skipped');
    expect(calls).toHaveLength(1);
    expect(await outbox.get(id)).toMatchObject({ status: 'skipped', reason: 'marketing_api_required' });
  });

  it('131063 on /messages: an account not onboarded is refused marketing_api_required next, with the time it may try again', async () => {
    const { processJob, job, calls, outbox, time } = setup(DECEMBER, [metaError(131063)], { marketingMessagesOnboarded: false });
    const id = await job();
    expect(await processJob(id)).toBe('retry_scheduled');
    time.now += 2_000;
    expect(await processJob(id)).toBe('skipped');
    expect(calls.map((c) => c.path)).toEqual([`${PHONE}/messages`]);
    expect(await outbox.get(id)).toMatchObject({ reason: 'marketing_api_required', earliestAt: DECEMBER + 86_400_000 });
  });

  it('a shut door sends the job again a second after Meta answered, counted as Rerouted', async () => {
    const { processJob, job, outbox, enqueued, counted } = setup(DECEMBER, [metaError(134102, 500)]);
    const id = await job();
    expect(await processJob(id)).toBe('retry_scheduled');
    expect(await outbox.get(id)).toMatchObject({ status: 'queued', reason: 'marketing_api_not_eligible', notBefore: DECEMBER + 1_000, errorCode: 134102 });
    expect(enqueued).toEqual([{ id, delaySeconds: 1 }]);
    expect(counted).toEqual(['Rerouted']);
  });

  it('a shut door on the last attempt fails the job, naming the door that shut', async () => {
    const { processJob, job, outbox, counted } = setup(DECEMBER, [metaError(134102, 500)], {}, 1);
    const id = await job();
    expect(await processJob(id)).toBe('failed');
    expect(await outbox.get(id)).toMatchObject({ status: 'failed', reason: 'retries_exhausted:marketing_api_not_eligible', errorCode: 134102 });
    expect(counted).toEqual(['Failed']);
  });
});
