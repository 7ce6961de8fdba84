import type { Channel, WindowOpener } from './events';

const HOUR_MS = 3_600_000;

/** Meta's standard messaging window: 24 h after the person's last action (Messenger/IG §4.1, WhatsApp §5.1). */
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
/** HUMAN_AGENT replies: up to 7 days after the person's last message, Messenger and Instagram only. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;

export interface WindowState {
  lastInboundAt?: number;
  openedBy?: WindowOpener;
  lastMessageAt?: number;
}

export interface WindowView {
  lastInboundAt: string | null;
  openedBy: WindowOpener | null;
  open: boolean;
  closesAt: string | null;
  /** Until when a human agent may still answer with the HUMAN_AGENT tag (null on WhatsApp or with no message). */
  humanAgentUntil: string | null;
}

/** The window as the admin API shows it at `now`: open strictly before `lastInboundAt + 24 h`. */
export const windowView = (state: WindowState, channel: Channel, now: number): WindowView => {
  const { lastInboundAt, lastMessageAt } = state;
  const closesAt = lastInboundAt === undefined ? undefined : lastInboundAt + STANDARD_WINDOW_MS;
  const humanAgentUntil =
    channel === 'whatsapp' || lastMessageAt === undefined ? undefined : lastMessageAt + HUMAN_AGENT_WINDOW_MS;
  return {
    lastInboundAt: iso(lastInboundAt),
    openedBy: state.openedBy ?? null,
    open: closesAt !== undefined && now < closesAt,
    closesAt: iso(closesAt),
    humanAgentUntil: iso(humanAgentUntil),
  };
};

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
