import { createHash } from 'node:crypto';
import type { WhatsAppIdentities } from '../events';
import { isOutboxId } from './outbox-id';

/**
 * The callback data afterchat gives Meta with a message (WhatsApp `biz_opaque_callback_data`,
 * Messenger `metadata`), back on its status webhooks: the outbox id, then, when the sender found the
 * recipient's WhatsApp ids already stored (their wa_id and BSUID and the BSUID's link to the wa_id),
 * a tag of those ids: `<outboxId>.<tag>`. A `sent` or `failed` status naming the very ids of the tag
 * then skips writing them to the contact again, so a person's ids are learnt once, not per message.
 * A status naming other ids (a new BSUID, a number change since) writes them as before.
 */
const SEPARATOR = '.';
const TAG_CHARS = 8;

export const callbackDataFor = (outboxId: string, knownIds: WhatsAppIdentities | undefined): string =>
  knownIds === undefined ? outboxId : `${outboxId}${SEPARATOR}${idsTag(knownIds)}`;

/** The outbox record a status's callback data names, if afterchat sent the message. */
export const outboxIdOfCallback = (callbackData: string | undefined): string | undefined => {
  const [outboxId, tag, ...rest] = (callbackData ?? '').split(SEPARATOR);
  if (rest.length > 0 || (tag !== undefined && tag.length !== TAG_CHARS)) return undefined;
  return isOutboxId(outboxId) ? outboxId : undefined;
};

/** Whether the sender already had exactly the ids a status names stored when it sent the message. */
export const idsKnownAtSend = (callbackData: string | undefined, ids: WhatsAppIdentities | undefined): boolean => {
  if (ids === undefined || outboxIdOfCallback(callbackData) === undefined) return false;
  const tag = (callbackData as string).split(SEPARATOR)[1];
  return tag !== undefined && tag === idsTag(ids);
};

/**
 * The ids of a person's stored WhatsApp records that a status's writes would only repeat: wa_id and
 * BSUID with the BSUID linked to the wa_id, or either alone. Undefined when the records don't hold
 * them all yet (the first status then writes them).
 */
export const storedIdentities = (state: Record<string, unknown> | undefined): WhatsAppIdentities | undefined => {
  const waId = typeof state?.waId === 'string' && state.waId !== '' ? state.waId : undefined;
  const bsuid = typeof state?.bsuid === 'string' && state.bsuid !== '' ? state.bsuid : undefined;
  if (waId !== undefined && bsuid !== undefined) return state?.linkedUserId === waId ? { waId, bsuid } : undefined;
  if (waId === undefined && bsuid === undefined) return undefined;
  return { waId, bsuid };
};

// An empty wa_id is Meta saying "none", as the status writes read it.
const idsTag = (ids: WhatsAppIdentities): string =>
  createHash('sha256')
    .update(`${ids.waId || ''}|${ids.bsuid || ''}`)
    .digest('base64url')
    .slice(0, TAG_CHARS);
