import { handoffLive, handoffOf } from '../domain/automation/handoff';
import { keywordOptOutOf } from '../domain/automation/keyword-opt-out';
import { type ConsentRecord, consentsOf } from '../domain/consent/consent-record';
import { contactProfileOf } from '../domain/contact-profile';
import { windowView, type WindowState } from '../domain/conversation-window';
import type { Channel, ThreadHolder, WindowOpener } from '../domain/events';
import { threadHolderOf } from '../domain/thread-holder';
import type { ContactRecord, MessageRecord, StoredAttributes, TemplateRecord } from '../ports/state-store';

/**
 * JSON shapes of the admin API. `updatedAt` is the time of the newest event reflected in the record
 * (Meta's event time), so it is the same however webhooks were duplicated or reordered.
 */
export const contactView = (record: ContactRecord, now: number) => {
  const s = record.state;
  const optIns = record.optIns.map(optInView);
  const threadControlAction = str(s.threadControlAction);
  const keyword = keywordOptOutOf(s);
  return {
    channel: record.channel,
    accountId: record.accountId,
    userId: record.userId,
    window: windowView(windowState(s), record.channel, now),
    optIns,
    marketingOptOut: s.marketingOptOut === true || keyword?.optedOut === true,
    marketingPreferenceAt: iso(num(s.marketingPreferenceAt)),
    keywordOptOut: keyword?.optedOut ? { keyword: keyword.keyword ?? null, eventKey: keyword.eventKey ?? null, at: iso(keyword.at) } : null,
    // Consents the person gave (WhatsApp consent button or word), with what they were shown: one per topic, the latest.
    consents: consentsOf(s).map(consentView),
    handoff: handoffView(s, now),
    // What Meta's errors taught: a marketing back-off (131049) and a person it could not reach (131026, 551...).
    marketingPausedUntil: until(num(s.marketingPausedUntil)),
    unreachableUntil: (num(s.lastInboundAt) ?? 0) > (num(s.unreachableAt) ?? 0) ? null : until(num(s.unreachableUntil)),
    identities: record.channel === 'whatsapp' ? { waId: str(s.waId) ?? null, bsuid: str(s.bsuid) ?? null } : undefined,
    lastOutboundAt: iso(num(s.lastOutboundAt)),
    deliveredUpTo: iso(num(s.deliveredWatermark)),
    readUpTo: iso(num(s.readWatermark)),
    threadControl: threadControlAction
      ? {
          action: threadControlAction,
          ownerAppId: str(s.threadOwnerAppId) ?? null,
          ownerRole: str(s.threadOwnerRole) ?? null,
          at: iso(num(s.threadControlAt)),
        }
      : null,
    threadHolder: holderView(s, record.channel),
    threadRequest: s.threadRequestAt ? { requestedBy: str(s.threadRequestedBy) ?? null, at: iso(num(s.threadRequestAt)) } : null,
    adReferral: s.lastAdReferralAt
      ? { at: iso(num(s.lastAdReferralAt)), adId: str(s.adId) ?? null, source: str(s.adSource) ?? null, ctwaClid: str(s.ctwaClid) ?? null }
      : null,
    // What the business set (PUT …/profile): tags, attributes such as firstName and locale, zone, country.
    profile: contactProfileOf(s),
    updatedAt: iso(
      latest([
        s.lastInboundAt,
        s.lastOutboundAt,
        s.marketingPreferenceAt,
        s.keywordOptOutAt,
        s.deliveredWatermark,
        s.readWatermark,
        s.threadControlAt,
        s.threadRequestAt,
        ...record.optIns.map((o) => o.statusChangedAt),
      ]),
    ),
  };
};

/** A consent with its provenance, as the contact and profile views show it. */
export const consentView = (c: ConsentRecord) => ({
  topic: c.topic,
  basis: c.basis,
  source: c.source,
  ...(c.sourceDetail === undefined ? {} : { sourceDetail: c.sourceDetail }),
  capturedAt: iso(c.capturedAt),
  textShown: c.textShown,
  ...(c.answer === undefined ? {} : { answer: c.answer }),
});

const HANDOFF_SOURCES = ['keyword', 'payload', 'admin', 'agent_reply', 'echo', 'resume'] as const;

/** The human handoff as the contact view shows it: `active` is whether it holds now (its timeout not reached). */
export const handoffView = (state: Record<string, unknown>, now: number) => {
  const handoff = handoffOf(state);
  if (!handoff) return null;
  const source = HANDOFF_SOURCES.find((s) => s === handoff.source) ?? 'admin';
  return {
    active: handoffLive(handoff, now),
    source,
    since: iso(handoff.since),
    until: iso(handoff.until),
    keyword: handoff.keyword ?? null,
    note: handoff.note ?? null,
  };
};

const optInView = (o: StoredAttributes) => ({
  token: str(o.token),
  topic: str(o.topic) ?? null,
  title: str(o.title) ?? null,
  payload: str(o.payload) ?? null,
  status: str(o.status),
  timezone: str(o.timezone) ?? null,
  frequency: str(o.frequency) ?? null,
  tokenExpiresAt: iso(num(o.tokenExpiresAt)),
  userTokenStatus: str(o.userTokenStatus) ?? null,
  optedInAt: iso(num(o.optedInAt)),
  source: str(o.source) ?? null,
  statusChangedAt: iso(num(o.statusChangedAt)),
});

export const messageView = (m: MessageRecord) => ({
  messageId: m.messageId,
  status: str(m.status),
  ...(m.status === 'failed' || m.errorCode !== undefined
    ? { errorCode: num(m.errorCode) ?? null, errorTitle: str(m.errorTitle) ?? null }
    : {}),
  pricing: m.pricingCategory || m.pricingType ? { category: str(m.pricingCategory) ?? null, type: str(m.pricingType) ?? null, model: str(m.pricingModel) ?? null } : null,
  channel: str(m.channel) ?? null,
  accountId: str(m.accountId) ?? null,
  userId: str(m.userId) ?? null,
  callbackData: str(m.callbackData) ?? null,
  updatedAt: iso(latest([m.statusAt, m.failedAt])),
});

export const templateView = (t: TemplateRecord) => ({
  name: t.name,
  language: t.language,
  templateId: str(t.templateId) ?? null,
  status: str(t.status) ?? null,
  statusReason: str(t.statusReason) ?? null,
  category: str(t.category) ?? null,
  previousCategory: str(t.previousCategory) ?? null,
  correctCategory: str(t.correctCategory) ?? null,
  quality: str(t.quality) ?? null,
  // From the template sync: Meta's components as listed, and when a listing last showed the template.
  components: parseComponents(t.components),
  syncedAt: iso(num(t.syncedAt)),
  updatedAt: iso(latest([t.statusAt, t.qualityAt, t.categoryAt, t.recategorisedAt])),
});

const parseComponents = (value: unknown): unknown => {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
};

/**
 * An account's policy state. For WhatsApp, quality and account events arrive addressed to the WABA,
 * so the phone number's view includes its WABA's records.
 */
export const accountPolicyView = (records: readonly (StoredAttributes | undefined)[]) => {
  const p: StoredAttributes = {};
  for (const record of records) Object.assign(p, record);
  return {
    blocked: p.blocked === true,
    blockReason: str(p.blockReason) ?? null,
    blockChangedAt: iso(num(p.blockChangedAt)),
    lastWarningAt: iso(num(p.lastWarningAt)),
    lastWarningReason: str(p.lastWarningReason) ?? null,
    phoneQuality: mapValues(jsonFields(p, 'phoneQuality_'), phoneQualityView),
    accountEvents: mapValues(jsonFields(p, 'accountUpdate_'), accountEventView),
    // The 15-minute pause an account-wide error set (shown once over too, with its cause).
    sendingPause: pauseView(p.sendingPausedUntil, p.sendingPauseCode, { reason: str(p.sendingPauseReason) ?? null }),
    // WhatsApp marketing doors Meta shut for a day (134102: Marketing Messages API; 131063: Cloud API /messages).
    marketingMessagesPause: pauseView(p.marketingMessagesPausedUntil, p.marketingMessagesPauseCode, {}),
    cloudApiMarketingClosed: pauseView(p.cloudApiMarketingClosedUntil, p.cloudApiMarketingClosedCode, {}),
    lastMetaError: lastMetaErrorView(num(p.lastMetaErrorCode), p),
  };
};

const pauseView = <T extends object>(until: unknown, code: unknown, rest: T) => {
  const ms = num(until);
  return ms === undefined ? null : { until: new Date(ms).toISOString(), code: num(code) ?? null, ...rest };
};

const lastMetaErrorView = (code: number | undefined, p: StoredAttributes) =>
  code === undefined ? null : { code, title: str(p.lastMetaErrorTitle) ?? null, at: iso(num(p.lastMetaErrorAt)) };

/** A phone number's quality register (lambdas/domain/state-changes.ts), its time ISO-8601. */
const phoneQualityView = (value: unknown) => {
  const r = record(value);
  return { event: String(r.event), messagingLimit: str(r.messagingLimit) ?? null, at: iso(num(r.at)) };
};

/** An `account_update` register, its times ISO-8601. */
const accountEventView = (value: unknown) => {
  const r = record(value);
  const restrictions = Array.isArray(r.restrictions) ? r.restrictions.map(record) : undefined;
  return {
    at: iso(num(r.at)),
    restrictions: restrictions?.map((x) => ({ type: String(x.type), expiresAt: iso(num(x.expiresAt)) })) ?? null,
    violationType: str(r.violationType) ?? null,
    banState: str(r.banState) ?? null,
  };
};

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const mapValues = <T>(values: Record<string, unknown>, view: (value: unknown) => T): Record<string, T> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, view(value)]));

/** Registers stored as one JSON attribute per kind (`<prefix><kind>`), as a `{ kind: value }` map. */
const jsonFields = (p: StoredAttributes, prefix: string): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(p)
      .filter(([k, v]) => k.startsWith(prefix) && !k.endsWith('Order') && typeof v === 'string')
      .map(([k, v]) => [k.slice(prefix.length), JSON.parse(v as string) as unknown]),
  );

/** Who answers the person now: afterchat's app, another app, or Meta Business Agent. */
const holderView = (s: StoredAttributes, channel: Channel) => {
  const view = threadHolderOf(
    {
      threadControlAt: num(s.threadControlAt),
      threadHolder: str(s.threadHolder) as ThreadHolder | undefined,
      threadOwnerRole: str(s.threadOwnerRole),
      lastInboundAt: num(s.lastInboundAt),
      lastInboundStandby: s.lastInboundStandby === true,
    },
    channel,
  );
  return view === undefined ? null : { holder: view.holder, since: iso(view.since), source: view.source, role: view.role ?? null };
};

const windowState = (s: StoredAttributes): WindowState => ({
  lastInboundAt: num(s.lastInboundAt),
  openedBy: str(s.openedBy) as WindowOpener | undefined,
  lastMessageAt: num(s.lastMessageAt),
});

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
/** A block "for good" is stored as MAX_SAFE_INTEGER, past the last instant a Date can hold. */
const until = (ms: number | undefined): string | null => (ms !== undefined && ms >= 8.64e15 ? 'indefinitely' : iso(ms));
const latest = (values: unknown[]): number | undefined => {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  return numbers.length > 0 ? Math.max(...numbers) : undefined;
};
