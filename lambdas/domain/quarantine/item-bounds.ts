/**
 * Which webhook items afterchat can store and reason about. A signed body can still carry values no
 * key can hold (a 3,000-character user id) or no rule can reason about (an event in the year 9999
 * would hold the 24-hour window open for ever, since registers only move forward). Such an item is
 * quarantined on its own, never clamped: state must not depend on when an event arrived. Pure.
 *
 * Issue messages say what was expected, never the value (it may be a phone number or 5,000
 * characters long), as the id rules' messages do.
 */
import { accountIdIssue, idIssue, messageIdIssue, userIdIssue } from '../../schemas/ids';
import type { AccountRef, Channel, ContactRef, WebhookEvent, WhatsAppIdentities } from '../events';

/**
 * How far after its receipt an event's own time may lie. Meta stamps events on its servers; a few
 * seconds of clock difference are normal, minutes are not, and anything later would open a
 * window (or order a register) ahead of real time. Old times stay accepted: a register ignores them.
 */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Facebook launched in February 2004: no Meta event is older, and 0 or negatives are garbage. */
export const EARLIEST_EVENT_AT = Date.UTC(2004, 0, 1);
/** Expiry times (opt-in tokens, account restrictions) are legitimately in the future, but within 4-digit years. */
export const LATEST_EXPIRY_AT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/**
 * An event key is a partition key (`E#<key>`) and part of the person index's sort key
 * (`EVENT#<ISO time>#<key>`), which DynamoDB caps at 1,024 bytes.
 */
export const MAX_EVENT_KEY_BYTES = 900;
/** A normalised event is a few hundred bytes; far more means a value no register should hold (items cap at 400 KB). */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Opt-in tokens key an item (`OPTIN#<token>`): printable ASCII, bounded well inside a sort key. */
const TOKEN = /^[\x21-\x7e]{1,512}$/;
/** Parent BSUIDs (`DE.P.…`, per business portfolio) are stored as facts, never keys: only their alphabet and length are held. */
const PARENT_BSUID = /^[A-Za-z0-9.]{1,261}$/;
/** BCP 47-ish template languages as Meta names them (`en`, `en_US`, `pt_BR`, `zh_Hant_HK`). */
const LANGUAGE = /^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,3}$/;

export type IssueKind = 'invalid_id' | 'time_out_of_range' | 'unstorable_value';

export interface ItemIssue {
  kind: IssueKind;
  /** The field of the normalised event, e.g. `contact.userId` or `occurredAt`. */
  path: string;
  message: string;
}

/** Everything wrong with one normalised event, in field order; empty when it may be stored. */
export const itemIssues = (event: WebhookEvent, receivedAt: number): ItemIssue[] => {
  const issues: ItemIssue[] = [];
  const add = (kind: IssueKind, path: string, message: string | undefined): void => {
    if (message !== undefined) issues.push({ kind, path, message });
  };
  add('time_out_of_range', 'occurredAt', eventTimeIssue(event.occurredAt, receivedAt));
  if (event.type === 'watermark') add('time_out_of_range', 'watermark', eventTimeIssue(event.watermark, receivedAt));
  if (event.type === 'opt_in' && event.tokenExpiresAt !== undefined) add('time_out_of_range', 'tokenExpiresAt', expiryIssue(event.tokenExpiresAt));
  if (event.type === 'account_update') {
    event.restrictions?.forEach((r, i) => r.expiresAt !== undefined && add('time_out_of_range', `restrictions.${i}.expiresAt`, expiryIssue(r.expiresAt)));
  }
  for (const [path, message] of idIssues(event)) add('invalid_id', path, message);
  add('invalid_id', 'eventKey', byteLength(event.eventKey) > MAX_EVENT_KEY_BYTES ? `at most ${MAX_EVENT_KEY_BYTES} bytes` : undefined);
  for (const path of unstorableNumbers(event, '')) add('unstorable_value', path, STORABLE_NUMBER);
  const bytes = byteLength(JSON.stringify(event));
  add('unstorable_value', '$', bytes > MAX_EVENT_BYTES ? `at most ${MAX_EVENT_BYTES} bytes as JSON (got ${bytes})` : undefined);
  return issues;
};

/** An event's own time: a real instant since 2004, at most the skew allowance after receipt. */
export const eventTimeIssue = (at: number, receivedAt: number): string | undefined => {
  if (!Number.isSafeInteger(at)) return 'a whole number of milliseconds since 1970';
  if (at < EARLIEST_EVENT_AT) return 'a time since 2004-01-01';
  if (at > receivedAt + MAX_FUTURE_SKEW_MS) return `at most ${MAX_FUTURE_SKEW_MS / 1000} s after the time of receipt`;
  return undefined;
};

const expiryIssue = (at: number): string | undefined =>
  Number.isSafeInteger(at) && at >= EARLIEST_EVENT_AT && at <= LATEST_EXPIRY_AT ? undefined : 'a time from 2004 to 9999';

const channelOf = (event: WebhookEvent): Channel | undefined => {
  const ref = refs(event);
  return (ref.contact ?? ref.account)?.channel;
};

const refs = (event: WebhookEvent): { contact?: ContactRef; account?: AccountRef } => ({
  contact: 'contact' in event ? event.contact : undefined,
  account: 'account' in event ? event.account : undefined,
});

function* idIssues(event: WebhookEvent): Generator<[string, string | undefined]> {
  const { contact, account } = refs(event);
  if (contact) {
    yield ['contact.accountId', accountIdIssue(contact.channel, contact.accountId)];
    yield ['contact.userId', userIdIssue(contact.channel, contact.userId)];
  }
  if (account) yield ['account.accountId', accountIdIssue(account.channel, account.accountId)];
  if ('messageId' in event && event.messageId !== undefined) yield ['messageId', messageIdIssue(event.messageId, channelOf(event))];
  if ('identities' in event) yield* identityIssues('identities', event.identities);
  if (event.type === 'identity_change') {
    for (const side of ['current', 'previous'] as const) {
      yield* identityIssues(side, event[side]);
      const parent = event[side].parentBsuid;
      if (parent !== undefined) yield [`${side}.parentBsuid`, PARENT_BSUID.test(parent) ? undefined : 'a parent BSUID such as DE.P.70451829364501928374'];
    }
  }
  if (event.type === 'opt_in') yield ['token', TOKEN.test(event.token) ? undefined : 'an opt-in token of 1–512 printable ASCII characters'];
  if (event.type === 'template_status' || event.type === 'template_quality' || event.type === 'template_category') {
    yield ['name', idIssue(event.name, 'templateName')];
    yield ['language', LANGUAGE.test(event.language) ? undefined : 'a template language such as en_US'];
  }
}

function* identityIssues(path: string, ids: WhatsAppIdentities | undefined): Generator<[string, string | undefined]> {
  // Empty strings are Meta's way of saying "no wa_id" (username users): the normalisers treat them as absent.
  if (ids?.waId) yield [`${path}.waId`, idIssue(ids.waId, 'waId')];
  if (ids?.bsuid) yield [`${path}.bsuid`, idIssue(ids.bsuid, 'bsuid')];
}

const STORABLE_NUMBER = `a number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, and 0 or at least 1e-130 in size`;

/** DynamoDB's document client refuses numbers beyond the safe integers, DynamoDB those below 1e-130. */
const isStorableNumber = (n: number): boolean => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= 1e-130);

function* unstorableNumbers(node: unknown, path: string): Generator<string> {
  if (typeof node === 'number') {
    if (!isStorableNumber(node)) yield path || '$';
  } else if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* unstorableNumbers(item, path ? `${path}.${i}` : String(i));
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) yield* unstorableNumbers(value, path ? `${path}.${key}` : key);
  }
}

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');
