import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ApiThrottle {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Bucket size for short bursts above `rateLimit`. */
  readonly burstLimit: number;
}

/** A Graph API version path segment, e.g. `v25.0`. */
export type GraphApiVersion = `v${number}.${number}`;

export interface SendConfig {
  /** Graph API version the sender calls. Meta supports each version for about two years. */
  readonly graphApiVersion: GraphApiVersion;
  /**
   * Sends per second per Page or Instagram account that sets no `throughputPerSecond` in its
   * registration (Meta gives Pages no tier; 40 keeps them out of the Page Inbox's high-volume mode,
   * Meta's Send API allows 300). WhatsApp numbers are not paced by a stage setting: each at its own
   * Meta throughput (80 by default, the registration's `throughputPerSecond` after Meta's upgrade to
   * 1,000), shared by every sender instance through the limiter in the state table.
   */
  readonly messengerRatePerSecond: number;
  /**
   * Most sender invocations the SQS event source runs at once (Lambda allows 2 to 1,000). Capping
   * the event source, not reserved concurrency, slows polling instead of throttling invocations,
   * so messages are not retried towards the DLQ just for being throttled. Size it to the sum of the
   * rates sent at once: one instance (a batch of 10, Graph at 150–300 ms) sends about 25–30 msg/s,
   * so one 80 msg/s number needs ~4 and one at 1,000 ~40. More instances than that only wait for
   * slots (at most 2 s each, then the job is handed back to SQS).
   */
  readonly senderMaxConcurrency: number;
  /**
   * Free-form sends decided this close to the end of the 24 h window are refused (`window_closing`):
   * pacing and the Graph call could carry them past Meta's edge. Cover the pacing wait plus the Graph
   * call's 10 s timeout; 30 s is the policy rule's default.
   */
  readonly windowClosingMarginSeconds: number;
}

export interface TemplateSyncConfig {
  /**
   * Minutes between two scheduled reads of every account's templates from Meta (an EventBridge rate
   * rule). Webhooks carry the changes in between; the sync catches what they missed.
   */
  readonly scheduleMinutes: number;
}

export interface ConversionsConfig {
  /**
   * Days before an `order.placed` within which the person's last read or click of a message gets the
   * conversion (last-touch, README "Conversions"). Meta's own click-through default is 7 days.
   */
  readonly attributionWindowDays: number;
}

export interface ClicksConfig {
  /**
   * Where tracking links point, up to the token: `https://<host>/r/` (README "Clicks"). Absent: the
   * webhook API's own URL (`<api endpoint>/r/`). Set it when a custom domain fronts the API: it is
   * also the base URL a WhatsApp template's URL button must use (`https://<host>/r/{{1}}`) for its
   * clicks to be counted, so it can't change under approved templates.
   */
  readonly redirectBaseUrl?: string;
  /** Days a tracking link works after its message is due; at most the outbox retention (the redirect reads the record). */
  readonly linkTtlDays: number;
  /** A link-preview agent's fetch this many seconds after delivery (or before) is the preview, not a click. */
  readonly previewWindowSeconds: number;
}

export interface StageConfig {
  readonly stage: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly apiThrottle: ApiThrottle;
  readonly send: SendConfig;
  readonly templateSync: TemplateSyncConfig;
  readonly conversions: ConversionsConfig;
  readonly clicks: ClicksConfig;
  /**
   * afterchat's own events on the business bus (README "Events afterchat emits"): `message.delivered`,
   * `message.read`, `message.clicked`, `contact.opted_out`, `contact.opted_in`. Off when absent.
   * PutEvents costs $1.00 per million events: three per message would add about $3 per million sends,
   * as much again as the status webhook's whole cost goal (≤ $3 per million), so turn it on only
   * where a rule on the bus uses them.
   */
  readonly eventsOut?: boolean;
}

// The account-wide API Gateway quota is 10,000 rps with a 5,000 burst, shared by every API in the
// region, so each stage stays well below it and one runaway client cannot starve the others.
const stages: Record<string, StageConfig> = {
  dev: {
    stage: 'dev',
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'DEBUG',
    apiThrottle: { rateLimit: 100, burstLimit: 50 },
    send: { graphApiVersion: 'v25.0', messengerRatePerSecond: 40, senderMaxConcurrency: 2, windowClosingMarginSeconds: 30 },
    templateSync: { scheduleMinutes: 15 },
    conversions: { attributionWindowDays: 7 },
    clicks: { linkTtlDays: 30, previewWindowSeconds: 10 },
  },
  prod: {
    stage: 'prod',
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'INFO',
    apiThrottle: { rateLimit: 1000, burstLimit: 500 },
    send: { graphApiVersion: 'v25.0', messengerRatePerSecond: 40, senderMaxConcurrency: 5, windowClosingMarginSeconds: 30 },
    templateSync: { scheduleMinutes: 15 },
    conversions: { attributionWindowDays: 7 },
    clicks: { linkTtlDays: 30, previewWindowSeconds: 10 },
  },
};

/**
 * Start of the name of every EventBridge rule the admin API creates for a campaign. The IAM grants
 * and the dispatcher's invoke permission are scoped to it, so rules outside it cannot fire campaigns.
 */
export function campaignRulePrefix(stage: string): string {
  return `afterchat-${stage}-campaign-`;
}

export function stageConfig(stage: string): StageConfig {
  const config = stages[stage];
  if (!config) {
    throw new Error(`Unknown stage "${stage}"; expected one of: ${Object.keys(stages).join(', ')}`);
  }
  return config;
}

/**
 * How long records holding a person's data live, in days: each carries the state table's TTL
 * attribute (`expiresAt`) from when it was first written, and DynamoDB deletes it after that
 * (usually within a few days). CDK context values, e.g. `npx cdk deploy --all -c outboxRetentionDays=30`;
 * the stack hands them to the functions that write the records as environment variables. The
 * defaults repeat lambdas/domain/retention.ts (infrastructure doesn't import runtime code; a test
 * keeps the two equal). Campaign reports keep their counts after the outbox records expire.
 */
export interface RetentionSettings {
  /** Outbox records (each send: its intent names the recipient), from their creation. */
  readonly outboxRetentionDays: number;
  /** Message status records (recipient, status, pricing), from their first status. */
  readonly messageStatusRetentionDays: number;
  /** Webhook event records (deduplication of Meta's retries), from their receipt. */
  readonly eventRetentionDays: number;
  /** Audit records of admin writes, from the request. */
  readonly auditRetentionDays: number;
  /** Quarantined webhook items (README "Quarantine"), from their latest delivery. */
  readonly quarantineRetentionDays: number;
}

export const RETENTION_DEFAULTS: RetentionSettings = {
  outboxRetentionDays: 90,
  messageStatusRetentionDays: 90,
  eventRetentionDays: 30,
  auditRetentionDays: 365,
  quarantineRetentionDays: 30,
};

/** A retention setting must be a whole number of days in this range (Meta retries webhooks for 7 days). */
export const RETENTION_DAYS_RANGE = { min: 1, max: 3650 } as const;

/** The retention settings from the CDK context (`-c <name>=<days>`), each absent one at its default. */
export function retentionSettings(node: { tryGetContext(key: string): unknown }): RetentionSettings {
  const read = (name: keyof RetentionSettings): number => {
    const raw = node.tryGetContext(name);
    if (raw === undefined) return RETENTION_DEFAULTS[name];
    const days = Number(raw);
    if (!Number.isInteger(days) || days < RETENTION_DAYS_RANGE.min || days > RETENTION_DAYS_RANGE.max) {
      throw new Error(`Context "${name}" must be a whole number of days from ${RETENTION_DAYS_RANGE.min} to ${RETENTION_DAYS_RANGE.max} (got ${JSON.stringify(raw)})`);
    }
    return days;
  };
  return {
    outboxRetentionDays: read('outboxRetentionDays'),
    messageStatusRetentionDays: read('messageStatusRetentionDays'),
    eventRetentionDays: read('eventRetentionDays'),
    auditRetentionDays: read('auditRetentionDays'),
    quarantineRetentionDays: read('quarantineRetentionDays'),
  };
}

/** The environment variables carrying the settings (read by lambdas/shared/env.ts). */
export function retentionEnvironment(settings: RetentionSettings): Record<string, string> {
  return {
    OUTBOX_RETENTION_DAYS: String(settings.outboxRetentionDays),
    MESSAGE_STATUS_RETENTION_DAYS: String(settings.messageStatusRetentionDays),
    EVENT_RETENTION_DAYS: String(settings.eventRetentionDays),
    AUDIT_RETENTION_DAYS: String(settings.auditRetentionDays),
    QUARANTINE_RETENTION_DAYS: String(settings.quarantineRetentionDays),
  };
}
