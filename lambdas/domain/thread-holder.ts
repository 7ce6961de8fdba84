import type { Channel, ThreadHolder } from './events';

export interface ThreadHolderState {
  /** The last handover event (Messenger handover protocol, WhatsApp `messaging_handovers`). */
  threadControlAt?: number;
  threadHolder?: ThreadHolder;
  threadOwnerRole?: string;
  /** The last inbound event, and whether it came on the standby field. */
  lastInboundAt?: number;
  lastInboundStandby?: boolean;
}

export interface ThreadHolderView {
  holder: ThreadHolder;
  /** Meta's time of the evidence: the handover, or the message that showed who answers. */
  since: number;
  source: 'handover' | 'standby_message' | 'message';
  role?: string;
}

/**
 * Who answers the person now, from the newest evidence: a handover that names the holder, or the
 * field the person's last message came on (standby: another sender holds the thread). On WhatsApp
 * the other sender on a number is Meta Business Agent. Undefined when nothing says yet.
 */
export const threadHolderOf = (state: ThreadHolderState, channel: Channel): ThreadHolderView | undefined => {
  const handover = state.threadHolder !== undefined && state.threadControlAt !== undefined ? state.threadControlAt : undefined;
  const message = state.lastInboundAt;
  if (message !== undefined && (handover === undefined || message > handover)) {
    if (state.lastInboundStandby === true) {
      return { holder: channel === 'whatsapp' ? 'meta_business_agent' : 'other_app', since: message, source: 'standby_message' };
    }
    // Meta sends the person's messages on the main field only to the app that holds the thread.
    return { holder: 'this_app', since: message, source: 'message' };
  }
  if (handover === undefined || state.threadHolder === undefined) return undefined;
  return { holder: state.threadHolder, since: handover, source: 'handover', ...(state.threadOwnerRole === undefined ? {} : { role: state.threadOwnerRole }) };
};
