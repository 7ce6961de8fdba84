import type { ContactRef } from '../domain/events';

/** A sign a person engaged with a message afterchat sent: they read it, or followed one of its links. */
export interface Touch {
  outboxId: string;
  kind: 'read' | 'click';
  at: number;
  campaignId?: string;
}

/**
 * A person's touches, kept in their person index (erased with them) as the funnel records reads and
 * clicks: what last-touch attribution of a conversion reads.
 */
export interface Touches {
  /** The person's latest touch from `since` to `until` (epoch ms, both included), if any: a touch after an order didn't lead to it. */
  latest(contact: ContactRef, since: number, until: number): Promise<Touch | undefined>;
}
