import type { AccountRef } from '../domain/events';

/**
 * A step of a sent message's funnel, recorded once per outbox record. `limited` is Meta's marketing
 * limit (WhatsApp 131049, Messenger's marketing message limits) and `failed` every other failure;
 * `billed` is the pricing Meta reported in a status webhook (its webhooks carry no amount).
 */
export type Milestone = 'delivered' | 'read' | 'clicked' | 'replied' | 'converted' | 'opted_out' | 'limited' | 'failed' | 'billed';

export const MILESTONES: readonly Milestone[] = ['delivered', 'read', 'clicked', 'replied', 'converted', 'opted_out', 'limited', 'failed', 'billed'];

export interface MilestoneEvent {
  outboxId: string;
  milestone: Milestone;
  /** When it happened (epoch ms): the webhook's timestamp, the click, the order. */
  at: number;
  /** A failure's (or a limit's) Meta error code. */
  errorCode?: number;
  /** Meta's title for `errorCode`, as the webhook gave it. */
  errorTitle?: string;
  /** A failure Meta answered the send call with: the message was never accepted, so it is not `sent`. */
  refusedAtSend?: true;
  /** What Meta reported it bills the message as (`billed`). */
  pricing?: { category: string; billable: boolean; /** The recipient's market (recipient-market.ts), what the price table prices by. */ market?: string };
}

/**
 * The funnel counters of sent messages: each outbox record counts at most once per milestone in its
 * campaign occurrence, its campaign, its business-event trigger or its account's one-off sends of
 * the day, however often and in whatever order the event that caused it arrives.
 */
export interface FunnelMilestones {
  /**
   * Records `event.milestone` for the outbox record and counts it. True the first time for this
   * outbox record and milestone; false when it was recorded before, or the record is unknown.
   */
  record(event: MilestoneEvent): Promise<boolean>;
}

/** A status webhook about a message afterchat sent, named by its outbox record. */
export interface StatusReport {
  outboxId: string;
  status: 'sent' | 'delivered' | 'read' | 'played' | 'failed';
  occurredAt: number;
  error?: { code?: number; title?: string };
  pricing?: { category?: string; billable?: boolean };
  /** Meta refused the send call itself (no status webhook): the sender's write reported it. */
  refusedAtSend?: true;
}

/** Counter fields (funnel-counts.ts `counterAdds`) and failure titles (`title_<code>`) of a scope. */
export interface FunnelTally {
  counts: Record<string, number>;
  titles: Record<string, string>;
}

/** What a funnel report reads: a scope's counters summed over their shards (and days, occurrences). */
export type FunnelReadScope =
  | { kind: 'occurrence'; campaignId: string; occurrenceKey: string }
  | { kind: 'campaign'; campaignId: string }
  | { kind: 'trigger'; detailType: string; from: string; to: string }
  | { kind: 'sends'; account: AccountRef; from: string; to: string };

export interface FunnelCounters {
  /** The counters of `scope` (days `from`–`to` inclusive, YYYY-MM-DD UTC, for triggers and one-off sends). No scan: the scope's shards only. */
  read(scope: FunnelReadScope): Promise<FunnelTally>;
}
