import type { Channel } from '../events';
import { threadHolderOf } from '../thread-holder';
import { handoffLive, handoffOf } from './handoff';

/**
 * Whether automation must keep quiet for a person: a human has the conversation (a live handoff, or
 * the event is the business's own reply from another tool), or another app or Meta's agent holds the
 * thread (Messenger handover protocol, WhatsApp `standby` / `messaging_handovers`), so answering
 * would talk over whoever does.
 */
export const silencedFor = (state: Record<string, unknown>, channel: Channel, event: { standby?: boolean; kind?: 'message' | 'echo' }, now: number): boolean => {
  if (event.standby === true || event.kind === 'echo') return true;
  if (handoffLive(handoffOf(state), now)) return true;
  const holder = threadHolderOf(state, channel);
  return holder !== undefined && holder.holder !== 'this_app';
};
