import type { AccountRef, Channel, ContactRef, WebhookEvent } from '../domain/events';
import type { RegisterWrite } from '../domain/state-writes';
import type { OutboxRecord } from './outbox';

/**
 * Told of each write with `flags` that landed, with its outbox record as it was just before the
 * write (undefined: there was none): the flags that record lacked are the ones the write set.
 */
export type FlagsLanded = (write: RegisterWrite, before: OutboxRecord | undefined) => void;

/** Everything the webhook and the admin API need from storage. */
export interface StateStore {
  /**
   * Applies register writes; safe to repeat and to reorder. Throws when storage fails: `ItemRejected`
   * when it refused the writes for a reason of their own (a retry would be refused again).
   */
  apply(writes: readonly RegisterWrite[], landed?: FlagsLanded): Promise<void>;
  /** The event keys already recorded, i.e. whose writes landed before. */
  knownEvents(eventKeys: readonly string[]): Promise<Set<string>>;
  /** Records events (with a TTL) once their writes have landed. */
  recordEvents(events: readonly WebhookEvent[], meta: { receivedAt: number; registered: (e: WebhookEvent) => boolean }): Promise<void>;
  /**
   * A contact's state and opt-ins. For WhatsApp the wa_id and BSUID records of the same person are
   * read together and merged; `userId` is then the wa_id when known.
   */
  getPerson(contact: ContactRef, options?: { consistent?: boolean }): Promise<ContactRecord | undefined>;
  /**
   * `getPerson` of each contact, in the order asked; an adapter may batch the reads. `concurrency`:
   * records read at once where each is a request of its own. `consistent`: strongly consistent
   * reads (twice the read units), for a writer that must see what it wrote a moment ago (the import).
   */
  getPeople(contacts: readonly ContactRef[], concurrency: number, options?: { consistent?: boolean }): Promise<(ContactRecord | undefined)[]>;
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
  /**
   * Whether a record is stored under `userId` itself and is listed: the record the audience and zone
   * listings name the person by (a BSUID's record holding a link is an alias, not listed).
   */
  homeListed?: boolean;
}

export type MessageRecord = StoredAttributes & { messageId: string };
export type TemplateRecord = StoredAttributes & { name: string; language: string };

/**
 * Storage refused an item for a reason of its own (DynamoDB's ValidationException, a value its
 * marshaller can't encode), not for a transient one: the webhook quarantines the item instead of
 * answering 5xx. Carries the cause's name only: its message may quote the values.
 */
export class ItemRejected extends Error {
  constructor(readonly causeName: string) {
    super(`storage refused the item (${causeName})`);
    this.name = 'ItemRejected';
  }
}
