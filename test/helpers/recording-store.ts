import type { AccountRef, ContactRef, WebhookEvent } from '../../lambdas/domain/events';
import type { RegisterWrite } from '../../lambdas/domain/state-writes';
import type { Account, AccountRegistry } from '../../lambdas/ports/account-registry';
import type { ContactRecord, MessageRecord, StateStore, StoredAttributes, TemplateRecord } from '../../lambdas/ports/state-store';

/** A StateStore double for handler unit tests: records what would be written, or fails on demand. */
export class RecordingStore implements StateStore {
  writes: RegisterWrite[] = [];
  events: WebhookEvent[] = [];
  failWith?: Error;

  apply(writes: readonly RegisterWrite[]): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.writes.push(...writes);
    return Promise.resolve();
  }

  knownEvents(eventKeys: readonly string[]): Promise<Set<string>> {
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(new Set(this.events.map((e) => e.eventKey).filter((k) => eventKeys.includes(k))));
  }

  recordEvents(events: readonly WebhookEvent[]): Promise<void> {
    this.events.push(...events);
    return Promise.resolve();
  }

  getPerson(_contact: ContactRef): Promise<ContactRecord | undefined> {
    return Promise.resolve(undefined);
  }

  /** One getPerson per contact, so a double that overrides getPerson sees every read. */
  getPeople(contacts: readonly ContactRef[]): Promise<(ContactRecord | undefined)[]> {
    return Promise.all(contacts.map((contact) => this.getPerson(contact)));
  }

  getMessage(_messageId: string): Promise<MessageRecord | undefined> {
    return Promise.resolve(undefined);
  }

  listTemplates(_account: AccountRef): Promise<TemplateRecord[]> {
    return Promise.resolve([]);
  }

  getAccountPolicy(_account: AccountRef): Promise<StoredAttributes | undefined> {
    return Promise.resolve(undefined);
  }
}

export class FixedAccounts implements AccountRegistry {
  constructor(private readonly accounts: Account[] = []) {}

  list(): Promise<Account[]> {
    return Promise.resolve(this.accounts);
  }

  get(ref: AccountRef): Promise<Account | undefined> {
    return Promise.resolve(this.accounts.find((a) => a.channel === ref.channel && a.accountId === ref.accountId));
  }

  put(account: Account): Promise<void> {
    this.accounts.push(account);
    return Promise.resolve();
  }

  remove(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
