/**
 * Keys of the conversion records (README "Conversions"), apart from keys.ts's table so the measurement
 * slices don't all edit one file; keys.ts's header lists them.
 *
 * | record                          | pk                                               | sk          | gsi2 (person index)                    |
 * |---------------------------------|--------------------------------------------------|-------------|----------------------------------------|
 * | conversion (one per order)      | ORDER#<channel>#<accountId>#<orderId>            | CONVERSION  | P#… / CONV#<occurredAt ISO>#<orderId>  |
 * | unattributed orders of a day    | CONVDAY#<channel>#<accountId>#<day>              | <nn>        | —                                      |
 * | customer key lookup             | CUSTKEY#<channel>#<accountId>#<SHA-256 of name, value: 32 hex> | <userId> | P#… / CUSTKEY#<name>      |
 *
 * `<nn>`: 16 shards of a day's unattributed orders by order id, so the order ids an item remembers (to
 * count each once) stay far below 400 KB. The customer key's name and value are hashed: a value may
 * hold `#` and be up to 1,024 characters, and neither is needed to find the item again.
 */
import { createHash } from 'node:crypto';
import type { AccountRef, ContactRef } from '../../domain/events';
import type { ItemKey } from './keys';
import { personPk } from './keys';
import { fnv1a32 } from './shards';

export const CONVERSION_PERSON_PREFIX = 'CONV#';
export const CUSTOMER_KEY_PERSON_PREFIX = 'CUSTKEY#';
export const UNATTRIBUTED_SHARDS = 16;

export const conversionKey = (account: AccountRef, orderId: string): ItemKey => ({ pk: `ORDER#${account.channel}#${account.accountId}#${orderId}`, sk: 'CONVERSION' });
export const conversionPersonEntry = (contact: ContactRef, occurredAt: number, orderId: string) => ({
  gsi2pk: personPk(contact),
  gsi2sk: `${CONVERSION_PERSON_PREFIX}${new Date(occurredAt).toISOString()}#${orderId}`,
});

const unattributedPk = (account: AccountRef, day: string): string => `CONVDAY#${account.channel}#${account.accountId}#${day}`;
const shardSk = (shard: number): string => String(shard).padStart(2, '0');
export const unattributedKey = (account: AccountRef, day: string, orderId: string): ItemKey => ({
  pk: unattributedPk(account, day),
  sk: shardSk(fnv1a32(orderId) % UNATTRIBUTED_SHARDS),
});
export const unattributedDayKeys = (account: AccountRef, day: string): ItemKey[] =>
  Array.from({ length: UNATTRIBUTED_SHARDS }, (_, shard) => ({ pk: unattributedPk(account, day), sk: shardSk(shard) }));

export const customerKeyPk = (account: AccountRef, attribute: string, value: string): string =>
  `CUSTKEY#${account.channel}#${account.accountId}#${createHash('sha256').update(`${attribute}\n${value}`).digest('hex').slice(0, 32)}`;
export const customerKeyItemKey = (contact: ContactRef, attribute: string, value: string): ItemKey => ({
  pk: customerKeyPk(contact, attribute, value),
  sk: contact.userId,
});
export const customerKeyPersonEntry = (contact: ContactRef, attribute: string) => ({
  gsi2pk: personPk(contact),
  gsi2sk: `${CUSTOMER_KEY_PERSON_PREFIX}${attribute}`,
});
