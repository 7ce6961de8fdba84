/**
 * Interface under test: the campaign dispatcher (createDispatcher, with the campaign service for
 * pause, resume and delete) over in-memory fakes with the DynamoDB adapters' lease conditions: an
 * occurrence whose next page's account is paused (Meta refused a send for the whole account, e.g.
 * Messenger 10/1893063) holds instead of skipping its contacts, and a continuation carries it on when
 * the pause ends.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createCampaignService } from '../../../lambdas/campaign/campaign-service';
import { createDispatcher } from '../../../lambdas/campaign/dispatcher';
import type { AccountRef, Channel } from '../../../lambdas/domain/events';
import { orderOf } from '../../../lambdas/domain/state-writes';
import type { DispatchQueue } from '../../../lambdas/ports/dispatch-queue';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import type { DispatchContinuation } from '../../../lambdas/schemas/dispatcher-input';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts } from '../../helpers/recording-store';
import { IG, PAGE } from '../../helpers/sample-ids';
import {
  AcceptingLedger,
  LeasingOccurrenceStore,
  MemoryCampaignStore,
  PagedAudience,
  PeopleStore,
  RecordingDispatchQueue,
  RecordingScheduler,
  RecordingSendQueue,
} from './fakes';

const MINUTE = 60_000;
const FIRING = '2026-05-18T10:00:00.000Z';
/** Two seconds after the firing, as EventBridge delivers it. */
const NOW = Date.parse(FIRING) + 2_000;
const ID = 'opening-hours';
const MESSENGER: AccountRef = { channel: 'messenger', accountId: PAGE };
const INSTAGRAM: AccountRef = { channel: 'instagram', accountId: IG };
const UNLIMITED = (): number => Number.POSITIVE_INFINITY;

/** A utility note to people who wrote an hour ago: inside their window, every one of them is sendable. */
const campaign = (accounts: AccountRef[] = [MESSENGER]): Campaign => ({
  id: ID,
  name: 'Opening hours',
  accounts,
  audience: {},
  content: { type: 'text', text: 'We open at 9 today.' },
  kind: 'utility',
  schedule: { kind: 'recurring', expression: 'cron(0/30 * * * ? *)' },
  status: 'running',
});

const userIds = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

const person = (channel: Channel, accountId: string, userId: string): ContactRecord => ({
  channel,
  accountId,
  userId,
  state: { lastInboundAt: NOW - 60 * MINUTE, lastMessageAt: NOW - 60 * MINUTE, openedBy: 'message' },
  optIns: [],
});

const setup = (options: { audience: Partial<Record<'messenger' | 'instagram', string[]>>; accounts?: AccountRef[]; pageSize?: number; continuations?: DispatchQueue }) => {
  const time = { now: NOW };
  const ids = { messenger: options.audience.messenger ?? [], instagram: options.audience.instagram ?? [] };
  const store = new PeopleStore([...ids.messenger.map((u) => person('messenger', PAGE, u)), ...ids.instagram.map((u) => person('instagram', IG, u))]);
  const campaigns = new MemoryCampaignStore();
  campaigns.seed(campaign(options.accounts), NOW - 7 * 24 * 60 * MINUTE);
  const occurrences = new LeasingOccurrenceStore();
  const queue = new RecordingSendQueue();
  const continuations = new RecordingDispatchQueue();
  const scheduler = new RecordingScheduler();
  const deps = {
    campaigns,
    occurrences,
    audience: new PagedAudience({ [`messenger#${PAGE}`]: ids.messenger, [`instagram#${IG}`]: ids.instagram }),
    store,
    accounts: new FixedAccounts([
      { channel: 'messenger', accountId: PAGE, displayName: 'Shop', tokenSecret: 't', timezone: 'Europe/Berlin', country: 'DE' },
      { channel: 'instagram', accountId: IG, displayName: 'Shop IG', tokenSecret: 't', timezone: 'Europe/Berlin', country: 'DE' },
    ]),
    ledger: new AcceptingLedger(),
    outbox: new MemoryOutbox(),
    queue,
    continuations: options.continuations ?? continuations,
    scheduler,
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    tuning: { pageSize: options.pageSize ?? 50 },
  };
  const dispatcher = createDispatcher(deps);
  const service = createCampaignService({ ...deps, continuations });
  /** The register the sender's feedback writes for a flag_account error (Messenger 10/1893063: page_restricted). */
  const pauseAccount = (account: AccountRef, until: number, reason = 'page_restricted', code = 10) =>
    store.apply([
      {
        target: { entity: 'account', account },
        register: 'sendingPause',
        order: orderOf(time.now, `send#ob-${time.now}`),
        wins: 'later',
        fields: { sendingPausedUntil: until, sendingPauseReason: reason, sendingPauseCode: code },
      },
    ]);
  const fire = () => dispatcher.onFiring({ campaignId: ID, firingAt: FIRING }, UNLIMITED);
  const deliver = (message: DispatchContinuation | undefined) => {
    if (message === undefined) throw new Error('no continuation was queued');
    return dispatcher.onContinuation(message, UNLIMITED);
  };
  const occurrence = async () => {
    const found = await occurrences.get(ID, FIRING);
    if (found === undefined) throw new Error('no occurrence');
    return found;
  };
  const lastContinuation = () => continuations.messages.at(-1);
  return { time, dispatcher, service, queue, continuations, occurrences, pauseAccount, fire, deliver, occurrence, lastContinuation };
};

describe('campaign dispatcher: an occurrence whose account is paused', () => {
  it('holds instead of skipping the Page’s contacts as account_paused, and finishes when the continuation wakes it after the pause', async () => {
    const t = setup({ audience: { messenger: userIds(5, '65432100') } });
    // Meta answered 10/1893063 a minute ago: the Page is paused for 15 minutes.
    const until = NOW + 14 * MINUTE;
    await t.pauseAccount(MESSENGER, until);

    expect(await t.fire()).toBe('held');
    expect(await t.occurrence()).toMatchObject({
      status: 'running',
      pages: 0,
      counts: { audience: 0, enqueued: 0, notDue: 0, skipped: {} },
      heldUntil: until,
      heldReason: 'page_restricted',
      heldAccount: `messenger#${PAGE}`,
      // The lease outlives the wake-up: nobody but the continuation takes over meanwhile.
      leaseUntil: until + MINUTE,
    });
    expect(t.queue.jobs).toEqual([]);
    expect(t.continuations.messages).toEqual([
      { message: { campaignId: ID, occurrenceKey: FIRING, handoverToken: expect.any(String) as unknown }, delaySeconds: 14 * 60 },
    ]);
    const wakeUp = t.lastContinuation()?.message;

    // EventBridge delivers the firing again meanwhile: it finds the lease and queues a check for after it.
    t.time.now = NOW + 5 * MINUTE;
    expect(await t.fire()).toBe('in_progress');
    const check = t.lastContinuation();
    expect(check).toEqual({ message: { campaignId: ID, occurrenceKey: FIRING }, delaySeconds: (until + MINUTE - t.time.now) / 1000 + 1 });

    // The pause is over when SQS delivers the continuation.
    t.time.now = until + 1_000;
    expect(await t.deliver(wakeUp)).toBe('done');
    const done = await t.occurrence();
    expect(done).toMatchObject({ status: 'done', pages: 1, counts: { audience: 5, enqueued: 5, notDue: 0, skipped: {} } });
    expect(done).not.toHaveProperty('heldUntil');
    expect(done).not.toHaveProperty('heldReason');
    expect(done).not.toHaveProperty('heldAccount');
    expect(t.queue.jobs).toHaveLength(5);

    // A second delivery of the wake-up and the later check find it done: no page runs twice.
    expect(await t.deliver(wakeUp)).toBe('already_done');
    t.time.now = until + 2 * MINUTE;
    expect(await t.deliver(check?.message)).toBe('already_done');
    expect(t.queue.jobs).toHaveLength(5);
  });

  it('notices a pause that starts mid-run at the next page, and skips none of the rest as account_paused', async () => {
    const t = setup({ audience: { messenger: userIds(6, '65432100') }, pageSize: 2 });
    // The first page's jobs went out; before the second page a send of theirs came back 10/1893063.
    let paused = false;
    t.queue.afterEnqueue = async () => {
      if (paused) return;
      paused = true;
      await t.pauseAccount(MESSENGER, t.time.now + 15 * MINUTE);
    };

    expect(await t.fire()).toBe('held');
    expect(await t.occurrence()).toMatchObject({ status: 'running', pages: 1, counts: { audience: 2, enqueued: 2, skipped: {} }, heldReason: 'page_restricted' });
    expect(t.queue.jobs).toHaveLength(2);

    t.time.now += 15 * MINUTE;
    expect(await t.deliver(t.lastContinuation()?.message)).toBe('done');
    expect(await t.occurrence()).toMatchObject({ status: 'done', pages: 3, counts: { audience: 6, enqueued: 6, notDue: 0, skipped: {} } });
    expect(t.queue.jobs).toHaveLength(6);
  });

  it('sends the accounts before the paused one first, then holds at the paused account', async () => {
    const t = setup({ audience: { instagram: userIds(3, '98765400'), messenger: userIds(3, '65432100') }, accounts: [INSTAGRAM, MESSENGER] });
    await t.pauseAccount(MESSENGER, NOW + 15 * MINUTE);

    expect(await t.fire()).toBe('held');
    expect(await t.occurrence()).toMatchObject({ pages: 1, counts: { audience: 3, enqueued: 3, skipped: {} }, heldAccount: `messenger#${PAGE}` });

    t.time.now = NOW + 15 * MINUTE;
    expect(await t.deliver(t.lastContinuation()?.message)).toBe('done');
    expect((await t.occurrence()).counts).toEqual({ audience: 6, enqueued: 6, notDue: 0, skipped: {} });
  });

  it('holds again on waking when the pause outlasts the longest SQS delay (15 minutes)', async () => {
    const t = setup({ audience: { messenger: userIds(2, '65432100') } });
    const until = NOW + 40 * MINUTE;
    await t.pauseAccount(MESSENGER, until, 'token_invalid', 190);

    expect(await t.fire()).toBe('held');
    expect(t.lastContinuation()?.delaySeconds).toBe(900);
    expect(await t.occurrence()).toMatchObject({ heldUntil: until, heldReason: 'token_invalid', leaseUntil: NOW + 15 * MINUTE + MINUTE });

    t.time.now = NOW + 15 * MINUTE;
    expect(await t.deliver(t.lastContinuation()?.message)).toBe('held');
    expect(t.lastContinuation()?.delaySeconds).toBe(900);
    t.time.now = NOW + 30 * MINUTE;
    expect(await t.deliver(t.lastContinuation()?.message)).toBe('held');
    expect(t.lastContinuation()?.delaySeconds).toBe(600);
    expect(t.queue.jobs).toEqual([]);

    t.time.now = until;
    expect(await t.deliver(t.lastContinuation()?.message)).toBe('done');
    expect((await t.occurrence()).counts).toMatchObject({ enqueued: 2, skipped: {} });
    // Each wake-up's token served once: the hand-overs made one chain, not a fan.
    expect(t.continuations.messages).toHaveLength(3);
  });

  it('stops at wake-up when the campaign was paused during the hold, and resume carries it on', async () => {
    const t = setup({ audience: { messenger: userIds(3, '65432100') } });
    await t.pauseAccount(MESSENGER, NOW + 15 * MINUTE);
    expect(await t.fire()).toBe('held');
    const wakeUp = t.lastContinuation()?.message;

    t.time.now = NOW + MINUTE;
    await t.service.pause(ID);
    t.time.now = NOW + 15 * MINUTE;
    expect(await t.deliver(wakeUp)).toBe('paused');
    const paused = await t.occurrence();
    expect(paused).toMatchObject({ status: 'paused', pages: 0, leaseUntil: 0 });
    expect(paused).not.toHaveProperty('heldUntil');

    const { resumedOccurrences } = await t.service.resume(ID);
    expect(resumedOccurrences).toEqual([FIRING]);
    expect(await t.deliver(t.lastContinuation()?.message)).toBe('done');
    expect((await t.occurrence()).counts).toMatchObject({ enqueued: 3, skipped: {} });
  });

  it('leaves a held occurrence to its own continuation when the campaign is paused and resumed during the hold', async () => {
    const t = setup({ audience: { messenger: userIds(3, '65432100') } });
    await t.pauseAccount(MESSENGER, NOW + 15 * MINUTE);
    expect(await t.fire()).toBe('held');
    const wakeUp = t.lastContinuation()?.message;

    t.time.now = NOW + MINUTE;
    await t.service.pause(ID);
    t.time.now = NOW + 2 * MINUTE;
    // Its lease still runs: resume queues nothing more, the held continuation wakes it.
    expect((await t.service.resume(ID)).resumedOccurrences).toEqual([]);
    expect(t.continuations.messages).toHaveLength(1);

    t.time.now = NOW + 15 * MINUTE;
    expect(await t.deliver(wakeUp)).toBe('done');
    expect((await t.occurrence()).counts).toMatchObject({ enqueued: 3, skipped: {} });
  });

  it('stops for good at wake-up when the campaign was deleted during the hold', async () => {
    const t = setup({ audience: { messenger: userIds(3, '65432100') } });
    await t.pauseAccount(MESSENGER, NOW + 15 * MINUTE);
    expect(await t.fire()).toBe('held');

    t.time.now = NOW + MINUTE;
    await t.service.remove(ID);
    t.time.now = NOW + 15 * MINUTE;
    expect(await t.deliver(t.lastContinuation()?.message)).toBe('stopped');
    expect(await t.occurrence()).toMatchObject({ status: 'stopped', stopReason: 'campaign_deleted', counts: { enqueued: 0 } });
    expect(t.queue.jobs).toEqual([]);
  });

  it('is carried on once its lease runs out when the worker stopped before queuing the wake-up', async () => {
    const queued: { message: DispatchContinuation; delaySeconds?: number }[] = [];
    let failures = 1;
    const flaky: DispatchQueue = {
      continueLater: (message, options) => {
        if (failures-- > 0) return Promise.reject(new Error('SQS unavailable'));
        queued.push({ message, ...(options?.delaySeconds === undefined ? {} : { delaySeconds: options.delaySeconds }) });
        return Promise.resolve();
      },
    };
    const t = setup({ audience: { messenger: userIds(3, '65432100') }, continuations: flaky });
    const until = NOW + 15 * MINUTE;
    await t.pauseAccount(MESSENGER, until);

    await expect(t.fire()).rejects.toThrow('SQS unavailable');
    expect(await t.occurrence()).toMatchObject({ status: 'running', heldUntil: until, leaseUntil: until + MINUTE });

    // Lambda retries the firing a minute later: the lease holds, so it queues a check for after it.
    t.time.now = NOW + MINUTE;
    expect(await t.fire()).toBe('in_progress');
    expect(queued).toEqual([{ message: { campaignId: ID, occurrenceKey: FIRING }, delaySeconds: (until + MINUTE - t.time.now) / 1000 + 1 }]);
    // SQS waits 900 s at most: the check arrives as the lease ends, finds it expired and takes over.
    t.time.now = NOW + MINUTE + 900_000;
    expect(await t.dispatcher.onContinuation(queued[0]?.message as DispatchContinuation, UNLIMITED)).toBe('done');
    expect((await t.occurrence()).counts).toMatchObject({ enqueued: 3, skipped: {} });
    expect(t.queue.jobs).toHaveLength(3);
  });
});
