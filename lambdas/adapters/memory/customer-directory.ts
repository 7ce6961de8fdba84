import type { AccountRef, ContactRef } from '../../domain/events';
import type { CustomerDirectory } from '../../ports/customer-directory';

const accountKey = (a: AccountRef): string => `${a.channel}#${a.accountId}`;

/** Customer keys in memory: what the profile writes would have filed. */
export class InMemoryCustomerDirectory implements CustomerDirectory {
  private readonly entries: { contact: ContactRef; attribute: string; value: string }[] = [];

  add(contact: ContactRef, attribute: string, value: string): this {
    this.entries.push({ contact, attribute, value });
    return this;
  }

  contactsWith(account: AccountRef, attribute: string, value: string): Promise<ContactRef[]> {
    return Promise.resolve(
      this.entries
        .filter((e) => accountKey(e.contact) === accountKey(account) && e.attribute === attribute && e.value === value)
        .map((e) => ({ ...e.contact })),
    );
  }
}
