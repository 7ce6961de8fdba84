import { DEFAULT_QUARANTINE_RETENTION_DAYS, quarantineExpiresAt } from '../../domain/quarantine/quarantine-entry';
import { InvalidQuarantineCursor, type QuarantineEntry, type QuarantinedItem, type QuarantinePage, type QuarantineStore } from '../../ports/quarantine';

/** The quarantine in memory, for unit tests: the same contract as the DynamoDB adapter (test/contract/quarantine.contract.ts). */
export class InMemoryQuarantine implements QuarantineStore {
  private readonly entries = new Map<string, QuarantinedItem>();
  private readonly retentionDays: number;

  constructor(options: { retentionDays?: number } = {}) {
    this.retentionDays = options.retentionDays ?? DEFAULT_QUARANTINE_RETENTION_DAYS;
  }

  put(entries: readonly QuarantineEntry[], receivedAt: number): Promise<void> {
    const expiresAt = quarantineExpiresAt(receivedAt, this.retentionDays);
    for (const entry of entries) this.entries.set(entry.quarantineId, structuredClone({ ...entry, receivedAt, expiresAt }));
    return Promise.resolve();
  }

  list(query: { limit: number; cursor?: string; now: number }): Promise<QuarantinePage> {
    // A refused cursor rejects, as the DynamoDB adapter's does, rather than throwing before a promise exists.
    return Promise.resolve().then(() => this.page(query));
  }

  private page(query: { limit: number; cursor?: string; now: number }): QuarantinePage {
    const before = query.cursor === undefined ? undefined : decode(query.cursor);
    const listed = [...this.entries.values()]
      .filter((item) => item.expiresAt > query.now && (before === undefined || sortKey(item) < before))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
    const items = listed.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map((item) => structuredClone(item)),
      ...(listed.length > query.limit && last ? { cursor: Buffer.from(sortKey(last)).toString('base64url') } : {}),
    };
  }
}

/** Newest first by receipt, then by id, as the DynamoDB listing's `<receivedAt ISO>#<id>` sorts. */
const sortKey = (item: QuarantinedItem): string => `${new Date(item.receivedAt).toISOString()}#${item.quarantineId}`;

const decode = (cursor: string): string => {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]{12}Z#[A-Za-z0-9_-]{1,64}$/.test(key)) throw new InvalidQuarantineCursor();
  return key;
};
