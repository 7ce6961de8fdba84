/**
 * Interface under test: the campaign dispatcher (createDispatcher) firing a local-time campaign
 * every quarter hour of a simulated day, over an audience index with write shards and zone buckets
 * (in memory, as the DynamoDB adapter files contacts: their own zone, else `_account`; a topic
 * opt-in's zone in buckets of its own). What it reads per firing, per contact per day, and that
 * everyone still gets the campaign once, at their own 09:00.
 */
import type { AudienceQuery } from '../../../lambdas/ports/audience-index';
import { Logger } from '@aws-lambda-powertools/logger';
import { InMemoryOccurrenceStore } from '../../../lambdas/adapters/memory/occurrence-store';
import { createDispatcher } from '../../../lambdas/campaign/dispatcher';
import type { DispatchTuning } from '../../../lambdas/campaign/dispatcher-deps';
import { planOccurrence, segmentReads } from '../../../lambdas/campaign/segments';
import { targetInFiring } from '../../../lambdas/domain/campaign/local-time';
import { dueZones, zoneBucketOf } from '../../../lambdas/domain/campaign/zone-buckets';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { Occurrence } from '../../../lambdas/ports/occurrence-store';
import type { ContactRecord, TemplateRecord } from '../../../lambdas/ports/state-store';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts } from '../../helpers/recording-store';
import { PHONE } from '../../helpers/sample-ids';
import { AcceptingLedger, MemoryCampaignStore, PeopleStore, RecordingScheduler, RecordingSendQueue } from './fakes';
import { drain, ShardedAudience, VirtualDispatchQueue } from './segment-fakes';

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const DAY = 24 * 60 * MINUTE;
/** Tuesday 19 May 2026, 00:00 UTC: the simulated day's first firing. */
const DAY_START = Date.UTC(2026, 4, 19);
const ID = 'good-morning';
const UNLIMITED = (): number => Number.POSITIVE_INFINITY;

/** Own zones across every kind of offset: whole, half and three-quarter hours, DST north and south, links, and none. */
const ZONES: (string | undefined)[] = [
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Calcutta',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Australia/Adelaide',
  'Pacific/Chatham',
  'America/New_York',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'europe/berlin',
  // Not a zone: the planner (and the index) use the account's instead.
  '+05:30',
  undefined,
];

const person = (i: number, zone: string | undefined, optIns: ContactRecord['optIns'] = []): ContactRecord => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId: `4915200${String(i).padStart(5, '0')}`,
  state: { lastInboundAt: DAY_START - 3 * DAY, ...(zone === undefined ? {} : { timeZone: zone }) },
  optIns,
});

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: ID,
  name: 'Good morning',
  accounts: [{ channel: 'whatsapp', accountId: PHONE }],
  audience: {},
  content: { type: 'template', name: 'order_update', language: 'de' },
  kind: 'utility',
  schedule: { kind: 'local_time', at: '09:00' },
  status: 'running',
  ...over,
});

class TemplatedStore extends PeopleStore {
  /** Full contact reads, per user id. */
  readonly reads = new Map<string, number>();

  override getPerson(contact: ContactRef): Promise<ContactRecord | undefined> {
    this.reads.set(contact.userId, (this.reads.get(contact.userId) ?? 0) + 1);
    return super.getPerson(contact);
  }

  override listTemplates(): Promise<TemplateRecord[]> {
    return Promise.resolve([{ name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' }]);
  }
}

/** Every quarter hour of the day, each firing settled (its segments' continuations run) before the next. */
const simulateDay = async (people: ContactRecord[], definition: Campaign, tuning: Partial<DispatchTuning> = {}) => {
  const time = { now: DAY_START };
  const store = new TemplatedStore(people);
  const campaigns = new MemoryCampaignStore();
  campaigns.seed(definition, DAY_START - 7 * DAY);
  const occurrences = new InMemoryOccurrenceStore();
  // Four shards (and segments): each firing reads every due zone's bucket once per shard.
  const audience = new ShardedAudience(people, 4);
  const outbox = new MemoryOutbox();
  const queue = new RecordingSendQueue();
  const continuations = new VirtualDispatchQueue(() => time.now);
  const dispatcher = createDispatcher({
    campaigns,
    occurrences,
    audience,
    store,
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'Europe/Berlin', country: 'DE' }]),
    ledger: new AcceptingLedger(),
    outbox,
    queue,
    continuations,
    scheduler: new RecordingScheduler(),
    clock: () => time.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    tuning: { pageSize: 50, entriesPerSegment: 1, ...tuning },
  });
  const fired: Occurrence[] = [];
  for (let q = 0; q < 96; q += 1) {
    const firingAt = DAY_START + q * QUARTER;
    time.now = firingAt + 2_000;
    await dispatcher.onFiring({ campaignId: ID, firingAt: new Date(firingAt).toISOString() }, UNLIMITED);
    await drain(dispatcher, continuations, time);
    const occurrence = await occurrences.get(ID, new Date(firingAt).toISOString());
    if (occurrence !== undefined) fired.push(occurrence);
  }
  const sends = new Map<string, { localDate: string; delaySeconds: number }[]>();
  const delays = new Map(queue.jobs.map((j) => [j.outboxId, j.delaySeconds ?? 0]));
  for (const record of outbox.records.values()) {
    const [, localDate] = record.idempotencyKey.split('#');
    sends.set(record.intent.userId, [...(sends.get(record.intent.userId) ?? []), { localDate: localDate ?? '', delaySeconds: delays.get(record.outboxId) ?? -1 }]);
  }
  const total = (pick: (o: Occurrence) => number) => fired.reduce((n, o) => n + pick(o), 0);
  return { audience, store, sends, fired, total, queue };
};

const perContact = (counts: Map<string, number>, people: ContactRecord[]) => people.map((p) => counts.get(p.userId) ?? 0);

describe('local-time dispatch reads only who is due', () => {
  const people = Array.from({ length: 130 }, (_, i) => person(i, ZONES[i % ZONES.length]));

  it('reads each contact about once a day and sends each one once, at their own 09:00, none too late', async () => {
    const day = await simulateDay(people, campaign());

    // Each contact's bucket is due in exactly one firing of the day: one index entry, one contact read.
    const entries = perContact(day.audience.entries, people);
    const reads = perContact(day.store.reads, people);
    expect(entries.reduce((a, b) => a + b, 0) / people.length).toBeLessThanOrEqual(1.2);
    expect(reads.reduce((a, b) => a + b, 0) / people.length).toBeLessThanOrEqual(1.2);
    expect(Math.max(...reads)).toBe(1);
    // Everyone once, on their local day, held in the queue until their minute at most 15 minutes.
    for (const p of people) {
      const sent = day.sends.get(p.userId) ?? [];
      expect(sent).toHaveLength(1);
      expect(sent[0]?.delaySeconds).toBeGreaterThanOrEqual(0);
      expect(sent[0]?.delaySeconds).toBeLessThanOrEqual(900);
    }
    // Nobody read who wasn't due, and nobody was too late.
    expect(day.total((o) => o.counts.notDue)).toBe(0);
    expect(day.total((o) => o.counts.skipped.too_late ?? 0)).toBe(0);
    expect(day.total((o) => o.counts.enqueued)).toBe(people.length);
    expect(day.total((o) => o.counts.audience)).toBe(people.length);
  }, 60_000);

  it('read the whole audience at every firing before the index had zone buckets (zoneBuckets off): 96 reads a contact a day', async () => {
    const few = people.slice(0, 26);
    const day = await simulateDay(few, campaign(), { zoneBuckets: false });
    expect(perContact(day.store.reads, few)).toEqual(few.map(() => 96));
    // The same sends: the planner, not the buckets, decides who is due.
    for (const p of few) expect(day.sends.get(p.userId)).toHaveLength(1);
    expect(day.total((o) => o.counts.notDue)).toBe(few.length * 95);
  }, 60_000);

  it('reads a topic’s opt-in-zone buckets for holders whose opt-in has a zone, and contact-zone buckets for the rest', async () => {
    const optIn = (timezone?: string) => ({ token: `t-${timezone ?? 'none'}`, topic: 'deals', title: 'deals', status: 'active', ...(timezone === undefined ? {} : { timezone }) });
    const holders = [
      // The opt-in's zone decides: Kolkata, though the profile says Berlin.
      ...Array.from({ length: 12 }, (_, i) => person(1000 + i, 'Europe/Berlin', [optIn('Asia/Kolkata')])),
      // No zone on the opt-in: the profile's, else the account's.
      ...Array.from({ length: 12 }, (_, i) => person(2000 + i, i % 2 === 0 ? 'America/New_York' : undefined, [optIn()])),
    ];
    const outsiders = Array.from({ length: 12 }, (_, i) => person(3000 + i, 'Europe/Berlin'));
    const everyone = [...holders, ...outsiders];
    const day = await simulateDay(everyone, campaign({ audience: { topic: 'deals' } }));

    for (const p of holders) expect(day.sends.get(p.userId)).toHaveLength(1);
    for (const p of outsiders) expect(day.sends.get(p.userId)).toBeUndefined();
    const kolkata = day.sends.get(holders[0]?.userId ?? '')?.[0];
    // 09:00 in Kolkata on the 19th is 03:30 UTC: the firing of 03:30 sent it, not Berlin's 07:00.
    expect(kolkata?.localDate).toBe('2026-05-19');
    const reads = perContact(day.store.reads, everyone);
    // Holders with an opt-in zone: read in their opt-in zone's bucket (sent) and their profile zone's
    // (left to the other): twice a day. Everyone else once; non-holders are counted not_in_audience.
    expect(reads.slice(0, 12)).toEqual(holders.slice(0, 12).map(() => 2));
    expect(reads.slice(12)).toEqual(everyone.slice(12).map(() => 1));
    expect(day.total((o) => o.counts.skipped.not_in_audience ?? 0)).toBe(outsiders.length);
    expect(day.total((o) => o.counts.audience)).toBe(everyone.length);
  }, 60_000);
});

describe('local-time firings: which zone buckets are due', () => {
  const slot = (iso: string, at = '09:00', days?: string[]) => ({ at, firingAtMs: Date.parse(iso), ...(days === undefined ? {} : { days }) });

  it('names half- and three-quarter-hour zones in their own quarter hour, each bucket once under its canonical name', () => {
    const kolkata = zoneBucketOf('Asia/Kolkata') ?? '';
    expect(zoneBucketOf('Asia/Calcutta')).toBe(kolkata);
    expect(dueZones(slot('2026-05-19T03:30:00Z'))).toEqual(expect.arrayContaining([kolkata, 'Asia/Colombo']));
    expect(dueZones(slot('2026-05-19T03:15:00Z'))).toEqual(expect.arrayContaining([zoneBucketOf('Asia/Kathmandu')]));
    expect(dueZones(slot('2026-05-19T03:15:00Z'))).not.toContain(kolkata);
    const all = Array.from({ length: 96 }, (_, q) => dueZones(slot(new Date(Date.UTC(2026, 4, 19) + q * QUARTER).toISOString()))).flat();
    // Every bucket is due once a day, and no two names of one zone are read.
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain('UTC');
    // Berlin is on summer time (+02:00) in May: 09:00 is 07:00 UTC.
    expect(dueZones(slot('2026-05-19T07:00:00Z'))).toEqual(expect.arrayContaining(['Europe/Berlin', 'Europe/Paris', 'Africa/Johannesburg']));
    expect(dueZones(slot('2026-05-19T07:00:00Z'))).not.toContain('Europe/London');
  });

  it('names a zone whose target falls between quarters in the firing before it', () => {
    // 09:10 in Berlin is 07:10 UTC: due at 07:00, sent with a delay.
    expect(dueZones(slot('2026-05-19T07:00:00Z', '09:10'))).toContain('Europe/Berlin');
    expect(dueZones(slot('2026-05-19T07:15:00Z', '09:10'))).not.toContain('Europe/Berlin');
  });

  it('leaves out zones whose local day is not one of the campaign’s days', () => {
    // 09:00 on Tuesday 19 May in Berlin; in Auckland (+12) 09:00 on the 19th is 21:00 UTC the 18th.
    expect(dueZones(slot('2026-05-19T07:00:00Z', '09:00', ['MON']))).toEqual([]);
    expect(dueZones(slot('2026-05-19T07:00:00Z', '09:00', ['TUE']))).toContain('Europe/Berlin');
  });

  it('agrees with the planner’s own check for every zone, every quarter hour of a DST day', () => {
    // 29 March 2026: Europe's clocks go forward; Lord Howe keeps its half-hour DST.
    const dayStart = Date.UTC(2026, 2, 29);
    for (let q = 0; q < 96; q += 1) {
      const firingAtMs = dayStart + q * QUARTER;
      const due = new Set(dueZones({ at: '02:30', firingAtMs }));
      for (const zone of ['Europe/Berlin', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kathmandu']) {
        const planner = targetInFiring({ localTime: '02:30', timeZone: zone, firingAtMs, firingIntervalMs: QUARTER }) !== undefined;
        expect([zone, q, due.has(zoneBucketOf(zone) ?? '')]).toEqual([zone, q, planner]);
      }
    }
  });

  it('files a contact’s zone under its canonical name, and one the planner replaces with the account’s under the account’s', () => {
    expect(zoneBucketOf('europe/berlin')).toBe('Europe/Berlin');
    expect(zoneBucketOf('US/Eastern')).toBe('America/New_York');
    expect(zoneBucketOf('+05:30')).toBeUndefined();
    expect(zoneBucketOf('Mars/Olympus_Mons')).toBeUndefined();
    expect(zoneBucketOf(undefined)).toBeUndefined();
  });
});

describe('segment plans and reads', () => {
  const accounts = new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'Asia/Kolkata' }]);
  const audience = (shards?: number) => ({ ...(shards === undefined ? {} : { shards }), page: () => Promise.resolve({ userIds: [] }) });

  it('splits into one segment per shard, at most the tuning’s; a segment reads its own shards of each source', async () => {
    const plan = await planOccurrence({ audience: audience(16), accounts }, { segments: 4, zoneBuckets: true, entriesPerSegment: 1 }, campaign({ schedule: { kind: 'recurring', expression: 'rate(1 day)' } }), DAY_START);
    expect(plan).toEqual({ segments: 4, shards: 16 });
    expect(segmentReads(campaign(), plan, 1).map((r) => r.shard)).toEqual([1, 5, 9, 13]);
    expect(await planOccurrence({ audience: audience(), accounts }, { segments: 16, zoneBuckets: true, entriesPerSegment: 1 }, campaign(), DAY_START)).toMatchObject({ segments: 1, shards: 1 });
  });

  it('sizes the split to the audience from one shard: a small audience gets few workers, a shard with more than the probe gets them all', async () => {
    const probed: (number | undefined)[] = [];
    const sized = (inShardZero: number) => ({
      shards: 64,
      page: (query: AudienceQuery, _cursor: string | undefined, limit: number) => {
        probed.push(query.shard);
        const userIds = Array.from({ length: Math.min(limit, inShardZero) }, (_, i) => `u${i}`);
        return Promise.resolve(inShardZero > limit ? { userIds, cursor: 'more' } : { userIds });
      },
    });
    const daily = campaign({ schedule: { kind: 'recurring', expression: 'rate(1 day)' } });
    const tuning = { segments: 64, zoneBuckets: true, entriesPerSegment: 2000 };
    // 10 entries in shard 0 of 64: about 640 in all, one worker's worth.
    expect(await planOccurrence({ audience: sized(10), accounts }, tuning, daily, DAY_START)).toEqual({ segments: 1, shards: 64 });
    expect(probed).toEqual([0]);
    // 100 in shard 0: about 6,400 entries, four workers of 2,000.
    expect(await planOccurrence({ audience: sized(100), accounts }, tuning, daily, DAY_START)).toEqual({ segments: 4, shards: 64 });
    // A million-contact audience fills the probe: every segment.
    expect(await planOccurrence({ audience: sized(20_000), accounts }, tuning, daily, DAY_START)).toEqual({ segments: 64, shards: 64 });
  });

  it('reads a local-time firing’s due zones, and the account’s own bucket when the account’s zone is due', async () => {
    const firingAt = Date.parse('2026-05-19T03:30:00Z');
    const plan = await planOccurrence({ audience: audience(2), accounts }, { segments: 2, zoneBuckets: true, entriesPerSegment: 1 }, campaign(), firingAt);
    expect(plan.zones?.[`whatsapp#${PHONE}`]).toEqual([...dueZones({ at: '09:00', firingAtMs: firingAt }), '_account']);
    const topic = segmentReads(campaign({ audience: { topic: 'deals' } }), plan, 0);
    expect(topic.filter((r) => r.segment.kind === 'topic_zone')).toHaveLength(plan.zones?.[`whatsapp#${PHONE}`]?.length ?? -1);
    expect(topic.filter((r) => r.segment.kind === 'zone')).toHaveLength(plan.zones?.[`whatsapp#${PHONE}`]?.length ?? -1);
    expect(topic.every((r) => r.shard === 0)).toBe(true);
    // No zone has 09:00 at 00:30 UTC (+08:30 is no zone's offset today): one worker, reading nothing.
    const empty = await planOccurrence({ audience: audience(16), accounts }, { segments: 16, zoneBuckets: true, entriesPerSegment: 1 }, campaign(), Date.parse('2026-05-19T00:30:00Z'));
    expect(empty).toEqual({ segments: 1, shards: 16, zones: { [`whatsapp#${PHONE}`]: [] } });
    expect(segmentReads(campaign(), empty, 0)).toEqual([]);
    // An hour later Kolkata isn't due, and neither is the account's bucket.
    const later = await planOccurrence({ audience: audience(2), accounts }, { segments: 2, zoneBuckets: true, entriesPerSegment: 1 }, campaign(), firingAt + 4 * QUARTER);
    expect(later.zones?.[`whatsapp#${PHONE}`]).not.toContain('_account');
  });
});
