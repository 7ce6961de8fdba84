import type { ContactRef } from '../domain/events';

/** What a click was on: a tracking link (its target index), a quick-reply/button, or a Marketing Message API link. */
export type Clicked = { kind: 'link'; target: number } | { kind: 'reply' } | { kind: 'marketing_message' };

export interface Click {
  outboxId: string;
  /** The message's recipient: the click is filed among the person's items (erased with them). */
  contact: ContactRef;
  clicked: Clicked;
  /** Our clock's time of the click (epoch ms). */
  at: number;
}

/**
 * Every counted click, kept for the person's history (the funnel counts each message once,
 * FunnelMilestones). Holds no address, user agent or text: which message, which link, when.
 */
export interface ClickLog {
  add(click: Click): Promise<void>;
}

export const clickedLabel = (clicked: Clicked): string => (clicked.kind === 'link' ? `link${clicked.target}` : clicked.kind);
