/**
 * Interface under test: the sender use case (createSender) with the shared pacer over the in-memory
 * limiter: what it asks the pacer (the account's rate, the portfolio's messaging limit when a send
 * counts toward it) and what it records when the limit is reached — a one-off send refused
 * `messaging_limit_reached` with `earliestAt`, a campaign's send waiting in the queue.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { InMemoryLimiterTable, InMemorySendLimiter } from '../../../lambdas/adapters/memory/send-limiter';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { Account } from '../../../lambdas/ports/account-registry';
import type { PaceRequest, Pacer } from '../../../lambdas/ports/pacer';
import type { ContactRecord, StoredAttributes, TemplateRecord } from '../../../lambdas/ports/state-store';
import { createSender } from '../../../lambdas/send/sender';
import { SharedPacer } from '../../../lambdas/send/shared-pacer';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PHONE = '109876543210987';
const WABA = '102290129340401';
const HOUR = 3_600_000;

/** People who wrote in the last hour have an open window; the WABA has an approved utility template and, when given, a tier. */
class Store extends RecordingStore {
  constructor(
    private readonly now: () => number,
    private readonly inWindow: ReadonlySet<string>,
    private readonly tier?: string,
  ) {
    super();
  }
  override getPerson(contact: { channel: 'whatsapp'; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, state: this.inWindow.has(contact.userId) ? { lastInboundAt: this.now() - HOUR } : {}, optIns: [] });
  }
  override listTemplates(): Promise<TemplateRecord[]> {
    return Promise.resolve([{ name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' }]);
  }
  override getAccountPolicy(account: { accountId: string }): Promise<StoredAttributes | undefined> {
    if (account.accountId !== WABA || !this.tier) return Promise.resolve(undefined);
    const report = JSON.stringify({ event: 'ONBOARDING', messagingLimit: this.tier, at: this.now() - HOUR });
    return Promise.resolve({ phoneQuality_15550783881: report, phoneQuality_15550783881Order: 1 });
  }
}

const template = (userId: string): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId,
  kind: 'utility',
  author: 'bot',
  content: { type: 'template', name: 'order_update', language: 'de' },
});

const setup = (options: { tier?: string; inWindow?: string[]; registration?: Partial<Account> } = {}) => {
  const time = { now: Date.UTC(2026, 4, 17, 12) };
  const outbox = new MemoryOutbox();
  const enqueued: { id: string; delaySeconds?: number }[] = [];
  const asked: PaceRequest[] = [];
  const shared = new SharedPacer({
    limiter: new InMemorySendLimiter(new InMemoryLimiterTable()),
    clock: () => time.now,
    sleep: () => Promise.resolve(),
    defaultRates: { whatsapp: 80, messenger: 40, instagram: 40 },
  });
  const pacer: Pacer = {
    acquire: (request) => {
      asked.push(request);
      return shared.acquire(request);
    },
    backOff: (accountId, forMs) => shared.backOff(accountId, forMs),
  };
  const processJob = createSender({
    outbox,
    store: new Store(() => time.now, new Set(options.inWindow), options.tier),
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC', wabaId: WABA, ...options.registration }]),
    graph: { send: () => Promise.resolve({ ok: true, messageId: `wamid.${Math.random()}` }) },
    pacer,
    queue: {
      enqueue: (ids, o) => {
        enqueued.push(...ids.map((id) => ({ id, delaySeconds: o?.delaySeconds })));
        return Promise.resolve();
      },
    },
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const job = async (userId: string, group?: string) => (await outbox.create({ idempotencyKey: `k-${userId}-${group ?? ''}`, intent: template(userId), now: time.now, group })).record.outboxId;
  return { time, outbox, enqueued, asked, processJob, job };
};

describe('sender pacing across instances', () => {
  it('asks the pacer for the account’s Meta rate (registration) and, outside the window, for a seat in the WABA’s portfolio limit from the stored tier', async () => {
    const { processJob, job, asked } = setup({ tier: 'TIER_2K', registration: { throughputPerSecond: 1000 } });
    expect(await processJob(await job('4915100000001'))).toBe('sent');
    expect(asked[0]).toMatchObject({ channel: 'whatsapp', ratePerSecond: 1000, pairGapMs: 6000, messagingLimit: { portfolioId: WABA, limit: 2000 } });
  });

  it('counts nothing for a template inside a window the person opened, nor under an unlimited tier', async () => {
    const inWindow = setup({ inWindow: ['4915100000002'] });
    await inWindow.processJob(await inWindow.job('4915100000002'));
    expect(inWindow.asked[0]).not.toHaveProperty('messagingLimit');
    const unlimited = setup({ tier: 'TIER_UNLIMITED' });
    await unlimited.processJob(await unlimited.job('4915100000003'));
    expect(unlimited.asked[0]).not.toHaveProperty('messagingLimit');
  });

  it('takes an unknown tier as 250 and a registered businessPortfolioId as the portfolio', async () => {
    const { processJob, job, asked } = setup({ registration: { businessPortfolioId: '5550001112223' } });
    await processJob(await job('4915100000004'));
    expect(asked[0]).toMatchObject({ ratePerSecond: 80, messagingLimit: { portfolioId: '5550001112223', limit: 250 } });
  });

  it('refuses a one-off send over the limit as skipped messaging_limit_reached, with when it may go', async () => {
    const { processJob, job, outbox, time } = setup({ tier: 'TIER_50' });
    for (let i = 0; i < 50; i += 1) expect(await processJob(await job(`49151000001${String(i).padStart(2, '0')}`))).toBe('sent');
    const id = await job('4915100000999');
    expect(await processJob(id)).toBe('skipped');
    const record = await outbox.get(id);
    expect(record).toMatchObject({ status: 'skipped', reason: 'messaging_limit_reached' });
    expect(record?.earliestAt).toBeGreaterThan(time.now + 24 * HOUR);
    expect(record?.detail).toContain('messaging limit');
    // The same people again (past the pair rate's 6 s): already counted, they go out.
    time.now += 10_000;
    expect(await processJob(await job('4915100000100', 'again'))).toBe('sent');
  });

  it('keeps a campaign’s send over the limit queued until the portfolio has room, handing it back to SQS', async () => {
    const { processJob, job, outbox, enqueued, time } = setup({ tier: 'TIER_50' });
    for (let i = 0; i < 50; i += 1) await processJob(await job(`49151000002${String(i).padStart(2, '0')}`));
    const id = await job('4915100000998', 'campaign-1#2026-05-17');
    expect(await processJob(id)).toBe('deferred');
    const record = await outbox.get(id);
    expect(record).toMatchObject({ status: 'queued', reason: 'messaging_limit_reached' });
    expect(record?.notBefore).toBeGreaterThan(time.now + 24 * HOUR);
    // The SQS adapter caps the delay at 15 minutes; an early copy is handed on until notBefore.
    expect(enqueued.at(-1)?.id).toBe(id);
    expect(enqueued.at(-1)?.delaySeconds).toBeGreaterThan(24 * 3600);
    time.now = record?.notBefore as number;
    expect(await processJob(id)).toBe('sent');
  });
});
