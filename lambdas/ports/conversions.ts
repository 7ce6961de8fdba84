import type { AccountRef, ContactRef } from '../domain/events';
import type { Touch } from './touches';

/** An order the shop reported, as afterchat keeps it: attributed to a touch, or not. */
export interface Conversion {
  account: AccountRef;
  orderId: string;
  /** When the order was placed (epoch ms). */
  occurredAt: number;
  value: { amount: number; currency: string };
  /** The person it is filed under (erased with them): the touched contact, else the one the order named. */
  contact?: ContactRef;
  /** Absent: unattributed. */
  touch?: Touch;
  /** When afterchat kept it (epoch ms). */
  recordedAt: number;
}

/** Unattributed orders of one account and UTC day. */
export interface UnattributedDay {
  day: string;
  orders: number;
  /** Per ISO 4217 currency, in major units. */
  revenue: Record<string, number>;
}

export interface Conversions {
  /**
   * Keeps the conversion once per account and order id; an unattributed one is counted for its
   * account's day in the same write. Answers the conversion kept: this one when new, else the first.
   */
  keep(conversion: Conversion): Promise<{ created: boolean; conversion: Conversion }>;
  /** Unattributed orders per day, `from` to `to` (UTC days, inclusive), days without any left out. */
  unattributed(account: AccountRef, from: string, to: string): Promise<UnattributedDay[]>;
}
