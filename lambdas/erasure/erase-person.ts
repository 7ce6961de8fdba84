import type { Clock } from '../domain/clock';
import { collectPersonIds } from '../domain/erasure/person-ids';
import { type ErasureCounts, erasureHash, totalErased } from '../domain/erasure/tombstone';
import type { ContactRef } from '../domain/events';
import type { AccountRegistry } from '../ports/account-registry';
import type { ErasureStore } from '../ports/erasure-store';

export interface ErasureDeps {
  erasure: ErasureStore;
  accounts: Pick<AccountRegistry, 'get'>;
  clock: Clock;
}

export interface ErasureResult {
  /** How many ids the person was held under (the one asked for, and the WhatsApp identities its records linked). */
  ids: number;
  /** The tombstones kept, one per id: SHA-256 of `<channel>#<accountId>#<userId>`. */
  tombstones: string[];
  removed: ErasureCounts;
  /** Items removed in all: 0 when the person was already erased (or never stored). */
  total: number;
}

/**
 * Erases a person: follows the links their records hold to every id they are held under (WhatsApp:
 * wa_id and BSUIDs), reading each id's record before anything is deleted, then deletes every item
 * of those ids and keeps one tombstone per id. Idempotent: run again, it finds the tombstones and
 * nothing else, and answers zero counts. Webhooks are not blocked by a tombstone: a person who
 * writes again starts afresh.
 */
export const erasePerson = async (deps: ErasureDeps, contact: ContactRef): Promise<ErasureResult> => {
  const ids = await collectPersonIds(contact, (id) => deps.erasure.contactState(id));
  const account = contact.channel === 'whatsapp' ? await deps.accounts.get({ channel: contact.channel, accountId: contact.accountId }) : undefined;
  const removed = await deps.erasure.eraseItems(ids, { ...(account?.businessPortfolioId === undefined ? {} : { portfolioId: account.businessPortfolioId }) });
  const erasedAt = deps.clock();
  const tombstones = ids.map(erasureHash);
  await deps.erasure.putTombstones(tombstones.map((hash) => ({ hash, erasedAt })));
  return { ids: ids.length, tombstones, removed, total: totalErased(removed) };
};

/**
 * Whether a person was erased (under this id, or another id of theirs): what a CSV import asks before it
 * creates a contact, so an import can't bring an erased person back unasked.
 */
export const isErased = (erasure: Pick<ErasureStore, 'hasTombstone'>, contact: ContactRef): Promise<boolean> => erasure.hasTombstone(erasureHash(contact));
