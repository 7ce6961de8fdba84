import type { ContactRef } from '../domain/events';

/** One marketing send a campaign planned for a contact, keyed by the send's idempotency key. */
export interface LedgerEntry {
  key: string;
  atMs: number;
}

/** What the ledger held when the contact was read: the planner checks the cap against it. */
export interface LedgerSnapshot {
  entries: LedgerEntry[];
  /** Opaque version; a reservation lands only if nothing was reserved since. */
  version: number;
}

/**
 * Per-contact record of campaign marketing sends, for the frequency cap across campaigns. Writing it
 * before the job is enqueued is what makes the cap hold when two campaigns fire at once.
 */
export interface MarketingLedger {
  /**
   * Records `entry` if the ledger is still at `snapshot.version`. Idempotent per key: a key already
   * recorded is a success. Returns the fresh snapshot when another reservation got in first, so the
   * caller can check the cap again.
   */
  reserve(contact: ContactRef, entry: LedgerEntry, snapshot: LedgerSnapshot): Promise<{ ok: true } | { ok: false; current: LedgerSnapshot }>;
}
