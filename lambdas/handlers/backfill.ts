import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type BackfillProgress, runBackfill } from '../adapters/dynamodb/backfill';
import { documentClient } from '../adapters/dynamodb/client';
import { BackfillEnv } from '../shared/env';
import { logger } from '../shared/observability';

const env = BackfillEnv.parse(process.env);
const client = documentClient({ endpoint: env.DDB_ENDPOINT });

/** Room left before the timeout to finish the pages in flight and write their checkpoints. */
const SAFETY_MS = 90_000;
const LOG_EVERY_MS = 10_000;

export interface BackfillRequest {
  /** Start another pass even though the last one finished (it should update nothing). */
  restart?: boolean;
  /** Parallel scan segments for a new pass (default BACKFILL_SEGMENTS). */
  segments?: number;
}

/**
 * The one-off index backfill after an upgrade (README, "Upgrading"). Invoke it with `{}` until it
 * answers `"done": true`: each invocation resumes from the checkpoints in the table and stops,
 * checkpointed, well before its timeout. Invoking it after it finished just reports the pass.
 */
export const handler = middy(async (event: BackfillRequest | null | undefined, context: Context) => {
  const request = event ?? {};
  let lastLog = 0;
  const progress = await runBackfill(client, {
    tableName: env.TABLE_NAME,
    segments: request.segments ?? env.BACKFILL_SEGMENTS,
    restart: request.restart === true,
    staleClaimMs: env.STALE_CLAIM_MS,
    deadline: Date.now() + Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MS),
    onProgress: (p) => {
      if (Date.now() - lastLog < LOG_EVERY_MS && !p.done) return;
      lastLog = Date.now();
      logger.info('backfill progress', { ...summary(p) });
    },
  });
  logger.info(progress.done ? 'backfill done' : 'backfill stopped before the timeout: invoke again to resume', { ...summary(progress) });
  return { ...summary(progress), next: progress.done ? null : 'invoke again with {} to resume' };
}).use(injectLambdaContext(logger, { clearState: true }));

const summary = (p: BackfillProgress) => ({
  migration: p.migration,
  pass: p.pass,
  done: p.done,
  segments: `${p.segmentsDone}/${p.totalSegments}`,
  ...p.totals,
  byKind: p.byKind,
});
