import type { AccountPolicyState, ContactPolicyState, OptInPolicyState } from '../domain/send/policy-types';
import type { Account } from '../ports/account-registry';
import type { ContactRecord, StoredAttributes, TemplateRecord } from '../ports/state-store';

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
    optIns: (record?.optIns ?? []).map(optInState).filter((o): o is OptInPolicyState => o !== undefined),
    marketingPausedUntil: num(s.marketingPausedUntil),
    // Meta's "can't reach this person" is lifted by the person writing again.
    unreachableUntil: (num(s.lastInboundAt) ?? 0) > (num(s.unreachableAt) ?? 0) ? undefined : num(s.unreachableUntil),
    optInRequestsAt,
    waId: str(s.waId) ?? (record?.channel === 'whatsapp' && /^\d+$/.test(record.userId) ? record.userId : undefined),
    // From the contact's profile (PUT .../profile): Messenger marketing regions exclude some recipients.
    country: str(s.country),
  };
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
    blocked: p.blocked === true,
    tokenInvalid: (num(p.sendingPausedUntil) ?? 0) > now,
    businessInitiatedRestrictedUntil: restrictionUntil(p),
    templates: Object.fromEntries(
      templates.map((t) => [`${t.name}#${t.language}`, { status: str(t.status) ?? 'UNKNOWN', category: str(t.category) }]),
    ),
  };
};

/** WhatsApp ACCOUNT_RESTRICTION on business-initiated messaging, until its expiry. */
const restrictionUntil = (p: StoredAttributes): number | undefined => {
  const raw = p.accountUpdate_ACCOUNT_RESTRICTION;
  if (typeof raw !== 'string') return undefined;
  const { restrictions } = JSON.parse(raw) as { restrictions?: { type: string; expiresAt?: number }[] };
  const match = restrictions?.find((r) => r.type === 'RESTRICTED_BIZ_INITIATED_MESSAGING');
  return match ? (match.expiresAt ?? Number.MAX_SAFE_INTEGER) : undefined;
};

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
