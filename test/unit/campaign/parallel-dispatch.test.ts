/**
 * Interface under test: the campaign dispatcher (createDispatcher, with the campaign service for
 * pause and resume) fanning an occurrence out into one segment per write shard of the audience, over
 * in-memory adapters with the DynamoDB adapters' conditions. Continuations go through a dispatch
 * queue on a virtual clock that delivers every visible message at once, as concurrent Lambdas
 * would, and redelivers a failed one; `interleaved` lets concurrent workers overtake each other
 * between any two calls, in an order a seed decides.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { InMemoryOccurrenceStore } from '../../../lambdas/adapters/memory/occurrence-store';
import { createCampaignService } from '../../../lambdas/campaign/campaign-service';
import { createDispatcher } from '../../../lambdas/campaign/dispatcher';
import type { DispatchTuning } from '../../../lambdas/campaign/dispatcher-deps';
import { estimateCost } from '../../../lambdas/domain/campaign/cost-estimate';
import type { AccountRef } from '../../../lambdas/domain/events';
import { orderOf } from '../../../lambdas/domain/state-writes';
import type { ReserveRequest, ReserveResult } from '../../../lambdas/ports/occurrence-store';
import type { Outbox } from '../../../lambdas/ports/outbox';
import type { AccountRef as Ref } from '../../../lambdas/domain/events';
import type { ContactRecord, TemplateRecord } from '../../../lambdas/ports/state-store';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { sendJobs } from '../../helpers/send-jobs';
import { FixedAccounts } from '../../helpers/recording-store';
import { PHONE } from '../../helpers/sample-ids';
import { AcceptingLedger, MemoryCampaignStore, PeopleStore, RecordingScheduler, RecordingSendQueue } from './fakes';
import { drain, interleaved, seeded, shardOfUser, ShardedAudience, VirtualDispatchQueue } from './segment-fakes';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FIRING = '2026-05-18T10:00:00.000Z';
const NOW = Date.parse(FIRING) + 2_000;
const ID = 'weekly-news';
const WHATSAPP: AccountRef = { channel: 'whatsapp', accountId: PHONE };
const UNLIMITED = (): number => Number.POSITIVE_INFINITY;
const SHARDS = 16;

/** WhatsApp contacts who wrote an hour ago (a free-form text reaches them) or three days ago (a template does, at a price). */
const contacts = (n: number, wroteAgoMs = HOUR, prefix = '4915100'): ContactRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    channel: 'whatsapp',
    accountId: PHONE,
    userId: `${prefix}${String(i).padStart(5, '0')}`,
    state: { lastInboundAt: NOW - wroteAgoMs, lastMessageAt: NOW - wroteAgoMs, openedBy: 'message' },
    optIns: [],
  }));

/** A utility note: free-form inside the window. */
const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: ID,
  name: 'Weekly news',
  accounts: [WHATSAPP],
  audience: {},
  content: { type: 'text', text: 'New this week.' },
  kind: 'utility',
  schedule: { kind: 'recurring', expression: 'cron(0 10 ? * MON *)' },
  status: 'running',
  ...over,
});

/** An approved utility template, billed outside the window at the DE utility rate. */
const ORDER_UPDATE: Campaign['content'] = { type: 'template', name: 'order_update', language: 'de' };
const DE_UTILITY_EUR = estimateCost({ items: [{ channel: 'whatsapp', category: 'utility', market: 'DE', count: 1 }], atMs: NOW }).lines[0]?.amount ?? NaN;

/** People and the account's approved templates. */
class TemplatedStore extends PeopleStore {
  override listTemplates(_account: Ref): Promise<TemplateRecord[]> {
    return Promise.resolve([{ name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' }]);
  }
}

const setup = (options: { people: ContactRecord[]; campaign?: Campaign; tuning?: Partial<DispatchTuning>; seed?: number; outbox?: (outbox: Outbox) => Outbox }) => {
  const time = { now: NOW };
  const random = seeded(options.seed ?? 1);
  // Interleaving only where asked: a seed makes workers overtake each other at every call.
  const mix = <T extends object>(target: T): T => (options.seed === undefined ? target : interleaved(target, random));
  const store = new TemplatedStore(options.people);
  const campaigns = new MemoryCampaignStore();
  campaigns.seed(options.campaign ?? campaign(), NOW - 7 * 24 * HOUR);
  const occurrences = new InMemoryOccurrenceStore();
  // Every reservation asked of the occurrence, and what it answered.
  const reservations: { request: ReserveRequest; result: ReserveResult }[] = [];
  const reserve = occurrences.reserve.bind(occurrences);
  occurrences.reserve = async (request) => {
    const result = await reserve(request);
    reservations.push({ request: structuredClone(request), result: structuredClone(result) });
    return result;
  };
  const audience = new ShardedAudience(options.people, SHARDS);
  const outbox = new MemoryOutbox();
  const queue = new RecordingSendQueue();
  const continuations = new VirtualDispatchQueue(() => time.now);
  const deps = {
    campaigns,
    occurrences: mix(occurrences),
    audience: mix(audience),
    store: mix(store),
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'Europe/Berlin', country: 'DE' }]),
    ledger: mix(new AcceptingLedger()),
    outbox: mix(options.outbox ? options.outbox(outbox) : outbox),
    queue: mix(queue),
    continuations,
    scheduler: new RecordingScheduler(),
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    tuning: { pageSize: 20, entriesPerSegment: 1, ...options.tuning },
  };
  const dispatcher = createDispatcher(deps);
  const service = createCampaignService({ ...deps, occurrences });
  const fire = () => dispatcher.onFiring({ campaignId: ID, firingAt: FIRING }, UNLIMITED);
  const settle = () => drain(dispatcher, continuations, time);
  const occurrence = async () => {
    const found = await occurrences.get(ID, FIRING);
    if (found === undefined) throw new Error('no occurrence');
    return found;
  };
  /** Outbox records per recipient: one send key, one record, however often a page ran. */
  const recordsPerRecipient = () => {
    const per = new Map<string, number>();
    for (const r of outbox.records.values()) per.set(r.intent.userId, (per.get(r.intent.userId) ?? 0) + 1);
    return per;
  };
  const jobIds = () => new Set(queue.jobs.map((j) => j.outboxId));
  const pauseAccount = (account: AccountRef, until: number) =>
    store.apply([
      {
        target: { entity: 'account', account },
        register: 'sendingPause',
        order: orderOf(time.now, `send#ob-${time.now}`),
        wins: 'later',
        fields: { sendingPausedUntil: until, sendingPauseReason: 'account_restricted', sendingPauseCode: 131031 },
      },
    ]);
  return { time, dispatcher, service, occurrences, reservations, audience, store, accounts: deps.accounts, outbox, queue, continuations, campaigns, fire, settle, occurrence, recordsPerRecipient, jobIds, pauseAccount };
};

describe('parallel dispatch: an occurrence fans out into one segment per shard', () => {
  it('runs the segments side by side, each over its own shard, and sums their exact counts', async () => {
    const people = contacts(800);
    const t = setup({ people });
    // Every page waits a turn of the event loop: concurrent workers overlap there.
    t.audience.during = () => new Promise((resolve) => setImmediate(resolve));

    // The firing keeps segment 0 and hands each other segment, lease and all, to a continuation.
    expect(await t.fire()).toBe('done');
    expect(t.continuations.size).toBe(SHARDS - 1);
    const messages = t.continuations.sent.map((s) => s.message);
    expect(messages.map((m) => m.segment).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: SHARDS - 1 }, (_, i) => i + 1));
    expect(messages.every((m) => m.occurrenceKey === FIRING && typeof m.handoverToken === 'string')).toBe(true);

    const { outcomes } = await t.settle();
    expect(outcomes).toEqual(Array.from({ length: SHARDS - 1 }, () => 'done'));
    // The fifteen continuations ran at once.
    expect(t.audience.maxInFlight).toBeGreaterThanOrEqual(8);
    expect(t.audience.maxInFlightPerShard).toBe(1);
    // Each shard was read by its own segment, and only by it.
    const shardsRead = new Set(t.audience.queries.map((q) => q.query.shard));
    expect([...shardsRead].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: SHARDS }, (_, i) => i));
    for (const id of people.map((p) => p.userId)) expect(t.audience.entries.get(id)).toBe(1);

    const occurrence = await t.occurrence();
    expect(occurrence).toMatchObject({ status: 'done', counts: { audience: 800, enqueued: 800, notDue: 0, skipped: {} }, plan: { segments: SHARDS, shards: SHARDS } });
    expect(occurrence.segments).toHaveLength(SHARDS);
    for (const segment of occurrence.segments ?? []) {
      const own = people.filter((p) => shardOfUser(p.userId, SHARDS) === segment.segment).length;
      expect(segment).toMatchObject({ status: 'done', counts: { audience: own, enqueued: own } });
    }
    expect(occurrence.pages).toBe((occurrence.segments ?? []).reduce((n, s) => n + s.pages, 0));
    expect([...t.recordsPerRecipient().values()].every((n) => n === 1)).toBe(true);
    expect(t.recordsPerRecipient().size).toBe(800);
    expect(t.jobIds().size).toBe(800);
    expect(t.queue.jobs).toHaveLength(800);
  });

  it('sends a page’s jobs in batches of ten, several in flight at once', async () => {
    const t = setup({ people: contacts(200), tuning: { segments: 1, pageSize: 200, enqueueConcurrency: 4 } });
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const enqueue = t.queue.enqueue.bind(t.queue);
    t.queue.enqueue = async (ids, options) => {
      sizes.push(ids.length);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      await enqueue(ids, options);
      inFlight -= 1;
    };

    expect(await t.fire()).toBe('done');
    expect(sizes).toEqual(Array.from({ length: 20 }, () => 10));
    expect(most).toBe(4);
    expect(t.queue.jobs).toHaveLength(200);
  });

  it('keeps a small audience on one worker when asked: segments 1 reads every shard behind one cursor', async () => {
    const t = setup({ people: contacts(50), tuning: { segments: 1 } });
    expect(await t.fire()).toBe('done');
    expect(t.continuations.size).toBe(0);
    expect(t.audience.queries.every((q) => q.query.shard === undefined)).toBe(true);
    expect(await t.occurrence()).toMatchObject({ status: 'done', counts: { audience: 50, enqueued: 50 }, plan: { segments: 1, shards: SHARDS } });
    expect((await t.occurrence()).segments).toBeUndefined();
  });
});

describe('parallel dispatch: caps stay exact across concurrent segments', () => {
  it.each([1, 2, 3, 4, 5])('never enqueues past the recipient cap with 16 segments interleaving (seed %i)', async (seed) => {
    const t = setup({ people: contacts(640), campaign: campaign({ caps: { maxRecipients: 137 } }), seed });
    await t.fire();
    await t.settle();

    const occurrence = await t.occurrence();
    expect(occurrence.status).toBe('done');
    expect(occurrence.counts.enqueued).toBe(137);
    expect(t.jobIds().size).toBe(137);
    expect(t.outbox.records.size).toBe(137);
    expect(occurrence.reserved).toEqual({ recipients: 137, costUnits: 0 });
    // Every contact read is accounted for: sent, or cut by the cap.
    expect(occurrence.counts.audience).toBe(occurrence.counts.enqueued + (occurrence.counts.skipped.recipient_cap ?? 0));
    expect(occurrence.stopReason).toBe('recipient_cap');
    // Segments did overtake each other: some reservations were refused and fitted again.
    expect(t.reservations.some((r) => !r.result.granted)).toBe(true);
  });

  it.each([1, 2, 3])('never spends past the cost cap with 16 segments interleaving (seed %i)', async (seed) => {
    const affordable = 61;
    // A cap a little above 61 sends and below 62.
    const maxCostEur = Math.round((affordable + 0.5) * DE_UTILITY_EUR * 10_000) / 10_000;
    const t = setup({ people: contacts(480, 3 * 24 * HOUR), campaign: campaign({ content: ORDER_UPDATE, caps: { maxCostEur } }), seed });
    await t.fire();
    await t.settle();

    const occurrence = await t.occurrence();
    expect(occurrence.status).toBe('done');
    expect(occurrence.counts.enqueued).toBe(affordable);
    expect(t.jobIds().size).toBe(affordable);
    expect(occurrence.costByCurrency.EUR).toBeCloseTo(affordable * DE_UTILITY_EUR, 4);
    expect(occurrence.costByCurrency.EUR ?? Infinity).toBeLessThanOrEqual(maxCostEur);
    expect(occurrence.counts.skipped).toEqual({ cost_cap: 480 - affordable });
    expect(t.reservations.some((r) => !r.result.granted)).toBe(true);
  });

  it('holds both caps at once: whichever binds first', async () => {
    const t = setup({ people: contacts(480, 3 * 24 * HOUR), campaign: campaign({ content: ORDER_UPDATE, caps: { maxRecipients: 40, maxCostEur: 100 } }), seed: 7 });
    await t.fire();
    await t.settle();
    expect((await t.occurrence()).counts.enqueued).toBe(40);
    expect(t.jobIds().size).toBe(40);
  });

  it('gives a page that runs again its first reservation back, not a second one, even after the others used up the rest', async () => {
    const people = contacts(320, 3 * 24 * HOUR);
    // The 5th outbox write fails once: the worker stops mid-page, after reserving the page's share.
    let creates = 0;
    const t = setup({
      people,
      campaign: campaign({ content: ORDER_UPDATE, caps: { maxRecipients: 100 } }),
      outbox: (outbox) => withCreate(outbox, (job) => (++creates === 5 ? Promise.reject(new Error('Lambda timed out')) : outbox.create(job))),
    });
    await expect(t.fire()).rejects.toThrow('Lambda timed out');
    const reservedAfterCrash = (await t.occurrence()).reserved?.recipients ?? 0;
    expect(reservedAfterCrash).toBeGreaterThan(0);

    // The other segments run meanwhile and reserve all that is left of the cap.
    await t.settle();
    expect((await t.occurrence()).reserved?.recipients).toBe(100);
    // EventBridge retries the firing once segment 0's lease has run out: the page keeps its grant.
    t.time.now += MINUTE + 1_000;
    await t.fire();
    await t.settle();
    const occurrence = await t.occurrence();
    expect(occurrence).toMatchObject({ status: 'done', counts: { enqueued: 100 }, reserved: { recipients: 100 } });
    expect(t.outbox.records.size).toBe(100);
    // Every record the crashed page wrote reached the queue: none is left queued and forgotten.
    expect([...t.outbox.records.keys()].every((id) => t.jobIds().has(id))).toBe(true);
    // Segment 0's first page asked twice and was granted the same share twice.
    const firstPage = t.reservations.filter((r) => r.request.segment === 0 && r.request.page === 0);
    expect(firstPage).toHaveLength(2);
    expect(firstPage[1]?.result).toMatchObject({ granted: true, grant: firstPage[0]?.result.granted ? firstPage[0].result.grant : undefined });
  });
});

describe('parallel dispatch: crashes and duplicates, per segment', () => {
  it('sends each recipient once when a segment worker crashes mid-page and the firing is delivered again meanwhile', async () => {
    const people = contacts(640);
    const victim = people.filter((p) => shardOfUser(p.userId, SHARDS) === 5)[27]?.userId;
    let crashed = false;
    const t = setup({
      people,
      seed: 11,
      outbox: (outbox) =>
        withCreate(outbox, (job) => {
          // Segment 5's worker dies while writing its 28th record: mid-page 2.
          if (!crashed && job.intent.userId === victim) {
            crashed = true;
            return Promise.reject(new Error('Lambda timed out'));
          }
          return outbox.create(job);
        }),
    });
    expect(await t.fire()).toBe('done');
    // The continuations run; EventBridge delivers the same firing again at the same moment.
    const [again, first] = await Promise.all([t.fire(), drain(t.dispatcher, t.continuations, t.time, { until: t.time.now })]);
    expect(['in_progress', 'already_done']).toContain(again);
    expect(first.failures).toHaveLength(1);

    // SQS shows segment 5's message again once its visibility timeout ends; the lease has run out by then.
    const rest = await t.settle();
    expect(rest.failures).toEqual([]);
    const occurrence = await t.occurrence();
    expect(occurrence).toMatchObject({ status: 'done', counts: { audience: 640, enqueued: 640, skipped: {} } });
    expect(t.recordsPerRecipient().size).toBe(640);
    expect([...t.recordsPerRecipient().values()].every((n) => n === 1)).toBe(true);
    expect(t.jobIds().size).toBe(640);
    // Only the crashed page's queued records went to SQS twice.
    expect(t.queue.jobs.length - 640).toBeLessThanOrEqual(20);
    // No shard was ever read by two workers at once.
    expect(t.audience.maxInFlightPerShard).toBe(1);
    // A sender takes every delivery, duplicates concurrently: each of the 640 people gets one message.
    const sent = await sendJobs({ outbox: t.outbox, store: t.store, accounts: t.accounts, clock: () => t.time.now }, t.queue.jobs.map((j) => j.outboxId));
    expect(sent.outcomes.sent).toBe(640);
    expect(sent.perRecipient.size).toBe(640);
    expect([...sent.perRecipient].filter(([, messages]) => messages !== 1)).toEqual([]);
  });

  it('never runs a segment twice at once: a duplicate continuation finds it held and queues a check', async () => {
    const t = setup({ people: contacts(320) });
    await t.fire();
    const [message] = t.continuations.clear();
    if (message === undefined) throw new Error('no continuation');
    t.audience.during = () => new Promise((resolve) => setImmediate(resolve));
    const outcomes = await Promise.all([t.dispatcher.onContinuation(message, UNLIMITED), t.dispatcher.onContinuation(message, UNLIMITED)]);
    expect(outcomes.sort()).toEqual(['done', 'in_progress']);
    expect(t.audience.maxInFlightPerShard).toBe(1);
    // The check carries no token: it takes over only a lease that ran out.
    expect(t.continuations.sent.at(-1)).toMatchObject({ message: { segment: message.segment }, delaySeconds: 61 });
    expect(t.continuations.sent.at(-1)?.message.handoverToken).toBeUndefined();
  });

  it('restarts a segment whose firing stopped before creating it, on the repeated firing', async () => {
    const people = contacts(320);
    const t = setup({ people });
    // The first delivery dies after creating the occurrence, before any segment: EventBridge retries.
    const start = t.occurrences.start.bind(t.occurrences);
    let died = false;
    t.occurrences.start = async (request) => {
      const started = await start(request);
      if (!died) {
        died = true;
        throw new Error('Lambda timed out');
      }
      return started;
    };
    await expect(t.fire()).rejects.toThrow('Lambda timed out');
    expect(await t.fire()).toBe('done');
    await t.settle();
    expect(await t.occurrence()).toMatchObject({ status: 'done', counts: { audience: 320, enqueued: 320 } });
    expect(t.jobIds().size).toBe(320);
  });
});

describe('parallel dispatch: pause, resume and account holds, per segment', () => {
  it('halts every segment at its next page when the campaign is paused mid-fan-out, and resume carries each on', async () => {
    const people = contacts(640);
    const t = setup({ people, seed: 3 });
    let pages = 0;
    t.queue.afterEnqueue = async () => {
      // After the first few batches of jobs, the operator pauses the campaign.
      if (++pages === 12) await t.service.pause(ID);
    };
    await t.fire();
    await t.settle();

    const paused = await t.occurrence();
    expect(paused.status).toBe('paused');
    expect(paused.counts.enqueued).toBeLessThan(640);
    expect(paused.segments?.every((s) => s.status === 'paused' || s.status === 'done')).toBe(true);
    expect(paused.segments?.some((s) => s.status === 'paused')).toBe(true);
    const halted = paused.segments?.filter((s) => s.status === 'paused').map((s) => s.segment) ?? [];
    const sentWhilePaused = t.queue.jobs.length;

    const { resumedOccurrences } = await t.service.resume(ID);
    expect(resumedOccurrences).toEqual([FIRING]);
    // One continuation per halted segment, none for the finished ones.
    expect(t.continuations.sent.slice(-halted.length).map((s) => s.message.segment).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(halted);
    await t.settle();

    const done = await t.occurrence();
    expect(done).toMatchObject({ status: 'done', counts: { audience: 640, enqueued: 640, skipped: {} } });
    expect(t.jobIds().size).toBe(640);
    expect(t.queue.jobs.length).toBeGreaterThan(sentWhilePaused);
    expect([...t.recordsPerRecipient().values()].every((n) => n === 1)).toBe(true);
  });

  it('holds every segment while the sending account is paused, each waking with its own continuation', async () => {
    const t = setup({ people: contacts(320) });
    const until = NOW + 14 * MINUTE;
    await t.pauseAccount(WHATSAPP, until);

    expect(await t.fire()).toBe('held');
    await drain(t.dispatcher, t.continuations, t.time, { until: NOW });
    const holding = await t.occurrence();
    expect(holding).toMatchObject({ status: 'running', counts: { enqueued: 0 }, heldUntil: until, heldAccount: `whatsapp#${PHONE}` });
    expect(holding.segments?.every((s) => s.heldUntil === until)).toBe(true);
    expect(t.queue.jobs).toEqual([]);
    // Each segment's wake-up carries its own lease, for the pause's end.
    const wakeUps = t.continuations.sent.filter((s) => s.delaySeconds === 14 * 60);
    expect(wakeUps.map((s) => s.message.segment).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: SHARDS }, (_, i) => i));

    await t.settle();
    expect(await t.occurrence()).toMatchObject({ status: 'done', counts: { audience: 320, enqueued: 320, skipped: {} } });
    expect((await t.occurrence()).heldUntil).toBeUndefined();
  });
});

/** The outbox with `create` replaced; every other method is the outbox's own. */
const withCreate = (outbox: Outbox, create: Outbox['create']): Outbox =>
  new Proxy(outbox, { get: (target, property, receiver) => (property === 'create' ? create : (Reflect.get(target, property, receiver) as unknown)) });
