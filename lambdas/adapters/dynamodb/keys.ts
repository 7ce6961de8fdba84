import { createHash } from 'node:crypto';
import { zoneBucketOf } from '../../domain/campaign/zone-buckets';
import type { AccountRef, ContactRef } from '../../domain/events';
import type { RegisterWrite, StateTarget } from '../../domain/state-writes';
import type { FunnelScope } from '../../domain/measurement/funnel-scope';
import type { Milestone } from '../../ports/funnel-milestones';
import { ACCOUNT_ZONE, type AudienceQuery, type AudienceSegment } from '../../ports/audience-index';
import { isId } from '../../schemas/ids';
import { allShardKeys, fnv1a32, shardedKey, shardKey, shardOf } from './shards';
import { IfAbsent, ifAbsent } from './update-expression';

/**
 * Single-table layout. Every record of one contact shares a partition, so the admin API reads a
 * contact (state + opt-ins) with one Query.
 *
 * | record          | pk                                   | sk                  |
 * |-----------------|--------------------------------------|---------------------|
 * | contact state   | C#<channel>#<accountId>#<userId>     | STATE               |
 * | opt-in token    | C#<channel>#<accountId>#<userId>     | OPTIN#<token>       |
 * | contact tag     | C#<channel>#<accountId>#<userId>     | TAG#<tag>           |
 * | message status (messages afterchat didn't send: state-changes.ts) | M#<messageId> | STATUS |
 * | template        | T#<channel>#<accountId>              | <name>#<language>   |
 * | account policy  | A#<channel>#<accountId>              | POLICY              |
 * | automation config (automation-config-store.ts) | A#<channel>#<accountId> | AUTOMATION |
 * | automated send, counted (automation-usage-store.ts) | USAGE#<channel>#<accountId> | <local day>#<rule>#<outboxId> (with TTL) |
 * | conversation-turn log (conversation-turns.ts) | C#<channel>#<accountId>#<userId> | TURNS |
 * | responsiveness and growth day counters (measurement-counters.ts) | MEASURE#<channel>#<accountId> | <local day>#<n: 0–7> (with TTL) |
 * | account profile | ACCOUNTS                             | <channel>#<id>      |
 * | webhook event   | E#<eventKey>                         | EVENT (with TTL)    |
 * | quarantined item (quarantine.ts) | Q#<quarantineId>            | QUARANTINE (TTL)    |
 * | outbox (send)   | O#<outboxId>                         | OUTBOX              |
 * | campaign        | CAMPAIGNS                            | <campaignId>        |
 * | occurrence      | CAMPAIGN#<campaignId>                | OCC#<occurrenceKey> |
 * | occurrence segment (occurrence-store.ts) | CAMPAIGN#<campaignId> | OCCSEG#<occurrenceKey>#<nn> |
 * | migration       | MIGRATION                            | <migration name>    |
 * | audit entry     | AUDIT#<YYYY-MM-DD>                   | <at ISO>#<uuid> (with TTL) |
 * | erasure tombstone (erasure-store.ts) | ERASED#<SHA-256 of channel#accountId#userId> | TOMBSTONE |
 * | Meta data deletion request (data-deletion-store.ts) | DDR#<confirmation code> | REQUEST |
 * | import job (import-jobs.ts) | IMPORT#<importId>              | JOB (with TTL)      |
 * | import chunk, its info  | IMPORT#<importId>                    | CHUNK#<seq: 5 digits> (with TTL) |
 * | import chunk, a part of its gzip text | IMPORT#<importId>      | PART#<seq>#<SHA-256: 16 hex>#<n> (with TTL) |
 * | import line error       | IMPORT#<importId>                    | ERR#<line: 9 digits>#<column>#<hash> (with TTL) |
 * | import row outcome      | IMPORTROW#<importId>#<line: 9 digits> | ROW                |
 * | funnel counters of an occurrence (funnel-milestones.ts) | FUNNEL#OCC#<campaignId>#<nn> | <occurrenceKey> |
 * | funnel counters of a business-event trigger | FUNNEL#TRIG#<detailType>#<nn> | <day of the send, UTC> |
 * | funnel counters of one-off sends | FUNNEL#SENDS#<channel>#<accountId>#<nn> | <day of the send, UTC> |
 * | click (click-log.ts)    | CLICK#<outboxId>                     | <at ISO>#<what was clicked> (with TTL) |
 * | conversion, one per order (conversion-keys.ts) | ORDER#<channel>#<accountId>#<orderId> | CONVERSION (with TTL) |
 * | unattributed orders of a day (conversion-keys.ts) | CONVDAY#<channel>#<accountId>#<day> | <nn: 16 shards> |
 * | customer key lookup (conversion-keys.ts) | CUSTKEY#<channel>#<accountId>#<hash of name, value> | <userId> |
 *
 * Three keys-only global indexes; readers fetch the items they need by key. `<nn>` is the write
 * shard (shards.ts: FNV-1a of the member id mod 64, two digits), so no partition takes more than a
 * sixteenth of an account's new contacts or of an occurrence's jobs. A funnel counter's `<nn>` is
 * the outbox id's shard, or for the counts of the state table's stream the stream shard's id's.
 *
 * `gsi1` — dispatch listings: an audience, or the jobs of a campaign occurrence.
 *
 * | record                 | gsi1pk                                        | gsi1sk     |
 * |------------------------|-----------------------------------------------|------------|
 * | contact state          | AUD#<channel>#<accountId>#all#<nn>            | <userId>   |
 * | opt-in with a topic    | AUD#<channel>#<accountId>#topic#<topic>#<nn>  | <userId>   |
 * | contact tag            | AUD#<channel>#<accountId>#tag#<tag>#<nn>      | <userId>   |
 * | outbox of a campaign   | OCC#<campaignId>#<occurrenceKey>#<nn>         | <outboxId> |
 * | quarantined item       | QUAR#<nn> (shard of the quarantine id)        | <receivedAt ISO>#<quarantineId> |
 * | import job             | IMPORTS                                       | <createdAt ISO>#<importId> |
 *
 * `gsi2` — overloaded: local-time zone buckets, and a person's items outside their contact partition.
 *
 * | record                         | gsi2pk                                                 | gsi2sk                        |
 * |--------------------------------|--------------------------------------------------------|-------------------------------|
 * | contact state                  | AUD#<channel>#<accountId>#zone#<zone>#<nn>             | <userId>                      |
 * | opt-in with topic and timezone | AUD#<channel>#<accountId>#topic#<topic>#zone#<zone>#<nn> | <userId>                    |
 * | outbox record                  | P#<channel>#<accountId>#<userId>                       | SEND#<createdAt ISO>          |
 * | message status, recipient known| P#<channel>#<accountId>#<userId>                       | MSG#<messageId>               |
 * | event naming a contact         | P#<channel>#<accountId>#<userId>                       | EVENT#<receivedAt ISO>#<eventKey> |
 * | quarantined item naming a valid contact | P#<channel>#<accountId>#<userId>              | QUAR#<receivedAt ISO>#<quarantineId> |
 * | import row outcome             | P#<channel>#<accountId>#<userId>                       | IMPORT#<importId>#<line: 9 digits> |
 * | click on a tracking link (click-log.ts) | P#<channel>#<accountId>#<userId>              | CLICK#<at ISO>#<outboxId>     |
 * | conversion (conversion-keys.ts) | P#<channel>#<accountId>#<userId>                      | CONV#<occurredAt ISO>#<orderId> |
 * | customer key lookup            | P#<channel>#<accountId>#<userId>                       | CUSTKEY#<attribute name>      |
 *
 * `<zone>` is the canonical IANA name (as `Intl` resolves it): the profile's zone, else `_account`
 * (the account's zone, looked up when the bucket is read). A zone, not an offset: DST moves no item.
 * Webhook writes create the contact's bucket only where none exists (`if_not_exists`); the profile
 * write sets and moves it. The items in the contact partition (state, opt-ins, tags, profile, ledger)
 * are a person's too: the contact pk finds them.
 *
 * A BSUID's record holding a link (`linkedUserId`: to its wa_id's record, or to a newer BSUID's
 * after a username change) is an alias: it has neither the audience entry nor a zone bucket, so a
 * person is listed once, under the record the link names (contactListing). The alias stays findable
 * by its key, which the main record names (`bsuid`, `previousBsuid`).
 *
 * `gsi3` — pending work by due time, sparse: present only while the work is pending.
 *
 * | record                          | gsi3pk    | gsi3sk                                       |
 * |---------------------------------|-----------|----------------------------------------------|
 * | outbox queued or claimed        | DUE#<nn>  | <notBefore, else createdAt: 15-digit ms>#OUTBOX#<outboxId> |
 * | outbox claimed, previous release| DUE#<nn>  | <claimedAt + stale-claim time>#OUTBOX#<outboxId> |
 * | occurrence running              | DUE#<nn>  | <lease expiry: 15-digit ms>#OCC#<campaignId>#<occurrenceKey> |
 * | segment running                 | DUE#<nn>  | <lease expiry>#SEG#<campaignId>#<occurrenceKey>#<segment> |
 *
 * `<nn>` is the shard of the id after the kind. A terminal state removes both attributes, so a
 * sweeper's `gsi3sk < <now>` on each of the 64 shards finds exactly the overdue work. A claim
 * leaves a job's entry where it was (no index write on the hot path): the sweeper judges a claimed
 * job it finds by the claim's own deadline (`claimUntil`) and, while that is live, postpones the
 * entry to it. Besides these times, an entry holds only one the sweeper postponed it to.
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

export const contactPk = (c: ContactRef): string => `C#${c.channel}#${c.accountId}#${c.userId}`;
export const CONTACT_PREFIX = 'C#';
export const STATE_SK = 'STATE';
export const OPTIN_PREFIX = 'OPTIN#';
export const MESSAGE_PREFIX = 'M#';
export const messageKey = (messageId: string): ItemKey => ({ pk: `${MESSAGE_PREFIX}${messageId}`, sk: 'STATUS' });
export const templatePk = (a: AccountRef): string => `T#${a.channel}#${a.accountId}`;
export const accountPolicyKey = (a: AccountRef): ItemKey => ({ pk: `A#${a.channel}#${a.accountId}`, sk: 'POLICY' });
export const automationConfigKey = (a: AccountRef): ItemKey => ({ pk: `A#${a.channel}#${a.accountId}`, sk: 'AUTOMATION' });
/**
 * One automated send (automation-usage-store.ts): an account's sends sorted by its local day, so a
 * range of days is one Query. At most a number's throughput (80/s) lands here, far below a
 * partition's 1,000 writes/s, so no write shard.
 */
export const automationUsagePk = (a: AccountRef): string => `USAGE#${a.channel}#${a.accountId}`;
export const automationUsageSk = (day: string, rule: string, outboxId: string): string => `${day}#${rule}#${outboxId}`;
/** A person's conversation turns (measurement): in their contact partition, after `TAG#`, so a contact read (`sk < TAG#`) skips it. */
export const turnLogKey = (contact: ContactRef): ItemKey => ({ pk: contactPk(contact), sk: 'TURNS' });
/**
 * An account's responsiveness and growth counters of one local day: 8 items, the contribution key's
 * shard (FNV-1a mod 8), so a busy day spreads its writes and its set of applied keys.
 */
export const MEASUREMENT_SHARDS = 8;
export const measurementPk = (a: AccountRef): string => `MEASURE#${a.channel}#${a.accountId}`;
export const measurementDayKey = (a: AccountRef, day: string, contributionKey: string): ItemKey => ({
  pk: measurementPk(a),
  sk: `${day}#${fnv1a32(contributionKey) % MEASUREMENT_SHARDS}`,
});
export const ACCOUNTS_PK = 'ACCOUNTS';
export const accountSk = (a: AccountRef): string => `${a.channel}#${a.accountId}`;
export const EVENT_PREFIX = 'E#';
export const eventKeyOf = (eventKey: string): ItemKey => ({ pk: `${EVENT_PREFIX}${eventKey}`, sk: 'EVENT' });
export const OUTBOX_PREFIX = 'O#';
export const outboxKey = (outboxId: string): ItemKey => ({ pk: `${OUTBOX_PREFIX}${outboxId}`, sk: 'OUTBOX' });
export const CAMPAIGNS_PK = 'CAMPAIGNS';
export const campaignKey = (campaignId: string): ItemKey => ({ pk: CAMPAIGNS_PK, sk: campaignId });
export const OCCURRENCE_PK_PREFIX = 'CAMPAIGN#';
export const occurrencePk = (campaignId: string): string => `${OCCURRENCE_PK_PREFIX}${campaignId}`;
export const OCCURRENCE_PREFIX = 'OCC#';
export const occurrenceKeyOf = (campaignId: string, occurrenceKey: string): ItemKey => ({
  pk: occurrencePk(campaignId),
  sk: `${OCCURRENCE_PREFIX}${occurrenceKey}`,
});
// Sorts after OPTIN# and STATE, so a contact's records are read without its tags (`sk < TAG#`).
export const TAG_PREFIX = 'TAG#';
export const tagKey = (contact: ContactRef, tag: string): ItemKey => ({ pk: contactPk(contact), sk: `${TAG_PREFIX}${tag}` });
/** Progress of a one-off data migration (the index backfill). */
export const MIGRATIONS_PK = 'MIGRATION';
export const migrationKey = (name: string): ItemKey => ({ pk: MIGRATIONS_PK, sk: name });
/**
 * An audit entry of an admin write (audit-log.ts): one partition per UTC day, sorted by time. Admin
 * writes come at a person's pace, far below a partition's 1,000 writes/s, so no write shard.
 */
export const AUDIT_PREFIX = 'AUDIT#';
export const auditPk = (day: string): string => `${AUDIT_PREFIX}${day}`;
export const auditKey = (day: string, id: string): ItemKey => ({ pk: auditPk(day), sk: id });

/**
 * A funnel counter item: the scope's counters in shard `<nn>` of the outbox id (shards.ts), so a
 * 1,000 msg/s campaign's statuses spread over 64 partitions; a report reads the 64 shards.
 */
export type CounterScope =
  | { kind: 'occurrence' | 'campaign'; campaignId: string }
  | { kind: 'trigger'; detailType: string }
  | { kind: 'sends'; account: AccountRef };
export const funnelCounterBase = (scope: CounterScope): string => {
  switch (scope.kind) {
    case 'occurrence':
    case 'campaign':
      return `FUNNEL#OCC#${scope.campaignId}`;
    case 'trigger':
      return `FUNNEL#TRIG#${scope.detailType}`;
    case 'sends':
      return `FUNNEL#SENDS#${scope.account.channel}#${scope.account.accountId}`;
  }
};
const funnelCounterSk = (scope: FunnelScope): string => (scope.kind === 'occurrence' ? scope.occurrenceKey : scope.day);
export const funnelCounterKey = (scope: FunnelScope, outboxId: string): ItemKey => ({ pk: shardedKey(funnelCounterBase(scope), outboxId), sk: funnelCounterSk(scope) });
/** A scope's counter item in the shard of `source` (the state table's stream counts by its stream shard, funnel-milestones.ts). */
export const funnelCounterKeyOf = (scope: FunnelScope, source: string): ItemKey => ({ pk: shardKey(funnelCounterBase(scope), shardOf(source)), sk: funnelCounterSk(scope) });
/** A milestone's flag on an outbox record (one no status register carries). */
export const MILESTONE_FLAG_PREFIX = 'fm_';
export const milestoneFlag = (milestone: Milestone): string => `${MILESTONE_FLAG_PREFIX}${milestone}`;

/** A global index and its key attributes. */
export interface IndexKeys {
  readonly name: string;
  readonly pk: string;
  readonly sk: string;
}
export const GSI1 = { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' } as const satisfies IndexKeys;
export const GSI2 = { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' } as const satisfies IndexKeys;
export const GSI3 = { name: 'gsi3', pk: 'gsi3pk', sk: 'gsi3sk' } as const satisfies IndexKeys;
/** Every index of the state table, in the order deployments add them (lib/state-table.ts mirrors the names). */
export const STATE_TABLE_INDEXES: readonly IndexKeys[] = [GSI1, GSI2, GSI3];
export const AUDIENCE_INDEX = GSI1.name;
export const INDEX_ATTRIBUTES = ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const;
export type IndexAttribute = (typeof INDEX_ATTRIBUTES)[number];
/** Index attributes to write: a value sets, undefined removes. */
export type IndexFields = Partial<Record<IndexAttribute, string | undefined>>;

/**
 * The zone a key names: the canonical IANA name (`europe/berlin` → `Europe/Berlin`), or undefined
 * for a string the planner doesn't take as a zone (an unknown name, or an offset such as `+05:30`,
 * which Intl accepts but no zone list names): the contact then follows the account's zone, in the
 * planner and in the buckets alike. Readers enumerating `Intl.supportedValuesOf('timeZone')` (plus
 * `UTC`) and `ACCOUNT_ZONE` meet the same names.
 */
export const canonicalZone = (zone: string | undefined): string | undefined => zoneBucketOf(zone);

/** The unsharded base of an audience listing; zone buckets keep `_account` and unknown names as given. */
const audienceBase = (channel: string, accountId: string, segment: AudienceSegment): string => {
  const base = `AUD#${channel}#${accountId}#`;
  switch (segment.kind) {
    case 'all':
      return `${base}all`;
    case 'topic':
      return `${base}topic#${segment.topic}`;
    case 'tag':
      return `${base}tag#${segment.tag}`;
    case 'zone':
      return `${base}zone#${bucketZone(segment.zone)}`;
    case 'topic_zone':
      return `${base}topic#${segment.topic}#zone#${bucketZone(segment.zone)}`;
  }
};
const bucketZone = (zone: string): string => (zone === ACCOUNT_ZONE ? zone : (canonicalZone(zone) ?? zone));

/** The index an audience segment lives in: dispatch listings in gsi1, zone buckets in gsi2. */
export const audienceIndexOf = (segment: AudienceSegment): IndexKeys => (segment.kind === 'zone' || segment.kind === 'topic_zone' ? GSI2 : GSI1);

/**
 * The partitions a page of an audience walks, in order: the query's shard, or all 64. The gsi1
 * listings also end with the key the previous release wrote (no shard suffix), read as part of
 * shard 0, so a dispatch between the upgrade and the end of the backfill still reaches every
 * contact; once the backfill is done it is an empty Query. (Remove with the next layout change.)
 */
export const audiencePartitions = (query: AudienceQuery): string[] => {
  const base = audienceBase(query.channel, query.accountId, query.segment);
  const legacy = audienceIndexOf(query.segment) === GSI1 ? [base] : [];
  if (query.shard === undefined) return [...allShardKeys(base), ...legacy];
  return [shardKey(base, query.shard), ...(query.shard === 0 ? legacy : [])];
};

/** The sends of one campaign occurrence; `group` is `<campaignId>#<occurrenceKey>`. */
const outboxGroupBase = (group: string): string => `OCC#${group}`;
/** Every shard of an occurrence's sends, then the previous release's unsharded key (see audiencePartitions). */
export const outboxGroupPartitions = (group: string): string[] => [...allShardKeys(outboxGroupBase(group)), outboxGroupBase(group)];
export const outboxGroupEntry = (group: string, outboxId: string): IndexFields => ({
  gsi1pk: shardedKey(outboxGroupBase(group), outboxId),
  gsi1sk: outboxId,
});

/** Index attributes putting a contact's record in a gsi1 audience (the shard of its user id). */
const audienceEntry = (contact: ContactRef, segment: AudienceSegment): { gsi1pk: string; gsi1sk: string } => ({
  gsi1pk: shardedKey(audienceBase(contact.channel, contact.accountId, segment), contact.userId),
  gsi1sk: contact.userId,
});
export const tagEntry = (contact: ContactRef, tag: string) => audienceEntry(contact, { kind: 'tag', tag });

/** The contact's local-time bucket: its own zone, else the account's. */
export const zoneEntry = (contact: ContactRef, zone: string | undefined): { gsi2pk: string; gsi2sk: string } => ({
  gsi2pk: shardedKey(audienceBase(contact.channel, contact.accountId, { kind: 'zone', zone: canonicalZone(zone) ?? ACCOUNT_ZONE }), contact.userId),
  gsi2sk: contact.userId,
});

/** An opt-in whose own time zone decides when its topic's local-time campaigns reach the holder. */
const topicZoneEntry = (contact: ContactRef, topic: string, zone: string): { gsi2pk: string; gsi2sk: string } => ({
  gsi2pk: shardedKey(audienceBase(contact.channel, contact.accountId, { kind: 'topic_zone', topic, zone }), contact.userId),
  gsi2sk: contact.userId,
});

/** Kinds of a person's items in gsi2, as the first part of gsi2sk. */
export const PERSON_ITEM = { send: 'SEND#', message: 'MSG#', event: 'EVENT#', quarantine: 'QUAR#', import: 'IMPORT#', click: 'CLICK#' } as const;
export const personPk = (c: ContactRef): string => `P#${c.channel}#${c.accountId}#${c.userId}`;
const personEntry = (contact: ContactRef, sortKey: string): { gsi2pk: string; gsi2sk: string } => ({ gsi2pk: personPk(contact), gsi2sk: sortKey });
/** Our own clock's times only (createdAt, receivedAt): Meta's event times can be anything. */
const isoOf = (ms: number): string => new Date(ms).toISOString();

/**
 * An outbox record among its recipient's sends, newest last in the index (read it backwards). The
 * entry's table key names the record, so the sort key holds only the time: every status rewrites
 * the record, billed by its size. Sends of the same millisecond share it (a global index's keys
 * needn't be unique; a page's cursor holds the table key too).
 */
export const sendEntry = (contact: ContactRef, createdAt: number) => personEntry(contact, `${PERSON_ITEM.send}${isoOf(createdAt)}`);

/** An event record that names a contact: the contact's ids and its place in the person's items. */
export const eventPersonFields = (contact: ContactRef, receivedAt: number, eventKey: string) => ({
  userId: contact.userId,
  ...personEntry(contact, `${PERSON_ITEM.event}${isoOf(receivedAt)}#${eventKey}`),
});

/**
 * A person's click on one of a message's links (click-log.ts), keyed by the message: a click is a
 * person's act at a person's pace, so one message's clicks never make a hot partition.
 */
export const clickKey = (outboxId: string, at: number, clicked: string): ItemKey => ({ pk: `CLICK#${outboxId}`, sk: `${isoOf(at)}#${clicked}` });
export const clickPersonEntry = (contact: ContactRef, at: number, outboxId: string) => personEntry(contact, `${PERSON_ITEM.click}${isoOf(at)}#${outboxId}`);

/** A quarantined webhook item (quarantine.ts): one per item, overwritten when Meta delivers it again. */
export const QUARANTINE_PREFIX = 'Q#';
export const quarantineKey = (quarantineId: string): ItemKey => ({ pk: `${QUARANTINE_PREFIX}${quarantineId}`, sk: 'QUARANTINE' });
/** The quarantine listing in gsi1, newest last in each shard (read it backwards). */
export const QUARANTINE_LISTING = 'QUAR';
export const quarantineListingEntry = (quarantineId: string, receivedAt: number) => ({
  gsi1pk: shardedKey(QUARANTINE_LISTING, quarantineId),
  gsi1sk: `${isoOf(receivedAt)}#${quarantineId}`,
});
/** A quarantined item that names a valid contact, among the person's items: erasure finds it. */
export const quarantinePersonEntry = (contact: ContactRef, receivedAt: number, quarantineId: string) =>
  personEntry(contact, `${PERSON_ITEM.quarantine}${isoOf(receivedAt)}#${quarantineId}`);

/** Kinds of pending work in gsi3, after the due time in gsi3sk. */
export const DUE_KIND = { outbox: 'OUTBOX', occurrence: 'OCC', segment: 'SEG' } as const;
const DUE_DIGITS = 15;
/**
 * Pending work due at `dueAt` (epoch ms). `id` names the item within its kind (an outbox id,
 * `<campaignId>#<occurrenceKey>`, …) and picks the shard.
 */
export const dueEntry = (kind: string, id: string, dueAt: number): { gsi3pk: string; gsi3sk: string } => ({
  gsi3pk: shardedKey('DUE', id),
  gsi3sk: `${String(Math.max(0, Math.trunc(dueAt))).padStart(DUE_DIGITS, '0')}#${kind}#${id}`,
});
/** The sort key bound for "due before `at`": `gsi3sk < dueBefore(at)`. */
export const dueBefore = (at: number): string => String(Math.max(0, Math.trunc(at))).padStart(DUE_DIGITS, '0');
/** Every shard of the pending-work index, for a sweeper. */
export const DUE_PARTITIONS: readonly string[] = allShardKeys('DUE');
export const NOT_DUE: IndexFields = { gsi3pk: undefined, gsi3sk: undefined };
/** The id a due entry names, and the shard it lives in, for tests and the sweeper. */
export const dueShardOf = (id: string): number => shardOf(id);

/** The `link` register's field (state-changes.ts): the id of the record this one is an alias of. */
export const LINK_FIELD = 'linkedUserId';
/**
 * A WhatsApp record keyed by a BSUID: an alias once it holds a link (to its wa_id's record, or to a
 * newer BSUID's). A record keyed by a phone number stays listed whatever links it holds: a number is
 * the person's main key (and one given up and taken back links both ways).
 */
export const isBsuidRecord = (contact: ContactRef): boolean => contact.channel === 'whatsapp' && isId(contact.userId, 'bsuid');
export const isAliasRecord = (contact: ContactRef, item: Record<string, unknown> | undefined): boolean =>
  isBsuidRecord(contact) && typeof item?.[LINK_FIELD] === 'string';
/** Whether a write makes its contact record an alias, taking it out of every listing. */
export const unlistsContact = (write: RegisterWrite): boolean =>
  write.target.entity === 'contact' && isBsuidRecord(write.target.contact) && typeof write.fields[LINK_FIELD] === 'string';
const CONTACT_UNLISTED = { gsi1pk: undefined, gsi1sk: undefined, gsi2pk: undefined, gsi2sk: undefined };

/**
 * A contact record's listing, unless it is an alias: its account's audience and, only where no
 * bucket exists yet, the account-zone bucket (the profile owns the zone). A write to a BSUID's
 * record lands it only while the record holds no link (the state store's condition), and the link's
 * own write takes it away (withIndexFields), so the listing converges whatever order they come in.
 */
const contactListing = (contact: ContactRef) => {
  const zone = zoneEntry(contact, undefined);
  return { ...audienceEntry(contact, { kind: 'all' }), gsi2pk: ifAbsent(zone.gsi2pk), gsi2sk: ifAbsent(zone.gsi2sk) };
};

/**
 * The key of a write's target, and the identity attributes every write on it repeats (idempotently).
 * A contact's identity carries its listing (contactListing), except on a record known to be an alias.
 * A message's person entry comes with its `recipient` register (withIndexFields).
 */
export const targetItem = (target: StateTarget, stored: { alias?: boolean } = {}): { key: ItemKey; identity: Record<string, string | IfAbsent> } => {
  switch (target.entity) {
    case 'contact':
      return {
        key: { pk: contactPk(target.contact), sk: STATE_SK },
        identity: { entity: 'contact', ...contactIds(target.contact), ...(stored.alias === true ? {} : contactListing(target.contact)) },
      };
    case 'opt_in':
      return {
        key: { pk: contactPk(target.contact), sk: `${OPTIN_PREFIX}${target.token}` },
        identity: { entity: 'opt_in', ...contactIds(target.contact), token: target.token },
      };
    case 'message':
      return { key: messageKey(target.messageId), identity: { entity: 'message', messageId: target.messageId } };
    case 'template':
      return {
        key: { pk: templatePk(target.account), sk: `${target.name}#${target.language}` },
        identity: { entity: 'template', ...target.account, name: target.name, language: target.language },
      };
    case 'account':
      return { key: accountPolicyKey(target.account), identity: { entity: 'account_policy', ...target.account } };
    case 'outbox':
      // The key names the record: its id is not stored again (an outbox record is rewritten by every status).
      return { key: outboxKey(target.outboxId), identity: {} };
  }
};

const contactIds = (c: ContactRef) => ({ channel: c.channel, accountId: c.accountId, userId: c.userId });

/** The contact a message's fields name (its `recipient` register), if they name one. */
const recipientOf = (fields: Record<string, unknown>): ContactRef | undefined => {
  const { channel, accountId, userId } = fields;
  if (typeof channel !== 'string' || typeof accountId !== 'string' || typeof userId !== 'string') return undefined;
  return { channel: channel as ContactRef['channel'], accountId, userId };
};

/**
 * A write with the index attributes its fields imply: an opt-in's `topic` puts the token in that
 * topic's audience, and its `timezone` (with the topic) in that topic's zone bucket. They ride in
 * the register's own fields, so the register's order guards them exactly as it guards `topic`, and
 * a newer write without a topic (or zone) takes the token out again. Stopped tokens stay in the
 * audience: the policy engine refuses them per send. A BSUID record's link takes it out of the
 * audience and its zone bucket: a link is never undone (a newer one names another id), so once
 * written the record stays out.
 */
export const withIndexFields = (write: RegisterWrite): RegisterWrite[] => {
  if (unlistsContact(write)) return [{ ...write, fields: { ...write.fields, ...CONTACT_UNLISTED } }];
  if (write.target.entity === 'message') return messagePersonEntry(write, write.target.messageId);
  if (write.target.entity !== 'opt_in') return [write];
  const { contact } = write.target;
  const entries: Record<string, string | undefined> = {};
  if ('topic' in write.fields) {
    const { topic } = write.fields;
    Object.assign(entries, typeof topic === 'string' ? audienceEntry(contact, { kind: 'topic', topic }) : { gsi1pk: undefined, gsi1sk: undefined });
  }
  // Only the register that carries the opt-in's details names its zone; a label alone leaves it be.
  if ('timezone' in write.fields) {
    const { topic, timezone } = write.fields;
    const zone = typeof timezone === 'string' ? canonicalZone(timezone) : undefined;
    Object.assign(entries, typeof topic === 'string' && zone !== undefined ? topicZoneEntry(contact, topic, zone) : { gsi2pk: undefined, gsi2sk: undefined });
  }
  return [Object.keys(entries).length === 0 ? write : { ...write, fields: { ...write.fields, ...entries } }];
};

/**
 * A message's `recipient` register brings its recipient's person entry (gsi2) as a `least` register
 * of its own, `recipientEntry`: the entry is the ids' prefix and the person's id, so the least entry
 * is the least recipient's (the wa_id over a BSUID), and it follows the value that wins whichever
 * status names the recipient first. Its own register rather than more fields in `recipient`: each
 * compared field nests the condition one level deeper, and an item without an entry yet (written
 * before the index existed) takes it at once.
 */
const messagePersonEntry = (write: RegisterWrite, messageId: string): RegisterWrite[] => {
  const recipient = write.register === 'recipient' ? recipientOf(write.fields) : undefined;
  if (recipient === undefined) return [write];
  return [write, { ...write, register: 'recipientEntry', fields: personEntry(recipient, `${PERSON_ITEM.message}${messageId}`) }];
};

/**
 * The index attributes an item of the current layout carries, derived from its own attributes
 * exactly as the adapters write them: what the backfill converges every item to. `owned` lists the
 * index attributes the item's kind manages (others are left alone) and `inputs` the attributes the
 * derivation read, so a migration write can be made conditional on them.
 */
export type ItemKind = 'contact' | 'opt_in' | 'tag' | 'message' | 'event' | 'outbox' | 'occurrence' | 'migration' | 'other';
export interface DerivedIndexFields {
  kind: ItemKind;
  owned: readonly IndexAttribute[];
  fields: IndexFields;
  inputs: readonly string[];
}

export const kindOf = (item: Record<string, unknown>): ItemKind => {
  const pk = String(item.pk);
  const sk = String(item.sk);
  if (pk.startsWith(CONTACT_PREFIX)) {
    if (sk === STATE_SK) return 'contact';
    if (sk.startsWith(OPTIN_PREFIX)) return 'opt_in';
    if (sk.startsWith(TAG_PREFIX)) return 'tag';
    return 'other';
  }
  if (pk.startsWith(MESSAGE_PREFIX) && sk === 'STATUS') return 'message';
  if (pk.startsWith(EVENT_PREFIX) && sk === 'EVENT') return 'event';
  if (pk.startsWith(OUTBOX_PREFIX) && sk === 'OUTBOX') return 'outbox';
  if (pk.startsWith(OCCURRENCE_PK_PREFIX) && sk.startsWith(OCCURRENCE_PREFIX)) return 'occurrence';
  if (pk === MIGRATIONS_PK) return 'migration';
  return 'other';
};

const GSI1_ATTRIBUTES = ['gsi1pk', 'gsi1sk'] as const;
const GSI2_ATTRIBUTES = ['gsi2pk', 'gsi2sk'] as const;
const GSI3_ATTRIBUTES = ['gsi3pk', 'gsi3sk'] as const;
const none = <A extends IndexAttribute>(attributes: readonly A[]): Record<A, undefined> =>
  Object.fromEntries(attributes.map((a) => [a, undefined])) as Record<A, undefined>;

/** The contact a contact-partition key names (channel and account ids hold no `#`; a user id may). */
const contactOfPk = (pk: string): ContactRef | undefined => {
  const [channel, accountId, ...rest] = pk.slice(CONTACT_PREFIX.length).split('#');
  if (!channel || !accountId || rest.length === 0) return undefined;
  return { channel: channel as ContactRef['channel'], accountId, userId: rest.join('#') };
};

/** Options the derivation needs for records of the previous release. */
export interface DerivationOptions {
  /** The claim deadline of a claimed job written before jobs stored one (`claimedAt` + this). */
  staleClaimMs: number;
}

export const derivedIndexFields = (item: Record<string, unknown>, options: DerivationOptions): DerivedIndexFields => {
  const kind = kindOf(item);
  const str = (name: string): string | undefined => (typeof item[name] === 'string' ? item[name] : undefined);
  const num = (name: string): number | undefined => (typeof item[name] === 'number' ? item[name] : undefined);
  const unchanged: DerivedIndexFields = { kind, owned: [], fields: {}, inputs: [] };
  switch (kind) {
    case 'contact': {
      const contact = contactOfPk(String(item.pk));
      if (!contact) return unchanged;
      return {
        kind,
        owned: [...GSI1_ATTRIBUTES, ...GSI2_ATTRIBUTES],
        fields: isAliasRecord(contact, item) ? CONTACT_UNLISTED : { ...audienceEntry(contact, { kind: 'all' }), ...zoneEntry(contact, str('timeZone')) },
        inputs: ['timeZone', LINK_FIELD],
      };
    }
    case 'opt_in': {
      const contact = contactOfPk(String(item.pk));
      if (!contact) return unchanged;
      const topic = str('topic');
      const zone = canonicalZone(str('timezone'));
      return {
        kind,
        owned: [...GSI1_ATTRIBUTES, ...GSI2_ATTRIBUTES],
        fields: {
          ...(topic === undefined ? none(GSI1_ATTRIBUTES) : audienceEntry(contact, { kind: 'topic', topic })),
          ...(topic === undefined || zone === undefined ? none(GSI2_ATTRIBUTES) : topicZoneEntry(contact, topic, zone)),
        },
        inputs: ['topic', 'timezone'],
      };
    }
    case 'tag': {
      const contact = contactOfPk(String(item.pk));
      if (!contact) return unchanged;
      return { kind, owned: [...GSI1_ATTRIBUTES], fields: tagEntry(contact, String(item.sk).slice(TAG_PREFIX.length)), inputs: [] };
    }
    case 'message': {
      const recipient = recipientOf(item);
      // No recipient yet: a later status names it and the write path adds the entry.
      if (!recipient) return { ...unchanged, inputs: ['channel', 'accountId', 'userId'] };
      return {
        kind,
        owned: [...GSI2_ATTRIBUTES],
        fields: personEntry(recipient, `${PERSON_ITEM.message}${String(item.pk).slice(MESSAGE_PREFIX.length)}`),
        inputs: ['channel', 'accountId', 'userId'],
      };
    }
    case 'event': {
      const contact = recipientOf(item);
      const receivedAt = num('receivedAt');
      const eventKey = str('eventKey');
      // Records of the previous release don't name the contact's user id: they expire by TTL (30 days).
      if (!contact || receivedAt === undefined || eventKey === undefined) return unchanged;
      const { gsi2pk, gsi2sk } = eventPersonFields(contact, receivedAt, eventKey);
      return { kind, owned: [...GSI2_ATTRIBUTES], fields: { gsi2pk, gsi2sk }, inputs: ['channel', 'accountId', 'userId', 'receivedAt', 'eventKey'] };
    }
    case 'outbox':
      return outboxFields(item, options);
    case 'occurrence': {
      const campaignId = str('campaignId');
      const occurrenceKey = str('occurrenceKey');
      if (campaignId === undefined || occurrenceKey === undefined) return unchanged;
      return { kind, owned: [...GSI3_ATTRIBUTES], fields: occurrenceDue(campaignId, occurrenceKey, str('status'), num('leaseUntil')), inputs: ['status', 'leaseUntil'] };
    }
    default:
      return unchanged;
  }
};

/** An occurrence is pending work while it runs: due when its lease runs out (a worker died). */
export const occurrenceDue = (campaignId: string, occurrenceKey: string, status: string | undefined, leaseUntil: number | undefined): IndexFields =>
  status === 'running' && leaseUntil !== undefined ? dueEntry(DUE_KIND.occurrence, `${campaignId}#${occurrenceKey}`, leaseUntil) : NOT_DUE;

/**
 * A job is pending work while queued or claimed, due at `notBefore`, else its creation: the claim
 * doesn't move the entry (the sweeper reads the claim's own deadline). A claim of the previous
 * release stored no deadline, so its entry is the deadline (`claimedAt` + the stale-claim time):
 * the sweeper finds it only once it is stale. Where a sweeper postponed an entry, this is earlier
 * than what is stored; an entry moved back to it is found again and postponed again.
 */
export const outboxDue = (
  outboxId: string,
  job: { status?: string; notBefore?: number; createdAt?: number; claimUntil?: number; claimedAt?: number },
  staleClaimMs: number,
): IndexFields => {
  if (job.status === 'claimed' && job.claimUntil === undefined) return dueEntry(DUE_KIND.outbox, outboxId, (job.claimedAt ?? 0) + staleClaimMs);
  if (job.status === 'queued' || job.status === 'claimed') return dueEntry(DUE_KIND.outbox, outboxId, job.notBefore ?? job.createdAt ?? 0);
  return NOT_DUE;
};

const outboxFields = (item: Record<string, unknown>, options: DerivationOptions): DerivedIndexFields => {
  const outboxId = String(item.pk).slice(OUTBOX_PREFIX.length);
  const intent = item.intent as Record<string, unknown> | undefined;
  const recipient = intent && typeof intent === 'object' ? recipientOf(intent) : undefined;
  // A record only a status webhook has touched is not a job: nothing to list until the job is created.
  if (typeof item.idempotencyKey !== 'string' || recipient === undefined || typeof item.createdAt !== 'number') {
    return { kind: 'outbox', owned: [], fields: {}, inputs: [] };
  }
  const num = (name: string): number | undefined => (typeof item[name] === 'number' ? item[name] : undefined);
  const group = typeof item.group === 'string' ? item.group : undefined;
  return {
    kind: 'outbox',
    owned: [...GSI1_ATTRIBUTES, ...GSI2_ATTRIBUTES, ...GSI3_ATTRIBUTES],
    fields: {
      ...(group === undefined ? none(GSI1_ATTRIBUTES) : outboxGroupEntry(group, outboxId)),
      ...sendEntry(recipient, item.createdAt),
      ...outboxDue(
        outboxId,
        {
          status: typeof item.status === 'string' ? item.status : undefined,
          notBefore: num('notBefore'),
          createdAt: item.createdAt,
          claimUntil: num('claimUntil'),
          claimedAt: num('claimedAt'),
        },
        options.staleClaimMs,
      ),
    },
    inputs: ['idempotencyKey', 'createdAt', 'group', 'status', 'notBefore', 'claimUntil', 'claimedAt'],
  };
};

/** What an erasure keeps of a person: one item per id, named by its hash (domain/erasure/tombstone.ts). */
export const tombstoneKey = (hash: string): ItemKey => ({ pk: `ERASED#${hash}`, sk: 'TOMBSTONE' });
/** A data deletion request Meta sent, by the confirmation code its status URL names. */
export const deletionRequestKey = (code: string): ItemKey => ({ pk: `DDR#${code}`, sk: 'REQUEST' });

/**
 * A CSV import (import-jobs.ts): the job, its chunks and its line errors share the job's partition and
 * expire with it; each row the import changed is an item of its own, filed under the person (gsi2).
 */
export const importPk = (importId: string): string => `IMPORT#${importId}`;
export const importJobKey = (importId: string): ItemKey => ({ pk: importPk(importId), sk: 'JOB' });
/** The job listing in gsi1, newest last (read it backwards): jobs come at a person's pace, so one partition holds them. */
export const IMPORT_LISTING = 'IMPORTS';
export const importListingEntry = (importId: string, createdAt: number) => ({ gsi1pk: IMPORT_LISTING, gsi1sk: `${isoOf(createdAt)}#${importId}` });
const seqOf = (seq: number): string => String(seq).padStart(5, '0');
const lineOf = (line: number): string => String(line).padStart(9, '0');
export const IMPORT_CHUNK_PREFIX = 'CHUNK#';
export const importChunkKey = (importId: string, seq: number): ItemKey => ({ pk: importPk(importId), sk: `${IMPORT_CHUNK_PREFIX}${seqOf(seq)}` });
/**
 * A part of a chunk's gzip text, apart from the chunk infos so listing those reads no text. The text's
 * hash is in the key: two uploads racing for one seq write parts of their own, and the info that
 * wins names its parts.
 */
export const IMPORT_PART_PREFIX = 'PART#';
export const importPartKey = (importId: string, seq: number, sha256: string, part: number): ItemKey => ({
  pk: importPk(importId),
  sk: `${IMPORT_PART_PREFIX}${seqOf(seq)}#${sha256.slice(0, 16)}#${part}`,
});
export const IMPORT_ERROR_PREFIX = 'ERR#';
/** Header cells go in the key up to this many UTF-8 bytes (a sort key holds 1,024); the hash tells longer ones apart. */
const ERROR_COLUMN_BYTES = 256;
/**
 * A line error, sorted by line then column; the hash of column and reason makes the same error kept
 * twice one item, and two errors of one column two.
 */
export const importErrorKey = (importId: string, error: { line: number; column: string; reason: string }): ItemKey => {
  const column = Buffer.from(error.column, 'utf8').subarray(0, ERROR_COLUMN_BYTES).toString('utf8');
  const hash = createHash('sha256').update(`${error.column}\n${error.reason}`).digest('hex').slice(0, 16);
  return { pk: importPk(importId), sk: `${IMPORT_ERROR_PREFIX}${lineOf(error.line)}#${column}#${hash}` };
};
/** A row an import created or updated: a partition of its own (rows spread over partitions), the person's item. */
export const importRowKey = (importId: string, line: number): ItemKey => ({ pk: `IMPORTROW#${importId}#${lineOf(line)}`, sk: 'ROW' });
export const importRowPersonEntry = (contact: ContactRef, importId: string, line: number) =>
  personEntry(contact, `${PERSON_ITEM.import}${importId}#${lineOf(line)}`);
