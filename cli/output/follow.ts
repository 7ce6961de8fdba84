import { SingleBar } from 'cli-progress';
import type { CliContext } from '../context';
import { CliError, EXIT } from '../errors';

export interface FollowOptions<T> {
  /** Reads the current state. */
  poll: () => Promise<T>;
  /** How far along the state is, for the bar. */
  progress: (state: T) => { done: number; total: number; label: string };
  finished: (state: T) => boolean;
  timeoutMs: number;
  /** Named in the timeout's message, e.g. `occurrence weekly-deals 2026-…`. */
  what: string;
  intervalMs?: number;
}

/**
 * Polls until `finished`, drawing a progress bar on a terminal (nothing on a pipe), and answers the
 * last state. Past `timeoutMs` it stops with exit code 1: the work goes on, the CLI just stops watching.
 */
export const follow = async <T>(ctx: CliContext, options: FollowOptions<T>): Promise<T> => {
  const deadline = ctx.now() + options.timeoutMs;
  const bar = ctx.progress
    ? new SingleBar({ stream: ctx.progress, format: '{bar} {value}/{total} {label}', hideCursor: true, clearOnComplete: true })
    : undefined;
  let started = false;
  try {
    for (;;) {
      const state = await options.poll();
      const { done, total, label } = options.progress(state);
      if (bar && !started) bar.start(total, done, { label });
      started = true;
      bar?.setTotal(total);
      bar?.update(done, { label });
      if (options.finished(state)) return state;
      if (ctx.now() >= deadline) {
        throw new CliError(`${options.what}: still not finished after ${Math.round(options.timeoutMs / 1000)} s (${label})`, EXIT.refused, [
          'the work goes on in the stack: run the command again to look, or give --timeout more seconds',
        ]);
      }
      await ctx.sleep(options.intervalMs ?? 500);
    }
  } finally {
    bar?.stop();
  }
};
