import type { AccountRef, ContactRef } from '../../domain/events';
import type { StateTarget } from '../../domain/state-writes';

/**
 * Single-table layout. Every record of one contact shares a partition, so the admin API reads a
 * contact (state + opt-ins) with one Query.
 *
 * | record          | pk                                   | sk                 |
 * |-----------------|--------------------------------------|--------------------|
 * | contact state   | C#<channel>#<accountId>#<userId>     | STATE              |
 * | opt-in token    | C#<channel>#<accountId>#<userId>     | OPTIN#<token>      |
 * | message status  | M#<messageId>                        | STATUS             |
 * | template        | T#<channel>#<accountId>              | <name>#<language>  |
 * | account policy  | A#<channel>#<accountId>              | POLICY             |
 * | account profile | ACCOUNTS                             | <channel>#<id>     |
 * | webhook event   | E#<eventKey>                         | EVENT (with TTL)   |
 * | outbox (send)   | O#<outboxId>                         | OUTBOX             |
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

/** The key of a write's target, and the identity attributes every write on it repeats (idempotently). */
export const targetItem = (target: StateTarget): { key: ItemKey; identity: Record<string, string> } => {
  switch (target.entity) {
    case 'contact':
      return { key: { pk: contactPk(target.contact), sk: STATE_SK }, identity: { entity: 'contact', ...contactIds(target.contact) } };
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
