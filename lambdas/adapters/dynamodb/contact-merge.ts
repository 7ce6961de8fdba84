import { AWAY_FIELDS, AWAY_REGISTER } from '../../domain/automation/away-rule';
import { CONVERSATION_FIELDS, CONVERSATION_REGISTER } from '../../domain/automation/conversation';
import { DEFAULT_REPLY_FIELDS, DEFAULT_REPLY_REGISTER } from '../../domain/automation/default-reply-rule';
import { HANDOFF_FIELDS, HANDOFF_REGISTER } from '../../domain/automation/handoff';
import { KEYWORD_OPT_OUT_FIELDS, KEYWORD_OPT_OUT_REGISTER } from '../../domain/automation/keyword-opt-out';
import { THREAD_MOVE_FIELDS, THREAD_MOVE_REGISTER } from '../../domain/automation/thread-move';
/**
 * The registers of a stored contact record and the fields each one owns (see state-changes.ts). A
 * WhatsApp person can have two records (wa_id and BSUID); reading them merged, register by register
 * by stored order, gives the same answer however their webhooks were batched or ordered.
 */
export const CONTACT_REGISTERS = {
  window: ['lastInboundAt', 'openedBy', 'lastInboundMessageId', 'lastInboundStandby'],
  lastMessage: ['lastMessageAt'],
  adReferral: ['lastAdReferralAt', 'adId', 'adSource', 'ctwaClid'],
  lastOutbound: ['lastOutboundAt', 'lastOutboundMessageId', 'lastOutboundAppId'],
  deliveredWatermark: ['deliveredWatermark'],
  readWatermark: ['readWatermark'],
  marketingPreference: ['marketingOptOut', 'marketingPreferenceAt', 'marketingPreferenceCategory'],
  [KEYWORD_OPT_OUT_REGISTER]: KEYWORD_OPT_OUT_FIELDS,
  [HANDOFF_REGISTER]: HANDOFF_FIELDS,
  [CONVERSATION_REGISTER]: CONVERSATION_FIELDS,
  [AWAY_REGISTER]: AWAY_FIELDS,
  [DEFAULT_REPLY_REGISTER]: DEFAULT_REPLY_FIELDS,
  threadControl: ['threadControlAction', 'threadOwnerAppId', 'threadControlAt', 'threadHolder', 'threadOwnerRole'],
  threadRequest: ['threadRequestedBy', 'threadRequestAt'],
  [THREAD_MOVE_REGISTER]: THREAD_MOVE_FIELDS,
  waId: ['waId'],
  bsuid: ['bsuid'],
  link: ['linkedUserId'],
  identityChange: ['identityChange', 'identityChangedAt', 'previousWaId', 'previousBsuid', 'parentBsuid', 'previousParentBsuid'],
  marketingPause: ['marketingPausedUntil', 'marketingPauseReason'],
  unreachable: ['unreachableUntil', 'unreachableReason', 'unreachableAt'],
} as const satisfies Record<string, readonly string[]>;

type State = Record<string, unknown>;

/**
 * Merges contact records: each register comes from the record whose order for it is greatest.
 * Registers not listed above (one per kind, like `optInRequest_<hash>`) hold one field named like
 * the register.
 */
export const mergeContactStates = (states: readonly State[]): State => {
  const registers = new Set<string>();
  for (const state of states) for (const key of Object.keys(state)) if (key.endsWith('Order')) registers.add(key.slice(0, -'Order'.length));
  const merged: State = {};
  for (const register of registers) {
    const fields: readonly string[] = (CONTACT_REGISTERS as Record<string, readonly string[]>)[register] ?? [register];
    const orderKey = `${register}Order`;
    let winner: State | undefined;
    for (const state of states) {
      const order = state[orderKey];
      if (typeof order === 'string' && (winner === undefined || order > String(winner[orderKey]))) winner = state;
    }
    if (!winner) continue;
    merged[orderKey] = winner[orderKey];
    for (const field of fields) if (winner[field] !== undefined) merged[field] = winner[field];
  }
  return merged;
};
