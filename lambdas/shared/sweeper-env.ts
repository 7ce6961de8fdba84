import * as z from 'zod';
import type { SweepSettings } from '../domain/sweeper/sweep-settings';

/** The scheduled sweeper (lambdas/handlers/sweeper.ts); read once, as the other handlers' env.ts schemas. */
export const SweeperEnv = z.object({
  TABLE_NAME: z.string().min(1),
  SEND_QUEUE_URL: z.string().min(1),
  SEND_DLQ_URL: z.string().min(1),
  DISPATCH_QUEUE_URL: z.string().min(1),
  /** How long past its due time work is left to its normal path before the sweeper steps in. */
  SWEEP_GRACE_SECONDS: z.coerce.number().int().positive().optional(),
  /** The longest a re-enqueued job waits before it is looked at again. */
  SWEEP_MAX_BACKOFF_SECONDS: z.coerce.number().int().positive().optional(),
  DDB_ENDPOINT: z.string().url().optional(),
});

export const sweepSettings = (env: z.infer<typeof SweeperEnv>): Partial<SweepSettings> => ({
  ...(env.SWEEP_GRACE_SECONDS === undefined ? {} : { graceMs: env.SWEEP_GRACE_SECONDS * 1000 }),
  ...(env.SWEEP_MAX_BACKOFF_SECONDS === undefined ? {} : { maxBackoffMs: env.SWEEP_MAX_BACKOFF_SECONDS * 1000 }),
});
