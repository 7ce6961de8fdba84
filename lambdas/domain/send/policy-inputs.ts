import { keywordOptOutOf } from '../automation/keyword-opt-out';
import { consentsOf } from '../consent/consent-record';
import type { AccountPolicyState, ContactPolicyState, OptInPolicyState } from './policy-types';
import type { Account } from '../../ports/account-registry';
import type { ContactRecord, StoredAttributes, TemplateRecord } from '../../ports/state-store';

/** The policy engine's view of a contact, from its stored (merged) record. */
export const contactPolicyState = (record: ContactRecord | undefined): ContactPolicyState => {
  const s = record?.state ?? {};
  const optInRequestsAt: Record<string, number> = {};
  for (const [key, value] of Object.entries(s)) {
    if (!key.startsWith('optInRequest_') || key.endsWith('Order') || typeof value !== 'string') continue;
    const parsed = JSON.parse(value) as { title?: string; at?: number };
    if (parsed.title && typeof parsed.at === 'number') optInRequestsAt[parsed.title] = parsed.at;
  }
  return {
    lastInboundAt: num(s.lastInboundAt),
    lastMessageAt: num(s.lastMessageAt),
    openedBy: str(s.openedBy) as ContactPolicyState['openedBy'],
    lastAdReferralAt: num(s.lastAdReferralAt),
    marketingOptOut: s.marketingOptOut === true,
    keywordOptOut: keywordOptOutView(s),
    optIns: (record?.optIns ?? []).map(optInState).filter((o): o is OptInPolicyState => o !== undefined),
    marketingPausedUntil: num(s.marketingPausedUntil),
    // Meta's "can't reach this person" is lifted by the person writing again.
    unreachableUntil: (num(s.lastInboundAt) ?? 0) > (num(s.unreachableAt) ?? 0) ? undefined : num(s.unreachableUntil),
    optInRequestsAt,
    waId: str(s.waId) ?? (record?.channel === 'whatsapp' && /^\d+$/.test(record.userId) ? record.userId : undefined),
    // From the contact's profile (PUT .../profile): Messenger marketing regions exclude some recipients.
    country: str(s.country),
    importedWithoutConsent: s.origin === 'import' && s.lastInboundAt === undefined && !consentsOf(s).some((c) => c.basis === 'express'),
  };
};

const keywordOptOutView = (s: StoredAttributes): ContactPolicyState['keywordOptOut'] => {
  const stored = keywordOptOutOf(s);
  return stored?.optedOut ? { keyword: stored.keyword ?? 'STOP', at: stored.at } : undefined;
};

const optInState = (o: StoredAttributes): OptInPolicyState | undefined => {
  const token = str(o.token);
  const status = str(o.status);
  if (!token || (status !== 'active' && status !== 'stopped')) return undefined;
  return { token, topic: str(o.topic), title: str(o.title), status, optedInAt: num(o.optedInAt), lastSentAt: num(o.lastSentAt) };
};

/**
 * The policy engine's view of the sending account: its registration, its policy records (a WhatsApp
 * phone number's and its WABA's), and its templates.
 */
export const accountPolicyState = (
  account: Account | undefined,
  ref: { channel: Account['channel']; accountId: string },
  policies: readonly (StoredAttributes | undefined)[],
  templates: readonly TemplateRecord[],
  now: number,
): AccountPolicyState => {
  const p: StoredAttributes = {};
  for (const record of policies) Object.assign(p, record);
  return {
    channel: ref.channel,
    accountId: ref.accountId,
    country: account?.country,
    ...blockOf(p),
    sendingPause: sendingPauseOf(p, now),
    businessInitiatedRestrictedUntil: restrictionUntil(p, 'RESTRICTED_BIZ_INITIATED_MESSAGING'),
    customerInitiatedRestrictedUntil: restrictionUntil(p, 'RESTRICTED_CUSTOMER_INITIATED_MESSAGING'),
    restrictedCountries: Object.fromEntries(
      Object.entries(p).flatMap(([key, value]) =>
        key.startsWith('countryRestriction_') && !key.endsWith('Order') && typeof value === 'number' ? [[key.slice('countryRestriction_'.length), value]] : [],
      ),
    ),
    marketingMessagesOnboarded: account?.marketingMessagesOnboarded === true,
    // Pacing inputs (the shared limiter), not rules: Meta's rate for the account and the portfolio's messaging limit.
    throughputPerSecond: account?.throughputPerSecond,
    businessPortfolioId: account?.businessPortfolioId ?? account?.wabaId,
    messagingLimitTier: messagingLimitTierOf(p),
    // Meta's refusals of one door (error table `reroute` rows), while they last.
    marketingMessagesPausedUntil: stillAhead(num(p.marketingMessagesPausedUntil), now),
    cloudApiMarketingClosedUntil: stillAhead(num(p.cloudApiMarketingClosedUntil), now),
    templates: Object.fromEntries(
      templates.map((t) => [`${t.name}#${t.language}`, { status: str(t.status) ?? 'UNKNOWN', category: str(t.category) }]),
    ),
  };
};

/**
 * The portfolio's messaging limit tier: the latest `max_daily_conversations_per_business` of any
 * `phone_number_quality_update` recorded on the WABA (one register per number; the tier is the
 * portfolio's, so the newest report wins whichever number it came with).
 */
const messagingLimitTierOf = (p: StoredAttributes): string | undefined => {
  let latest: { at: number; tier: string } | undefined;
  for (const [key, value] of Object.entries(p)) {
    if (!key.startsWith('phoneQuality_') || key.endsWith('Order') || typeof value !== 'string') continue;
    const parsed = JSON.parse(value) as { messagingLimit?: string; at?: number };
    if (parsed.messagingLimit && (latest === undefined || (parsed.at ?? 0) > latest.at)) latest = { at: parsed.at ?? 0, tier: parsed.messagingLimit };
  }
  return latest?.tier;
};

/** A pause Meta's account-wide errors set (the error table's flag_account rows), while it lasts. */
const sendingPauseOf = (p: StoredAttributes, now: number): AccountPolicyState['sendingPause'] => {
  const until = num(p.sendingPausedUntil);
  if (until === undefined || until <= now) return undefined;
  return { until, reason: str(p.sendingPauseReason) ?? 'account_paused', code: num(p.sendingPauseCode) };
};

/** A WhatsApp ACCOUNT_RESTRICTION of one type, until its expiry (the latest restriction event lists those in force). */
const restrictionUntil = (p: StoredAttributes, type: string): number | undefined => {
  const match = accountUpdate(p, 'ACCOUNT_RESTRICTION')?.restrictions?.find((r) => r.type === type);
  return match ? (match.expiresAt ?? Number.MAX_SAFE_INTEGER) : undefined;
};

/**
 * Whether Meta has stopped the account: a Page blocked for policy (`policy_enforcement`), a WABA
 * disabled (`DISABLED_UPDATE` DISABLE, until REINSTATE), deleted, or offboarded until reconnected.
 */
const blockOf = (p: StoredAttributes): { blocked: boolean; blockReason?: string } => {
  if (p.blocked === true) return { blocked: true, blockReason: 'policy_enforcement block' };
  const ban = accountUpdate(p, 'DISABLED_UPDATE');
  if (ban?.banState === 'DISABLE') return { blocked: true, blockReason: 'DISABLED_UPDATE: DISABLE' };
  if (accountUpdate(p, 'ACCOUNT_DELETED') !== undefined) return { blocked: true, blockReason: 'ACCOUNT_DELETED' };
  const offboarded = accountUpdate(p, 'ACCOUNT_OFFBOARDED')?.at;
  const reconnected = accountUpdate(p, 'ACCOUNT_RECONNECTED')?.at ?? Number.NEGATIVE_INFINITY;
  if (offboarded !== undefined && offboarded > reconnected) return { blocked: true, blockReason: 'ACCOUNT_OFFBOARDED, not reconnected' };
  return { blocked: false };
};

interface StoredAccountUpdate {
  at?: number;
  restrictions?: { type: string; expiresAt?: number }[];
  banState?: string;
}

/** The latest `account_update` of one kind, as the register stores it. */
const accountUpdate = (p: StoredAttributes, kind: string): StoredAccountUpdate | undefined => {
  const raw = p[`accountUpdate_${kind}`];
  return typeof raw === 'string' ? (JSON.parse(raw) as StoredAccountUpdate) : undefined;
};

const stillAhead = (until: number | undefined, now: number): number | undefined => (until !== undefined && until > now ? until : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
