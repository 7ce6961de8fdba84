import type { ErasureCounts } from '../../lambdas/domain/erasure/tombstone';
import { noneErased } from '../../lambdas/domain/erasure/tombstone';
import type { ContactRef } from '../../lambdas/domain/events';
import type { ErasureStore, LimiterScope, Tombstone } from '../../lambdas/ports/erasure-store';
import type { StoredAttributes } from '../../lambdas/ports/state-store';

/** Contact records by user id (one account), each holding some items; erasing takes them away. */
export class FakeErasureStore implements ErasureStore {
  readonly tombstones = new Map<string, number>();
  readonly erasedWith: LimiterScope[] = [];
  constructor(readonly records = new Map<string, { state: StoredAttributes; items: number }>()) {}

  contactState(contact: ContactRef) {
    return Promise.resolve(this.records.get(contact.userId)?.state);
  }

  eraseItems(contacts: readonly ContactRef[], limiter: LimiterScope): Promise<ErasureCounts> {
    this.erasedWith.push(limiter);
    const counts = noneErased();
    for (const { userId } of contacts) {
      const record = this.records.get(userId);
      if (!record) continue;
      counts.contactRecords += 1;
      counts.sends += record.items;
      this.records.delete(userId);
    }
    return Promise.resolve(counts);
  }

  putTombstones(tombstones: readonly Tombstone[]) {
    for (const { hash, erasedAt } of tombstones) if (!this.tombstones.has(hash)) this.tombstones.set(hash, erasedAt);
    return Promise.resolve();
  }

  hasTombstone(hash: string) {
    return Promise.resolve(this.tombstones.has(hash));
  }
}

