import type { operations } from '../../api/schema';

/** A contact search as the form and the page's address hold it (`/contacts?account=…&tag=…`). */
export interface ContactSearch {
  /** `<channel>/<accountId>`, the account picker's value. */
  account: string;
  id: string;
  tag: string;
  attributeName: string;
  attributeValue: string;
  topic: string;
  optInStatus: '' | 'active' | 'stopped';
  windowOpen: '' | 'true' | 'false';
  marketingOptOut: '' | 'true' | 'false';
  lastInboundWithinDays: string;
}

type SearchQuery = NonNullable<operations['searchContacts']['parameters']['query']>;

const FIELDS = ['account', 'id', 'tag', 'attributeName', 'attributeValue', 'topic', 'optInStatus', 'windowOpen', 'marketingOptOut', 'lastInboundWithinDays'] as const satisfies (keyof ContactSearch)[];

const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | '' => (allowed.includes(value as T) ? (value as T) : '');

export const searchFromAddress = (search: string): ContactSearch => {
  const params = new URLSearchParams(search);
  const text = (name: string) => params.get(name) ?? '';
  return {
    account: text('account'),
    id: text('id'),
    tag: text('tag'),
    attributeName: text('attributeName'),
    attributeValue: text('attributeValue'),
    topic: text('topic'),
    optInStatus: oneOf(params.get('optInStatus'), ['active', 'stopped']),
    windowOpen: oneOf(params.get('windowOpen'), ['true', 'false']),
    marketingOptOut: oneOf(params.get('marketingOptOut'), ['true', 'false']),
    lastInboundWithinDays: text('lastInboundWithinDays'),
  };
};

/** The search as the page's address: only the fields set, so a link to it stays short. */
export const searchToAddress = (search: ContactSearch): string => {
  const params = new URLSearchParams();
  for (const field of FIELDS) if (search[field].trim()) params.set(field, search[field].trim());
  return params.toString();
};

/** The account part of the search, or undefined until one is chosen. */
export const accountOf = (search: ContactSearch): { channel: string; accountId: string } | undefined => {
  const slash = search.account.indexOf('/');
  return slash > 0 ? { channel: search.account.slice(0, slash), accountId: search.account.slice(slash + 1) } : undefined;
};

/** The admin API's filters (an attribute is `name:value`); empty fields filter nothing. */
export const searchFilters = (search: ContactSearch): SearchQuery => ({
  ...(search.tag.trim() ? { tag: search.tag.trim() } : {}),
  ...(search.attributeName.trim() ? { attribute: `${search.attributeName.trim()}:${search.attributeValue}` } : {}),
  ...(search.topic.trim() ? { topic: search.topic.trim() } : {}),
  ...(search.topic.trim() && search.optInStatus ? { optInStatus: search.optInStatus } : {}),
  ...(search.windowOpen ? { windowOpen: search.windowOpen } : {}),
  ...(search.marketingOptOut ? { marketingOptOut: search.marketingOptOut } : {}),
  ...(search.lastInboundWithinDays.trim() ? { lastInboundWithinDays: Number(search.lastInboundWithinDays) } : {}),
});
