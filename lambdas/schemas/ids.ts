/**
 * The id rules, in one place: what an id of each kind looks like and how long it may be, per
 * channel. The admin API's schemas and path parameters use them, and webhook items can be held to
 * the same rules. Pure: no AWS, no I/O.
 *
 * Every check answers `undefined` when the value is fine, else a message that says what was
 * expected, as the schemas' other messages do (never the value itself, which may be 5,000
 * characters long).
 */
import * as z from 'zod';
import type { Channel } from '../domain/events';

interface IdRule {
  /** The whole value must match. */
  readonly pattern: RegExp;
  /** In characters (every allowed alphabet is ASCII, so also in bytes). */
  readonly maxLength: number;
  /** What the value should be, as a message says it. */
  readonly expected: string;
  /** A check the pattern can't express. */
  readonly also?: (value: string) => boolean;
}

const rule = (pattern: RegExp, maxLength: number, expected: string, also?: (value: string) => boolean): IdRule => ({
  pattern,
  maxLength,
  expected,
  ...(also === undefined ? {} : { also }),
});

/** 2026-02-30T… matches the pattern but is no instant: the key must be its own round trip. */
const isInstantRoundTrip = (value: string): boolean => {
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
};

/**
 * Graph object ids are unsigned 64-bit integers, so at most 20 digits and never a leading 0:
 * Pages, PSIDs, Instagram accounts, IGSIDs, WhatsApp phone_number_ids and WABAs.
 */
const META_ID = /^[1-9]\d{0,19}$/;

/** Each kind of id afterchat stores or looks up. */
export const ID_RULES = {
  /** Any Graph object id, where the kind isn't known (a registration's wabaId, a campaign's account). */
  metaId: rule(META_ID, 20, 'a numeric Meta id (1–20 digits)'),
  pageId: rule(META_ID, 20, 'a numeric Facebook Page id (1–20 digits)'),
  igAccountId: rule(META_ID, 20, 'a numeric Instagram professional account id (1–20 digits)'),
  phoneNumberId: rule(META_ID, 20, 'a numeric WhatsApp phone_number_id or WABA id (1–20 digits)'),
  wabaId: rule(META_ID, 20, 'a numeric WhatsApp Business Account id (1–20 digits)'),
  psid: rule(META_ID, 20, 'a numeric page-scoped id (PSID, 1–20 digits)'),
  igsid: rule(META_ID, 20, 'a numeric Instagram-scoped id (IGSID, 1–20 digits)'),
  /** E.164 without the +: a country code never starts with 0, and a number has at most 15 digits. */
  waId: rule(/^[1-9]\d{5,14}$/, 15, 'a wa_id of 6–15 digits (E.164 without +)'),
  /** Business-scoped user id (2026): ISO country code, a dot, up to 256 alphanumerics. */
  bsuid: rule(/^[A-Z]{2}\.[A-Za-z0-9]{1,256}$/, 259, 'a BSUID such as DE.88201734659910273645'),
  /**
   * WhatsApp message id: `wamid.` and standard base64 (`+`, `/` and `=` included). Dots too: Meta's
   * documented samples carry them (`wamid.HBgL...`), and a dot is as harmless in a key as these.
   */
  wamid: rule(/^wamid\.[A-Za-z0-9+/=_.-]{1,250}$/, 256, 'a WhatsApp message id (wamid.…)'),
  /** Messenger (and Page-linked Instagram) message id. */
  mid: rule(/^m_[A-Za-z0-9_-]{1,254}$/, 256, 'a Messenger message id (m_…)'),
  /** The older Messenger spelling, e.g. `mid.$cAAJsujCd2ORj_1qmrFdzhVa-4cvO` or `mid.1457764197618:41d102a3e1ae206a38`. */
  legacyMid: rule(/^mid\.[A-Za-z0-9$:._-]{1,252}$/, 256, 'a Messenger message id (mid.…)'),
  /** Instagram message id: base64 of `ig_item:…`, so it starts with `aWdf`. */
  igMid: rule(/^aWdf[A-Za-z0-9+/=_-]{1,508}$/, 512, 'an Instagram message id (aWdf…)'),
  /** Messenger Marketing Message API: the tracking id, or `<message_id>#<16 hex>` for a recipient known by token. */
  marketingMessageId: rule(/^\d{1,32}(?:#[0-9a-f]{16})?$/, 49, 'a Marketing Message API id (digits, optionally #<16 hex>)'),
  /** `ob_` and 24 base64url characters of the idempotency key's SHA-256 (lambdas/domain/send/outbox-id.ts). */
  outboxId: rule(/^ob_[A-Za-z0-9_-]{24}$/, 27, 'an outbox id: ob_ and 24 base64url characters'),
  campaignId: rule(/^[a-z0-9][a-z0-9-]{2,62}$/, 63, 'a slug of 3–63 lowercase letters, digits and -, not starting with -'),
  /** The firing's slot as ISO-8601 UTC with milliseconds (lambdas/domain/campaign/occurrence-key.ts). */
  occurrenceKey: rule(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 24, 'an occurrence key such as 2026-11-23T08:00:00.000Z', isInstantRoundTrip),
  /** Meta: lowercase letters, digits and underscores, at most 512 characters. */
  templateName: rule(/^[a-z0-9_]{1,512}$/, 512, 'an approved template name such as weekly_deals (lowercase letters, digits and _)'),
} as const satisfies Record<string, IdRule>;

export type IdKind = keyof typeof ID_RULES;

/** The longest id of any kind: anything longer is refused before a pattern is tried. */
export const MAX_ID_LENGTH = Math.max(...Object.values(ID_RULES).map((r) => r.maxLength));

const tooLong = (value: string, max: number): string => `at most ${max} characters (got ${value.length})`;

/** `undefined` when `value` is an id of one of `kinds`, else what was expected. */
export const idIssue = (value: unknown, ...kinds: readonly IdKind[]): string | undefined => {
  const rules = kinds.map((k) => ID_RULES[k]);
  const expected = rules.map((r) => r.expected).join(', or ');
  if (typeof value !== 'string' || value.length === 0) return expected;
  const max = Math.max(...rules.map((r) => r.maxLength));
  if (value.length > max) return tooLong(value, max);
  return rules.some((r) => matches(r, value)) ? undefined : expected;
};

const matches = (r: IdRule, value: string): boolean => value.length <= r.maxLength && r.pattern.test(value) && (r.also?.(value) ?? true);

/** The account a channel sends from: a Page, an Instagram account, a WhatsApp number (or its WABA, for templates). */
export const ACCOUNT_ID_KINDS: Record<Channel, readonly IdKind[]> = {
  messenger: ['pageId'],
  instagram: ['igAccountId'],
  whatsapp: ['phoneNumberId'],
};

/** Whom a channel's contact is keyed by. */
export const USER_ID_KINDS: Record<Channel, readonly IdKind[]> = {
  messenger: ['psid'],
  instagram: ['igsid'],
  whatsapp: ['waId', 'bsuid'],
};

/** What a channel's message ids look like. */
export const MESSAGE_ID_KINDS: Record<Channel, readonly IdKind[]> = {
  messenger: ['mid', 'legacyMid', 'marketingMessageId'],
  instagram: ['igMid', 'mid', 'legacyMid'],
  whatsapp: ['wamid'],
};

const ANY_MESSAGE_ID: readonly IdKind[] = [...new Set(Object.values(MESSAGE_ID_KINDS).flat())];

export const accountIdIssue = (channel: Channel, value: unknown): string | undefined => idIssue(value, ...ACCOUNT_ID_KINDS[channel]);

export const userIdIssue = (channel: Channel, value: unknown): string | undefined => idIssue(value, ...USER_ID_KINDS[channel]);

/** Without a channel (`GET /admin/messages/{id}`), any channel's shape. */
export const messageIdIssue = (value: unknown, channel?: Channel): string | undefined =>
  idIssue(value, ...(channel === undefined ? ANY_MESSAGE_ID : MESSAGE_ID_KINDS[channel]));

export const isId = (value: unknown, ...kinds: readonly IdKind[]): value is string => idIssue(value, ...kinds) === undefined;

/** A zod string schema for ids of these kinds, with the rule's message. */
export const idSchema = (...kinds: readonly IdKind[]) =>
  z.string().superRefine((value, ctx) => {
    const issue = idIssue(value, ...kinds);
    if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
  });

/** Any numeric Graph id (Page, Instagram account, phone number, WABA, PSID, IGSID). */
export const MetaIdSchema = idSchema('metaId');
export const CampaignIdSchema = idSchema('campaignId');
export const OutboxIdSchema = idSchema('outboxId');
export const OccurrenceKeySchema = idSchema('occurrenceKey');
export const TemplateNameSchema = idSchema('templateName');
export const MessageIdSchema = z.string().superRefine((value, ctx) => {
  const issue = messageIdIssue(value);
  if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
});

/**
 * For an object naming `channel`, `accountId` and `userId` (a send intent, a webhook item's
 * contact): the account and user ids checked against the channel, each issue at its own field.
 */
export const checkContactIds = (
  value: { channel: Channel; accountId?: unknown; userId?: unknown },
  ctx: { addIssue: (issue: { code: 'custom'; message: string; path: PropertyKey[] }) => void },
): void => {
  const account = accountIdIssue(value.channel, value.accountId);
  if (account !== undefined) ctx.addIssue({ code: 'custom', message: account, path: ['accountId'] });
  const user = userIdIssue(value.channel, value.userId);
  if (user !== undefined) ctx.addIssue({ code: 'custom', message: user, path: ['userId'] });
};
