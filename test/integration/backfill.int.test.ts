/**
 * Interface under test: the index backfill (lambdas/adapters/dynamodb/backfill.ts) on dynalite,
 * against a table filled the way the previous release filled it (test/helpers/previous-release.ts,
 * with that release's key functions). Every listing of the current data model must answer for the
 * old items as it does for new ones; a second pass changes nothing; a crash or a deadline midway
 * resumes from the checkpoints; a write racing the backfill is never overwritten.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { BackfillInterrupted, type BackfillProgress, KEY_LAYOUT_MIGRATION, migrateItem, runBackfill } from '../../lambdas/adapters/dynamodb/backfill';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbContactProfiles } from '../../lambdas/adapters/dynamodb/contact-profiles';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import type { ContactRef, InboundEvent, OptInEvent } from '../../lambdas/domain/events';
import { stateChanges } from '../../lambdas/domain/state-changes';
import { migrateTable } from '../../lambdas/local/migrate-table';
import { describeTable, ensureStateTable, rebuildBackupName } from '../../lambdas/local/table';
import { CampaignSchema } from '../../lambdas/schemas/campaign';
import { loadEvent } from '../helpers/events';
import { contactKey, createPreviousReleaseTable, fillAsPreviousRelease, type PreviousReleaseData } from '../helpers/previous-release';
import { expectCurrentLayout, indexEntries, readAudience, STALE_CLAIM_MS } from '../helpers/layout-checks';

let raw: DynamoDBClient;
let client: DynamoDBDocumentClient;

beforeAll(() => {
  const endpoint = process.env.DDB_ENDPOINT;
  if (!endpoint) throw new Error('DDB_ENDPOINT is not set: run through the jest integration project');
  raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client = documentClient({ endpoint, region: 'local' });
});

afterAll(() => {
  raw.destroy();
  client.destroy();
});

/** A table with every index (as after the upgrade's deploys) holding the previous release's items. */
const upgradedTable = async (size = 30): Promise<{ tableName: string; data: PreviousReleaseData; items: number }> => {
  const tableName = `bf-${randomUUID()}`;
  await ensureStateTable(raw, tableName);
  const data = await fillAsPreviousRelease(client, tableName, size);
  return { tableName, data, items: Object.values(data.itemsByKind).reduce((a, b) => a + b, 0) };
};

const backfill = (tableName: string, options: Partial<Parameters<typeof runBackfill>[1]> = {}) =>
  runBackfill(client, { tableName, segments: 3, pageSize: 25, staleClaimMs: STALE_CLAIM_MS, ...options });

describe('index backfill', () => {
  it('migrates a table the previous release filled: every audience, zone, topic, occurrence, person, sends-by-contact and due listing answers', async () => {
    const { tableName, data, items } = await upgradedTable();
    const progress: BackfillProgress[] = [];

    const result = await backfill(tableName, { onProgress: (p) => progress.push(p) });

    expect(result).toMatchObject({ migration: KEY_LAYOUT_MIGRATION, pass: 1, done: true, totalSegments: 3, segmentsDone: 3 });
    expect(result.totals.scanned).toBe(items);
    expect(result.totals.vanished).toBe(0);
    // Per kind: every contact, opt-in with a topic, tag, named message, job and running occurrence moved.
    for (const [kind, written] of Object.entries(data.itemsByKind)) expect(result.byKind[kind as keyof typeof result.byKind]?.scanned).toBe(written);
    // The linked BSUID records lose their listing.
    expect(data.linkedBsuids.length).toBeGreaterThan(0);
    expect(result.byKind.contact?.updated).toBe(data.contacts.length + data.linkedBsuids.length);
    expect(result.byKind.tag?.updated).toBe(data.itemsByKind.tag);
    expect(result.byKind.opt_in).toMatchObject({ updated: data.optIns.length, unchanged: 1 });
    expect(result.byKind.message).toMatchObject({ updated: data.messages.filter((m) => m.recipient).length, unchanged: 3 });
    // Old event records don't name the user id: nothing to index, they expire by TTL.
    expect(result.byKind.event).toMatchObject({ updated: 0, unchanged: data.itemsByKind.event });
    expect(result.byKind.outbox).toMatchObject({ updated: data.jobs.length, unchanged: 1 });
    expect(result.byKind.occurrence).toMatchObject({ updated: 1, unchanged: 2 });
    expect(result.byKind.other).toMatchObject({ updated: 0 });
    // Progress was reported after every page, counting up to the total.
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.totals.scanned)).toEqual([...progress.map((p) => p.totals.scanned)].sort((a, b) => a - b));

    await expectCurrentLayout(client, tableName, data);
  });

  it('changes nothing on a second pass, and reports a finished pass without scanning again', async () => {
    const { tableName, data, items } = await upgradedTable(12);
    await backfill(tableName);

    const again = await backfill(tableName);
    expect(again).toMatchObject({ pass: 1, done: true, totals: { scanned: items } });

    const second = await backfill(tableName, { restart: true, segments: 2 });
    expect(second).toMatchObject({ pass: 2, done: true, totalSegments: 2, totals: { scanned: items, updated: 0, unchanged: items, vanished: 0 } });
    await expectCurrentLayout(client, tableName, data);
  });

  it('resumes after a crash midway from the last checkpoints, and ends where an uninterrupted run ends', async () => {
    const { tableName, data, items } = await upgradedTable();

    // 3 segments of 25-item pages: at most 75 items are in pages not yet checkpointed.
    await expect(backfill(tableName, { crashAfterItems: 110 })).rejects.toBeInstanceOf(BackfillInterrupted);
    // Checkpoints of the pages finished before the crash hold.
    const head = await client.send(new GetCommand({ TableName: tableName, Key: { pk: 'MIGRATION', sk: KEY_LAYOUT_MIGRATION } }));
    expect(head.Item).toMatchObject({ pass: 1, totalSegments: 3 });
    expect(head.Item).not.toHaveProperty('finishedAt');
    const checkpoints = await Promise.all(
      ['00', '01', '02'].map(async (s) => (await client.send(new GetCommand({ TableName: tableName, Key: { pk: 'MIGRATION', sk: `${KEY_LAYOUT_MIGRATION}#${s}` } }))).Item),
    );
    const checkpointed = checkpoints.reduce((sum, c) => sum + Number(c?.scanned ?? 0), 0);
    expect(checkpointed).toBeGreaterThan(0);
    expect(checkpointed).toBeLessThan(110);

    const reports: number[] = [];
    const resumed = await backfill(tableName, { onProgress: (p) => reports.push(p.totals.scanned) });

    // It starts from the checkpoints (one page on top of them), not from the beginning...
    expect(reports[0]).toBeGreaterThan(checkpointed);
    expect(reports[0]).toBeLessThanOrEqual(checkpointed + 25);
    // ...and counts each item once: the interrupted pages were read again, the checkpointed ones not.
    expect(resumed).toMatchObject({ pass: 1, done: true, totals: { scanned: items, vanished: 0 } });
    expect(resumed.totals.updated + resumed.totals.unchanged).toBe(items);
    await expectCurrentLayout(client, tableName, data);
  });

  it('stops before its deadline, checkpointed, and the next run carries on (a Lambda invocation running out of time)', async () => {
    const { tableName, data, items } = await upgradedTable(12);
    // The deadline passes once the first page is checkpointed: no segment starts another page.
    let late = false;
    const first = await backfill(tableName, { clock: () => (late ? 2_000 : 1_000), deadline: 2_000, onProgress: () => (late = true) });
    expect(first.done).toBe(false);
    expect(first.totals.scanned).toBeGreaterThan(0);
    expect(first.totals.scanned).toBeLessThan(items);

    const rest = await backfill(tableName);
    expect(rest).toMatchObject({ done: true, totals: { scanned: items } });
    await expectCurrentLayout(client, tableName, data);
  });

  it('never overwrites a write that raced it: a profile moved to another zone after the scan read the item', async () => {
    const { tableName, data } = await upgradedTable(12);
    const contact = data.contacts.find((c) => data.profileZones.get(contactKey(c)) === 'Europe/Berlin') as NonNullable<(typeof data.contacts)[number]>;
    const key = { pk: `C#${contact.channel}#${contact.accountId}#${contact.userId}`, sk: 'STATE' };
    const scanned = (await client.send(new GetCommand({ TableName: tableName, Key: key }))).Item as Record<string, unknown>;
    // The new release's profile write lands between the scan and the backfill's write.
    await new DynamoDbContactProfiles(client, tableName).put(contact, { tags: [], attributes: {}, timeZone: 'Asia/Tokyo' }, Date.now());

    expect(await migrateItem(client, tableName, scanned, { staleClaimMs: STALE_CLAIM_MS })).toEqual({ kind: 'contact', outcome: 'unchanged' });
    const audience = new DynamoDbAudienceIndex(client, tableName);
    expect(await readAudience(audience, { channel: contact.channel, accountId: contact.accountId, segment: { kind: 'zone', zone: 'Asia/Tokyo' } })).toEqual([contact.userId]);
    expect(await readAudience(audience, { channel: contact.channel, accountId: contact.accountId, segment: { kind: 'zone', zone: 'Europe/Berlin' } })).not.toContain(contact.userId);

    // A job claimed after the scan: the claim writes no due entry, the backfill adds it at the job's queued due time, and the rest.
    const job = data.jobs.find((j) => j.status === 'queued' && j.group && j.notBefore === undefined) as NonNullable<(typeof data.jobs)[number]>;
    const jobKey = { pk: `O#${job.outboxId}`, sk: 'OUTBOX' };
    const jobScanned = (await client.send(new GetCommand({ TableName: tableName, Key: jobKey }))).Item as Record<string, unknown>;
    const claim = await new DynamoDbOutbox(client, tableName).claim(job.outboxId, Date.UTC(2026, 5, 1), 45_000);
    expect(claim.claimed).toBe(true);
    expect(await migrateItem(client, tableName, jobScanned, { staleClaimMs: STALE_CLAIM_MS })).toEqual({ kind: 'outbox', outcome: 'updated' });
    const stored = (await client.send(new GetCommand({ TableName: tableName, Key: jobKey }))).Item as Record<string, unknown>;
    expect(String(stored.gsi3sk)).toMatch(new RegExp(`^0*${job.createdAt}#OUTBOX#`));
    expect(stored.claimUntil).toBe(Date.UTC(2026, 5, 1) + 45_000);
    expect(String(stored.gsi1pk)).toMatch(/^OCC#weekly-deals#2026-05-10T08:00:00\.000Z#\d\d$/);
    expect(stored.gsi2pk).toBe(`P#whatsapp#${job.contact.accountId}#${job.contact.userId}`);

    // An item deleted after the scan stays deleted.
    const tagged = data.contacts.find((c) => c !== contact && data.tags.has(contactKey(c))) as NonNullable<(typeof data.contacts)[number]>;
    const tag = data.tags.get(contactKey(tagged))?.[0] as string;
    const tagKey = { pk: `C#${tagged.channel}#${tagged.accountId}#${tagged.userId}`, sk: `TAG#${tag}` };
    const tagItem = (await client.send(new GetCommand({ TableName: tableName, Key: tagKey }))).Item as Record<string, unknown>;
    await new DynamoDbContactProfiles(client, tableName).put(tagged, { tags: [], attributes: {} }, Date.now());
    expect(await migrateItem(client, tableName, tagItem, { staleClaimMs: STALE_CLAIM_MS })).toEqual({ kind: 'tag', outcome: 'vanished' });
    expect((await client.send(new GetCommand({ TableName: tableName, Key: tagKey }))).Item).toBeUndefined();
  });
});

describe('a WhatsApp person under wa_id and BSUID', () => {
  it('takes a linked BSUID record out of every listing, and never lists one whose link was learnt after the scan', async () => {
    const { tableName, data } = await upgradedTable(8);
    const get = async (contact: ContactRef) =>
      (await client.send(new GetCommand({ TableName: tableName, Key: { pk: `C#${contact.channel}#${contact.accountId}#${contact.userId}`, sk: 'STATE' } }))).Item as Record<string, unknown>;
    const linked = data.linkedBsuids[0] as ContactRef;
    const before = await get(linked);
    expect(typeof before.linkedUserId).toBe('string');
    expect(before.gsi1pk).toBe(`AUD#whatsapp#${data.whatsapp.accountId}#all`);

    expect(await migrateItem(client, tableName, await get(linked), { staleClaimMs: STALE_CLAIM_MS })).toEqual({ kind: 'contact', outcome: 'updated' });
    const migrated = await get(linked);
    for (const attribute of ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']) expect(migrated).not.toHaveProperty(attribute);
    expect(migrated.linkedUserId).toBe(before.linkedUserId);

    // A BSUID-only person the previous release listed; the new release learns their wa_id between the scan and the backfill's write.
    const waId = '4915199999901';
    const bsuid: ContactRef = { ...data.whatsapp, userId: 'DE.99000000000000000001' };
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `C#whatsapp#${bsuid.accountId}#${bsuid.userId}`, sk: 'STATE', entity: 'contact', ...bsuid, bsuid: bsuid.userId, gsi1pk: `AUD#whatsapp#${bsuid.accountId}#all`, gsi1sk: bsuid.userId },
      }),
    );
    const scanned = await get(bsuid);
    const at = Date.UTC(2026, 4, 20);
    const byBoth: InboundEvent = {
      type: 'inbound',
      eventKey: `whatsapp#${bsuid.accountId}#mid#late-link`,
      occurredAt: at,
      contact: { ...bsuid, userId: waId },
      opener: 'message',
      identities: { waId, bsuid: bsuid.userId },
    };
    await new DynamoDbStateStore(client, { tableName }).apply(stateChanges(byBoth));

    // The backfill's write was derived from an unlinked record: the link refuses it, and the item read again needs nothing.
    expect(await migrateItem(client, tableName, scanned, { staleClaimMs: STALE_CLAIM_MS })).toEqual({ kind: 'contact', outcome: 'unchanged' });
    const audience = new DynamoDbAudienceIndex(client, tableName);
    const listed = await readAudience(audience, { ...data.whatsapp, segment: { kind: 'all' } });
    expect(listed).toContain(waId);
    expect(listed).not.toContain(bsuid.userId);
    expect(await readAudience(audience, { ...data.whatsapp, segment: { kind: 'zone', zone: '_account' } })).not.toContain(bsuid.userId);
  });
});

describe('rebuilding a local (dynalite) table without the new indexes', () => {
  it('refuses to start on it, and finishes a rebuild a crash interrupted during the copy, losing nothing', async () => {
    const tableName = `old-${randomUUID()}`;
    await createPreviousReleaseTable(raw, tableName);
    const data = await fillAsPreviousRelease(client, tableName, 8);
    const items = Object.values(data.itemsByKind).reduce((a, b) => a + b, 0);
    await expect(ensureStateTable(raw, tableName)).rejects.toThrow(/without the gsi2, gsi3 indexes.*npm run backfill/s);
    // A crash while copying out: the copy holds a few items and no completion mark.
    await raw.send(
      new CreateTableCommand({
        TableName: rebuildBackupName(tableName),
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
    await client.send(new PutCommand({ TableName: rebuildBackupName(tableName), Item: { pk: `C#messenger#${data.messenger.accountId}#${data.contacts[0]?.userId}`, sk: 'STATE' } }));
    await expect(ensureStateTable(raw, tableName)).rejects.toThrow(/interrupted.*npm run backfill/s);
    const steps: string[] = [];

    const { rebuilt, missingIndexes, progress } = await migrateTable(raw, client, { tableName, rebuild: true, onRebuild: (p) => steps.push(p.step), segments: 2, staleClaimMs: STALE_CLAIM_MS });

    expect(rebuilt).toBe(true);
    expect(missingIndexes).toEqual([]);
    expect(steps).toEqual(expect.arrayContaining(['copy-out', 'recreate', 'copy-back', 'done']));
    expect(await describeTable(raw, rebuildBackupName(tableName))).toBeUndefined();
    await expect(ensureStateTable(raw, tableName)).resolves.toBeUndefined();
    expect(progress).toMatchObject({ done: true, totals: { scanned: items } });
    await expectCurrentLayout(client, tableName, data);
    // Nothing left to rebuild.
    expect((await migrateTable(raw, client, { tableName, rebuild: true })).rebuilt).toBe(false);
  });
});

describe('the write path and the backfill agree', () => {
  it('finds nothing to change in items the current adapters wrote, whatever state they reached', async () => {
    const tableName = `bf-${randomUUID()}`;
    await ensureStateTable(raw, tableName);
    const store = new DynamoDbStateStore(client, { tableName });
    const outbox = new DynamoDbOutbox(client, tableName);
    const profiles = new DynamoDbContactProfiles(client, tableName);
    const occurrences = new DynamoDbOccurrenceStore(client, tableName);
    const T = Date.UTC(2026, 4, 17, 12);
    const anna: ContactRef = { channel: 'messenger', accountId: '1234567890123456', userId: '8001' };
    const wa: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915100008002' };
    const inbound = (contact: ContactRef, at: number): InboundEvent => ({ type: 'inbound', eventKey: `${contact.userId}#${at}`, occurredAt: at, contact, opener: 'message' });
    const optIn = (token: string, fields: Partial<OptInEvent>, at: number): OptInEvent => ({ type: 'opt_in', eventKey: `${token}#${at}`, occurredAt: at, contact: anna, token, change: 'opt_in', ...fields });
    await store.apply([
      ...stateChanges(inbound(anna, T)),
      ...stateChanges({ ...inbound(wa, T), identities: { waId: wa.userId, bsuid: 'DE.123' } }),
      ...stateChanges(optIn('t1', { payload: 'deals', timezone: 'Europe/Paris' }, T)),
      ...stateChanges(optIn('t2', { title: 'News' }, T)),
      ...stateChanges(optIn('t3', { payload: 'gone', timezone: 'Asia/Tokyo' }, T)),
      ...stateChanges(optIn('t4', { payload: 'bad-zone', timezone: 'Mars/Olympus' }, T)),
      ...stateChanges({ type: 'message_status', eventKey: 's1', occurredAt: T, messageId: 'wamid.w1', status: 'read', contact: wa }),
      ...stateChanges({ type: 'message_status', eventKey: 's2', occurredAt: T, messageId: 'm.w2', status: 'delivered' }),
    ]);
    await store.apply(stateChanges(optIn('t3', { title: undefined }, T + 1)));
    await store.recordEvents([inbound(anna, T), inbound(wa, T + 1)], { receivedAt: T + 5, registered: () => true });
    await profiles.put(anna, { tags: ['vip'], attributes: {}, timeZone: 'europe/berlin' }, T);
    await profiles.put(wa, { tags: [], attributes: {}, timeZone: 'America/New_York' }, T);
    await profiles.put(wa, { tags: ['x'], attributes: {} }, T + 1);
    const jobs = await Promise.all(
      ['queued', 'retry', 'claimed', 'sent', 'unknown'].map(async (name) => (await outbox.create({ idempotencyKey: `g#${name}`, intent: { ...wa, kind: 'marketing', author: 'bot', content: { type: 'text', text: 'x' } }, now: T, group: 'c#o' })).record.outboxId),
    );
    const claim = async (id: string) => {
      const c = await outbox.claim(id, T + 10, 120_000);
      if (!c.claimed) throw new Error('claim refused');
      return c.claimToken;
    };
    await outbox.finish(jobs[1] as string, await claim(jobs[1] as string), T + 20, { status: 'queued', reason: 'rate_limited', notBefore: T + 9_000 });
    await claim(jobs[2] as string);
    const sent = await claim(jobs[3] as string);
    await outbox.finish(jobs[3] as string, sent, T + 20, { status: 'sent', messageId: 'wamid.sent' });
    const lost = await claim(jobs[4] as string);
    await outbox.markSending(jobs[4] as string, lost, T + 11, { outcome: 'allow', route: 'whatsapp_template' } as never, 1);
    await outbox.markUnknown(jobs[4] as string, lost, T + 12, 'timeout');
    const campaign = { ...CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json')), id: 'c' };
    const running = await occurrences.acquire({ campaignId: 'c', occurrenceKey: 'o1', firingAt: T, now: T, leaseMs: 60_000, create: campaign });
    const finished = await occurrences.acquire({ campaignId: 'c', occurrenceKey: 'o2', firingAt: T, now: T, leaseMs: 60_000, create: campaign });
    if (!running.acquired || !finished.acquired) throw new Error('not acquired');
    const page = { pages: 1, counts: { audience: 1, enqueued: 1, notDue: 0, skipped: {} }, costByCurrency: {}, now: T + 1 };
    await occurrences.savePage('c', 'o1', running.leaseToken, { ...page, cursor: 'x', status: 'running', leaseUntil: T + 90_000 });
    await occurrences.savePage('c', 'o2', finished.leaseToken, { ...page, status: 'done', leaseUntil: 0 });

    const result = await runBackfill(client, { tableName, segments: 2, staleClaimMs: 1 });

    // 3 contact records (one a linked BSUID), 4 opt-ins, 2 tags, 2 messages, 2 events, 5 jobs, 2 occurrences.
    expect(result.totals.scanned).toBe(20);
    expect(result.totals.updated).toBe(0);
  });
});

describe('the upgrade window (new code, backfill not yet run)', () => {
  it('still lists every contact and job of the previous release: the unsharded keys are read after the shards', async () => {
    const { tableName, data } = await upgradedTable(10);
    const audience = new DynamoDbAudienceIndex(client, tableName);
    // The previous release listed the linked BSUID records too: the dispatcher reads each as its person, listed by the wa_id, and skips it.
    const members = [...data.contacts.filter((c) => c.channel === 'whatsapp'), ...data.linkedBsuids].map((c) => c.userId);

    expect((await readAudience(audience, { ...data.whatsapp, segment: { kind: 'all' } }, 3)).sort()).toEqual([...members].sort());
    // Read shard by shard, the unsharded key belongs to shard 0.
    expect((await readAudience(audience, { ...data.whatsapp, segment: { kind: 'all' }, shard: 0 }, 3)).sort()).toEqual(expect.arrayContaining([...members].sort()));
    const jobs: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await new DynamoDbOutbox(client, tableName).listGroup(data.group, cursor, 4);
      jobs.push(...page.outboxIds);
      cursor = page.cursor;
    } while (cursor);
    expect(jobs.sort()).toEqual(data.jobs.filter((j) => j.group).map((j) => j.outboxId).sort());
  });

  it('continues an audience walk from a cursor the previous release handed out', async () => {
    const { tableName, data } = await upgradedTable(10);
    const legacy = await indexEntries(client, tableName, 'gsi1', `AUD#whatsapp#${data.whatsapp.accountId}#all`);
    const oldCursor = Buffer.from(JSON.stringify(legacy[3])).toString('base64url');

    const rest = await new DynamoDbAudienceIndex(client, tableName).page({ ...data.whatsapp, segment: { kind: 'all' } }, oldCursor, 100);

    expect(rest.userIds).toEqual(legacy.slice(4).map((e) => e.gsi1sk));
    expect(rest).not.toHaveProperty('cursor');
    await expect(new DynamoDbAudienceIndex(client, tableName).page({ ...data.messenger, segment: { kind: 'all' } }, oldCursor, 10)).rejects.toThrow('another listing');
  });
});
