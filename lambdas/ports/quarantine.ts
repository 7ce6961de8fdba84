import type { QuarantineEntry } from '../domain/quarantine/quarantine-entry';

export type { QuarantineEntry };

export interface QuarantinedItem extends QuarantineEntry {
  /** Our clock's time of the (latest) delivery that carried the item, ms. */
  receivedAt: number;
  /** When the entry expires (TTL), ms: receivedAt + the quarantine retention. */
  expiresAt: number;
}

export interface QuarantinePage {
  items: QuarantinedItem[];
  /** Opaque; present while more (older) entries follow. */
  cursor?: string;
}

/** Where the webhook keeps the items it could not store, and where operators read them. */
export interface QuarantineStore {
  /** Keeps each entry (overwriting one of the same id) until `receivedAt` + the retention. Throws when storage fails. */
  put(entries: readonly QuarantineEntry[], receivedAt: number): Promise<void>;
  /**
   * Entries newest first (by `receivedAt`), `limit` at a time, continuing after `cursor`. Entries
   * past their expiry at `now` are not listed (DynamoDB deletes expired items only within days).
   * Throws `InvalidQuarantineCursor` for a cursor it didn't hand out.
   */
  list(query: { limit: number; cursor?: string; now: number }): Promise<QuarantinePage>;
}

export class InvalidQuarantineCursor extends Error {
  constructor() {
    super('invalid quarantine cursor');
    this.name = 'InvalidQuarantineCursor';
  }
}
