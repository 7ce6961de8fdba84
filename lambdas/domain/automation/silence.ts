import type { Channel } from '../events';
import { threadHolderOf } from '../thread-holder';

/**
 * Whether automation must keep quiet for a person: another app or Meta's agent holds the thread
 * (Messenger handover protocol, WhatsApp `standby` / `messaging_handovers`), so answering would
 * talk over whoever does.
 */
export const silencedFor = (state: Record<string, unknown>, channel: Channel, standby: boolean): boolean => {
  if (standby) return true;
  const holder = threadHolderOf(state, channel);
  return holder !== undefined && holder.holder !== 'this_app';
};
