import type { CliContext } from '../../cli/context';
import { runCli } from '../../cli/run';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A context with this environment only, whose streams are captured. */
export const capturedContext = (overrides: Partial<CliContext> = {}): { ctx: CliContext; printed: () => Omit<CliRun, 'code'> } => {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    env: {},
    cwd: process.cwd(),
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    interrupted: () => new Promise(() => undefined),
    ...overrides,
  };
  return { ctx, printed: () => ({ stdout, stderr }) };
};

/** Runs `afterchat <args>` in-process, capturing what it prints. */
export const runAfterchat = async (args: readonly string[], overrides: Partial<CliContext> = {}): Promise<CliRun> => {
  const { ctx, printed } = capturedContext(overrides);
  const code = await runCli(args, ctx);
  return { code, ...printed() };
};
