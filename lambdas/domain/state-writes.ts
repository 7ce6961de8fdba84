import { createHash } from 'node:crypto';
import type { AccountRef, ContactRef } from './events';
import type { Milestone } from '../ports/funnel-milestones';

/** The record a write lands on. Adapters map targets to storage keys. */
export type StateTarget =
  | { entity: 'contact'; contact: ContactRef }
  | { entity: 'opt_in'; contact: ContactRef; token: string }
  | { entity: 'message'; messageId: string }
  | { entity: 'template'; account: AccountRef; name: string; language: string }
  | { entity: 'account'; account: AccountRef }
  /** A send job, reconciled from the status webhooks of the message it produced. */
  | { entity: 'outbox'; outboxId: string };

export type FieldValue = string | number | boolean | readonly Record<string, string | number>[];

/**
 * A register is a group of fields that change together, guarded by an order. A write lands only
 * when its order beats the stored one, so applying any set of writes in any order, any number of
 * times, leaves the same record: duplicates and reordered webhooks converge by construction.
 *
 * - `wins: 'later'` keeps the write with the greatest order (last event wins);
 *   `wins: 'earlier'` keeps the smallest (first event wins, e.g. when an opt-in was first given).
 * - `wins: 'least'` keeps the smallest value (its fields compared in the order written; strings
 *   and numbers, all present) and stores no order. It is for facts every report states alike, such
 *   as who a message went to: a repeat holds the stored value and lands as a no-op, where a
 *   first-wins register would refuse every report after the first. Reports that disagree still
 *   converge, on the smallest value. `order` is not used.
 * - `rank`, when set, is compared before the order (a read never falls back to delivered).
 * - A field set to `undefined` is removed, so a newer event without it clears a stale value.
 */
export interface RegisterWrite {
  target: StateTarget;
  register: string;
  order: string;
  wins: 'later' | 'earlier' | 'least';
  rank?: number;
  fields: Record<string, FieldValue | undefined>;
  /**
   * Funnel milestones the write flags on its record (an outbox record's status, status-flags.ts):
   * set with it where absent, so the record as it was before says which ones it set first.
   */
  flags?: readonly Milestone[];
}

const TIME_DIGITS = 15;

/** Orders by Meta's event time, then by event identity so equal times still resolve the same way. */
export const orderOf = (occurredAt: number, eventKey: string): string =>
  `${String(Math.max(0, Math.trunc(occurredAt))).padStart(TIME_DIGITS, '0')}#${eventKey}`;

/**
 * An order as short as `orderOf`'s ordering needs: the event time, then a hash of the event's
 * identity (60 bits) rather than the whole key (a WhatsApp status key holds the wamid, ~90
 * characters). The same event always yields the same order, so duplicates and reorderings
 * converge as with `orderOf`; two events of the same millisecond resolve by their hashes. For
 * records whose size is billed on every write (an outbox record, which every status rewrites).
 * Its time is compared first, as `orderOf`'s, so it orders against an `orderOf` order of another time.
 */
export const compactOrderOf = (occurredAt: number, eventKey: string): string =>
  `${String(Math.max(0, Math.trunc(occurredAt))).padStart(TIME_DIGITS, '0')}#${createHash('sha256').update(eventKey).digest('base64url').slice(0, 10)}`;

/** The event time an order (`orderOf` or `compactOrderOf`) starts with. */
export const timeOfOrder = (order: string): number => Number(order.slice(0, TIME_DIGITS));
