/**
 * Interface under test: the campaign storage adapters (campaigns, occurrences, audience index,
 * contact profiles, marketing ledger, outbox groups) against dynalite, on one table created the way
 * the local stack creates it.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { DynamoDbCampaignStore } from '../../lambdas/adapters/dynamodb/campaign-store';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbContactProfiles } from '../../lambdas/adapters/dynamodb/contact-profiles';
import { DynamoDbMarketingLedger } from '../../lambdas/adapters/dynamodb/marketing-ledger';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { ledgerSnapshotOf } from '../../lambdas/campaign/contact-view';
import { contactProfileOf } from '../../lambdas/domain/contact-profile';
import type { Channel, ContactRef, InboundEvent, OptInEvent } from '../../lambdas/domain/events';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { stateChanges } from '../../lambdas/domain/state-changes';
import { ensureStateTable } from '../../lambdas/local/table';
import type { AudienceQuery, AudienceSegment } from '../../lambdas/ports/audience-index';
import type { AcquireRequest, PageUpdate } from '../../lambdas/ports/occurrence-store';
import { type Campaign, CampaignSchema } from '../../lambdas/schemas/campaign';
import { loadEvent } from '../helpers/events';
import { DE_BSUID, DE_WA, PHONE, PSID } from '../helpers/sample-ids';

const T0 = Date.UTC(2026, 4, 17, 12);
const DAY = 24 * 3_600_000;

let raw: DynamoDBClient;
let client: DynamoDBDocumentClient;
let tableName: string;
let store: DynamoDbStateStore;
let audience: DynamoDbAudienceIndex;

beforeAll(async () => {
  const endpoint = process.env.DDB_ENDPOINT;
  if (!endpoint) throw new Error('DDB_ENDPOINT is not set: run through the jest integration project');
  raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client = documentClient({ endpoint, region: 'local' });
  tableName = `c-${randomUUID()}`;
  await ensureStateTable(raw, tableName);
  store = new DynamoDbStateStore(client, { tableName });
  audience = new DynamoDbAudienceIndex(client, tableName);
});

afterAll(() => {
  raw.destroy();
  client.destroy();
});

/** A fresh account per test keeps each test's audiences to itself on the shared table. */
const freshAccount = (): string => String(Math.floor(Math.random() * 1e15)).padStart(15, '1');

const inbound = (contact: ContactRef, at = T0): InboundEvent => ({
  type: 'inbound',
  eventKey: `${contact.channel}#${contact.accountId}#mid#${randomUUID()}`,
  occurredAt: at,
  contact,
  opener: 'message',
});

const optIn = (contact: ContactRef, token: string, fields: Partial<OptInEvent>, at = T0): OptInEvent => ({
  type: 'opt_in',
  eventKey: `${contact.channel}#${contact.accountId}#optin#${randomUUID()}`,
  occurredAt: at,
  contact,
  token,
  change: 'opt_in',
  ...fields,
});

/** Every user id of an audience, reading it page by page as a dispatcher does. */
const readAll = async (query: AudienceQuery, limit = 100): Promise<{ userIds: string[]; pages: number }> => {
  const userIds: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await audience.page(query, cursor, limit);
    userIds.push(...page.userIds);
    cursor = page.cursor;
    pages += 1;
  } while (cursor);
  return { userIds, pages };
};

const segmentOf = (channel: Channel, accountId: string, segment: AudienceSegment): AudienceQuery => ({ channel, accountId, segment });

describe('state table', () => {
  // The message changed with the data model for scale (issue 10): such a table is now migrated by
  // `npm run backfill` rather than only thrown away; test/integration/backfill.int.test.ts covers it.
  it('refuses, with what to do, a persisted table from before the audience index', async () => {
    const legacy = `legacy-${randomUUID()}`;
    await raw.send(
      new CreateTableCommand({
        TableName: legacy,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await expect(ensureStateTable(raw, legacy)).rejects.toThrow(/\.local-data/);
    await expect(ensureStateTable(raw, legacy)).rejects.toThrow(/without the gsi1, gsi2, gsi3 indexes.*npm run backfill/s);
    await expect(ensureStateTable(raw, tableName)).resolves.toBeUndefined();
  });
});

describe('audience index', () => {
  it('lists a contact written by a webhook in its account’s audience, and only there', async () => {
    const account = freshAccount();
    const contact: ContactRef = { channel: 'messenger', accountId: account, userId: PSID };
    await store.apply(stateChanges(inbound(contact)));
    await store.apply(stateChanges(inbound({ ...contact, accountId: freshAccount(), userId: '111' })));

    const page = await audience.page(segmentOf('messenger', account, { kind: 'all' }), undefined, 10);

    expect(page).toEqual({ userIds: [PSID] });
    expect((await audience.page(segmentOf('instagram', account, { kind: 'all' }), undefined, 10)).userIds).toEqual([]);
  });

  it('lists an opt-in under its topic, once per contact however many tokens it holds, and drops it when a newer opt-in has no topic', async () => {
    const account = freshAccount();
    const anna: ContactRef = { channel: 'messenger', accountId: account, userId: '2001' };
    const ben: ContactRef = { channel: 'messenger', accountId: account, userId: '2002' };
    await store.apply([
      ...stateChanges(optIn(anna, 'tok-a1', { title: 'Weekly deals' })),
      ...stateChanges(optIn(anna, 'tok-a2', { title: 'Weekly deals' })),
      ...stateChanges(optIn(ben, 'tok-b1', { title: 'Restock alerts', payload: 'restock' })),
    ]);
    const topic = (t: string) => segmentOf('messenger', account, { kind: 'topic', topic: t });

    expect((await audience.page(topic('Weekly deals'), undefined, 10)).userIds).toEqual(['2001']);
    expect((await audience.page(topic('restock'), undefined, 10)).userIds).toEqual(['2002']);
    expect((await audience.page(topic('Restock alerts'), undefined, 10)).userIds).toEqual([]);

    await store.apply(stateChanges(optIn(ben, 'tok-b1', {}, T0 + 1000)));
    expect((await audience.page(topic('restock'), undefined, 10)).userIds).toEqual([]);
    // An older re-delivery loses to the newer write: the token stays out of the topic.
    await store.apply(stateChanges(optIn(ben, 'tok-b1', { payload: 'restock' })));
    expect((await audience.page(topic('restock'), undefined, 10)).userIds).toEqual([]);
  });

  it('pages through 250 contacts, every id exactly once', async () => {
    const account = freshAccount();
    const ids = Array.from({ length: 250 }, (_, i) => `49151${String(i).padStart(8, '0')}`);
    await store.apply(ids.flatMap((userId) => stateChanges(inbound({ channel: 'whatsapp', accountId: account, userId }))));

    const { userIds, pages } = await readAll(segmentOf('whatsapp', account, { kind: 'all' }), 100);

    expect(userIds).toHaveLength(250);
    expect([...userIds].sort()).toEqual([...ids].sort());
    expect(pages).toBe(3);
    // A page that ends the audience says so, even when it is exactly full.
    expect(await readAll(segmentOf('whatsapp', account, { kind: 'all' }), 125)).toMatchObject({ pages: 2 });
    expect(await audience.page(segmentOf('whatsapp', account, { kind: 'all' }), undefined, 250)).not.toHaveProperty('cursor');
  });

  it('refuses a malformed cursor, and a cursor of another audience, with a clear message', async () => {
    const account = freshAccount();
    await store.apply(
      ['1', '2', '3'].flatMap((userId) => stateChanges(inbound({ channel: 'instagram', accountId: account, userId: `30${userId}` }))),
    );
    const all = segmentOf('instagram', account, { kind: 'all' });
    const { cursor } = await audience.page(all, undefined, 1);

    await expect(audience.page(all, 'not-a-cursor', 10)).rejects.toThrow('malformed page cursor');
    await expect(audience.page(all, Buffer.from('{"pk":1}').toString('base64url'), 10)).rejects.toThrow('malformed page cursor');
    await expect(audience.page(segmentOf('instagram', freshAccount(), { kind: 'all' }), cursor, 10)).rejects.toThrow('another listing');
  });
});

describe('contact profiles', () => {
  it('puts tags into tag audiences and takes replaced ones out, keeping the contact’s state and opt-ins', async () => {
    const account = freshAccount();
    const profiles = new DynamoDbContactProfiles(client, tableName);
    const contact: ContactRef = { channel: 'messenger', accountId: account, userId: PSID };
    await store.apply([...stateChanges(inbound(contact)), ...stateChanges(optIn(contact, 'tok-1', { title: 'News' }))]);
    const tag = (t: string) => segmentOf('messenger', account, { kind: 'tag', tag: t });

    await profiles.put(contact, { tags: ['vip', 'newsletter'], attributes: { firstName: 'Anna' }, timeZone: 'Europe/Berlin', country: 'DE' }, T0);
    expect((await audience.page(tag('vip'), undefined, 10)).userIds).toEqual([PSID]);
    expect((await audience.page(tag('newsletter'), undefined, 10)).userIds).toEqual([PSID]);

    await profiles.put(contact, { tags: ['newsletter', 'churn-risk'], attributes: { firstName: 'Anna' } }, T0 + 1000);
    expect((await audience.page(tag('vip'), undefined, 10)).userIds).toEqual([]);
    expect((await audience.page(tag('newsletter'), undefined, 10)).userIds).toEqual([PSID]);
    expect((await audience.page(tag('churn-risk'), undefined, 10)).userIds).toEqual([PSID]);

    const person = await store.getPerson(contact);
    expect(person?.optIns.map((o) => o.token)).toEqual(['tok-1']);
    expect(person?.state.lastInboundAt).toBe(T0);
    expect(contactProfileOf(person?.state ?? {})).toEqual({ tags: ['newsletter', 'churn-risk'], attributes: { firstName: 'Anna' } });
  });

  it('creates a contact it did not know, in the account’s audience', async () => {
    const account = freshAccount();
    const contact: ContactRef = { channel: 'whatsapp', accountId: account, userId: '4915100000077' };
    await new DynamoDbContactProfiles(client, tableName).put(contact, { tags: ['imported'], attributes: {} }, T0);

    expect((await audience.page(segmentOf('whatsapp', account, { kind: 'all' }), undefined, 10)).userIds).toEqual(['4915100000077']);
    expect(contactProfileOf((await store.getPerson(contact))?.state ?? {})).toEqual({ tags: ['imported'], attributes: {} });
  });

  it('marks a contact an import created, and keeps the mark when a later write names no origin', async () => {
    const account = freshAccount();
    const profiles = new DynamoDbContactProfiles(client, tableName);
    const imported: ContactRef = { channel: 'whatsapp', accountId: account, userId: '4915100000079' };
    const wrote: ContactRef = { channel: 'whatsapp', accountId: account, userId: '4915100000080' };
    await store.apply(stateChanges(inbound(wrote)));

    await profiles.put(imported, { tags: [], attributes: { firstName: 'Mia' } }, T0, { origin: 'import' });
    await profiles.put(imported, { tags: ['vip'], attributes: { firstName: 'Mia' } }, T0 + 1000);
    await profiles.put(wrote, { tags: [], attributes: {} }, T0);

    expect((await store.getPerson(imported))?.state).toMatchObject({ origin: 'import', profileTags: ['vip'] });
    expect((await store.getPerson(wrote))?.state.origin).toBeUndefined();
  });

  it('refuses more than 50 tags', async () => {
    const contact: ContactRef = { channel: 'whatsapp', accountId: freshAccount(), userId: '4915100000078' };
    const tags = Array.from({ length: 51 }, (_, i) => `t${i}`);
    await expect(new DynamoDbContactProfiles(client, tableName).put(contact, { tags, attributes: {} }, T0)).rejects.toThrow(RangeError);
  });
});

describe('campaign store', () => {
  const sample = CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json'));
  const campaignWith = (id: string, changes: Partial<Campaign> = {}): Campaign => ({ ...sample, id, ...changes });

  it('creates once, replaces only at the expected version, and lists by id', async () => {
    const campaigns = new DynamoDbCampaignStore(client, tableName);
    const id = `c-${randomUUID().slice(0, 8)}`;

    expect(await campaigns.put(campaignWith(id), T0)).toEqual({ campaign: campaignWith(id), createdAt: T0, updatedAt: T0, version: 1 });
    expect(await campaigns.put(campaignWith(id, { name: 'again' }), T0)).toBeUndefined();
    expect(await campaigns.put(campaignWith(id, { name: 'v2' }), T0 + 1, 1)).toMatchObject({ version: 2, createdAt: T0, updatedAt: T0 + 1 });
    expect(await campaigns.put(campaignWith(id, { name: 'stale' }), T0 + 2, 1)).toBeUndefined();
    expect((await campaigns.get(id))?.campaign.name).toBe('v2');

    await campaigns.put(campaignWith(`${id}-b`), T0);
    await campaigns.put(campaignWith(`${id}-a`), T0);
    const listed = (await campaigns.list()).map((c) => c.campaign.id).filter((c) => c.startsWith(id));
    expect(listed).toEqual([id, `${id}-a`, `${id}-b`]);
  });

  it('moves the status only from the allowed ones, keeping the definition in step', async () => {
    const campaigns = new DynamoDbCampaignStore(client, tableName);
    const id = `s-${randomUUID().slice(0, 8)}`;
    await campaigns.put(campaignWith(id, { status: 'draft' }), T0);

    expect(await campaigns.setStatus(id, 'running', T0 + 1, { from: ['scheduled'] })).toBeUndefined();
    const scheduled = await campaigns.setStatus(id, 'scheduled', T0 + 2, { from: ['draft'], ruleName: 'afterchat-campaign-x' });
    expect(scheduled).toMatchObject({ campaign: { status: 'scheduled' }, version: 2, updatedAt: T0 + 2, ruleName: 'afterchat-campaign-x' });
    expect(await campaigns.setStatus(id, 'paused', T0 + 3)).toMatchObject({ campaign: { status: 'paused' }, version: 3 });
    expect(await campaigns.setStatus('missing-campaign', 'paused', T0 + 3)).toBeUndefined();
    // A version read before the status move is stale.
    expect(await campaigns.put(campaignWith(id, { status: 'draft' }), T0 + 4, 2)).toBeUndefined();
  });

  it('names a stored campaign that no longer parses', async () => {
    const campaigns = new DynamoDbCampaignStore(client, tableName);
    const id = `p-${randomUUID().slice(0, 8)}`;
    await campaigns.put(campaignWith(id), T0);
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: 'CAMPAIGNS', sk: id },
        UpdateExpression: 'SET #d.kind = :k',
        ExpressionAttributeNames: { '#d': 'definition' },
        ExpressionAttributeValues: { ':k': 'newsletter' },
      }),
    );
    await expect(campaigns.get(id)).rejects.toThrow(`stored campaign ${id} no longer parses`);
    await campaigns.delete(id);
    expect(await campaigns.get(id)).toBeUndefined();
  });
});

describe('occurrence store', () => {
  const occurrences = () => new DynamoDbOccurrenceStore(client, tableName);
  const request = (campaignId: string, changes: Partial<AcquireRequest> = {}): AcquireRequest => ({
    campaignId,
    occurrenceKey: '2026-05-18T08:00:00.000Z',
    firingAt: Date.UTC(2026, 4, 18, 8),
    now: T0,
    leaseMs: 60_000,
    create: { ...CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json')), id: campaignId },
    ...changes,
  });
  const page = (changes: Partial<PageUpdate>): PageUpdate => ({
    pages: 1,
    cursor: 'c1',
    counts: { audience: 100, enqueued: 90, notDue: 0, skipped: { quiet_hours: 10 } },
    costByCurrency: { EUR: 9 },
    status: 'running',
    now: T0 + 1000,
    leaseUntil: T0 + 61_000,
    ...changes,
  });

  it('creates the occurrence once; a second firing is refused while the lease lives, and takes it once expired', async () => {
    const id = `o-${randomUUID().slice(0, 8)}`;
    const first = await occurrences().acquire(request(id));
    expect(first).toMatchObject({
      acquired: true,
      occurrence: { status: 'running', pages: 0, counts: { audience: 0, enqueued: 0, notDue: 0, skipped: {} }, costByCurrency: {}, leaseUntil: T0 + 60_000 },
    });

    const refused = await occurrences().acquire(request(id, { now: T0 + 59_000 }));
    expect(refused).toMatchObject({ acquired: false, occurrence: { status: 'running' } });
    expect(await occurrences().acquire(request(id, { create: undefined, now: T0 + 59_000 }))).toMatchObject({ acquired: false });

    const takeover = await occurrences().acquire(request(id, { create: undefined, now: T0 + 61_000 }));
    expect(takeover).toMatchObject({ acquired: true, occurrence: { leaseUntil: T0 + 121_000 } });
    // The first worker lost its lease: its page is refused.
    if (!first.acquired) throw new Error('unreachable');
    expect(await occurrences().savePage(id, first.occurrence.occurrenceKey, first.leaseToken, page({}))).toBe(false);
  });

  it('lets a handover token take the lease over once, before it expires', async () => {
    const id = `h-${randomUUID().slice(0, 8)}`;
    const first = await occurrences().acquire(request(id));
    if (!first.acquired) throw new Error('the first acquire must create the occurrence');

    const handedOver = await occurrences().acquire(request(id, { create: undefined, now: T0 + 1000, handoverToken: first.leaseToken }));
    const again = await occurrences().acquire(request(id, { create: undefined, now: T0 + 2000, handoverToken: first.leaseToken }));

    expect(handedOver.acquired).toBe(true);
    expect(again.acquired).toBe(false);
    expect(await occurrences().acquire(request(id, { create: undefined, now: T0 + 1000, handoverToken: 'made-up' }))).toMatchObject({ acquired: false });
  });

  it('saves pages under the lease, never acquires a done occurrence, and never shows the lease token', async () => {
    const id = `d-${randomUUID().slice(0, 8)}`;
    const lease = await occurrences().acquire(request(id));
    if (!lease.acquired) throw new Error('the first acquire must create the occurrence');
    const key = lease.occurrence.occurrenceKey;

    expect(await occurrences().savePage(id, key, lease.leaseToken, page({}))).toBe(true);
    expect(await occurrences().get(id, key)).toMatchObject({ pages: 1, cursor: 'c1', counts: { enqueued: 90 }, costByCurrency: { EUR: 9 } });
    expect(await occurrences().savePage(id, key, lease.leaseToken, page({ pages: 2, cursor: undefined, status: 'done', now: T0 + 2000, leaseUntil: 0 }))).toBe(true);

    const done = await occurrences().get(id, key);
    expect(done).toMatchObject({ status: 'done', pages: 2, finishedAt: T0 + 2000, leaseUntil: 0 });
    expect(done).not.toHaveProperty('cursor');
    expect(done).not.toHaveProperty('leaseToken');
    expect(await occurrences().acquire(request(id, { now: T0 + 10 * DAY }))).toMatchObject({ acquired: false, occurrence: { status: 'done' } });
    expect(await occurrences().acquire(request(id, { create: undefined, now: T0 + 3000, handoverToken: lease.leaseToken }))).toMatchObject({
      acquired: false,
    });
    expect(await occurrences().acquire(request(`${id}-none`, { create: undefined }))).toEqual({ acquired: false, occurrence: undefined });
  });

  it('lists occurrences newest first, up to the limit', async () => {
    const id = `l-${randomUUID().slice(0, 8)}`;
    for (const day of [18, 19, 20]) {
      await occurrences().acquire(request(id, { occurrenceKey: new Date(Date.UTC(2026, 4, day, 8)).toISOString() }));
    }
    const listed = await occurrences().list(id, 2);
    expect(listed.map((o) => o.occurrenceKey)).toEqual(['2026-05-20T08:00:00.000Z', '2026-05-19T08:00:00.000Z']);
    expect(listed[0]).not.toHaveProperty('leaseToken');
  });
});

describe('marketing ledger', () => {
  it('reserves idempotently per key, refuses a stale version with the current snapshot, and drops month-old entries', async () => {
    const ledger = new DynamoDbMarketingLedger(client, tableName);
    const contact: ContactRef = { channel: 'whatsapp', accountId: freshAccount(), userId: '4915100000099' };
    await store.apply(stateChanges(inbound(contact)));
    const read = async () => ledgerSnapshotOf((await store.getPerson(contact))?.state ?? {});

    const empty = await read();
    expect(empty).toEqual({ entries: [], version: 0 });
    expect(await ledger.reserve(contact, { key: 'old', atMs: T0 }, empty)).toEqual({ ok: true });
    // The same key again from the same stale snapshot: already recorded, so a success.
    expect(await ledger.reserve(contact, { key: 'old', atMs: T0 }, empty)).toEqual({ ok: true });
    const afterOld = await read();
    expect(afterOld).toEqual({ entries: [{ key: 'old', atMs: T0 }], version: 1 });
    expect(await ledger.reserve(contact, { key: 'old', atMs: T0 }, afterOld)).toEqual({ ok: true });

    expect(await ledger.reserve(contact, { key: 'other-campaign', atMs: T0 + DAY }, empty)).toEqual({
      ok: false,
      current: { entries: [{ key: 'old', atMs: T0 }], version: 1 },
    });

    expect(await ledger.reserve(contact, { key: 'b', atMs: T0 + 31 * DAY }, afterOld)).toEqual({ ok: true });
    expect(await read()).toEqual({ entries: [{ key: 'b', atMs: T0 + 31 * DAY }], version: 2 });
    expect((await store.getPerson(contact))?.state.lastInboundAt).toBe(T0);
  });
});

describe('a WhatsApp person under two ids', () => {
  it('reads the profile and ledger of the wa_id record, the one writes address, whichever id finds the person', async () => {
    const account = freshAccount();
    const byWaId: ContactRef = { channel: 'whatsapp', accountId: account, userId: DE_WA };
    await store.apply(stateChanges({ ...inbound(byWaId), identities: { waId: DE_WA, bsuid: DE_BSUID } }));
    await new DynamoDbContactProfiles(client, tableName).put(byWaId, { tags: ['vip'], attributes: {}, country: 'DE' }, T0);
    await new DynamoDbMarketingLedger(client, tableName).reserve(byWaId, { key: 'k1', atMs: T0 }, { entries: [], version: 0 });

    const person = await store.getPerson({ ...byWaId, userId: DE_BSUID });

    expect(person?.userId).toBe(DE_WA);
    expect(contactProfileOf(person?.state ?? {})).toEqual({ tags: ['vip'], attributes: {}, country: 'DE' });
    expect(ledgerSnapshotOf(person?.state ?? {})).toEqual({ entries: [{ key: 'k1', atMs: T0 }], version: 1 });
    // The account's audience lists the person once, by the wa_id record: the BSUID's is linked to it.
    expect((await readAll(segmentOf('whatsapp', account, { kind: 'all' }))).userIds).toEqual([DE_WA]);
  });
});

describe('a page of people read together', () => {
  it('finds each person exactly as reading them one by one: both WhatsApp ids merged, a BSUID alone, opt-ins, a missing id', async () => {
    const account = freshAccount();
    const whatsapp = (userId: string): ContactRef => ({ channel: 'whatsapp', accountId: account, userId });
    const otherBsuid = 'DE.10000000000000000001';
    await store.apply(stateChanges({ ...inbound(whatsapp(DE_WA)), identities: { waId: DE_WA, bsuid: DE_BSUID } }));
    // A later message named by the BSUID only: its window lands on the BSUID's record, and wins the merge.
    await store.apply(stateChanges({ ...inbound(whatsapp(DE_BSUID), T0 + 60_000), identities: { bsuid: DE_BSUID } }));
    await store.apply(stateChanges({ ...inbound(whatsapp(otherBsuid)), identities: { bsuid: otherBsuid } }));
    await new DynamoDbContactProfiles(client, tableName).put(whatsapp(DE_WA), { tags: ['vip'], attributes: {}, country: 'DE' }, T0);
    const messenger: ContactRef = { channel: 'messenger', accountId: account, userId: PSID };
    await store.apply(stateChanges(optIn(messenger, 'token-1', { title: 'Deals', payload: 'deals' })));
    const refs = [whatsapp(DE_WA), whatsapp(DE_BSUID), messenger, whatsapp('4915100000009'), whatsapp(otherBsuid), whatsapp(DE_WA)];

    const together = await store.getPeople(refs, 2);

    expect(together).toEqual(await Promise.all(refs.map((ref) => store.getPerson(ref))));
    expect(together[0]).toMatchObject({ userId: DE_WA, homeListed: true, state: { lastInboundAt: T0 + 60_000, profileTags: ['vip'] } });
    expect(together[1]?.userId).toBe(DE_WA);
    expect(together[2]?.optIns).toHaveLength(1);
    expect(together[3]).toBeUndefined();
    expect(together[4]).toMatchObject({ userId: otherBsuid, homeListed: true });
  });
});

describe('outbox groups', () => {
  const intent = (userId: string): SendIntent => ({
    channel: 'whatsapp',
    accountId: PHONE,
    userId,
    kind: 'marketing',
    author: 'bot',
    content: { type: 'template', name: 'weekly_deals', language: 'de' },
  });

  it('pages through the records of one occurrence, and reads them back in the order asked', async () => {
    const outbox = new DynamoDbOutbox(client, tableName);
    const group = `g-${randomUUID().slice(0, 8)}#2026-05-18T08:00:00.000Z`;
    const created = await Promise.all(
      Array.from({ length: 7 }, (_, i) => outbox.create({ idempotencyKey: `${group}#${i}`, intent: intent(`49151000001${i}`), now: T0, group })),
    );
    await outbox.create({ idempotencyKey: `${group}#ungrouped`, intent: intent('4915100000200'), now: T0 });
    await outbox.create({ idempotencyKey: `${group}#other`, intent: intent('4915100000201'), now: T0, group: `${group}-other` });

    const listed: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await outbox.listGroup(group, cursor, 3);
      listed.push(...page.outboxIds);
      pageSizes.push(page.outboxIds.length);
      cursor = page.cursor;
    } while (cursor);
    expect(pageSizes).toEqual([3, 3, 1]);

    const ids = created.map((c) => c.record.outboxId);
    expect([...listed].sort()).toEqual([...ids].sort());
    const records = await outbox.getMany([ids[3] as string, 'ob_missing', ids[0] as string]);
    expect(records.map((r) => r.outboxId)).toEqual([ids[3], ids[0]]);
    expect(records[0]).toMatchObject({ status: 'queued', group });
    expect(records[0]).not.toHaveProperty('gsi1pk');
  });
});
