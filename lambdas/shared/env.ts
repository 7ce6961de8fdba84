import * as z from 'zod';
import { DEFAULT_PREVIEW_WINDOW_SECONDS } from '../domain/clicks/preview-fetch';
import { DEFAULT_ATTRIBUTION_WINDOW_DAYS } from '../domain/measurement/attribution';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, type RetentionDays, retentionDays } from '../domain/retention';

/**
 * Days each kind of record holding personal data lives (DynamoDB TTL): the stack sets them from the
 * CDK context (lib/config.ts `retentionSettings`); absent, the defaults of lambdas/domain/retention.ts.
 */
const retentionDaysSetting = z.coerce.number().int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS).optional();
const RETENTION_ENV = {
  OUTBOX_RETENTION_DAYS: retentionDaysSetting,
  MESSAGE_STATUS_RETENTION_DAYS: retentionDaysSetting,
  EVENT_RETENTION_DAYS: retentionDaysSetting,
  AUDIT_RETENTION_DAYS: retentionDaysSetting,
  /** The webhook's quarantine (lambdas/domain/quarantine/); absent: DEFAULT_QUARANTINE_RETENTION_DAYS. */
  QUARANTINE_RETENTION_DAYS: retentionDaysSetting,
};

/** Click tracking (lib/config.ts `clicks`): the key's secret, the redirect's base URL, how long links work. */
const LINK_TRACKING_ENV = {
  TRACKING_KEY_SECRET_ID: z.string().min(1),
  REDIRECT_BASE_URL: z.string().url().refine((url) => url.endsWith('/r/'), 'ends in /r/'),
  LINK_TTL_DAYS: z.coerce.number().int().min(1).max(MAX_RETENTION_DAYS),
};

/**
 * The business bus afterchat's own events go on (README "Events afterchat emits"), set only where
 * the stage turns them on (lib/config.ts `eventsOut`); absent, none is put.
 */
const EVENTS_OUT_ENV = { EVENTS_OUT_BUS_NAME: z.string().min(1).optional() };

/** Handlers read the environment once, through these schemas; nothing else reads process.env. */
export const WebhookEnv = z.object({
  TABLE_NAME: z.string().min(1),
  APP_SECRET_ID: z.string().min(1),
  VERIFY_TOKEN_SECRET_ID: z.string().min(1),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  /** Where inbound events are handed to automation (README "Automation"); absent: automation is off. */
  AUTOMATION_QUEUE_URL: z.string().min(1).optional(),
  DDB_ENDPOINT: z.string().url().optional(),
}).extend(RETENTION_ENV).extend(EVENTS_OUT_ENV);

/** Meta's data deletion callback (lambdas/handlers/meta-data-deletion.ts): verifies with the app secret, erases from the state table. */
export const DataDeletionEnv = z.object({
  TABLE_NAME: z.string().min(1),
  APP_SECRET_ID: z.string().min(1),
  DDB_ENDPOINT: z.string().url().optional(),
});

/** Automation (lambdas/handlers/automation.ts): reads contacts, writes keyword opt-outs, sends through the send queue, tells the business bus. */
export const AutomationEnv = z.object({
  TABLE_NAME: z.string().min(1),
  SEND_QUEUE_URL: z.string().min(1),
  /** The business bus `handoff.requested` goes on (lib/constructs/campaigns.ts `businessEventBus`). */
  BUSINESS_BUS_NAME: z.string().min(1),
  /** Thread control (pass/take on Messenger and Instagram) calls Meta as the sender does, with the same secrets. */
  GRAPH_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v25.0'),
  APP_SECRET_ID: z.string().min(1),
  TOKEN_SECRET_PREFIX: z.string().min(1),
  /** Free-form sends this close to the window's end are refused (window_closing); absent: the rule's default. */
  WINDOW_CLOSING_MARGIN_SECONDS: z.coerce.number().int().min(0).max(600).optional(),
  DDB_ENDPOINT: z.string().url().optional(),
}).extend(RETENTION_ENV).extend(EVENTS_OUT_ENV);

export const AdminEnv = z.object({
  TABLE_NAME: z.string().min(1),
  SEND_QUEUE_URL: z.string().min(1),
  /** Campaign rules are named with this prefix; the admin's IAM grant is scoped to it. */
  RULE_NAME_PREFIX: z.string().min(1),
  /** The business bus an admin's handoff puts `handoff.requested` on (lib/constructs/campaigns.ts `businessEventBus`). */
  BUSINESS_BUS_NAME: z.string().min(1),
  DISPATCHER_ARN: z.string().min(1),
  /** Where EventBridge puts firings it could not deliver to the dispatcher. */
  SCHEDULE_DLQ_ARN: z.string().min(1).optional(),
  DISPATCH_QUEUE_URL: z.string().min(1),
  /** Where `POST /admin/imports/{importId}/start` sends an import's first slice (lib/constructs/imports.ts). */
  IMPORT_QUEUE_URL: z.string().min(1),
  /** Free-form sends this close to the window's end are refused (window_closing); absent: the rule's default. */
  WINDOW_CLOSING_MARGIN_SECONDS: z.coerce.number().int().min(0).max(600).optional(),
  /** The sender's Graph API version (the same stage value), shown with its end date by GET /admin/health. */
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/),
  /** `POST /admin/templates/.../sync` reads Meta's listings with these; without the two secrets the route answers 503. */
  GRAPH_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  APP_SECRET_ID: z.string().min(1).optional(),
  /** The sender's token prefix: `PUT /admin/accounts/...` accepts only a `tokenSecret` under it (absent: none). */
  TOKEN_SECRET_PREFIX: z.string().min(1).optional(),
  DDB_ENDPOINT: z.string().url().optional(),
}).extend(RETENTION_ENV);

/** The CSV import worker (lambdas/handlers/import-worker.ts): one slice per message, the next slice to the same queue. */
export const ImportWorkerEnv = z.object({
  TABLE_NAME: z.string().min(1),
  IMPORT_QUEUE_URL: z.string().min(1),
  /** The policy engine's settings for the dry run's sendable counts, as the sender and the dispatcher decide. */
  WINDOW_CLOSING_MARGIN_SECONDS: z.coerce.number().int().min(0).max(600).optional(),
  DDB_ENDPOINT: z.string().url().optional(),
}).extend(RETENTION_ENV);

export const DispatcherEnv = z.object({
  TABLE_NAME: z.string().min(1),
  SEND_QUEUE_URL: z.string().min(1),
  DISPATCH_QUEUE_URL: z.string().min(1),
  RULE_NAME_PREFIX: z.string().min(1),
  /** Free-form sends this close to the window's end are refused (window_closing); absent: the rule's default. */
  WINDOW_CLOSING_MARGIN_SECONDS: z.coerce.number().int().min(0).max(600).optional(),
  DDB_ENDPOINT: z.string().url().optional(),
}).extend(RETENTION_ENV).extend(LINK_TRACKING_ENV);

/** The tracking-link redirect (lambdas/handlers/click-redirect.ts): verifies links, counts clicks in the funnel. */
export const RedirectEnv = z.object({
  TABLE_NAME: z.string().min(1),
  TRACKING_KEY_SECRET_ID: z.string().min(1),
  /** A preview agent's fetch this soon after delivery is a link preview, not a click (README "Clicks"). */
  PREVIEW_WINDOW_SECONDS: z.coerce.number().int().min(0).max(3600).default(DEFAULT_PREVIEW_WINDOW_SECONDS),
  DDB_ENDPOINT: z.string().url().optional(),
}).extend(RETENTION_ENV).extend(EVENTS_OUT_ENV);

export const SenderEnv = z.object({
  TABLE_NAME: z.string().min(1),
  SEND_QUEUE_URL: z.string().min(1),
  GRAPH_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v25.0'),
  APP_SECRET_ID: z.string().min(1),
  /** Token secrets must be named under this prefix (the sender's IAM grant). */
  TOKEN_SECRET_PREFIX: z.string().min(1),
  /**
   * Messages per second per Page or Instagram account that sets no `throughputPerSecond` (Meta has no
   * tier there). WhatsApp numbers are paced at their Meta throughput, not at a deployment setting.
   */
  MESSENGER_RATE_PER_SECOND: z.coerce.number().positive().max(300).default(40),
  /** Free-form sends this close to the window's end are refused (window_closing); absent: the rule's default. */
  WINDOW_CLOSING_MARGIN_SECONDS: z.coerce.number().int().min(0).max(600).optional(),
  DDB_ENDPOINT: z.string().url().optional(),
}).extend(RETENTION_ENV);

/** The scheduled template sync: Meta's template listings into the state table. */
export const TemplateSyncEnv = z.object({
  TABLE_NAME: z.string().min(1),
  GRAPH_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v25.0'),
  APP_SECRET_ID: z.string().min(1),
  /** Token secrets must be named under this prefix (the function's IAM grant), as for the sender. */
  TOKEN_SECRET_PREFIX: z.string().min(1),
  DDB_ENDPOINT: z.string().url().optional(),
});

/** The policy settings a handler passes to the engine, from its environment. */
export const policySettings = (env: { WINDOW_CLOSING_MARGIN_SECONDS?: number }) =>
  env.WINDOW_CLOSING_MARGIN_SECONDS === undefined ? {} : { windowClosingMarginMs: env.WINDOW_CLOSING_MARGIN_SECONDS * 1000 };

/** The conversion handler (lambdas/handlers/conversions.ts): `order.placed` from the business bus. */
export const ConversionsEnv = z.object({
  TABLE_NAME: z.string().min(1),
  /** How far back from an order a read or click counts (lib/config.ts `conversions.attributionWindowDays`). */
  ATTRIBUTION_WINDOW_DAYS: z.coerce.number().positive().max(90).default(DEFAULT_ATTRIBUTION_WINDOW_DAYS),
  DDB_ENDPOINT: z.string().url().optional(),
}).extend(RETENTION_ENV);

/** The funnel's stream consumer (lambdas/handlers/funnel-stream.ts): status milestones off the state table's stream. */
export const FunnelStreamEnv = z.object({
  TABLE_NAME: z.string().min(1),
  DDB_ENDPOINT: z.string().url().optional(),
});

/** The one-off index backfill (lambdas/handlers/backfill.ts). */
export const BackfillEnv = z.object({
  TABLE_NAME: z.string().min(1),
  /** Parallel scan segments of a new pass. */
  BACKFILL_SEGMENTS: z.coerce.number().int().min(1).max(64).default(8),
  /** The sender's stale-claim time: the deadline of a claimed job the previous release wrote. */
  STALE_CLAIM_MS: z.coerce.number().int().positive().default(120_000),
  DDB_ENDPOINT: z.string().url().optional(),
});

/** The retention settings a handler passes to its adapters, from its environment. */
export const retentionSettings = (env: {
  OUTBOX_RETENTION_DAYS?: number;
  MESSAGE_STATUS_RETENTION_DAYS?: number;
  EVENT_RETENTION_DAYS?: number;
  AUDIT_RETENTION_DAYS?: number;
}): RetentionDays =>
  retentionDays({
    outbox: env.OUTBOX_RETENTION_DAYS,
    messageStatus: env.MESSAGE_STATUS_RETENTION_DAYS,
    event: env.EVENT_RETENTION_DAYS,
    audit: env.AUDIT_RETENTION_DAYS,
  });
