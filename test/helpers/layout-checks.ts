/**
 * Checks that a state table answers every listing of the current data model (keys.ts) for a data
 * set the previous-release fixture wrote: the expectations come from the fixture, not from the key
 * functions, so a wrong key shape or a missed item fails.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { shardOf, SHARDS } from '../../lambdas/adapters/dynamodb/shards';
import type { ContactRef } from '../../lambdas/domain/events';
import { ACCOUNT_ZONE, type AudienceQuery } from '../../lambdas/ports/audience-index';
import { contactKey, type PreviousReleaseData } from './previous-release';

const sorted = (values: readonly string[]): string[] => [...values].sort();

/** Every entry of one index partition (raw Query), for checks below the adapters. */
export const indexEntries = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  index: 'gsi1' | 'gsi2' | 'gsi3',
  partition: string,
  options: { before?: string; forward?: boolean } = {},
): Promise<Record<string, string>[]> => {
  const items: Record<string, string>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: options.before === undefined ? '#pk = :p' : '#pk = :p AND #sk < :before',
        ExpressionAttributeNames: { '#pk': `${index}pk`, ...(options.before === undefined ? {} : { '#sk': `${index}sk` }) },
        ExpressionAttributeValues: { ':p': partition, ...(options.before === undefined ? {} : { ':before': options.before }) },
        ScanIndexForward: options.forward ?? true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, string>[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

export const readAudience = async (audience: DynamoDbAudienceIndex, query: AudienceQuery, limit = 7): Promise<string[]> => {
  const userIds: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await audience.page(query, cursor, limit);
    userIds.push(...page.userIds);
    cursor = page.cursor;
    if ((pages += 1) > 1000) throw new Error('the audience never ends');
  } while (cursor);
  return userIds;
};

const readGroup = async (outbox: DynamoDbOutbox, group: string): Promise<string[]> => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await outbox.listGroup(group, cursor, 4);
    ids.push(...page.outboxIds);
    cursor = page.cursor;
  } while (cursor);
  return ids;
};

/** The claim deadline the backfill gives a claimed job of the previous release. */
export const STALE_CLAIM_MS = 120_000;

export const expectCurrentLayout = async (client: DynamoDBDocumentClient, tableName: string, data: PreviousReleaseData): Promise<void> => {
  const audience = new DynamoDbAudienceIndex(client, tableName);
  const outbox = new DynamoDbOutbox(client, tableName);
  const ids = (contacts: readonly ContactRef[]) => sorted(contacts.map((c) => c.userId));

  for (const account of [data.messenger, data.whatsapp]) {
    const members = data.contacts.filter((c) => c.channel === account.channel);
    // Every contact, behind one cursor, and shard by shard with each id in its own shard; a linked
    // BSUID record in none of the listings below (its person is listed once, by the wa_id).
    expect(sorted(await readAudience(audience, { ...account, segment: { kind: 'all' } }))).toEqual(ids(members));
    const byShard = await Promise.all(Array.from({ length: SHARDS }, (_, shard) => readAudience(audience, { ...account, segment: { kind: 'all' }, shard })));
    expect(sorted(byShard.flat())).toEqual(ids(members));
    byShard.forEach((shardIds, shard) => shardIds.forEach((id) => expect(shardOf(id)).toBe(shard)));
    // Nothing is left under the previous release's unsharded key.
    expect(await indexEntries(client, tableName, 'gsi1', `AUD#${account.channel}#${account.accountId}#all`)).toEqual([]);

    // Tags.
    for (const tag of ['vip', 'newsletter']) {
      const holders = members.filter((c) => data.tags.get(contactKey(c))?.includes(tag));
      expect(sorted(await readAudience(audience, { ...account, segment: { kind: 'tag', tag } }))).toEqual(ids(holders));
    }

    // Local-time zone buckets: the profile's zone, else the account's.
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) {
      const inZone = members.filter((c) => data.profileZones.get(contactKey(c)) === zone);
      expect(sorted(await readAudience(audience, { ...account, segment: { kind: 'zone', zone } }))).toEqual(ids(inZone));
    }
    const accountZone = members.filter((c) => !data.profileZones.has(contactKey(c)));
    expect(sorted(await readAudience(audience, { ...account, segment: { kind: 'zone', zone: ACCOUNT_ZONE } }))).toEqual(ids(accountZone));
  }

  // Topic audiences and the topic's own zone buckets.
  const topic = { ...data.messenger, segment: { kind: 'topic' as const, topic: 'weekly-deals' } };
  expect(sorted(await readAudience(audience, topic))).toEqual(ids(data.optIns.map((o) => o.contact)));
  const paris = { ...data.messenger, segment: { kind: 'topic_zone' as const, topic: 'weekly-deals', zone: 'Europe/Paris' } };
  expect(sorted(await readAudience(audience, paris))).toEqual(ids(data.optIns.filter((o) => o.zone === 'Europe/Paris').map((o) => o.contact)));

  // The occurrence's jobs, over every shard.
  expect(sorted(await readGroup(outbox, data.group))).toEqual(sorted(data.jobs.filter((j) => j.group === data.group).map((j) => j.outboxId)));
  expect(await indexEntries(client, tableName, 'gsi1', `OCC#${data.group}`)).toEqual([]);

  // Sends by contact, newest first.
  for (const contact of data.contacts) {
    const expected = data.jobs
      .filter((j) => j.contact.channel === contact.channel && j.contact.userId === contact.userId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((j) => j.outboxId);
    expect((await outbox.listByContact(contact, undefined, 10)).outboxIds).toEqual(expected);
  }

  // A person's items outside the contact partition: sends and message statuses naming them.
  for (const { messageId, recipient } of data.messages.filter((m) => m.recipient)) {
    const person = recipient as ContactRef;
    const entries = await indexEntries(client, tableName, 'gsi2', `P#${person.channel}#${person.accountId}#${person.userId}`);
    expect(entries.map((e) => e.pk)).toEqual(expect.arrayContaining([`M#${messageId}`]));
    const sends = data.jobs.filter((j) => j.contact.userId === person.userId).map((j) => `O#${j.outboxId}`);
    expect(sorted(entries.map((e) => String(e.pk)))).toEqual(sorted([`M#${messageId}`, ...sends]));
  }

  // Pending work: exactly the queued and claimed jobs and the running occurrence, each at its due time.
  const due = (await Promise.all(Array.from({ length: SHARDS }, (_, s) => indexEntries(client, tableName, 'gsi3', `DUE#${String(s).padStart(2, '0')}`)))).flat();
  const expectedDue = [
    ...data.jobs
      .filter((j) => j.status === 'queued' || j.status === 'claimed')
      .map((j) => ({ pk: `O#${j.outboxId}`, at: j.status === 'claimed' ? (j.claimedAt as number) + STALE_CLAIM_MS : (j.notBefore ?? j.createdAt) })),
    ...data.occurrences.filter((o) => o.status === 'running').map((o) => ({ pk: `CAMPAIGN#${o.campaignId}`, at: o.leaseUntil })),
  ];
  expect(due.map((e) => ({ pk: String(e.pk), at: Number(e.gsi3sk?.split('#')[0]) })).sort((a, b) => a.pk.localeCompare(b.pk))).toEqual(
    expectedDue.sort((a, b) => a.pk.localeCompare(b.pk)),
  );
};
