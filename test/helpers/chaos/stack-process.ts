/**
 * The local stack in a process of its own, for the chaos test to `kill -9`: its table lives in the
 * integration project's dynalite (another process), its Graph API is the simulator's process, and
 * its queues die with it, as they would in a crash. Configured by the JSON in CHAOS_STACK; prints
 * `READY <url>`. Its clock is the wall clock plus an offset the test may move forward with a line
 * `offset <ms>` on stdin (so a campaign's firing minute comes without waiting for it).
 */
import { createInterface } from 'node:readline';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DispatchTuning } from '../../../lambdas/campaign/dispatcher-deps';
import type { SweepSettings } from '../../../lambdas/domain/sweeper/sweep-settings';
import { startLocalStack } from '../../../lambdas/local/local-stack';

interface StackConfig {
  port: number;
  tableName: string;
  dynamoEndpoint: string;
  graphBaseUrl: string;
  appSecret: string;
  tokens: Record<string, string>;
  offsetMs: number;
  staleClaimMs: number;
  graphTimeoutMs: number;
  ratePerSecond: number;
  senderConcurrency: number;
  dispatchTuning: Partial<DispatchTuning>;
  sweeper: { intervalMs: number; settings: Partial<SweepSettings> };
}

const main = async (): Promise<void> => {
  const config = JSON.parse(process.env.CHAOS_STACK ?? '{}') as StackConfig;
  let offset = config.offsetMs;
  const stack = await startLocalStack({
    port: config.port,
    appSecret: config.appSecret,
    verifyToken: 'chaos-verify',
    dynamoEndpoint: config.dynamoEndpoint,
    tableName: config.tableName,
    clock: () => Date.now() + offset,
    logger: new Logger({ serviceName: 'afterchat-chaos', logLevel: 'ERROR' }),
    dispatchTuning: config.dispatchTuning,
    sweeper: config.sweeper,
    sending: {
      tokens: config.tokens,
      graphBaseUrl: config.graphBaseUrl,
      staleClaimMs: config.staleClaimMs,
      graphTimeoutMs: config.graphTimeoutMs,
      ratePerSecond: config.ratePerSecond,
      concurrency: config.senderConcurrency,
      visibilityTimeoutSeconds: 5,
      maxRetryDelayMs: 1000,
    },
  });
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, value] = line.trim().split(' ');
    if (command === 'offset' && Number.isFinite(Number(value))) offset = Number(value);
  });
  process.once('SIGTERM', () => void stack.close().then(() => process.exit(0)));
  process.stdout.write(`READY ${stack.url}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`stack failed to start: ${String(error)}\n`);
  process.exit(1);
});
