import type { ContactRef, WebhookEvent } from '../domain/events';
import type { StateStore } from '../ports/state-store';

/**
 * A WhatsApp event that names only a BSUID (the person uses a username and we lack their number)
 * belongs to the wa_id-keyed contact when an earlier event linked the two. The normaliser already
 * resolves links within one body; this looks up links stored by earlier bodies.
 */
export const resolveLinkedContacts = async (events: readonly WebhookEvent[], store: StateStore): Promise<WebhookEvent[]> => {
  const lookups = new Map<string, Promise<string | undefined>>();
  const resolve = (contact: ContactRef): Promise<string | undefined> => {
    const key = `${contact.accountId}#${contact.userId}`;
    let found = lookups.get(key);
    if (!found) {
      found = store.resolveLinkedUser(contact);
      lookups.set(key, found);
    }
    return found;
  };
  return Promise.all(
    events.map(async (event) => {
      if (!('contact' in event) || !event.contact || !('identities' in event) || !event.identities) return event;
      const { bsuid, waId } = event.identities;
      if (event.contact.channel !== 'whatsapp' || waId || !bsuid || event.contact.userId !== bsuid) return event;
      const linked = await resolve(event.contact);
      return linked ? ({ ...event, contact: { ...event.contact, userId: linked } } as WebhookEvent) : event;
    }),
  );
};
