import { LEDGER_RETENTION_HOURS } from '../../domain/campaign/frequency-cap';
import type { ContactRef } from '../../domain/events';
import type { LedgerEntry, LedgerSnapshot, MarketingLedger } from '../../ports/marketing-ledger';

const RETENTION_MS = LEDGER_RETENTION_HOURS * 3_600_000;

const contactKey = (c: ContactRef): string => `${c.channel}#${c.accountId}#${c.userId}`;

/**
 * Per-contact marketing ledgers in memory, with the DynamoDB adapter's rules (the shared contract
 * suite in test/contract runs against both): a reservation lands only at the version the caller
 * read, a key already recorded is a success, and entries older than the longest cap window are
 * dropped as new ones are reserved.
 */
export class InMemoryMarketingLedger implements MarketingLedger {
  private readonly ledgers = new Map<string, LedgerSnapshot>();

  /** The contact's ledger as a planner reads it; version 0 when nothing was reserved yet. */
  snapshot(contact: ContactRef): LedgerSnapshot {
    const stored = this.ledgers.get(contactKey(contact));
    return stored ? structuredClone(stored) : { entries: [], version: 0 };
  }

  reserve(contact: ContactRef, entry: LedgerEntry, snapshot: LedgerSnapshot): Promise<{ ok: true } | { ok: false; current: LedgerSnapshot }> {
    if (snapshot.entries.some((e) => e.key === entry.key)) return Promise.resolve({ ok: true });
    const current = this.snapshot(contact);
    if (current.version !== snapshot.version) {
      // The same send reserved by a concurrent retry of this firing: already recorded is a success.
      return Promise.resolve(current.entries.some((e) => e.key === entry.key) ? { ok: true } : { ok: false, current });
    }
    const kept = current.entries.filter((old) => old.atMs >= entry.atMs - RETENTION_MS);
    this.ledgers.set(contactKey(contact), { entries: [...kept, { key: entry.key, atMs: entry.atMs }], version: current.version + 1 });
    return Promise.resolve({ ok: true });
  }
}
