import type { AuditEntry } from '../domain/audit/audit-entry';

export type { AuditEntry };

/** An entry as stored: with the time it expires (TTL: `at` + the audit retention). */
export interface StoredAuditEntry extends AuditEntry {
  /** Epoch ms. */
  expiresAt: number;
}

export interface AuditQuery {
  /** Oldest time listed, epoch ms, inclusive; absent: as far back as the retention keeps entries. */
  from?: number;
  /** Newest time listed, epoch ms, inclusive. */
  to: number;
  limit: number;
  /** From the previous page. */
  cursor?: string;
  /** Entries expired at `now` are not listed (DynamoDB deletes expired items only within days). */
  now: number;
}

export interface AuditPage {
  /** Newest first. */
  entries: StoredAuditEntry[];
  /** Opaque; present while older entries may follow. A page may hold fewer than `limit` entries and still have one. */
  cursor?: string;
}

/** Where admin writes are recorded, and where admins read them. */
export interface AuditLog {
  /** Records an entry (no `status` yet) that expires after the retention. Throws when storage fails. */
  append(entry: AuditEntry): Promise<void>;
  /** Sets the answer's status on an appended entry. Throws when storage fails. */
  settle(entry: AuditEntry, outcome: { status: number; at: number }): Promise<void>;
  /** Newest first, `limit` at a time. Throws `InvalidAuditCursor` for a cursor it didn't hand out. */
  list(query: AuditQuery): Promise<AuditPage>;
}

export class InvalidAuditCursor extends Error {
  constructor() {
    super('invalid audit cursor');
    this.name = 'InvalidAuditCursor';
  }
}
