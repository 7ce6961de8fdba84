import type { FoundContact } from './search-contacts';

/** The export's columns, in order: one row per contact the search answers, the same fields. */
export const CONTACT_CSV_COLUMNS = ['channel', 'accountId', 'userId', 'tags', 'attributes', 'timeZone', 'windowOpen', 'lastInboundAt', 'marketingOptOut', 'optIns'] as const;

/**
 * A spreadsheet runs a cell starting with one of these as a formula (CSV injection): such a cell
 * gets a leading `'`, which spreadsheets show as text. Attribute values and tags come from outside.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

const cell = (value: string): string => {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The values of one contact's row: tags `;`-joined, attributes as JSON, opt-ins `topic:status` `;`-joined. */
export const contactCsvValues = (contact: FoundContact, account: { channel: string; accountId: string }): string[] => [
  account.channel,
  account.accountId,
  contact.userId,
  contact.tags.join(';'),
  JSON.stringify(contact.attributes),
  contact.timeZone ?? '',
  String(contact.windowOpen),
  contact.lastInboundAt === undefined ? '' : new Date(contact.lastInboundAt).toISOString(),
  String(contact.marketingOptOut),
  contact.optIns.map((o) => `${o.topic ?? ''}:${o.status}`).join(';'),
];

/** RFC 4180 lines (CRLF), the header first when `header` is set. */
export const contactsCsv = (contacts: readonly FoundContact[], account: { channel: string; accountId: string }, header: boolean): string => {
  const lines = contacts.map((c) => contactCsvValues(c, account).map(cell).join(','));
  return [...(header ? [CONTACT_CSV_COLUMNS.join(',')] : []), ...lines].map((line) => `${line}\r\n`).join('');
};
