import { contactProfileOf } from '../domain/contact-profile';
import { consentsOf } from '../domain/consent/consent-record';
import type { ContactRef } from '../domain/events';
import { errorJson } from '../http/responses';
import { InvalidPersonCursor, type PersonItem, type PersonItemKind } from '../ports/person-data';
import type { ContactRecord } from '../ports/state-store';
import type { AdminRouteImpls, Handler } from './route-handler';
import { consentView, contactView } from './views';

/** Items of the person index per export answer, and the bytes they may take (plus one item): a Lambda answers API Gateway with at most 6 MB, and the first page carries the contact records too. */
const EXPORT_PAGE_ITEMS = 200;
const EXPORT_PAGE_BYTES = 4 * 1024 * 1024;

/** Fields of a WhatsApp contact that name another record of the same person (keys.ts). */
const IDENTITY_FIELDS = ['waId', 'bsuid', 'previousWaId', 'previousBsuid', 'linkedUserId'] as const;

const getProfile: Handler<'GET /admin/contacts/{channel}/{accountId}/{userId}/profile'> = async (deps, { path: contact }) => {
  const record = await deps.store.getPerson(contact);
  if (!record) return errorJson(404, 'contact not found', contact);
  return {
    status: 200,
    body: {
      channel: record.channel,
      accountId: record.accountId,
      userId: record.userId,
      ...(record.userId !== contact.userId ? { linkedFrom: contact.userId } : {}),
      ...contactProfileOf(record.state),
      consents: consentsOf(record.state).map(consentView),
    },
  };
};

/**
 * The access export: the person's contact records under every id they are held by, then the person
 * index's items under those ids, in bounded pages a cursor continues (one answer can't hold years of
 * sends). The first page carries the contact view and the records; later pages only items.
 */
const exportContact: Handler<'GET /admin/contacts/{channel}/{accountId}/{userId}/export'> = async (deps, { path: contact, query: { cursor } }) => {
  if (!deps.personData) return errorJson(503, 'export is not configured for this admin API');
  const record = await deps.store.getPerson(contact, { consistent: true });
  if (!record) return errorJson(404, 'contact not found', contact);
  const userIds = personIds(contact, record);
  const refs: ContactRef[] = userIds.map((userId) => ({ channel: contact.channel, accountId: contact.accountId, userId }));
  let page: { items: PersonItem[]; cursor?: string };
  try {
    page = await deps.personData.personItems(refs, { ...(cursor === undefined ? {} : { cursor }), limit: EXPORT_PAGE_ITEMS, maxBytes: EXPORT_PAGE_BYTES });
  } catch (error) {
    if (error instanceof InvalidPersonCursor) return errorJson(400, error.message);
    throw error;
  }
  const first = cursor === undefined;
  const now = deps.clock();
  const of = (kind: PersonItemKind) => page.items.filter((i) => i.kind === kind).map((i) => i.item);
  return {
    status: 200,
    body: {
      channel: contact.channel,
      accountId: contact.accountId,
      userId: record.userId,
      exportedAt: new Date(now).toISOString(),
      userIds,
      contact: first ? { ...contactView(record, now), ...(record.userId !== contact.userId ? { linkedFrom: contact.userId } : {}) } : null,
      records: first ? await deps.personData.contactItems(refs) : [],
      sends: of('send'),
      messageStatuses: of('messageStatus'),
      events: of('event'),
      quarantined: of('quarantined'),
      importRows: of('importRow'),
      clicks: of('click'),
      conversions: of('conversion'),
      customerKeys: of('customerKey'),
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    },
  };
};

/** The id asked for, the record's, and every other id the person's record names (WhatsApp: wa_id and BSUIDs). */
const personIds = (contact: ContactRef, record: ContactRecord): string[] => {
  const named = IDENTITY_FIELDS.map((field) => record.state[field]).filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set([record.userId, contact.userId, ...named])];
};

export const contactDataRoutes = {
  'GET /admin/contacts/{channel}/{accountId}/{userId}/profile': { handle: getProfile },
  'GET /admin/contacts/{channel}/{accountId}/{userId}/export': { handle: exportContact },
} satisfies Partial<AdminRouteImpls>;
