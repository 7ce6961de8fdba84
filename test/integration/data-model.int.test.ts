/**
 * Interface under test: the index entries the DynamoDB adapters write (keys.ts: write-sharded gsi1
 * listings, gsi2 zone buckets and person items, gsi3 pending work) and the reads that use them,
 * on dynalite, through the adapters' own interfaces plus raw index Queries where no port reads yet
 * (the person index for erasure, the due index for the sweeper).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbContactProfiles } from '../../lambdas/adapters/dynamodb/contact-profiles';
import { DynamoDbMarketingLedger } from '../../lambdas/adapters/dynamodb/marketing-ledger';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { shardOf, SHARDS } from '../../lambdas/adapters/dynamodb/shards';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import type { ContactRef, InboundEvent, MessageStatusEvent, OptInEvent, TemplateStatusEvent } from '../../lambdas/domain/events';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { stateChanges } from '../../lambdas/domain/state-changes';
import { ensureStateTable } from '../../lambdas/local/table';
import { ACCOUNT_ZONE, type AudienceQuery } from '../../lambdas/ports/audience-index';
import { CampaignSchema } from '../../lambdas/schemas/campaign';
import { loadEvent } from '../helpers/events';
import { indexEntries, readAudience } from '../helpers/layout-checks';

const T0 = Date.UTC(2026, 4, 17, 12);

let raw: DynamoDBClient;
let client: DynamoDBDocumentClient;
let tableName: string;
let store: DynamoDbStateStore;
let audience: DynamoDbAudienceIndex;
let outbox: DynamoDbOutbox;

beforeAll(async () => {
  const endpoint = process.env.DDB_ENDPOINT;
  if (!endpoint) throw new Error('DDB_ENDPOINT is not set: run through the jest integration project');
  raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client = documentClient({ endpoint, region: 'local' });
  tableName = `dm-${randomUUID()}`;
  await ensureStateTable(raw, tableName);
  store = new DynamoDbStateStore(client, { tableName });
  audience = new DynamoDbAudienceIndex(client, tableName);
  outbox = new DynamoDbOutbox(client, tableName);
});

afterAll(() => {
  raw.destroy();
  client.destroy();
});

const freshAccount = (): string => String(Math.floor(Math.random() * 1e15)).padStart(15, '1');
const inbound = (contact: ContactRef, at = T0): InboundEvent => ({ type: 'inbound', eventKey: `${contact.channel}#${contact.accountId}#mid#${randomUUID()}`, occurredAt: at, contact, opener: 'message' });
const zoneOf = (contact: ContactRef, zone: string): AudienceQuery => ({ channel: contact.channel, accountId: contact.accountId, segment: { kind: 'zone', zone } });
const stateItem = async (contact: ContactRef) =>
  (await client.send(new GetCommand({ TableName: tableName, Key: { pk: `C#${contact.channel}#${contact.accountId}#${contact.userId}`, sk: 'STATE' } }))).Item;
const personEntries = (contact: ContactRef) => indexEntries(client, tableName, 'gsi2', `P#${contact.channel}#${contact.accountId}#${contact.userId}`);
const intent = (contact: ContactRef): SendIntent => ({ ...contact, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hi' } });
const dueEntries = async () => (await Promise.all(Array.from({ length: SHARDS }, (_, s) => indexEntries(client, tableName, 'gsi3', `DUE#${String(s).padStart(2, '0')}`)))).flat();
const dueOf = async (pk: string): Promise<number | undefined> => {
  const entry = (await dueEntries()).find((e) => e.pk === pk);
  return entry === undefined ? undefined : Number(entry.gsi3sk?.split('#')[0]);
};

describe('write-sharded audiences', () => {
  it('spreads a burst of new contacts over the 64 shards of the account’s key, each read alone or all behind one cursor', async () => {
    const account = freshAccount();
    const ids = Array.from({ length: 320 }, (_, i) => `49151${String(i).padStart(8, '0')}`);
    await store.apply(ids.flatMap((userId) => stateChanges(inbound({ channel: 'whatsapp', accountId: account, userId }))));
    const all: AudienceQuery = { channel: 'whatsapp', accountId: account, segment: { kind: 'all' } };

    expect(audience.shards).toBe(64);
    const byShard = await Promise.all(Array.from({ length: SHARDS }, (_, shard) => readAudience(audience, { ...all, shard }, 50)));
    byShard.forEach((shardIds, shard) => {
      for (const id of shardIds) expect(shardOf(id)).toBe(shard);
      // No shard takes much more than its share (5 each): no hot key.
      expect(shardIds.length).toBeLessThanOrEqual(15);
    });
    expect(byShard.flat().sort()).toEqual([...ids].sort());
    const walked = await readAudience(audience, all, 37);
    expect(walked).toHaveLength(320);
    expect(new Set(walked).size).toBe(320);
    await expect(audience.page({ ...all, shard: 64 }, undefined, 10)).rejects.toThrow(RangeError);
  });
});

describe('local-time zone buckets (gsi2)', () => {
  it('puts a webhook’s contact in the account-zone bucket, the profile moves it, a later webhook never moves it back', async () => {
    const contact: ContactRef = { channel: 'messenger', accountId: freshAccount(), userId: '7001' };
    const profiles = new DynamoDbContactProfiles(client, tableName);
    await store.apply(stateChanges(inbound(contact)));
    expect(await readAudience(audience, zoneOf(contact, ACCOUNT_ZONE))).toEqual([contact.userId]);

    await profiles.put(contact, { tags: [], attributes: {}, timeZone: 'Europe/Berlin' }, T0);
    await store.apply(stateChanges(inbound(contact, T0 + 1000)));
    await new DynamoDbMarketingLedger(client, tableName).reserve(contact, { key: 'k', atMs: T0 }, { entries: [], version: 0 });
    expect(await readAudience(audience, zoneOf(contact, 'Europe/Berlin'))).toEqual([contact.userId]);
    // The zone, not its offset, names the bucket; any spelling Intl accepts reads it.
    expect(await readAudience(audience, zoneOf(contact, 'europe/berlin'))).toEqual([contact.userId]);
    expect(await readAudience(audience, zoneOf(contact, ACCOUNT_ZONE))).toEqual([]);

    await profiles.put(contact, { tags: [], attributes: {}, timeZone: 'America/New_York' }, T0 + 2000);
    expect(await readAudience(audience, zoneOf(contact, 'Europe/Berlin'))).toEqual([]);
    expect(await readAudience(audience, zoneOf(contact, 'America/New_York'))).toEqual([contact.userId]);

    await profiles.put(contact, { tags: [], attributes: {} }, T0 + 3000);
    expect(await readAudience(audience, zoneOf(contact, 'America/New_York'))).toEqual([]);
    expect(await readAudience(audience, zoneOf(contact, ACCOUNT_ZONE))).toEqual([contact.userId]);
    expect((await stateItem(contact))?.lastInboundAt).toBe(T0 + 1000);
  });

  it('puts a topic’s opt-in with its own zone in the topic’s zone bucket, and takes it out when a newer opt-in has no zone', async () => {
    const contact: ContactRef = { channel: 'messenger', accountId: freshAccount(), userId: '7002' };
    const optIn = (fields: Partial<OptInEvent>, at: number): OptInEvent => ({
      type: 'opt_in',
      eventKey: `messenger#${contact.accountId}#optin#${randomUUID()}`,
      occurredAt: at,
      contact,
      token: 'tok-z',
      change: 'opt_in',
      payload: 'deals',
      ...fields,
    });
    const topicZone = (zone: string): AudienceQuery => ({ channel: 'messenger', accountId: contact.accountId, segment: { kind: 'topic_zone', topic: 'deals', zone } });

    await store.apply(stateChanges(optIn({ timezone: 'Europe/Paris' }, T0)));
    expect(await readAudience(audience, topicZone('Europe/Paris'))).toEqual([contact.userId]);
    expect(await readAudience(audience, { channel: 'messenger', accountId: contact.accountId, segment: { kind: 'topic', topic: 'deals' } })).toEqual([contact.userId]);
    // A stop keeps the token (and its zone): the policy engine refuses it per send.
    await store.apply(stateChanges(optIn({ change: 'stop', payload: undefined }, T0 + 500)));
    expect(await readAudience(audience, topicZone('Europe/Paris'))).toEqual([contact.userId]);

    await store.apply(stateChanges(optIn({}, T0 + 1000)));
    expect(await readAudience(audience, topicZone('Europe/Paris'))).toEqual([]);
    // An older re-delivery loses to the newer write.
    await store.apply(stateChanges(optIn({ timezone: 'Europe/Paris' }, T0)));
    expect(await readAudience(audience, topicZone('Europe/Paris'))).toEqual([]);
    await store.apply(stateChanges(optIn({ timezone: 'not/a-zone' }, T0 + 2000)));
    expect((await indexEntries(client, tableName, 'gsi2', `AUD#messenger#${contact.accountId}#topic#deals#zone#not/a-zone#${String(shardOf('7002')).padStart(2, '0')}`))).toEqual([]);
  });
});

describe('a WhatsApp person under wa_id and BSUID: one listing', () => {
  const WA = '4915112345678';
  const BSUID = 'DE.88201734659910273645';
  const recordsOf = (account: string) => ({
    wa: { channel: 'whatsapp', accountId: account, userId: WA } as ContactRef,
    bsuid: { channel: 'whatsapp', accountId: account, userId: BSUID } as ContactRef,
  });
  // Meta names the person by BSUID only (a username user), or by both (the record is keyed by wa_id, the BSUID's links to it).
  const byBsuid = (bsuid: ContactRef, at: number): InboundEvent => ({ ...inbound(bsuid, at), identities: { bsuid: BSUID } });
  const byBoth = (wa: ContactRef, at: number): InboundEvent => ({ ...inbound(wa, at), identities: { waId: WA, bsuid: BSUID } });
  const listings = async (account: string) => ({
    all: (await readAudience(audience, { channel: 'whatsapp', accountId: account, segment: { kind: 'all' } })).sort(),
    zone: (await readAudience(audience, zoneOf(recordsOf(account).wa, ACCOUNT_ZONE))).sort(),
  });
  const once = { all: [WA], zone: [WA] };

  it('lists a BSUID-only person under the BSUID, then only under the wa_id once the link is learnt, whatever comes after', async () => {
    const account = freshAccount();
    const { wa, bsuid } = recordsOf(account);
    await store.apply(stateChanges(byBsuid(bsuid, T0)));
    expect(await listings(account)).toEqual({ all: [BSUID], zone: [BSUID] });

    const link = byBoth(wa, T0 + 1000);
    await store.apply(stateChanges(link));
    expect(await listings(account)).toEqual(once);
    // Later BSUID-only webhooks, an older one delivered late, and the link again change nothing.
    await store.apply(stateChanges(byBsuid(bsuid, T0 + 2000)));
    await store.apply(stateChanges(byBsuid(bsuid, T0 - 1000)));
    await store.apply(stateChanges(link));
    expect(await listings(account)).toEqual(once);
    // The BSUID record kept every write (only its listing went), the wa_id record names it, and either id reads one person.
    expect(await stateItem(bsuid)).toMatchObject({ lastInboundAt: T0 + 2000, bsuid: BSUID, linkedUserId: WA });
    expect(await stateItem(bsuid)).not.toHaveProperty('gsi1pk');
    expect(await stateItem(wa)).toMatchObject({ waId: WA, bsuid: BSUID });
    expect(await store.getPerson(bsuid)).toMatchObject({ userId: WA, homeListed: true, state: { lastInboundAt: T0 + 2000 } });
  });

  it('never lists the BSUID record when the link comes first, however the BSUID-only webhooks are ordered', async () => {
    const account = freshAccount();
    const { wa, bsuid } = recordsOf(account);
    await store.apply(stateChanges(byBoth(wa, T0)));
    expect(await listings(account)).toEqual(once);

    await store.apply(stateChanges(byBsuid(bsuid, T0 + 1000)));
    await store.apply(stateChanges(byBsuid(bsuid, T0 - 1000)));
    await store.apply(stateChanges(byBsuid(bsuid, T0 + 1000)));
    expect(await listings(account)).toEqual(once);
    expect(await stateItem(bsuid)).toMatchObject({ lastInboundAt: T0 + 1000, linkedUserId: WA });
    // The person's own zone (their profile, on the wa_id record) moves the one entry there is.
    await new DynamoDbContactProfiles(client, tableName).put(wa, { tags: [], attributes: {}, timeZone: 'Europe/Berlin' }, T0);
    await store.apply(stateChanges(byBsuid(bsuid, T0 + 3000)));
    expect(await readAudience(audience, zoneOf(wa, 'Europe/Berlin'))).toEqual([WA]);
    expect(await readAudience(audience, zoneOf(wa, ACCOUNT_ZONE))).toEqual([]);
  });
});

describe('a person’s items (gsi2)', () => {
  it('finds the sends, the message statuses naming the person and the event records naming them, and nothing else', async () => {
    const contact: ContactRef = { channel: 'whatsapp', accountId: freshAccount(), userId: '4915100007003' };
    const other: ContactRef = { ...contact, userId: '4915100007004' };
    const { record } = await outbox.create({ idempotencyKey: `k-${randomUUID()}`, intent: intent(contact), now: T0 });
    await outbox.create({ idempotencyKey: `k-${randomUUID()}`, intent: intent(other), now: T0 });
    const status = (messageId: string, withContact: boolean): MessageStatusEvent => ({
      type: 'message_status',
      eventKey: `whatsapp#${contact.accountId}#status#${messageId}#delivered`,
      occurredAt: T0 + 1000,
      messageId,
      status: 'delivered',
      ...(withContact ? { contact } : {}),
    });
    await store.apply([...stateChanges(status('wamid.p1', true)), ...stateChanges(status('wamid.p2', false))]);
    // A second status for the same message changes nothing in the index.
    await store.apply(stateChanges({ ...status('wamid.p1', true), status: 'read', eventKey: 'read-1', occurredAt: T0 + 2000 }));
    const events = [inbound(contact), { type: 'template_status', eventKey: `tpl-${randomUUID()}`, occurredAt: T0, account: contact, name: 'x', language: 'de', status: 'APPROVED' } as unknown as TemplateStatusEvent];
    await store.recordEvents(events, { receivedAt: T0 + 5, registered: () => true });

    const entries = await personEntries(contact);

    expect(entries.map((e) => e.gsi2sk).sort()).toEqual(
      [`EVENT#${new Date(T0 + 5).toISOString()}#${events[0]?.eventKey}`, 'MSG#wamid.p1', `SEND#${new Date(T0).toISOString()}`].sort(),
    );
    // A send's entry names its record by the table key alone.
    expect(entries.find((e) => String(e.gsi2sk).startsWith('SEND#'))?.pk).toBe(`O#${record.outboxId}`);
    const event = await client.send(new GetCommand({ TableName: tableName, Key: { pk: `E#${events[0]?.eventKey}`, sk: 'EVENT' } }));
    expect(event.Item).toMatchObject({ channel: 'whatsapp', accountId: contact.accountId, userId: contact.userId });
    // The outbox record shows none of its index attributes.
    expect(await outbox.get(record.outboxId)).toEqual(record);
  });

  it('lists a contact’s sends newest first, in pages, with none of another contact’s', async () => {
    const contact: ContactRef = { channel: 'messenger', accountId: freshAccount(), userId: '7005' };
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await outbox.create({ idempotencyKey: `s-${randomUUID()}`, intent: intent(contact), now: T0 + i * 60_000, group: i === 2 ? `c#${i}` : undefined })).record.outboxId);
    await outbox.create({ idempotencyKey: `s-${randomUUID()}`, intent: intent({ ...contact, userId: '7006' }), now: T0 + 10 * 60_000 });

    const first = await outbox.listByContact(contact, undefined, 2);
    const second = await outbox.listByContact(contact, first.cursor, 2);
    const third = await outbox.listByContact(contact, second.cursor, 2);

    expect([...first.outboxIds, ...second.outboxIds, ...third.outboxIds]).toEqual([...ids].reverse());
    expect(third).not.toHaveProperty('cursor');
    await expect(outbox.listByContact({ ...contact, userId: '7006' }, first.cursor, 2)).rejects.toThrow('another listing');
  });
});

describe('pending work by due time (gsi3)', () => {
  it('holds a job while queued or claimed, at the time it is due, and drops it when it ends', async () => {
    const contact: ContactRef = { channel: 'whatsapp', accountId: freshAccount(), userId: '4915100007010' };
    const { record } = await outbox.create({ idempotencyKey: `d-${randomUUID()}`, intent: intent(contact), now: T0 });
    const pk = `O#${record.outboxId}`;
    expect(await dueOf(pk)).toBe(T0);

    const claim = await outbox.claim(record.outboxId, T0 + 100, 30_000);
    if (!claim.claimed) throw new Error('claim refused');
    // The claim leaves the entry at the queued due time; the sweeper reads the deadline from the record.
    expect(await dueOf(pk)).toBe(T0);
    expect(claim.record.claimUntil).toBe(T0 + 30_100);
    await outbox.finish(record.outboxId, claim.claimToken, T0 + 200, { status: 'queued', reason: 'rate_limited', notBefore: T0 + 60_000 });
    expect(await dueOf(pk)).toBe(T0 + 60_000);

    const again = await outbox.claim(record.outboxId, T0 + 60_000, 30_000);
    if (!again.claimed) throw new Error('claim refused');
    await outbox.finish(record.outboxId, again.claimToken, T0 + 61_000, { status: 'sent', messageId: 'wamid.d' });
    expect(await dueOf(pk)).toBeUndefined();

    // A send that may have reached Meta ends unknown: no longer pending either.
    const { record: lost } = await outbox.create({ idempotencyKey: `d-${randomUUID()}`, intent: intent(contact), now: T0 });
    const lostClaim = await outbox.claim(lost.outboxId, T0 + 1, 30_000);
    if (!lostClaim.claimed) throw new Error('claim refused');
    await outbox.markSending(lost.outboxId, lostClaim.claimToken, T0 + 2, { outcome: 'allow', route: 'whatsapp_free_form' } as never, 1);
    await outbox.markUnknown(lost.outboxId, lostClaim.claimToken, T0 + 3, 'timeout');
    expect(await dueOf(`O#${lost.outboxId}`)).toBeUndefined();

    // The sweeper's query: due before now, shard by shard.
    const { record: overdue } = await outbox.create({ idempotencyKey: `d-${randomUUID()}`, intent: intent(contact), now: T0 - 3_600_000 });
    const before = (await Promise.all(Array.from({ length: SHARDS }, (_, s) => indexEntries(client, tableName, 'gsi3', `DUE#${String(s).padStart(2, '0')}`, { before: String(T0 - 1).padStart(15, '0') })))).flat();
    expect(before.map((e) => e.pk)).toContain(`O#${overdue.outboxId}`);
    expect(before.map((e) => e.pk)).not.toContain(pk);
  });

  it('holds a running occurrence at its lease expiry, moves it with the lease, and drops it when done', async () => {
    const campaignId = `due-${randomUUID().slice(0, 8)}`;
    const occurrences = new DynamoDbOccurrenceStore(client, tableName);
    const occurrenceKey = '2026-05-18T08:00:00.000Z';
    const pk = `CAMPAIGN#${campaignId}`;
    const lease = await occurrences.acquire({
      campaignId,
      occurrenceKey,
      firingAt: Date.parse(occurrenceKey),
      now: T0,
      leaseMs: 60_000,
      create: { ...CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json')), id: campaignId },
    });
    if (!lease.acquired) throw new Error('not acquired');
    expect(await dueOf(pk)).toBe(T0 + 60_000);

    const page = { pages: 1, cursor: 'c', counts: { audience: 1, enqueued: 1, notDue: 0, skipped: {} }, costByCurrency: {}, status: 'running' as const, now: T0 + 1000, leaseUntil: T0 + 120_000 };
    await occurrences.savePage(campaignId, occurrenceKey, lease.leaseToken, page);
    expect(await dueOf(pk)).toBe(T0 + 120_000);
    const taken = await occurrences.acquire({ campaignId, occurrenceKey, firingAt: Date.parse(occurrenceKey), now: T0 + 130_000, leaseMs: 60_000 });
    if (!taken.acquired) throw new Error('not taken over');
    expect(await dueOf(pk)).toBe(T0 + 190_000);

    await occurrences.savePage(campaignId, occurrenceKey, taken.leaseToken, { ...page, cursor: undefined, status: 'done', now: T0 + 140_000, leaseUntil: 0 });
    expect(await dueOf(pk)).toBeUndefined();
    expect(await occurrences.get(campaignId, occurrenceKey)).not.toHaveProperty('gsi3pk');
  });
});
