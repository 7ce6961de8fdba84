import { attributeNameIssue } from '../../schemas/user-keys';
import type { ColumnTarget, ImportSettings } from './import-job';

/** Every target a column can have besides `attribute:<name>`. */
export const FIXED_TARGETS = [
  'channel',
  'accountId',
  'userId',
  'tags',
  'timeZone',
  'country',
  'consent.basis',
  'consent.source',
  'consent.capturedAt',
  'consent.textShown',
  'consent.topic',
  'ignore',
] as const satisfies readonly ColumnTarget[];

const ATTRIBUTE = 'attribute:';

/**
 * Header spellings each target is found by (compared without case, spaces, `_`, `-` and `.`):
 * the CRMs' usual names, and the ids Meta's own exports use. A header matching none becomes an
 * attribute of the same name, as respond.io creates a custom field.
 */
const KNOWN_HEADERS: Readonly<Record<string, ColumnTarget>> = {
  channel: 'channel',
  account: 'accountId',
  accountid: 'accountId',
  pageid: 'accountId',
  phonenumberid: 'accountId',
  igaccountid: 'accountId',
  instagramaccountid: 'accountId',
  user: 'userId',
  userid: 'userId',
  psid: 'userId',
  igsid: 'userId',
  phone: 'userId',
  phonenumber: 'userId',
  mobile: 'userId',
  whatsapp: 'userId',
  whatsappnumber: 'userId',
  waid: 'userId',
  bsuid: 'userId',
  whatsappuserid: 'userId',
  tags: 'tags',
  tag: 'tags',
  labels: 'tags',
  timezone: 'timeZone',
  tz: 'timeZone',
  country: 'country',
  countrycode: 'country',
  firstname: 'attribute:firstName',
  givenname: 'attribute:firstName',
  lastname: 'attribute:lastName',
  familyname: 'attribute:lastName',
  locale: 'attribute:locale',
  language: 'attribute:locale',
  consentbasis: 'consent.basis',
  basis: 'consent.basis',
  consentsource: 'consent.source',
  source: 'consent.source',
  consentcapturedat: 'consent.capturedAt',
  capturedat: 'consent.capturedAt',
  consentat: 'consent.capturedAt',
  optinat: 'consent.capturedAt',
  consenttext: 'consent.textShown',
  consenttextshown: 'consent.textShown',
  textshown: 'consent.textShown',
  consenttopic: 'consent.topic',
  topic: 'consent.topic',
  subscriptiongroup: 'consent.topic',
};

const normalised = (header: string): string => header.toLowerCase().replace(/[\s_.-]/g, '');

/** A target as a caller writes it: a fixed one, or `attribute:<name>` with a name an attribute may have. */
export const targetIssue = (target: string): string | undefined => {
  if ((FIXED_TARGETS as readonly string[]).includes(target)) return undefined;
  if (!target.startsWith(ATTRIBUTE)) return `unknown target: one of ${FIXED_TARGETS.join(', ')} or attribute:<name>`;
  const issue = attributeNameIssue(target.slice(ATTRIBUTE.length));
  return issue === undefined ? undefined : `attribute name ${issue}`;
};

export const attributeOf = (target: ColumnTarget): string | undefined => (target.startsWith(ATTRIBUTE) ? target.slice(ATTRIBUTE.length) : undefined);

/** The target a header is auto-mapped to: `attr:`/`attribute:` prefixed headers name an attribute, known spellings a field, anything else an attribute of its own name (or nothing, when it can't be one). */
const autoTarget = (header: string): ColumnTarget => {
  const prefixed = /^(?:attr|attribute)[:.](.+)$/i.exec(header.trim());
  if (prefixed) return `attribute:${prefixed[1]}`;
  const known = KNOWN_HEADERS[normalised(header)];
  if (known !== undefined) return known;
  const name = header.trim();
  return attributeNameIssue(name) === undefined ? `attribute:${name}` : 'ignore';
};

export type MappingResult = { ok: true; mapping: Record<string, ColumnTarget>; ignored: string[] } | { ok: false; problems: string[] };

/**
 * Maps each header cell to a target: by name (autoTarget), then the caller's overrides. It must
 * find whom each row is about: a user id column, and a channel and account either as columns or as
 * the job's defaults; and no target but `ignore` may be had by two columns (which would win?).
 */
export const resolveMapping = (
  header: readonly string[],
  overrides: Readonly<Record<string, string>> | undefined,
  defaults: ImportSettings['defaults'],
): MappingResult => {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const cell of header) {
    if (seen.has(cell)) problems.push(`the header names "${cell}" twice`);
    seen.add(cell);
  }
  const mapping: Record<string, ColumnTarget> = Object.create(null) as Record<string, ColumnTarget>;
  for (const cell of header) mapping[cell] = autoTarget(cell);
  for (const [cell, target] of Object.entries(overrides ?? {})) {
    if (!seen.has(cell)) {
      problems.push(`the mapping names "${cell}", which the header doesn't have`);
      continue;
    }
    const issue = targetIssue(target);
    if (issue !== undefined) problems.push(`"${cell}" → "${target}": ${issue}`);
    else mapping[cell] = target as ColumnTarget;
  }
  const byTarget = new Map<ColumnTarget, string[]>();
  for (const [cell, target] of Object.entries(mapping)) if (target !== 'ignore') byTarget.set(target, [...(byTarget.get(target) ?? []), cell]);
  for (const [target, cells] of byTarget) if (cells.length > 1) problems.push(`${cells.map((c) => `"${c}"`).join(' and ')} all map to ${target}: map all but one to ignore`);
  if (!byTarget.has('userId')) problems.push('no column maps to userId (a PSID, IGSID, WhatsApp phone number in E.164 or BSUID)');
  if (!byTarget.has('channel') && defaults.channel === undefined) problems.push('no column maps to channel and no default channel is given');
  if (!byTarget.has('accountId') && defaults.accountId === undefined) problems.push('no column maps to accountId and no default account is given');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, mapping: { ...mapping }, ignored: header.filter((cell) => mapping[cell] === 'ignore') };
};
