import { isPossiblePhoneNumber } from 'libphonenumber-js/min';
import { ChannelSchema } from '../../schemas/account';
import { accountIdIssue, userIdIssue } from '../../schemas/ids';
import { attributeNameIssue, tagIssue } from '../../schemas/user-keys';
import { isIanaTimeZone } from '../campaign/local-time';
import { CONSENT_BASES, type ConsentBasis, type ConsentRecord } from '../consent/consent-record';
import { digest } from '../event-key';
import type { Channel, ContactRef } from '../events';
import { attributeOf } from './column-mapping';
import type { CsvRecord } from './csv-chunk';
import type { ColumnTarget, ImportSettings, LineError } from './import-job';

/** One row, checked: whom it is about and what it says of them. Fields absent where the row's cell was empty. */
export interface ImportRow {
  line: number;
  contact: ContactRef;
  tags?: string[];
  attributes: Record<string, string>;
  timeZone?: string;
  country?: string;
  consent?: ConsentRecord;
}

export type RowResult = { ok: true; row: ImportRow } | { ok: false; errors: LineError[] };

const CHANNELS = ChannelSchema.options;
const MAX_TAGS = 50;
const MAX_ATTRIBUTE_VALUE = 1024;
const MAX_TEXT_SHOWN = 2000;
const MAX_SOURCE = 200;
/** Nobody gave consent to a WhatsApp Business account before WhatsApp Business existed. */
const EARLIEST_CAPTURE = Date.parse('2009-01-01T00:00:00Z');

/**
 * Checks one record against the mapping and turns it into a row, or names every problem in it
 * (line, column, reason; never the value: it may be a phone number). A row with any problem
 * writes nothing. Empty cells say nothing: they never clear a stored value.
 */
export const parseImportRow = (record: CsvRecord, settings: ImportSettings, now: number): RowResult => {
  const { header } = settings;
  if (record.cells.length !== header.length) {
    return { ok: false, errors: [{ line: record.line, column: '', reason: `expected ${header.length} cells (the header's), found ${record.cells.length}` }] };
  }
  const errors: LineError[] = [];
  const fail = (column: string, reason: string): undefined => {
    errors.push({ line: record.line, column, reason });
    return undefined;
  };
  const cells = new Map<ColumnTarget, { column: string; value: string }>();
  header.forEach((column, i) => {
    const target = settings.mapping[column] ?? 'ignore';
    const value = (record.cells[i] ?? '').trim();
    if (target !== 'ignore' && value !== '') cells.set(target, { column, value });
  });
  const cell = (target: ColumnTarget) => cells.get(target);

  const channel = channelOf(cell('channel'), settings.defaults.channel, fail);
  const accountId = accountOf(channel, cell('accountId'), settings.defaults.accountId, fail);
  const userId = userOf(channel, cell('userId'), fail);
  const fields: Omit<ImportRow, 'line' | 'contact'> = { attributes: {} };
  const tags = cell('tags');
  if (tags) fields.tags = tagsOf(tags, fail);
  for (const [target, { column, value }] of cells) {
    const name = attributeOf(target);
    if (name === undefined) continue;
    if (value.length > MAX_ATTRIBUTE_VALUE) fail(column, `at most ${MAX_ATTRIBUTE_VALUE} characters (got ${value.length})`);
    else fields.attributes[name] = value;
  }
  const zone = cell('timeZone');
  if (zone) {
    if (isIanaTimeZone(zone.value)) fields.timeZone = zone.value;
    else fail(zone.column, 'an IANA time zone such as Europe/Berlin');
  }
  const country = cell('country');
  if (country) {
    const code = country.value.toUpperCase();
    if (/^[A-Z]{2}$/.test(code)) fields.country = code;
    else fail(country.column, 'an ISO 3166-1 alpha-2 country such as DE');
  }
  const consent = consentOf(cell, now, fail);
  if (errors.length > 0 || channel === undefined || accountId === undefined || userId === undefined) return { ok: false, errors };
  const contact: ContactRef = { channel, accountId, userId };
  // Keyed by what the row says, not by the import: the same row imported again writes nothing.
  const withKey = consent === undefined ? {} : { consent: { ...consent, eventKey: `import#${digest(JSON.stringify([contact, consent]))}` } };
  return { ok: true, row: { line: record.line, contact, ...fields, ...withKey } };
};

type Cell = { column: string; value: string } | undefined;
type Fail = (column: string, reason: string) => undefined;

const channelOf = (cell: Cell, fallback: Channel | undefined, fail: Fail): Channel | undefined => {
  if (!cell) return fallback ?? fail('', 'no channel: the row leaves it empty and the import names no default');
  const value = cell.value.toLowerCase();
  return (CHANNELS as readonly string[]).includes(value) ? (value as Channel) : fail(cell.column, `one of ${CHANNELS.join(', ')}`);
};

const accountOf = (channel: Channel | undefined, cell: Cell, fallback: string | undefined, fail: Fail): string | undefined => {
  const value = cell?.value ?? fallback;
  if (value === undefined) return fail('', 'no account: the row leaves it empty and the import names no default');
  if (channel === undefined) return undefined;
  const issue = accountIdIssue(channel, value);
  return issue === undefined ? value : fail(cell?.column ?? '', issue);
};

/**
 * Whom the row is about, as afterchat keys them: a PSID or IGSID as given; on WhatsApp a BSUID as
 * given, or a phone number in E.164 (`+49 151 2345 6789`, `0049…`, or the wa_id's digits, as
 * afterchat's own export writes them) as its wa_id.
 */
const userOf = (channel: Channel | undefined, cell: Cell, fail: Fail): string | undefined => {
  if (!cell) return fail('', 'no user id: the row leaves the user id column empty');
  if (channel === undefined) return undefined;
  if (channel !== 'whatsapp' || /^[A-Z]{2}\./.test(cell.value)) {
    const issue = userIdIssue(channel, cell.value);
    return issue === undefined ? cell.value : fail(cell.column, issue);
  }
  // `+49 (0)151 …`: the `(0)` is the trunk prefix dialled at home only, never part of the E.164 number.
  const digits = cell.value.replace(/\(0\)/g, '').replace(/[\s().-]/g, '').replace(/^(?:\+|00)/, '');
  if (!/^[1-9]\d{5,14}$/.test(digits) || !isPossiblePhoneNumber(`+${digits}`)) {
    return fail(cell.column, 'a phone number in E.164 with its country code, such as +49 151 23456789, or a BSUID such as DE.88201734659910273645');
  }
  return digits;
};

/** Tags separated by `;`, `|` or `,` (inside a quoted cell), each a valid tag, at most 50. */
const tagsOf = ({ column, value }: { column: string; value: string }, fail: Fail): string[] | undefined => {
  const tags = [...new Set(value.split(/[;|,]/).map((t) => t.trim()).filter((t) => t !== ''))];
  if (tags.length > MAX_TAGS) return fail(column, `at most ${MAX_TAGS} tags (got ${tags.length})`);
  for (const tag of tags) {
    const issue = tagIssue(tag);
    if (issue !== undefined) return fail(column, `each tag: ${issue}`);
  }
  return tags;
};

/**
 * The row's consent, when any consent cell is filled: a basis, the time it was captured (ISO-8601
 * with an offset, or a date: midnight UTC), the topic, and for an express consent the text shown.
 * Not in the future: a consent is a fact that happened.
 */
const consentOf = (cell: (t: ColumnTarget) => Cell, now: number, fail: Fail): Omit<ConsentRecord, 'eventKey'> | undefined => {
  const basis = cell('consent.basis');
  const capturedAt = cell('consent.capturedAt');
  const textShown = cell('consent.textShown');
  const topic = cell('consent.topic');
  const source = cell('consent.source');
  if (!basis && !capturedAt && !textShown && !topic && !source) return undefined;
  let missing = false;
  const need = (c: Cell, what: string): c is NonNullable<Cell> => {
    if (c) return true;
    missing = true;
    fail('', `a consent needs ${what}`);
    return false;
  };
  const b = need(basis, 'its basis') ? basisOf(basis, fail) : undefined;
  const at = need(capturedAt, 'the time it was captured') ? instantOf(capturedAt, now, fail) : undefined;
  const t = need(topic, 'its topic') ? (attributeNameIssue(topic.value) === undefined ? topic.value : fail(topic.column, 'a topic of 1–100 characters')) : undefined;
  if (textShown && textShown.value.length > MAX_TEXT_SHOWN) fail(textShown.column, `at most ${MAX_TEXT_SHOWN} characters (got ${textShown.value.length})`);
  if (b === 'express' && !textShown) fail('', 'an express consent needs the text the person was shown');
  if (source && source.value.length > MAX_SOURCE) fail(source.column, `at most ${MAX_SOURCE} characters (got ${source.value.length})`);
  if (b === undefined || at === undefined || t === undefined || missing) return undefined;
  return {
    topic: t,
    basis: b,
    source: 'import',
    ...(source ? { sourceDetail: source.value } : {}),
    capturedAt: at,
    textShown: textShown?.value ?? '',
  };
};

const basisOf = ({ column, value }: { column: string; value: string }, fail: Fail): ConsentBasis | undefined => {
  const basis = value.toLowerCase();
  return (CONSENT_BASES as readonly string[]).includes(basis) ? (basis as ConsentBasis) : fail(column, `one of ${CONSENT_BASES.join(', ')}`);
};

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const instantOf = ({ column, value }: { column: string; value: string }, now: number, fail: Fail): number | undefined => {
  const text = DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value;
  const ms = WITH_OFFSET.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms) || (DATE_ONLY.test(value) && new Date(ms).toISOString().slice(0, 10) !== value)) {
    return fail(column, 'an ISO-8601 time with its offset (2026-03-01T09:30:00+01:00 or …Z), or a date (2026-03-01)');
  }
  if (ms > now) return fail(column, 'a time in the past: a consent is captured before it is imported');
  if (ms < EARLIEST_CAPTURE) return fail(column, 'a time after 2009');
  return ms;
};
