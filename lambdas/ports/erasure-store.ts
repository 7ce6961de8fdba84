import type { ErasureCounts } from '../domain/erasure/tombstone';
import type { ContactRef } from '../domain/events';
import type { StoredAttributes } from './state-store';

/** Where a WhatsApp send's limiter items name the person: the portfolio their account's seats are counted in. */
export interface LimiterScope {
  portfolioId?: string;
}

/** What an erasure keeps: one per id the person was held under (domain/erasure/tombstone.ts). */
export interface Tombstone {
  hash: string;
  erasedAt: number;
}

/**
 * Erasure's storage: every item holding a person's data is found by key (their contact partitions,
 * the person index `P#…`, the limiter's per-recipient items), never by a scan, and deleted.
 */
export interface ErasureStore {
  /** One id's contact record (its `STATE` item), read consistently; undefined when none is stored. */
  contactState(contact: ContactRef): Promise<StoredAttributes | undefined>;
  /** Deletes every item of these ids and counts them by kind; deleting what is already gone counts nothing. */
  eraseItems(contacts: readonly ContactRef[], limiter: LimiterScope): Promise<ErasureCounts>;
  /** Keeps the tombstones; a tombstone already kept keeps its first time. */
  putTombstones(tombstones: readonly Tombstone[]): Promise<void>;
  /** Whether a tombstone with this hash is kept. */
  hasTombstone(hash: string): Promise<boolean>;
}
