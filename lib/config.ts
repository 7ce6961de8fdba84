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
   * Sends per second per sending account, for the whole stage: each of the `senderMaxConcurrency`
   * sender instances paces itself to its share. 80 is the default WhatsApp Cloud API throughput of
   * one business phone number; above it Meta answers error 130429.
   */
  readonly sendRatePerSecond: number;
  /**
   * Most sender invocations the SQS event source runs at once (Lambda allows 2 to 1,000). Capping
   * the event source, not reserved concurrency, slows polling instead of throttling invocations,
   * so messages are not retried towards the DLQ just for being throttled.
   */
  readonly senderMaxConcurrency: number;
  /**
   * Free-form sends decided this close to the end of the 24 h window are refused (`window_closing`):
   * pacing and the Graph call could carry them past Meta's edge. Cover the pacing wait plus the Graph
   * call's 10 s timeout; 30 s is the policy rule's default.
   */
  readonly windowClosingMarginSeconds: number;
}

export interface StageConfig {
  readonly stage: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly apiThrottle: ApiThrottle;
  readonly send: SendConfig;
}

// The account-wide API Gateway quota is 10,000 rps with a 5,000 burst, shared by every API in the
// region, so each stage stays well below it and one runaway client cannot starve the others.
const stages: Record<string, StageConfig> = {
  dev: {
    stage: 'dev',
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'DEBUG',
    apiThrottle: { rateLimit: 100, burstLimit: 50 },
    send: { graphApiVersion: 'v25.0', sendRatePerSecond: 80, senderMaxConcurrency: 2, windowClosingMarginSeconds: 30 },
  },
  prod: {
    stage: 'prod',
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'INFO',
    apiThrottle: { rateLimit: 1000, burstLimit: 500 },
    send: { graphApiVersion: 'v25.0', sendRatePerSecond: 80, senderMaxConcurrency: 5, windowClosingMarginSeconds: 30 },
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
