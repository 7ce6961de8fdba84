import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ApiThrottle {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Bucket size for short bursts above `rateLimit`. */
  readonly burstLimit: number;
}

export interface StageConfig {
  readonly stage: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly apiThrottle: ApiThrottle;
}

// The account-wide API Gateway quota is 10,000 rps with a 5,000 burst, shared by every API in the
// region, so each stage stays well below it and one runaway client cannot starve the others.
const stages: Record<string, StageConfig> = {
  dev: {
    stage: 'dev',
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'DEBUG',
    apiThrottle: { rateLimit: 100, burstLimit: 50 },
  },
  prod: {
    stage: 'prod',
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'INFO',
    apiThrottle: { rateLimit: 1000, burstLimit: 500 },
  },
};

export function stageConfig(stage: string): StageConfig {
  const config = stages[stage];
  if (!config) {
    throw new Error(`Unknown stage "${stage}"; expected one of: ${Object.keys(stages).join(', ')}`);
  }
  return config;
}
