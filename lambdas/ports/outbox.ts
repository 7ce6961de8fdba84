import type { ContactRef } from '../domain/events';
import type { AfterSend } from '../domain/send/after-send';
import type { Decision } from '../domain/send/policy-types';
import type { OutboxStatus } from '../domain/send/outbox';
import { outboxIdFor } from '../domain/send/outbox-id';
import type { SendIntent } from '../domain/send/send-intent';
import type { Milestone } from './funnel-milestones';

export interface OutboxRecord {
  outboxId: string;
  idempotencyKey: string;
  status: OutboxStatus;
  intent: SendIntent;
  createdAt: number;
  updatedAt: number;
  attempts: number;
  /** Set while a sender holds the job; a new claim replaces it. */
  claimToken?: string;
  claimedAt?: number;
  /** The claim's deadline: past it a sender may take the claim over, and the sweeper judges it stale. Absent on a claim of the previous release. */
  claimUntil?: number;
  /** Set right before the Graph API call: from here on the message may have reached Meta. */
  sendingAt?: number;
  route?: string;
  pricing?: string;
  /** Meta's id: wamid, mid, or the Marketing Message tracking id. */
  messageId?: string;
  sentAt?: number;
  errorCode?: number;
  /** Meta's title for `errorCode` when Meta refused the message at the send call (failure-title.ts, cut like a status's). */
  errorTitle?: string;
  reason?: string;
  detail?: string;
  /** When a skipped send would be allowed (from the policy engine). */
  earliestAt?: number;
  /** Earliest time the next attempt may run (retries with back-off). */
  notBefore?: number;
  /**
   * Reconciled from status webhooks (delivered/read/failed), whatever the sender recorded: the
   * furthest status, with Meta's pricing and its latest failure (kept when a later delivery beats it).
   */
  delivery?: {
    status: string;
    at: number;
    messageId?: string;
    errorCode?: number;
    pricing?: { category?: string; type?: string; model?: string; billable?: boolean };
    failure?: { code?: number; title?: string; at: number };
  };
  /** The campaign occurrence that created the job, as `<campaignId>#<occurrenceKey>`. */
  group?: string;
  /** How often the sweeper put the job back on the send queue because it was overdue (its message may have been lost). */
  sweeps?: number;
  /** What the sender does once the job's message is done with (sent, or never to be). */
  afterSend?: AfterSend;
  /** The targets of the message's tracking links, by the index each link's token names (README "Clicks"). */
  links?: string[];
  /**
   * Funnel milestones reached (lambdas/ports/funnel-milestones.ts): delivered, read, failed and
   * limited flagged by the status writes themselves (status-flags.ts; 0, their time is `delivery`'s),
   * the others (clicked, replied, converted, opted_out…) at the time first recorded; billed comes with delivered.
   */
  milestones?: Partial<Record<Milestone, number>>;
}

export type ClaimResult =
  | { claimed: true; record: OutboxRecord; claimToken: string }
  | { claimed: false; record: OutboxRecord | undefined };

export interface NewJob {
  idempotencyKey: string;
  intent: SendIntent;
  now: number;
  /** Campaign occurrence `<campaignId>#<occurrenceKey>`: its funnel lists the group's records. */
  group?: string;
  afterSend?: AfterSend;
  /** The targets the intent's tracking links lead to: `GET /r/{token}` redirects only to these. */
  links?: string[];
}

/** The record every Outbox creates for a new job: queued, no attempt yet, its id derived from the key. */
export const newOutboxRecord = ({ idempotencyKey, intent, now, group, afterSend, links }: NewJob): OutboxRecord => ({
  outboxId: outboxIdFor(idempotencyKey),
  idempotencyKey,
  status: 'queued',
  intent,
  createdAt: now,
  updatedAt: now,
  attempts: 0,
  ...(group === undefined ? {} : { group }),
  ...(afterSend === undefined ? {} : { afterSend }),
  ...(links === undefined || links.length === 0 ? {} : { links }),
});

export interface Outbox {
  /**
   * Creates the record as queued; if the key was used before, returns the existing record. `group`
   * (`<campaignId>#<occurrenceKey>`) lists the record among its campaign occurrence's sends.
   */
  create(job: NewJob): Promise<{ created: boolean; record: OutboxRecord }>;
  get(outboxId: string): Promise<OutboxRecord | undefined>;
  /** The records that exist among `outboxIds`, in the order asked. */
  getMany(outboxIds: readonly string[]): Promise<OutboxRecord[]>;
  /** A group's outbox ids, in pages: pass `cursor` back for the next page; absent on the last one. */
  listGroup(group: string, cursor: string | undefined, limit: number): Promise<{ outboxIds: string[]; cursor?: string }>;
  /**
   * The sends to one contact (as addressed: `intent.channel/accountId/userId`), newest first, in
   * pages: pass `cursor` back for the next page; absent on the last one.
   */
  listByContact(contact: ContactRef, cursor: string | undefined, limit: number): Promise<{ outboxIds: string[]; cursor?: string }>;
  /** queued → claimed, or take over a claim that never reached the send step. */
  claim(outboxId: string, now: number, staleAfterMs: number): Promise<ClaimResult>;
  /** Records that Graph API call number `attempts` is about to be made (conditional on the claim). */
  markSending(outboxId: string, claimToken: string, now: number, decision: Decision, attempts: number): Promise<boolean>;
  /** Ends the claim: sent / failed / skipped / unknown, or back to queued for a retry. */
  finish(outboxId: string, claimToken: string, now: number, outcome: OutboxOutcome): Promise<boolean>;
  /**
   * Ends the claim as `failed` because Meta refused the message at the send call: like `finish`, and
   * the same write flags the funnel's `failed` where absent (`fm_failed`, the time), as a failed
   * status does, so the refusal counts once (README "Funnel"). The record as it was before the
   * write, or undefined when the claim was no longer this one's.
   */
  finishRefused(outboxId: string, claimToken: string, now: number, outcome: RefusedOutcome): Promise<OutboxRecord | undefined>;
  /** A claim whose send step started but never finished: the message may have reached Meta. */
  markUnknown(outboxId: string, claimToken: string, now: number, reason: string): Promise<boolean>;
  /**
   * The sweeper put an overdue job (still `queued`, or `claimed` before its send step) back on the
   * send queue: counts it in `sweeps` and makes it due again at `dueAt`, so the next sweep looks at
   * it then rather than every time. Only while the record is still as `seen`; false otherwise.
   */
  postponeStranded(seen: OutboxRecord, dueAt: number): Promise<boolean>;
  /**
   * The sweeper found a job overdue whose claim is still live (a claim doesn't move the job's due
   * time): makes it due at `dueAt`, the claim's deadline, so the next look is once the claim may be
   * stale. Not a re-enqueue: `sweeps` stays. Only while the record is still as `seen`; false otherwise.
   */
  postponeClaimed(seen: OutboxRecord, dueAt: number): Promise<boolean>;
  /**
   * The sweeper ends an overdue or dead-lettered job: `failed` (it never reached Meta) or `unknown`
   * (its send step began, so it may have). Only while the record is still as `seen` (same status,
   * claim, send step and update time): a sender that moved it on meanwhile wins. False otherwise.
   */
  endStranded(seen: OutboxRecord, now: number, outcome: StrandedOutcome): Promise<boolean>;
}

export type StrandedOutcome = { status: 'failed' | 'unknown'; reason: string };

export type OutboxOutcome =
  | { status: 'sent'; messageId: string; route?: string; pricing?: string }
  | { status: 'failed'; errorCode?: number; reason: string; detail?: string }
  | { status: 'skipped'; reason: string; detail?: string; earliestAt?: number; route?: string }
  | { status: 'unknown'; reason: string }
  | { status: 'queued'; reason: string; notBefore: number; errorCode?: number };

/** Meta's refusal of a message at the send call: its error code and title. */
export type RefusedOutcome = { status: 'failed'; errorCode: number; errorTitle?: string; reason: string; detail?: string };
