import { loadMembers } from '../campaign/load-members';
import { type AudienceFilter, audienceSegmentOf, matchesAudience, optedOutOfMarketing, windowOpenAt } from '../domain/audience/audience-filter';
import type { AudienceMember } from '../domain/campaign/plan-dispatch';
import type { Channel } from '../domain/events';
import type { AudienceIndex } from '../ports/audience-index';
import type { StateStore } from '../ports/state-store';

/**
 * Index entries one search answer reads at most: a sparse filter on a big account lists many
 * contacts per match, and each listed contact is one read. Past it the answer holds what matched so
 * far (maybe nothing) and a cursor, so one call stays well inside API Gateway's 29 s.
 */
export const SEARCH_READ_BUDGET = 1000;
const CONCURRENCY = 16;

export interface ContactSearch {
  channel: Channel;
  accountId: string;
  filter: AudienceFilter;
  limit: number;
  cursor?: string;
}

export interface FoundContact {
  userId: string;
  tags: string[];
  attributes: Record<string, string>;
  timeZone?: string;
  windowOpen: boolean;
  lastInboundAt?: number;
  marketingOptOut: boolean;
  optIns: { topic: string | null; status: 'active' | 'stopped' }[];
}

export interface ContactSearchPage {
  contacts: FoundContact[];
  /** Absent: the listing is read to its end. */
  cursor?: string;
  /** Index entries read for this page (each one contact read): what the filter cost. */
  scanned: number;
}

/**
 * Contacts of one account matching `filter`: the listing a campaign with this audience reads
 * (`audienceSegmentOf`), paged across its shards, each contact read and held to `matchesAudience`.
 * Never a table scan. An index page asks for no more entries than contacts are still wanted, so a
 * page never holds more than `limit` matches and the index's own cursor continues exactly after it.
 */
export const searchContacts = async (deps: { audience: AudienceIndex; store: StateStore; now: number }, search: ContactSearch): Promise<ContactSearchPage> => {
  const source = { channel: search.channel, accountId: search.accountId, segment: audienceSegmentOf(search.filter) };
  const contacts: FoundContact[] = [];
  let cursor = search.cursor;
  let scanned = 0;
  do {
    const want = Math.min(search.limit - contacts.length, SEARCH_READ_BUDGET - scanned);
    const page = await deps.audience.page(source, cursor, want);
    scanned += page.userIds.length;
    const loaded = await loadMembers(deps.store, source, page.userIds, CONCURRENCY, search.filter.topic);
    for (const { member } of loaded.members) if (matchesAudience(member, search.filter, deps.now)) contacts.push(foundOf(member, deps.now));
    cursor = page.cursor;
  } while (cursor !== undefined && contacts.length < search.limit && scanned < SEARCH_READ_BUDGET);
  return { contacts, scanned, ...(cursor === undefined ? {} : { cursor }) };
};

const foundOf = (member: AudienceMember, now: number): FoundContact => ({
  userId: member.userId,
  tags: [...member.tags],
  attributes: { ...member.attributes },
  ...(member.timeZone === undefined ? {} : { timeZone: member.timeZone }),
  windowOpen: windowOpenAt(member.contact, now),
  ...(member.contact.lastInboundAt === undefined ? {} : { lastInboundAt: member.contact.lastInboundAt }),
  marketingOptOut: optedOutOfMarketing(member.contact),
  optIns: member.contact.optIns.map((o) => ({ topic: o.topic ?? o.title ?? null, status: o.status })),
});
