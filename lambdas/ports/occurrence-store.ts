/**
 * Occurrences: one per campaign firing (or per local day for local-time campaigns), holding the
 * dispatcher's progress through the audience so a crash or a timeout resumes where it stopped.
 */
import type { Campaign } from '../schemas/campaign';

export type OccurrenceStatus = 'running' | 'paused' | 'done' | 'stopped';

export interface OccurrenceCounts {
  /** Audience index entries read. */
  audience: number;
  /** Jobs created on the send queue. */
  enqueued: number;
  /** Local-time contacts due in another firing: not skipped, sent later. */
  notDue: number;
  /** Per reason (quiet_hours, frequency_cap, outside_window_no_template, ...). */
  skipped: Record<string, number>;
}

export interface Occurrence {
  campaignId: string;
  /** The firing's key: its scheduled minute as ISO-8601 UTC, e.g. `2026-11-27T09:00:00.000Z`. */
  occurrenceKey: string;
  firingAt: number;
  status: OccurrenceStatus;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** Pages of the audience processed so far. */
  pages: number;
  /** Where the next page starts; opaque to the store. Absent before the first page and once done. */
  cursor?: string;
  counts: OccurrenceCounts;
  /** Estimated cost of the jobs enqueued so far, per currency. */
  costByCurrency: Record<string, number>;
  /** Why a `stopped` occurrence stopped (recipient_cap, campaign_deleted, ...). */
  stopReason?: string;
  /**
   * The campaign as it was when this firing started: an occurrence reads the audience, content and
   * caps it began with, so an edit mid-run can't move its cursor to another listing. Edits apply from
   * the next firing.
   */
  campaign: Campaign;
  leaseUntil?: number;
  /**
   * Set while a `running` occurrence waits for a sending account's pause (Meta refused a send for the
   * whole account, e.g. Messenger 10/1893063): when the pause ends, a continuation carries on.
   */
  heldUntil?: number;
  /** Why the account is paused: the error table's reason (`page_restricted`, `token_invalid`, ...). */
  heldReason?: string;
  /** The paused account, `<channel>#<accountId>`. */
  heldAccount?: string;
}

/** An account pause an occurrence waits for. */
export interface OccurrenceHold {
  until: number;
  reason: string;
  /** `<channel>#<accountId>`. */
  account: string;
}

export type LeaseResult =
  | { acquired: true; occurrence: Occurrence; leaseToken: string }
  | { acquired: false; occurrence: Occurrence | undefined };

export interface AcquireRequest {
  campaignId: string;
  occurrenceKey: string;
  firingAt: number;
  now: number;
  /** How long the lease holds without a `savePage` renewing it. */
  leaseMs: number;
  /** Create the occurrence from this definition if it does not exist (a firing); a continuation never creates. */
  create?: Campaign;
  /** A lease handed over by the worker that ran out of time: taking it over needs no expiry. */
  handoverToken?: string;
}

export interface PageUpdate {
  pages: number;
  cursor?: string;
  counts: OccurrenceCounts;
  costByCurrency: Record<string, number>;
  status: OccurrenceStatus;
  stopReason?: string;
  /** Saved with a hold while an account pause lasts; any save without one clears it. */
  held?: OccurrenceHold;
  now: number;
  /** The renewed lease; 0 releases it. */
  leaseUntil: number;
}

export interface OccurrenceStore {
  /**
   * Takes the occurrence's lease: creates it (when `create`), or takes over a lease that expired or
   * was handed over with `handoverToken`. Never takes an occurrence that is `done` or `stopped`.
   */
  acquire(request: AcquireRequest): Promise<LeaseResult>;
  /** Saves one page's progress while `leaseToken` still holds the lease; false when it was lost. */
  savePage(campaignId: string, occurrenceKey: string, leaseToken: string, update: PageUpdate): Promise<boolean>;
  get(campaignId: string, occurrenceKey: string): Promise<Occurrence | undefined>;
  /** Newest first. */
  list(campaignId: string, limit: number): Promise<Occurrence[]>;
}
