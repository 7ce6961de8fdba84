/**
 * How long records holding a person's data live. Each record carries the DynamoDB TTL attribute
 * (`expiresAt`, epoch seconds, the table's `timeToLiveAttribute`) from when it was first written;
 * DynamoDB deletes it some time after (usually within a few days of) that moment.
 *
 * The days are deployment settings (CDK context, lib/config.ts `retentionSettings`), handed to the
 * functions as environment variables and read by handlers only (lambdas/shared/env.ts); these are the
 * defaults, used too by an adapter built without settings, so no record is ever written without a TTL.
 */
export interface RetentionDays {
  /** Outbox records (a send: its intent names the recipient), from their creation. */
  outbox: number;
  /** Message status records (`M#<messageId>`: recipient, status, pricing), from their first status. */
  messageStatus: number;
  /** Webhook event records (`E#<eventKey>`, deduplication and erasure), from their receipt. */
  event: number;
  /** Audit records of admin writes, from the request. */
  audit: number;
}

export const DEFAULT_RETENTION_DAYS: Readonly<RetentionDays> = Object.freeze({ outbox: 90, messageStatus: 90, event: 30, audit: 365 });

/** Bounds a setting must keep: a day at least (Meta retries for 7), ten years at most. */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;

const DAY_SECONDS = 24 * 3600;

/** The TTL attribute's value for a record written at `atMs` (epoch ms) that lives `days` days: epoch seconds. */
export const expiresAtFor = (atMs: number, days: number): number => Math.floor(atMs / 1000) + Math.round(days * DAY_SECONDS);

/** The settings with every absent one at its default. */
export const retentionDays = (given: Partial<RetentionDays> = {}): RetentionDays => ({
  outbox: given.outbox ?? DEFAULT_RETENTION_DAYS.outbox,
  messageStatus: given.messageStatus ?? DEFAULT_RETENTION_DAYS.messageStatus,
  event: given.event ?? DEFAULT_RETENTION_DAYS.event,
  audit: given.audit ?? DEFAULT_RETENTION_DAYS.audit,
});
