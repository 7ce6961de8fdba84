import type { AccountRef, ContactRef } from '../domain/events';

/** The contacts whose profile carries a customer key (domain/measurement/customer-keys.ts). */
export interface CustomerDirectory {
  /** Every contact of `account` whose attribute `attribute` equals `value`; none when it isn't a customer key. */
  contactsWith(account: AccountRef, attribute: string, value: string): Promise<ContactRef[]>;
}
