import type { AccountRef, Channel, ContactRef, WebhookEvent } from '../domain/events';
import type { RegisterWrite } from '../domain/state-writes';

/** Everything the webhook and the admin API need from storage. */
export interface StateStore {
  /** Applies register writes; safe to repeat and to reorder. Throws when storage fails. */
  apply(writes: readonly RegisterWrite[]): Promise<void>;
  /** Remembers an event after its writes landed; 'duplicate' when it was already recorded. */
  recordEvent(event: WebhookEvent, meta: { receivedAt: number; registered: boolean }): Promise<'new' | 'duplicate'>;
  /** The wa_id-keyed contact a BSUID was linked to, if any. */
  resolveLinkedUser(contact: ContactRef): Promise<string | undefined>;
  getContact(contact: ContactRef): Promise<ContactRecord | undefined>;
  getMessage(messageId: string): Promise<MessageRecord | undefined>;
  listTemplates(account: AccountRef): Promise<TemplateRecord[]>;
  getAccountPolicy(account: AccountRef): Promise<StoredAttributes | undefined>;
}

/** Raw stored attributes; views in the domain decide what they mean. */
export type StoredAttributes = Record<string, unknown>;

export interface ContactRecord {
  channel: Channel;
  accountId: string;
  userId: string;
  state: StoredAttributes;
  optIns: StoredAttributes[];
}

export type MessageRecord = StoredAttributes & { messageId: string };
export type TemplateRecord = StoredAttributes & { name: string; language: string };
