import type { ContactRef } from '../events';

/**
 * Fields of a contact record that name another record of the same person (keys.ts): a wa_id's
 * record names its BSUIDs, a BSUID's its wa_id (`linkedUserId`), a number change the old ones.
 * Parent BSUIDs are per business portfolio and never keys, so they name no record.
 */
export const LINKED_ID_FIELDS = ['waId', 'bsuid', 'previousWaId', 'previousBsuid', 'linkedUserId'] as const;

/** How many ids one person may be held under, at most: a wa_id, its BSUIDs and the ones number and username changes left. */
export const MAX_PERSON_IDS = 16;

/** The ids a contact record names besides its own key. */
export const linkedIdsOf = (state: Readonly<Record<string, unknown>> | undefined): string[] =>
  LINKED_ID_FIELDS.map((field) => state?.[field]).filter((id): id is string => typeof id === 'string' && id.length > 0);

/**
 * Every record of the person `start` names, following the links each record holds (breadth first,
 * each id once, at most MAX_PERSON_IDS), on the same channel and account: identities are per number
 * or Page. `stateOf` reads one id's contact record.
 */
export const collectPersonIds = async (
  start: ContactRef,
  stateOf: (contact: ContactRef) => Promise<Readonly<Record<string, unknown>> | undefined>,
): Promise<ContactRef[]> => {
  const seen = new Set<string>([start.userId]);
  const queue = [start.userId];
  const found: ContactRef[] = [];
  while (queue.length > 0 && found.length < MAX_PERSON_IDS) {
    const userId = queue.shift() as string;
    const contact: ContactRef = { channel: start.channel, accountId: start.accountId, userId };
    found.push(contact);
    for (const linked of linkedIdsOf(await stateOf(contact))) {
      if (seen.has(linked)) continue;
      seen.add(linked);
      queue.push(linked);
    }
  }
  return found;
};
