import type { ContactProfile } from '../../ports/contact-profiles';
import type { ContactRecord, StoredAttributes } from '../../ports/state-store';
import { consentOf, consentRegister, consentWrite } from '../consent/consent-record';
import { contactProfileOf } from '../contact-profile';
import type { ContactRef } from '../events';
import { orderOf, type RegisterWrite } from '../state-writes';
import type { ImportSettings, LineError, ProtectableField, SkipReason } from './import-job';
import type { ImportRow } from './import-row';

export interface RowPlan {
  outcome: 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';
  skipReason?: SkipReason;
  /** What failed a row that parsed: the merge (e.g. more than 50 tags in all). */
  error?: LineError;
  /** The record the row lands on: a WhatsApp person's main record, whichever of their ids the row names. */
  contact: ContactRef;
  /** The whole profile to store, when the row changes it (or creates the contact). */
  profile?: ContactProfile;
  /** The consent register write, when the row's consent is news. */
  writes: RegisterWrite[];
  /** The contact didn't exist: the import creates it (stored with `origin: 'import'`). */
  created: boolean;
  /** The fields the row changes: `tags`, `attribute:<name>`, `timeZone`, `country`, `consent:<topic>`. */
  fields: string[];
  /** The record as it will be once the writes land: what the sendable probe judges. */
  resulting: ContactRecord;
}

const MAX_TAGS = 50;
/**
 * As the profile API allows (schemas/contact-profile.ts), and what keeps the contact's item far below
 * DynamoDB's 400 KB: 200 columns of 1,024 characters would overflow it, failing the slice on every retry.
 */
const MAX_ATTRIBUTES = 50;

/**
 * What one row does to the contact it names, given the stored record (getPerson's, merged over a
 * WhatsApp person's ids) and the import's purpose. Pure and deterministic, so a slice retried after
 * a crash plans the same writes, and a file imported twice plans none the second time:
 * - tags are added, never removed (removing is the profile API's job);
 * - a filled cell sets its field, unless the field is "do not overwrite" and the contact already
 *   has a value, which then stays; an empty cell changes nothing;
 * - a consent is written when it is newer (by capture time, then row) than the topic's stored one,
 *   which is how every consent register orders; it never lifts a STOP or Meta's opt-out.
 */
export const planImportRow = (row: ImportRow, stored: ContactRecord | undefined, ctx: { settings: ImportSettings; erased: boolean }): RowPlan => {
  const { settings } = ctx;
  const contact: ContactRef = stored === undefined ? row.contact : { ...row.contact, userId: stored.userId };
  const state: StoredAttributes = stored?.state ?? {};
  const base = { contact, writes: [], created: false, fields: [], resulting: stored ?? { ...contact, state: {}, optIns: [] } };
  const skip = (reason: SkipReason): RowPlan => ({ ...base, outcome: 'skipped', skipReason: reason });
  if (stored === undefined && ctx.erased && !settings.restoreErased) return skip('erased');
  if (stored === undefined && settings.purpose === 'update_existing') return skip('not_found');
  if (stored !== undefined && settings.purpose === 'add_new') return skip('exists');

  const keep = protection(settings.doNotOverwrite);
  const before = contactProfileOf(state);
  const after: ContactProfile = { tags: [...before.tags], attributes: { ...before.attributes }, timeZone: before.timeZone, country: before.country };
  const fields: string[] = [];
  if (row.tags !== undefined && !(keep('tags') && before.tags.length > 0)) {
    const added = row.tags.filter((tag) => !before.tags.includes(tag));
    if (added.length > 0) fields.push('tags');
    after.tags.push(...added);
  }
  if (after.tags.length > MAX_TAGS) {
    const column = settings.header.find((cell) => settings.mapping[cell] === 'tags') ?? '';
    return { ...base, outcome: 'failed', error: { line: row.line, column, reason: `the contact would carry ${after.tags.length} tags, at most ${MAX_TAGS}` } };
  }
  for (const [name, value] of Object.entries(row.attributes)) {
    const stays = (keep('attributes') || keep(`attribute:${name}`)) && (before.attributes[name] ?? '') !== '';
    if (stays || before.attributes[name] === value) continue;
    after.attributes[name] = value;
    fields.push(`attribute:${name}`);
  }
  const attributeCount = Object.keys(after.attributes).length;
  if (attributeCount > MAX_ATTRIBUTES) {
    return { ...base, outcome: 'failed', error: { line: row.line, column: '', reason: `the contact would carry ${attributeCount} attributes, at most ${MAX_ATTRIBUTES}` } };
  }
  for (const field of ['timeZone', 'country'] as const) {
    const value = row[field];
    if (value === undefined || value === before[field] || (keep(field) && before[field] !== undefined)) continue;
    after[field] = value;
    fields.push(field);
  }
  const writes: RegisterWrite[] = [];
  const consentFields: StoredAttributes = {};
  if (row.consent !== undefined) {
    const { topic } = row.consent;
    const register = consentRegister(topic);
    const order = orderOf(row.consent.capturedAt, row.consent.eventKey);
    const storedOrder = state[`${register}Order`];
    const kept = keep('consent') && consentOf(state, topic) !== undefined;
    if (!kept && !(typeof storedOrder === 'string' && storedOrder >= order)) {
      const write = consentWrite(contact, row.consent, order);
      writes.push(write);
      Object.assign(consentFields, write.fields, { [`${register}Order`]: order });
      fields.push(`consent:${topic}`);
    }
  }
  const created = stored === undefined;
  const profileChanged = created || fields.some((f) => !f.startsWith('consent:'));
  const resulting: ContactRecord = {
    ...base.resulting,
    state: { ...state, ...profileFields(after), ...consentFields, ...(created ? { origin: 'import' } : {}) },
  };
  const outcome = created ? 'created' : fields.length > 0 ? 'updated' : 'unchanged';
  return { outcome, contact, ...(profileChanged ? { profile: cleaned(after) } : {}), writes, created, fields, resulting };
};

const protection =
  (fields: readonly ProtectableField[]) =>
  (field: ProtectableField): boolean =>
    fields.includes(field);

/** The state fields a profile is stored in (the DynamoDB profile adapter's names). */
const profileFields = (p: ContactProfile): StoredAttributes => ({
  profileTags: p.tags,
  profileAttributes: p.attributes,
  ...(p.timeZone === undefined ? {} : { timeZone: p.timeZone }),
  ...(p.country === undefined ? {} : { country: p.country }),
});

const cleaned = (p: ContactProfile): ContactProfile => ({
  tags: p.tags,
  attributes: p.attributes,
  ...(p.timeZone === undefined ? {} : { timeZone: p.timeZone }),
  ...(p.country === undefined ? {} : { country: p.country }),
});
