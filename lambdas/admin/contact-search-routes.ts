import { contactsCsv } from '../contacts/contacts-csv';
import { type FoundContact, searchContacts } from '../contacts/search-contacts';
import type { AudienceFilter } from '../domain/audience/audience-filter';
import type { Channel } from '../domain/events';
import { errorJson } from '../http/responses';
import { InvalidPageCursor } from '../ports/page-cursor';
import { CSV_CURSOR_HEADER } from './contract/contact-search';
import type { AdminRouteImpls, Handler } from './route-handler';

type SearchQuery = Parameters<Handler<'GET /admin/contacts/{channel}/{accountId}'>>[1]['query'];

const searchContactsRoute: Handler<'GET /admin/contacts/{channel}/{accountId}'> = (deps, { path: account, query }) => search(deps, account, query);

const searchContactsByQueryRoute: Handler<'GET /admin/contacts'> = (deps, { query: { channel, accountId, ...query } }) => search(deps, { channel, accountId }, query);

const search = async (deps: Parameters<Handler<'GET /admin/contacts'>>[0], account: { channel: Channel; accountId: string }, query: SearchQuery) => {
  if (!deps.audience) return errorJson(503, 'search is not configured for this admin API');
  const { tag, attribute, topic, optInStatus, marketingOptOut, windowOpen, lastInboundWithinDays, format, limit, cursor } = query;
  const filter: AudienceFilter = {
    ...(tag === undefined ? {} : { tags: [tag] }),
    ...(attribute === undefined ? {} : { attributes: { [attribute.name]: attribute.value } }),
    ...(topic === undefined ? {} : { topic }),
    ...(optInStatus === undefined ? {} : { optInStatus }),
    ...(marketingOptOut === undefined ? {} : { marketingOptOut }),
    ...(windowOpen === undefined ? {} : { windowOpen }),
    ...(lastInboundWithinDays === undefined ? {} : { lastInboundWithinDays }),
  };
  let page;
  try {
    page = await searchContacts({ audience: deps.audience, store: deps.store, now: deps.clock() }, { ...account, filter, limit, ...(cursor === undefined ? {} : { cursor }) });
  } catch (error) {
    if (error instanceof InvalidPageCursor) return errorJson(400, error.message);
    throw error;
  }
  if (format === 'csv') {
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', ...(page.cursor === undefined ? {} : { [CSV_CURSOR_HEADER]: page.cursor }) },
      // The header row on the first page only: the pages of one export concatenate into one file.
      body: contactsCsv(page.contacts, account, cursor === undefined),
    };
  }
  return {
    status: 200 as const,
    body: { contacts: page.contacts.map((c) => contactView(c, account)), scanned: page.scanned, ...(page.cursor === undefined ? {} : { cursor: page.cursor }) },
  };
};

const contactView = (contact: FoundContact, account: { channel: string; accountId: string }) => ({
  ...account,
  userId: contact.userId,
  tags: contact.tags,
  attributes: contact.attributes,
  timeZone: contact.timeZone ?? null,
  window: { open: contact.windowOpen, lastInboundAt: contact.lastInboundAt === undefined ? null : new Date(contact.lastInboundAt).toISOString() },
  marketingOptOut: contact.marketingOptOut,
  optIns: contact.optIns,
});

export const contactSearchRoutes = {
  'GET /admin/contacts': { handle: searchContactsByQueryRoute },
  'GET /admin/contacts/{channel}/{accountId}': { handle: searchContactsRoute },
} satisfies Partial<AdminRouteImpls>;
