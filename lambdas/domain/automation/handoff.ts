import type { ContactRef } from '../events';
import { orderOf, type RegisterWrite } from '../state-writes';
import type { BusinessBusEvent } from './rule';

/**
 * The human handoff, on the contact record: an ordered register like every other, so a duplicate or
 * a reordered event converges, and an admin's "resume" (a newer order) isn't undone by a late
 * redelivery of the keyword that started it. While it is live (active, and `until` not reached)
 * automation keeps quiet for the person (silence.ts); it ends at `until` by itself, or by a resume.
 */
export const HANDOFF_REGISTER = 'handoff';
export const HANDOFF_FIELDS = [
  'handoffActive',
  'handoffSince',
  'handoffUntil',
  'handoffSource',
  'handoffKeyword',
  'handoffNote',
  'handoffEventKey',
  'handoffStarted',
  'handoffAcknowledged',
] as const;

/**
 * What moved the conversation to a human: the person (a keyword or the payload), an admin call, an
 * agent's reply through `POST /admin/sends`, or a reply from another tool (an echo from the Page
 * inbox or the WhatsApp Business app). The register's source is `resume` once an admin ended it.
 */
export type HandoffSource = 'keyword' | 'payload' | 'admin' | 'agent_reply' | 'echo';

export interface HandoffState {
  active: boolean;
  since?: number;
  until?: number;
  source?: string;
  keyword?: string;
  note?: string;
  eventKey?: string;
  /** This write began a handoff (not one extending a live one): it announced it on the bus. */
  started: boolean;
  /** This write told the person a human will answer. */
  acknowledged: boolean;
  order: string;
  /**
   * Meta reported the thread handed to afterchat after the handoff began (a `pass_thread_control`
   * to this app, e.g. the Page inbox's "Mark as done", or WhatsApp's `messaging_handovers`): the
   * human is done, and the handoff ends then.
   */
  returnedAt?: number;
}

export const handoffOf = (state: Record<string, unknown>): HandoffState | undefined => {
  const order = state[`${HANDOFF_REGISTER}Order`];
  if (typeof order !== 'string') return undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const since = num(state.handoffSince);
  const handover = num(state.threadControlAt);
  const returned = state.threadHolder === 'this_app' && handover !== undefined && since !== undefined && handover > since;
  return {
    active: state.handoffActive === true,
    since,
    until: num(state.handoffUntil),
    source: str(state.handoffSource),
    keyword: str(state.handoffKeyword),
    note: str(state.handoffNote),
    eventKey: str(state.handoffEventKey),
    started: state.handoffStarted === true,
    acknowledged: state.handoffAcknowledged === true,
    order,
    ...(returned ? { returnedAt: handover } : {}),
  };
};

/** A human has the conversation at `at`: automation answers nothing. */
export const handoffLive = (handoff: HandoffState | undefined, at: number): boolean =>
  handoff !== undefined && handoff.active && handoff.until !== undefined && at < handoff.until && (handoff.returnedAt === undefined || at < handoff.returnedAt);

const HOUR_MS = 3_600_000;

export interface HandoffStart {
  contact: ContactRef;
  /** The event's identity (an inbound event key, `admin#…`, `agent_reply#<outboxId>`): the order's tie-break and the redelivery check. */
  eventKey: string;
  /** When the handoff starts: Meta's event time, or the admin API's clock. */
  at: number;
  source: HandoffSource;
  timeoutHours: number;
  keyword?: string;
  note?: string;
  started: boolean;
  acknowledged: boolean;
}

export const handoffWrite = (h: HandoffStart): RegisterWrite => ({
  target: { entity: 'contact', contact: h.contact },
  register: HANDOFF_REGISTER,
  order: orderOf(h.at, h.eventKey),
  wins: 'later',
  fields: {
    handoffActive: true,
    handoffSince: h.at,
    handoffUntil: h.at + h.timeoutHours * HOUR_MS,
    handoffSource: h.source,
    handoffKeyword: h.keyword,
    handoffNote: h.note,
    handoffEventKey: h.eventKey,
    handoffStarted: h.started,
    handoffAcknowledged: h.acknowledged,
  },
});

/** Back to automation (the admin's resume): the handoff's fields cleared, `resume` as its source. */
export const resumeWrite = (contact: ContactRef, eventKey: string, at: number): RegisterWrite => ({
  target: { entity: 'contact', contact },
  register: HANDOFF_REGISTER,
  order: orderOf(at, eventKey),
  wins: 'later',
  fields: {
    handoffActive: false,
    handoffSince: at,
    handoffUntil: undefined,
    handoffSource: 'resume',
    handoffKeyword: undefined,
    handoffNote: undefined,
    handoffEventKey: eventKey,
    handoffStarted: false,
    handoffAcknowledged: false,
  },
});

/** The admin API's path of a person: the link a `handoff.requested` event carries. */
export const contactPath = ({ channel, accountId, userId }: ContactRef): string =>
  `/admin/contacts/${channel}/${encodeURIComponent(accountId)}/${encodeURIComponent(userId)}`;

export const HANDOFF_REQUESTED = 'handoff.requested';

/**
 * `handoff.requested` on the business's bus, so a shop routes it (Slack, email, a helpdesk) with an
 * EventBridge rule. `eventKey` is the same on a redelivery: at-least-once, so a consumer dedupes on it.
 */
export interface HandoffRequestedDetail {
  channel: ContactRef['channel'];
  accountId: string;
  userId: string;
  contactPath: string;
  source: HandoffSource;
  keyword?: string;
  note?: string;
  /** ISO-8601: when the handoff started, and when automation speaks again unless someone resumes it earlier. */
  at: string;
  until: string;
  eventKey: string;
}

export const handoffRequested = (h: HandoffStart): BusinessBusEvent => {
  const detail: HandoffRequestedDetail = {
    channel: h.contact.channel,
    accountId: h.contact.accountId,
    userId: h.contact.userId,
    contactPath: contactPath(h.contact),
    source: h.source,
    ...(h.keyword === undefined ? {} : { keyword: h.keyword }),
    ...(h.note === undefined ? {} : { note: h.note }),
    at: new Date(h.at).toISOString(),
    until: new Date(h.at + h.timeoutHours * HOUR_MS).toISOString(),
    eventKey: h.eventKey,
  };
  return { detailType: HANDOFF_REQUESTED, detail: { ...detail } };
};
