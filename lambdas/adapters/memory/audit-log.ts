import type { AuditEntry } from '../../domain/audit/audit-entry';
import { DEFAULT_RETENTION_DAYS, expiresAtFor } from '../../domain/retention';
import { type AuditLog, type AuditPage, type AuditQuery, InvalidAuditCursor, type StoredAuditEntry } from '../../ports/audit-log';

/**
 * The audit log in memory, for unit tests and as the DynamoDB adapter's twin (the shared contract
 * suite in test/contract runs against both): newest first, by id (which sorts by time).
 */
export class InMemoryAuditLog implements AuditLog {
  private readonly entries = new Map<string, StoredAuditEntry>();

  constructor(private readonly options: { retentionDays?: number; failWrites?: () => boolean } = {}) {}

  /** Every stored entry, newest first, expired ones included: for tests. */
  all(): StoredAuditEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).map((e) => structuredClone(e));
  }

  append(entry: AuditEntry): Promise<void> {
    if (this.options.failWrites?.()) return Promise.reject(new Error('audit log unavailable'));
    if (this.entries.has(entry.id)) return Promise.reject(new Error(`audit entry ${entry.id} exists`));
    const expiresAt = expiresAtFor(entry.at, this.options.retentionDays ?? DEFAULT_RETENTION_DAYS.audit) * 1000;
    this.entries.set(entry.id, { ...structuredClone(entry), expiresAt });
    return Promise.resolve();
  }

  settle(entry: AuditEntry, outcome: { status: number; at: number }): Promise<void> {
    if (this.options.failWrites?.()) return Promise.reject(new Error('audit log unavailable'));
    const stored = this.entries.get(entry.id);
    if (stored === undefined) return Promise.reject(new Error(`no audit entry ${entry.id}`));
    stored.status = outcome.status;
    stored.finishedAt = outcome.at;
    return Promise.resolve();
  }

  list(query: AuditQuery): Promise<AuditPage> {
    let after: string | undefined;
    if (query.cursor !== undefined) {
      after = Buffer.from(query.cursor, 'base64url').toString('utf8');
      if (!after.startsWith('mem:')) return Promise.reject(new InvalidAuditCursor());
      after = after.slice(4);
    }
    const listed = this.all().filter(
      (e) => e.at <= query.to && (query.from === undefined || e.at >= query.from) && e.expiresAt > query.now && (after === undefined || e.id < after),
    );
    const page = listed.slice(0, query.limit);
    const last = page.at(-1);
    return Promise.resolve({
      entries: page,
      ...(listed.length > page.length && last !== undefined ? { cursor: Buffer.from(`mem:${last.id}`).toString('base64url') } : {}),
    });
  }
}
