import { createHash } from 'node:crypto';
import type { ContactRef } from '../events';

/**
 * What stays of an erased person: the SHA-256 (hex, all 64 digits) of `<channel>#<accountId>#<userId>`,
 * one per id they were held under, so an import naming any of them again is recognised.
 *
 * SHA-256 rather than an HMAC: the tombstone must match for as long as the table lives, across app
 * secret rotations and redeployments, and an HMAC key would be one more secret that may never rotate
 * or be lost (losing it would let every erased person back in). The price: the hash is
 * pseudonymous, not anonymous (a phone number's hash is found by trying numbers), so tombstones are
 * as confidential as the table they sit in; they hold no id, no text and no time but the erasure's.
 */
export const erasureHash = (contact: ContactRef): string =>
  createHash('sha256').update(`${contact.channel}#${contact.accountId}#${contact.userId}`).digest('hex');

/** The kinds of items an erasure removes, counted in its answer. */
export const ERASED_KINDS = ['contactRecords', 'optIns', 'tags', 'otherContactItems', 'sends', 'messageStatuses', 'events', 'quarantined', 'importRows', 'limiterItems'] as const;
export type ErasedKind = (typeof ERASED_KINDS)[number];
export type ErasureCounts = Record<ErasedKind, number>;

export const noneErased = (): ErasureCounts => Object.fromEntries(ERASED_KINDS.map((kind) => [kind, 0])) as ErasureCounts;

export const addCounts = (a: ErasureCounts, b: ErasureCounts): ErasureCounts =>
  Object.fromEntries(ERASED_KINDS.map((kind) => [kind, a[kind] + b[kind]])) as ErasureCounts;

export const totalErased = (counts: ErasureCounts): number => ERASED_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
