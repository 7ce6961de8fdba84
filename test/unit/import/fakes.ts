/** Doubles for the import use cases: contacts as the state store and the profile adapter keep them, and a queue. */
import { Logger } from '@aws-lambda-powertools/logger';
import { targetItem } from '../../../lambdas/adapters/dynamodb/keys';
import { InMemoryImportJobs } from '../../../lambdas/adapters/memory/import-jobs';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { ImportSliceDeps } from '../../../lambdas/import/run-import-slice';
import type { ContactOrigin, ContactProfile, ContactProfiles } from '../../../lambdas/ports/contact-profiles';
import type { ImportQueue } from '../../../lambdas/ports/import-queue';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import type { ImportSlice } from '../../../lambdas/schemas/import-slice';
import { FakeErasureStore } from '../../helpers/fake-erasure-store';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';
import { RegisterModel } from '../../helpers/register-model';

export const PAGE = '1234567890123456';
export const T0 = Date.UTC(2026, 11, 6, 10);

const stateKey = (contact: ContactRef): string => {
  const { key } = targetItem({ entity: 'contact', contact });
  return `${key.pk}|${key.sk}`;
};

/**
 * Contacts' STATE items: register writes land by the adapter's rules (RegisterModel), a profile put
 * sets the fields the DynamoDB profile adapter sets, its `origin` only on the first write.
 * `failNextProfile` makes the next put throw: a worker dying between two writes.
 */
export class MemoryContacts extends RecordingStore implements ContactProfiles {
  readonly model = new RegisterModel();
  profilePuts = 0;
  failNextProfile = false;

  override apply(writes: Parameters<RecordingStore['apply']>[0]): Promise<void> {
    this.model.applyWrites(writes);
    return Promise.resolve();
  }

  override getPerson(contact: ContactRef): Promise<ContactRecord | undefined> {
    const state = this.model.items.get(stateKey(contact));
    return Promise.resolve(state === undefined ? undefined : { ...contact, state: structuredClone(state), optIns: [] });
  }

  put(contact: ContactRef, profile: ContactProfile, _now: number, options?: { origin?: ContactOrigin }): Promise<void> {
    if (this.failNextProfile) {
      this.failNextProfile = false;
      return Promise.reject(new Error('worker stopped'));
    }
    this.profilePuts += 1;
    const key = stateKey(contact);
    const item = this.model.items.get(key) ?? { entity: 'contact', channel: contact.channel, accountId: contact.accountId, userId: contact.userId };
    Object.assign(item, { profileTags: profile.tags, profileAttributes: profile.attributes, timeZone: profile.timeZone, country: profile.country });
    if (options?.origin !== undefined && item.origin === undefined) item.origin = options.origin;
    this.model.items.set(key, item);
    return Promise.resolve();
  }

  state(contact: ContactRef): Record<string, unknown> | undefined {
    return this.model.items.get(stateKey(contact));
  }
}

export class MemoryImportQueue implements ImportQueue {
  readonly sent: ImportSlice[] = [];

  send(slice: ImportSlice): Promise<void> {
    this.sent.push({ ...slice });
    return Promise.resolve();
  }

  /** The oldest message not yet taken. */
  take(): ImportSlice | undefined {
    return this.sent.shift();
  }
}

export const importRig = (overrides: Partial<ImportSliceDeps> = {}) => {
  const jobs = new InMemoryImportJobs();
  const contacts = new MemoryContacts();
  const queue = new MemoryImportQueue();
  const erasure = new FakeErasureStore();
  const now = { value: T0 };
  const deps: ImportSliceDeps = {
    jobs,
    store: contacts,
    profiles: contacts,
    erasure,
    accounts: new FixedAccounts([{ channel: 'messenger', accountId: PAGE, displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/shop', timezone: 'Europe/Berlin' }]),
    queue,
    clock: () => now.value,
    logger: new Logger({ logLevel: 'SILENT' }),
    ...overrides,
  };
  return { deps, jobs, contacts, queue, erasure, now };
};
