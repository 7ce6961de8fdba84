import type { AcceptedMessage } from './simulator-state';

/** The simulator's own bookkeeping route (not a Graph path): what each person received. */
export const RECEIVED_PATH = '/_simulator/received';

export interface ReceivedCounts {
  /** Messages accepted in all. */
  accepted: number;
  /** Per recipient (`<channel>#<accountId>#<recipient>`): how many messages they received. */
  byRecipient: Record<string, number>;
  /** Per outbox id the sender passed as `metadata` / `biz_opaque_callback_data`: how often it arrived. */
  byCallback: Record<string, number>;
}

/**
 * Counts what the simulator accepted, for a test whose stack runs in another process (and may be
 * killed) while this simulator lives on: "did anyone get a message twice?" is answered here, where
 * the messages arrived, not by the stack that may have lost track of them.
 */
export const receivedCounts = (messages: readonly AcceptedMessage[]): ReceivedCounts => {
  const byRecipient: Record<string, number> = {};
  const byCallback: Record<string, number> = {};
  for (const m of messages) {
    const who = `${m.channel}#${m.accountId}#${m.recipient}`;
    byRecipient[who] = (byRecipient[who] ?? 0) + 1;
    if (m.callbackData !== undefined) byCallback[m.callbackData] = (byCallback[m.callbackData] ?? 0) + 1;
  }
  return { accepted: messages.length, byRecipient, byCallback };
};
