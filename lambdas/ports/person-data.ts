import type { ContactRef } from '../domain/events';
import type { StoredAttributes } from './state-store';

/** The kinds of a person's items outside their contact records, as the person index files them. */
export type PersonItemKind = 'send' | 'messageStatus' | 'event' | 'quarantined' | 'importRow' | 'click' | 'conversion' | 'customerKey';

export interface PersonItem {
  kind: PersonItemKind;
  item: StoredAttributes;
}

/** The page cursor is not one `personItems` gave for these contacts. */
export class InvalidPersonCursor extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPersonCursor';
  }
}

/**
 * Everything stored about a person, as stored, for the access export: read through the keys a
 * person's items are filed under (their contact partitions and the person index), never a scan.
 */
export interface PersonData {
  /** Every item of the contact records of these ids: state, opt-ins, tags. */
  contactItems(contacts: readonly ContactRef[]): Promise<StoredAttributes[]>;
  /**
   * A page of the items the person index files under these ids, whole, oldest first per id: at most
   * `limit` items, and at most `maxBytes` of them plus one item (DynamoDB's 400 KB at worst), so a
   * page always fits the answer it goes into. `cursor`: the previous page's.
   */
  personItems(contacts: readonly ContactRef[], options: { cursor?: string; limit: number; maxBytes: number }): Promise<{ items: PersonItem[]; cursor?: string }>;
}
