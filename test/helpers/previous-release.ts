/**
 * A state table as the previous release (one index, `gsi1`, unsharded) created and filled it, for
 * the backfill tests. The key functions below are copies of that release's keys.ts, frozen here on
 * purpose: the current ones must not leak into what "old" means. The items carry the attributes the
 * old adapters wrote (register orders, identity, profile, outbox and occurrence fields), with the old
 * index attributes and none of the new ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Channel, ContactRef } from '../../lambdas/domain/events';
import { outboxIdFor } from '../../lambdas/domain/send/outbox-id';

// ---- the previous release's keys.ts (frozen copy) ----
const oldContactPk = (c: ContactRef): string => `C#${c.channel}#${c.accountId}#${c.userId}`;
const oldAudiencePk = (channel: string, accountId: string, segment: { kind: 'all' } | { kind: 'topic'; topic: string } | { kind: 'tag'; tag: string }): string => {
  const base = `AUD#${channel}#${accountId}#`;
  switch (segment.kind) {
    case 'all':
      return `${base}all`;
    case 'topic':
      return `${base}topic#${segment.topic}`;
    case 'tag':
      return `${base}tag#${segment.tag}`;
  }
};
const oldOutboxGroupPk = (group: string): string => `OCC#${group}`;
const oldAudienceEntry = (c: ContactRef, segment: Parameters<typeof oldAudiencePk>[2]) => ({ gsi1pk: oldAudiencePk(c.channel, c.accountId, segment), gsi1sk: c.userId });
const oldContactIdentity = (c: ContactRef) => ({ entity: 'contact', channel: c.channel, accountId: c.accountId, userId: c.userId, ...oldAudienceEntry(c, { kind: 'all' }) });
// -------------------------------------------------------

/** The previous release's local table: pk/sk and the keys-only gsi1 only. */
export const createPreviousReleaseTable = async (raw: DynamoDBClient, tableName: string): Promise<void> => {
  await raw.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
};

export const T0 = Date.UTC(2026, 4, 10, 8);
/** The sample campaign as a draft: the definition the old items carry. */
const campaignDefinition = (): Record<string, unknown> => ({
  ...(JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', 'campaigns', 'weekly-deals-recurring.json'), 'utf8')) as Record<string, unknown>),
  status: 'draft',
});
const order = (at: number, key: string): string => `${String(at).padStart(15, '0')}#${key}`;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'] as const;

export interface Job {
  outboxId: string;
  contact: ContactRef;
  status: 'queued' | 'claimed' | 'sent' | 'failed' | 'skipped' | 'unknown';
  createdAt: number;
  group?: string;
  notBefore?: number;
  claimedAt?: number;
}

/** What the fixture wrote, to compare every listing against (independent of the adapters). */
export interface PreviousReleaseData {
  messenger: { channel: Channel; accountId: string };
  whatsapp: { channel: Channel; accountId: string };
  contacts: ContactRef[];
  /**
   * BSUID records linked to a WhatsApp contact's wa_id record (Meta named the person by both): the
   * previous release listed them in the account's audience like every record; the current one doesn't.
   */
  linkedBsuids: ContactRef[];
  /** The profile zone of each contact that has one, by `channel#userId`. */
  profileZones: Map<string, string>;
  tags: Map<string, string[]>;
  /** Messenger opt-ins to `weekly-deals`, with the opt-in's own zone where it has one. */
  optIns: { contact: ContactRef; token: string; zone?: string }[];
  messages: { messageId: string; recipient?: ContactRef }[];
  /** Event records that name a contact (without its user id: the old records didn't store it). */
  contactEvents: number;
  jobs: Job[];
  group: string;
  occurrences: { campaignId: string; occurrenceKey: string; status: 'running' | 'done' | 'paused'; leaseUntil: number }[];
  /** Every item written, by kind. */
  itemsByKind: Record<string, number>;
}

export const contactKey = (c: ContactRef): string => `${c.channel}#${c.userId}`;

/** Fills `tableName` as the previous release's adapters would have after some weeks of use. */
export const fillAsPreviousRelease = async (client: DynamoDBDocumentClient, tableName: string, size = 30): Promise<PreviousReleaseData> => {
  const messenger = { channel: 'messenger' as Channel, accountId: '1234567890123456' };
  const whatsapp = { channel: 'whatsapp' as Channel, accountId: '109876543210987' };
  const items: Record<string, unknown>[] = [];
  const itemsByKind: Record<string, number> = {};
  const put = (kind: string, item: Record<string, unknown>) => {
    items.push(item);
    itemsByKind[kind] = (itemsByKind[kind] ?? 0) + 1;
  };

  const contacts: ContactRef[] = [
    ...Array.from({ length: size }, (_, i) => ({ ...messenger, userId: `65432109876${String(i).padStart(5, '0')}` })),
    ...Array.from({ length: size }, (_, i) => ({ ...whatsapp, userId: `49151${String(i).padStart(8, '0')}` })),
  ];
  const linkedBsuids: ContactRef[] = [];
  const profileZones = new Map<string, string>();
  const tags = new Map<string, string[]>();
  contacts.forEach((contact, i) => {
    const at = T0 - (i + 1) * 60_000;
    const item: Record<string, unknown> = {
      pk: oldContactPk(contact),
      sk: 'STATE',
      ...oldContactIdentity(contact),
      lastInboundAt: at,
      lastInboundOrder: order(at, `mid.${i}`),
      lastInboundMessageId: `mid.${i}`,
      lastInboundStandby: false,
    };
    if (i % 3 === 0) {
      const zone = ZONES[(i / 3) % ZONES.length] as string;
      profileZones.set(contactKey(contact), zone);
      const contactTags = [...(i % 4 === 0 ? ['vip'] : []), ...(i % 5 === 0 ? ['newsletter'] : [])];
      Object.assign(item, { profileTags: contactTags, profileAttributes: { firstName: `Person ${i}` }, timeZone: zone, country: 'DE', profileUpdatedAt: at });
      if (contactTags.length > 0) tags.set(contactKey(contact), contactTags);
      for (const tag of contactTags) {
        put('tag', {
          pk: oldContactPk(contact),
          sk: `TAG#${tag}`,
          entity: 'contact_tag',
          channel: contact.channel,
          accountId: contact.accountId,
          userId: contact.userId,
          tag,
          ...oldAudienceEntry(contact, { kind: 'tag', tag }),
        });
      }
    }
    if (i === 7) Object.assign(item, { marketingLedger: { 'deals#2026-05-03': T0 - 7 * 86_400_000 }, marketingLedgerVersion: 1 });
    if (contact.channel === 'whatsapp' && i % 4 === 1) {
      const bsuid = { ...contact, userId: `DE.${String(8_820_173_400 + i)}` };
      linkedBsuids.push(bsuid);
      const learnt = order(at, `mid.${i}`);
      Object.assign(item, { waId: contact.userId, waIdOrder: learnt, bsuid: bsuid.userId, bsuidOrder: learnt });
      put('contact', { pk: oldContactPk(bsuid), sk: 'STATE', ...oldContactIdentity(bsuid), linkedUserId: contact.userId, linkOrder: learnt });
    }
    put('contact', item);
  });

  // Messenger opt-ins: every second contact subscribed to weekly-deals; every sixth with its own zone.
  const optIns: PreviousReleaseData['optIns'] = [];
  contacts
    .filter((c) => c.channel === 'messenger')
    .forEach((contact, i) => {
      if (i % 2 !== 0) return;
      const token = `tok-${i}`;
      const zone = i % 6 === 0 ? 'Europe/Paris' : undefined;
      optIns.push({ contact, token, ...(zone ? { zone } : {}) });
      const at = T0 - 3_600_000 - i;
      put('opt_in', {
        pk: oldContactPk(contact),
        sk: `OPTIN#${token}`,
        entity: 'opt_in',
        channel: contact.channel,
        accountId: contact.accountId,
        userId: contact.userId,
        token,
        status: 'active',
        lastChange: 'opt_in',
        statusChangedAt: at,
        optInStatusOrder: order(at, `optin-${i}`),
        title: 'Weekly deals',
        payload: 'weekly-deals',
        topic: 'weekly-deals',
        ...(zone ? { timezone: zone } : {}),
        frequency: 'WEEKLY',
        optInDetailsOrder: order(at, `optin-${i}`),
        optedInAt: at,
        source: 'messenger:messaging_optins',
        optInOriginOrder: order(at, `optin-${i}`),
        ...oldAudienceEntry(contact, { kind: 'topic', topic: 'weekly-deals' }),
      });
    });
  // A token whose opt-in carried no title or payload: no topic, no audience entry.
  const untitled = contacts[1] as ContactRef;
  put('opt_in', { pk: oldContactPk(untitled), sk: 'OPTIN#tok-untitled', entity: 'opt_in', channel: untitled.channel, accountId: untitled.accountId, userId: untitled.userId, token: 'tok-untitled', status: 'active' });

  // Message statuses: WhatsApp ones name their recipient; Messenger deliveries don't.
  const messages: PreviousReleaseData['messages'] = [];
  contacts
    .filter((c) => c.channel === 'whatsapp')
    .slice(0, 10)
    .forEach((recipient, i) => {
      const messageId = `wamid.old-${i}`;
      messages.push({ messageId, recipient });
      const at = T0 + i * 1000;
      put('message', {
        pk: `M#${messageId}`,
        sk: 'STATUS',
        entity: 'message',
        messageId,
        status: 'delivered',
        statusAt: at,
        statusOrder: order(at, `st-${i}`),
        statusRank: 2,
        channel: recipient.channel,
        accountId: recipient.accountId,
        userId: recipient.userId,
        recipientOrder: order(at, `st-${i}`),
      });
    });
  for (let i = 0; i < 3; i += 1) {
    const messageId = `m_old-${i}`;
    messages.push({ messageId });
    put('message', { pk: `M#${messageId}`, sk: 'STATUS', entity: 'message', messageId, status: 'delivered', statusAt: T0, statusOrder: order(T0, `d-${i}`), statusRank: 2 });
  }

  // Event records: the old ones name channel and account, never the user id.
  let contactEvents = 0;
  contacts.slice(0, 15).forEach((contact, i) => {
    contactEvents += 1;
    const eventKey = `${contact.channel}#${contact.accountId}#mid#old-${i}`;
    put('event', { pk: `E#${eventKey}`, sk: 'EVENT', entity: 'event', eventKey, type: 'inbound', channel: contact.channel, accountId: contact.accountId, occurredAt: T0, receivedAt: T0 + 5, registered: true, expiresAt: Math.floor(T0 / 1000) + 30 * 86_400 });
  });
  for (let i = 0; i < 5; i += 1) {
    const eventKey = `whatsapp#${whatsapp.accountId}#template#old-${i}`;
    put('event', { pk: `E#${eventKey}`, sk: 'EVENT', entity: 'event', eventKey, type: 'template_status', channel: 'whatsapp', accountId: whatsapp.accountId, occurredAt: T0, receivedAt: T0 + 5, registered: true, expiresAt: Math.floor(T0 / 1000) + 30 * 86_400 });
  }

  // Outbox: one campaign occurrence's jobs (one per WhatsApp contact, every status), and one-off sends.
  const group = 'weekly-deals#2026-05-10T08:00:00.000Z';
  const jobs: Job[] = [];
  const STATUSES: Job['status'][] = ['sent', 'sent', 'sent', 'queued', 'claimed', 'failed', 'skipped', 'unknown'];
  contacts
    .filter((c) => c.channel === 'whatsapp')
    .forEach((contact, i) => {
      const status = STATUSES[i % STATUSES.length] as Job['status'];
      const job: Job = {
        outboxId: outboxIdFor(`${group}#${contact.userId}`),
        contact,
        status,
        createdAt: T0 + i,
        group,
        ...(status === 'queued' && i % 16 === 3 ? { notBefore: T0 + 600_000 } : {}),
        ...(status === 'claimed' ? { claimedAt: T0 + 30_000 } : {}),
      };
      jobs.push(job);
    });
  contacts
    .filter((c) => c.channel === 'messenger')
    .slice(0, 5)
    .forEach((contact, i) => {
      for (const [n, status] of (['sent', 'queued'] as const).entries()) {
        jobs.push({ outboxId: outboxIdFor(`one-off-${i}-${n}`), contact, status, createdAt: T0 + 86_400_000 * (n + 1) + i });
      }
    });
  for (const job of jobs) {
    const idempotencyKey = job.group ? `${job.group}#${job.contact.userId}` : `one-off-${jobs.indexOf(job)}`;
    put('outbox', {
      pk: `O#${job.outboxId}`,
      sk: 'OUTBOX',
      entity: 'outbox',
      outboxId: job.outboxId,
      idempotencyKey,
      status: job.status,
      intent: { channel: job.contact.channel, accountId: job.contact.accountId, userId: job.contact.userId, kind: job.group ? 'marketing' : 'reply', author: 'bot', content: { type: 'text', text: 'Hello' } },
      createdAt: job.createdAt,
      updatedAt: job.createdAt + 1000,
      attempts: job.status === 'queued' ? 0 : 1,
      ...(job.group ? { group: job.group, gsi1pk: oldOutboxGroupPk(job.group), gsi1sk: job.outboxId } : {}),
      ...(job.notBefore ? { notBefore: job.notBefore, reason: 'rate_limited' } : {}),
      ...(job.claimedAt ? { claimToken: 'old-claim', claimedAt: job.claimedAt } : {}),
      ...(job.status === 'sent' ? { messageId: `wamid.sent-${job.outboxId}`, sentAt: job.createdAt + 2000, route: 'whatsapp_template' } : {}),
      ...(job.status === 'failed' ? { errorCode: 131026, reason: 'undeliverable' } : {}),
      ...(job.status === 'unknown' ? { reason: 'timeout', sendingAt: job.createdAt + 1500 } : {}),
    });
  }
  // A delivery report that reached an outbox record before its job existed: not a job, no entries.
  put('outbox', { pk: 'O#ob_AAAAAAAAAAAAAAAAAAAAAAAA', sk: 'OUTBOX', outboxId: 'ob_AAAAAAAAAAAAAAAAAAAAAAAA', deliveryStatus: 'delivered', deliveryAt: T0, deliveryOrder: order(T0, 'x') });

  // Occurrences: the occurrence above finished, another still running (its worker died), one paused.
  const occurrences: PreviousReleaseData['occurrences'] = [
    { campaignId: 'weekly-deals', occurrenceKey: '2026-05-10T08:00:00.000Z', status: 'done', leaseUntil: 0 },
    { campaignId: 'weekly-deals', occurrenceKey: '2026-05-17T08:00:00.000Z', status: 'running', leaseUntil: T0 + 7 * 86_400_000 + 60_000 },
    { campaignId: 'restock', occurrenceKey: '2026-05-11T09:00:00.000Z', status: 'paused', leaseUntil: T0 + 90_000 },
  ];
  for (const o of occurrences) {
    put('occurrence', {
      pk: `CAMPAIGN#${o.campaignId}`,
      sk: `OCC#${o.occurrenceKey}`,
      entity: 'occurrence',
      campaignId: o.campaignId,
      occurrenceKey: o.occurrenceKey,
      firingAt: Date.parse(o.occurrenceKey),
      status: o.status,
      startedAt: Date.parse(o.occurrenceKey),
      updatedAt: Date.parse(o.occurrenceKey) + 1000,
      pages: 1,
      counts: { audience: 30, enqueued: 30, notDue: 0, skipped: {} },
      costByCurrency: { EUR: 1.5 },
      leaseUntil: o.leaseUntil,
      leaseToken: 'old-lease',
      campaign: { ...campaignDefinition(), id: o.campaignId },
      ...(o.status === 'running' ? { cursor: Buffer.from(JSON.stringify({ pk: 'x', sk: 'STATE', gsi1pk: 'AUD#whatsapp#1#all', gsi1sk: '1' })).toString('base64url') } : {}),
    });
  }

  // Records no index lists.
  put('other', { pk: 'CAMPAIGNS', sk: 'weekly-deals', entity: 'campaign', definition: campaignDefinition(), status: 'draft', createdAt: T0, updatedAt: T0, version: 3 });
  put('other', { pk: `T#whatsapp#${whatsapp.accountId}`, sk: 'order_update#de', entity: 'template', name: 'order_update', language: 'de', status: 'APPROVED' });
  put('other', { pk: 'ACCOUNTS', sk: `whatsapp#${whatsapp.accountId}`, channel: 'whatsapp', accountId: whatsapp.accountId });
  put('other', { pk: `A#whatsapp#${whatsapp.accountId}`, sk: 'POLICY', entity: 'account_policy', channel: 'whatsapp', accountId: whatsapp.accountId });

  for (let i = 0; i < items.length; i += 25) {
    await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  return { messenger, whatsapp, contacts, linkedBsuids, profileZones, tags, optIns, messages, contactEvents, jobs, group, occurrences, itemsByKind };
};
