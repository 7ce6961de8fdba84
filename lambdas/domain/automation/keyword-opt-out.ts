import type { ContactRef } from '../events';
import type { SendIntent } from '../send/send-intent';
import { orderOf, type RegisterWrite } from '../state-writes';
import { CONFIRMATIONS } from './confirmations';
import { type KeywordMatch, matchKeyword } from './keywords';

/**
 * afterchat's own marketing opt-out, on the contact record beside Meta's (`marketingPreference`):
 * its own register, so a later `user_preferences` resume from Meta can't silently undo a STOP the
 * person wrote, and the opt-out keeps where it came from. Last event wins by Meta's event order, as
 * every register: duplicates and reordered deliveries converge (state-writes.ts).
 */
export const KEYWORD_OPT_OUT_REGISTER = 'keywordOptOut';
export const KEYWORD_OPT_OUT_FIELDS = ['keywordOptOut', 'keywordOptOutKeyword', 'keywordOptOutEventKey', 'keywordOptOutAt'] as const;

/**
 * An inbound message or postback as automation receives it from the webhook's hand-off, or an echo:
 * the business wrote to the person from another tool (a human in the Page inbox or the WhatsApp
 * Business app). Only the handoff rule acts on an echo; every answering rule is silenced by it.
 */
export interface AutomationInbound {
  /** Absent: the person wrote or tapped (`message`). */
  kind?: 'message' | 'echo';
  eventKey: string;
  occurredAt: number;
  contact: ContactRef;
  /** The whole message, only when it is short enough to be a keyword. */
  text?: string;
  /** Quick-reply, postback or button payload. */
  payload?: string;
  /** Delivered on Messenger's standby channel: another app holds the thread and answers it. */
  standby?: boolean;
}

export interface KeywordOptOutState {
  optedOut: boolean;
  keyword?: string;
  eventKey?: string;
  at?: number;
  order?: string;
}

/** The register as stored (merged contact state), or nothing when no keyword was ever written. */
export const keywordOptOutOf = (state: Record<string, unknown>): KeywordOptOutState | undefined => {
  const order = state[`${KEYWORD_OPT_OUT_REGISTER}Order`];
  if (typeof order !== 'string') return undefined;
  return {
    optedOut: state.keywordOptOut === true,
    keyword: typeof state.keywordOptOutKeyword === 'string' ? state.keywordOptOutKeyword : undefined,
    eventKey: typeof state.keywordOptOutEventKey === 'string' ? state.keywordOptOutEventKey : undefined,
    at: typeof state.keywordOptOutAt === 'number' ? state.keywordOptOutAt : undefined,
    order,
  };
};

export interface KeywordPlan {
  match: KeywordMatch;
  write: RegisterWrite;
  /** The confirmation, when this keyword changes something; absent when the person was already there. */
  confirmation?: { intent: SendIntent; idempotencyKey: string };
  /** The keyword moves the person's consent (on standby too): neither already there nor overtaken by a newer one. */
  changed: boolean;
}

/** The outbox key of what automation sends for an inbound event: a redelivered event finds its job. */
export const automationIdempotencyKey = (rule: string, eventKey: string): string => `automation#${rule}#${eventKey}`;

/**
 * What a keyword does: the register write, always (safe to repeat), and a confirmation unless an
 * earlier event already left the person where this one asks (a second STOP answers nothing: every
 * automated message costs). A redelivery of the event that wrote the register still confirms, under
 * the same key, so a crash between the write and the send loses nothing and sends nothing twice.
 */
export const planKeyword = (inbound: AutomationInbound, stored: KeywordOptOutState | undefined): KeywordPlan | undefined => {
  const match = matchKeyword(inbound);
  if (!match) return undefined;
  const order = orderOf(inbound.occurredAt, inbound.eventKey);
  const optedOut = match.action === 'stop';
  const write: RegisterWrite = {
    target: { entity: 'contact', contact: inbound.contact },
    register: KEYWORD_OPT_OUT_REGISTER,
    order,
    wins: 'later',
    fields: { keywordOptOut: optedOut, keywordOptOutKeyword: match.keyword, keywordOptOutEventKey: inbound.eventKey, keywordOptOutAt: inbound.occurredAt },
  };
  const wasAlready = (stored?.optedOut ?? false) === optedOut && stored?.eventKey !== inbound.eventKey;
  // A newer keyword already stored decides the state: this older one (reordered) changes nothing the person sees.
  const overtaken = stored?.order !== undefined && stored.order > order;
  // On standby the thread's owner answers: the opt-out is recorded, the confirmation is theirs to send.
  const changed = !wasAlready && !overtaken;
  if (!changed || inbound.standby === true) return { match, write, changed };
  const intent: SendIntent = {
    channel: inbound.contact.channel,
    accountId: inbound.contact.accountId,
    userId: inbound.contact.userId,
    kind: 'reply',
    author: 'bot',
    content: { type: 'text', text: CONFIRMATIONS[match.language][match.action] },
  };
  return { match, write, changed, confirmation: { intent, idempotencyKey: automationIdempotencyKey('keyword', inbound.eventKey) } };
};
