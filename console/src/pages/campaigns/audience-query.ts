/**
 * The audience builder's filters as the contact search takes them. One definition (the campaign's
 * audience, lambdas/domain/audience/audience-filter.ts) serves both; the search takes one tag and
 * one attribute per call, so any further ones are held to each contact it answers, from the tags
 * and attributes it answers with. Pure, for the unit tests.
 */
export type Channel = 'messenger' | 'instagram' | 'whatsapp';

export interface Audience {
  topic?: string;
  optInStatus?: 'active' | 'stopped';
  tags?: string[];
  attributes?: Record<string, string>;
  lastInboundWithinDays?: number;
  channel?: Channel;
  marketingOptOut?: boolean;
  windowOpen?: boolean;
}

export interface SearchQuery {
  tag?: string;
  attribute?: string;
  topic?: string;
  optInStatus?: 'active' | 'stopped';
  marketingOptOut?: 'true' | 'false';
  windowOpen?: 'true' | 'false';
  lastInboundWithinDays?: number;
}

const flag = (value: boolean | undefined): 'true' | 'false' | undefined => (value === undefined ? undefined : value ? 'true' : 'false');

/** The search's query for an audience: its first tag and first attribute, and every other filter. */
export const searchQuery = (audience: Audience): SearchQuery => {
  const [attribute] = Object.entries(audience.attributes ?? {});
  const query: SearchQuery = {
    tag: audience.tags?.[0],
    attribute: attribute ? `${attribute[0]}:${attribute[1]}` : undefined,
    topic: audience.topic,
    optInStatus: audience.topic ? audience.optInStatus : undefined,
    marketingOptOut: flag(audience.marketingOptOut),
    windowOpen: flag(audience.windowOpen),
    lastInboundWithinDays: audience.lastInboundWithinDays,
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
};

/** Whether a contact the search answered also carries the audience's other tags and attribute values. */
export const matchesRest = (contact: { tags: string[]; attributes: Record<string, string> }, audience: Audience): boolean =>
  (audience.tags ?? []).every((tag) => contact.tags.includes(tag)) && Object.entries(audience.attributes ?? {}).every(([name, value]) => contact.attributes[name] === value);

/** The campaign's accounts the audience reads: those on its `channel`, when it names one. */
export const audienceAccounts = <A extends { channel: Channel }>(accounts: A[], audience: Audience): A[] =>
  audience.channel ? accounts.filter((a) => a.channel === audience.channel) : accounts;

/** A person's name from the attributes an import or a profile gives (first_name, last_name, name…), else null. */
export const personName = (attributes: Record<string, string>): string | null => {
  const first = attributes.first_name ?? attributes.firstName;
  const last = attributes.last_name ?? attributes.lastName;
  const whole = [first, last].filter(Boolean).join(' ');
  return whole || attributes.name || null;
};

/** `name:value` lines (the search's attribute form) as a map; lines without a colon are reported. */
export const parseAttributeLines = (text: string): { attributes: Record<string, string>; invalid: string[] } => {
  const attributes: Record<string, string> = {};
  const invalid: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(':');
    if (colon <= 0) invalid.push(line);
    else attributes[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { attributes, invalid };
};
