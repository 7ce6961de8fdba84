import type { AccountRef, ContactRef } from '../../domain/events';
import type { RegisterWrite, StateTarget } from '../../domain/state-writes';
import type { AudienceQuery } from '../../ports/audience-index';

/**
 * Single-table layout. Every record of one contact shares a partition, so the admin API reads a
 * contact (state + opt-ins) with one Query.
 *
 * | record          | pk                                   | sk                  |
 * |-----------------|--------------------------------------|---------------------|
 * | contact state   | C#<channel>#<accountId>#<userId>     | STATE               |
 * | opt-in token    | C#<channel>#<accountId>#<userId>     | OPTIN#<token>       |
 * | contact tag     | C#<channel>#<accountId>#<userId>     | TAG#<tag>           |
 * | message status  | M#<messageId>                        | STATUS              |
 * | template        | T#<channel>#<accountId>              | <name>#<language>   |
 * | account policy  | A#<channel>#<accountId>              | POLICY              |
 * | account profile | ACCOUNTS                             | <channel>#<id>      |
 * | webhook event   | E#<eventKey>                         | EVENT (with TTL)    |
 * | outbox (send)   | O#<outboxId>                         | OUTBOX              |
 * | campaign        | CAMPAIGNS                            | <campaignId>        |
 * | occurrence      | CAMPAIGN#<campaignId>                | OCC#<occurrenceKey> |
 *
 * The `gsi1` index (keys only) makes each audience one partition that a dispatcher pages through
 * instead of scanning the table, and lists the sends of a campaign occurrence:
 *
 * | record                 | gsi1pk                                   | gsi1sk     |
 * |------------------------|------------------------------------------|------------|
 * | contact state          | AUD#<channel>#<accountId>#all            | <userId>   |
 * | opt-in with a topic    | AUD#<channel>#<accountId>#topic#<topic>  | <userId>   |
 * | contact tag            | AUD#<channel>#<accountId>#tag#<tag>      | <userId>   |
 * | outbox of a campaign   | OCC#<campaignId>#<occurrenceKey>         | <outboxId> |
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

export const contactPk = (c: ContactRef): string => `C#${c.channel}#${c.accountId}#${c.userId}`;
export const STATE_SK = 'STATE';
export const OPTIN_PREFIX = 'OPTIN#';
export const messageKey = (messageId: string): ItemKey => ({ pk: `M#${messageId}`, sk: 'STATUS' });
export const templatePk = (a: AccountRef): string => `T#${a.channel}#${a.accountId}`;
export const accountPolicyKey = (a: AccountRef): ItemKey => ({ pk: `A#${a.channel}#${a.accountId}`, sk: 'POLICY' });
export const ACCOUNTS_PK = 'ACCOUNTS';
export const accountSk = (a: AccountRef): string => `${a.channel}#${a.accountId}`;
export const eventKeyOf = (eventKey: string): ItemKey => ({ pk: `E#${eventKey}`, sk: 'EVENT' });
export const outboxKey = (outboxId: string): ItemKey => ({ pk: `O#${outboxId}`, sk: 'OUTBOX' });
export const CAMPAIGNS_PK = 'CAMPAIGNS';
export const campaignKey = (campaignId: string): ItemKey => ({ pk: CAMPAIGNS_PK, sk: campaignId });
export const occurrencePk = (campaignId: string): string => `CAMPAIGN#${campaignId}`;
export const OCCURRENCE_PREFIX = 'OCC#';
export const occurrenceKeyOf = (campaignId: string, occurrenceKey: string): ItemKey => ({
  pk: occurrencePk(campaignId),
  sk: `${OCCURRENCE_PREFIX}${occurrenceKey}`,
});
// Sorts after OPTIN# and STATE, so a contact's records are read without its tags (`sk < TAG#`).
export const TAG_PREFIX = 'TAG#';
export const tagKey = (contact: ContactRef, tag: string): ItemKey => ({ pk: contactPk(contact), sk: `${TAG_PREFIX}${tag}` });

export const AUDIENCE_INDEX = 'gsi1';
export const audiencePk = ({ channel, accountId, segment }: AudienceQuery): string => {
  const base = `AUD#${channel}#${accountId}#`;
  switch (segment.kind) {
    case 'all':
      return `${base}all`;
    case 'topic':
      return `${base}topic#${segment.topic}`;
    case 'tag':
      return `${base}tag#${segment.tag}`;
    case 'zone':
      return `${base}zone#${segment.zone}`;
    case 'topic_zone':
      return `${base}topic#${segment.topic}#zone#${segment.zone}`;
  }
};
/** The sends of one campaign occurrence; `group` is `<campaignId>#<occurrenceKey>`. */
export const outboxGroupPk = (group: string): string => `OCC#${group}`;

/** Index attributes putting a contact's record in an audience. */
const audienceEntry = (contact: ContactRef, segment: AudienceQuery['segment']) => ({
  gsi1pk: audiencePk({ channel: contact.channel, accountId: contact.accountId, segment }),
  gsi1sk: contact.userId,
});
export const tagEntry = (contact: ContactRef, tag: string) => audienceEntry(contact, { kind: 'tag', tag });

/** The key of a write's target, and the identity attributes every write on it repeats (idempotently). */
export const targetItem = (target: StateTarget): { key: ItemKey; identity: Record<string, string> } => {
  switch (target.entity) {
    case 'contact':
      return {
        key: { pk: contactPk(target.contact), sk: STATE_SK },
        identity: { entity: 'contact', ...contactIds(target.contact), ...audienceEntry(target.contact, { kind: 'all' }) },
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
      return { key: outboxKey(target.outboxId), identity: { outboxId: target.outboxId } };
  }
};

const contactIds = (c: ContactRef) => ({ channel: c.channel, accountId: c.accountId, userId: c.userId });

/**
 * A write with the index attributes its fields imply: an opt-in's `topic` puts the token in that
 * topic's audience. They ride in the register's own fields, so the register's order guards them
 * exactly as it guards `topic`, and a newer write without a topic takes the token out again.
 * Stopped tokens stay in the audience: the policy engine refuses them per send.
 */
export const withIndexFields = (write: RegisterWrite): RegisterWrite => {
  if (write.target.entity !== 'opt_in' || !('topic' in write.fields)) return write;
  const { topic } = write.fields;
  const entry =
    typeof topic === 'string' ? audienceEntry(write.target.contact, { kind: 'topic', topic }) : { gsi1pk: undefined, gsi1sk: undefined };
  return { ...write, fields: { ...write.fields, ...entry } };
};
