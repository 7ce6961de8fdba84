import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import type { AccountRef } from '../domain/events';
import { type AutomationConfig, DEFAULT_AUTOMATION_CONFIG } from '../schemas/automation-config';

export interface StoredConfigDeps {
  logger: Logger;
  metrics?: Metrics;
}

/**
 * The account's automation configuration, or the built-in one when it has none, or when the stored
 * one is one the schema no longer reads: that must not stop STOP from working, nor an admin from
 * handing a person over. The error is logged and counted (`AutomationConfigInvalid`) for the operator.
 */
export const configOrBuiltIn = async (deps: StoredConfigDeps, account: AccountRef, read: () => Promise<AutomationConfig | undefined>): Promise<AutomationConfig> => {
  try {
    return (await read()) ?? DEFAULT_AUTOMATION_CONFIG;
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    deps.logger.error('stored automation configuration no longer valid; running the built-in one', { channel: account.channel, issues: error.issues.length });
    deps.metrics?.addMetric('AutomationConfigInvalid', MetricUnit.Count, 1);
    return DEFAULT_AUTOMATION_CONFIG;
  }
};
