import type { Channel, ContactRef } from '../events';
import { orderOf, type RegisterWrite } from '../state-writes';
import type { AutomationConfig } from '../../schemas/automation-config';
import type { ThreadControlStep } from './rule';

/**
 * afterchat's own thread-control moves (Messenger / Instagram Conversation Routing), on the contact
 * record: the last `pass` or `take` it asked Meta for. Its own register, not the handoff's: the thread
 * stays with the other app after the handoff that passed it was extended by an agent's reply, ended
 * by an admin or timed out, and only a `take` (or that app passing it back) brings it home. Recorded
 * before the call, so a take happens once (the next message sees it) and a redelivery repeats it.
 */
export const THREAD_MOVE_REGISTER = 'threadMove';
export const THREAD_MOVE_FIELDS = ['threadMoveAction', 'threadMoveAt', 'threadMoveEventKey'] as const;

export interface ThreadMoveState {
  action: ThreadControlStep;
  at: number;
  eventKey?: string;
}

export const threadMoveOf = (state: Record<string, unknown>): ThreadMoveState | undefined => {
  const action = state.threadMoveAction;
  const at = state.threadMoveAt;
  if ((action !== 'pass' && action !== 'take') || typeof at !== 'number') return undefined;
  return { action, at, ...(typeof state.threadMoveEventKey === 'string' ? { eventKey: state.threadMoveEventKey } : {}) };
};

export const threadMoveWrite = (contact: ContactRef, action: ThreadControlStep, at: number, eventKey: string): RegisterWrite => ({
  target: { entity: 'contact', contact },
  register: THREAD_MOVE_REGISTER,
  order: orderOf(at, eventKey),
  wins: 'later',
  fields: { threadMoveAction: action, threadMoveAt: at, threadMoveEventKey: eventKey },
});

/** The account routes a handoff's thread to another app (its config names one), on a channel that has thread control. */
export const threadRouted = (config: AutomationConfig, channel: Channel): boolean => config.handoff.threadControl !== undefined && channel !== 'whatsapp';

/**
 * afterchat passed the thread and it is still away: no take since, and no handover Meta reported
 * after the pass (the other app passing it back, or taking it for itself, decides from then on).
 */
export const threadPassedAway = (state: Record<string, unknown>): boolean => {
  const move = threadMoveOf(state);
  if (move?.action !== 'pass') return false;
  const handover = state.threadControlAt;
  return typeof handover !== 'number' || handover <= move.at;
};
