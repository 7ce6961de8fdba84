import type { SweepSettings } from '../domain/sweeper/sweep-settings';
import { createSweeper } from '../sweeper/sweep';
import type { SweeperDeps, SweepReport } from '../sweeper/sweeper-deps';

export interface LocalSweeperOptions {
  /** Time between sweeps (default 30 s); the first runs at start, so a restart after a crash recovers at once. */
  intervalMs?: number;
  /** Default locally: a 30 s grace (the local sender's stale-claim time), so a crash is repaired within a minute. */
  settings?: Partial<SweepSettings>;
}

const LOCAL_SETTINGS: Partial<SweepSettings> = { graceMs: 30_000, maxBackoffMs: 10 * 60_000 };

/** The EventBridge schedule's stand-in: the same sweeper, one run at a time, on a timer. */
export const startLocalSweeper = (deps: Omit<SweeperDeps, 'settings'>, options: LocalSweeperOptions): { sweep: () => Promise<SweepReport>; stop: () => Promise<void> } => {
  const sweep = createSweeper({ ...deps, settings: { ...LOCAL_SETTINGS, ...options.settings } });
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // One sweep at a time, whether the timer or a caller asks.
  const once = (): Promise<SweepReport> => {
    const next = running.then(() => sweep());
    running = next.catch(() => undefined);
    return next;
  };
  const tick = (): void => {
    once()
      .catch((error: unknown) => deps.logger.error('local sweep failed', { errorName: (error as Error).name, errorMessage: (error as Error).message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 30_000);
      });
  };
  tick();
  return {
    sweep: once,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
