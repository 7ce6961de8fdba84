import type { LookupFunction } from 'node:net';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface TextStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Everything the CLI takes from the world, so tests run it in-process with their own. */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Relative file arguments are read from here. */
  cwd: string;
  stdout: TextStream;
  stderr: TextStream;
  /** A terminal to draw progress bars on; absent when stderr is not one (a pipe, a file, a test). */
  progress?: NodeJS.WriteStream;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Resolves when the person stops a long-running command (Ctrl+C), for `afterchat local`. */
  interrupted: () => Promise<void>;
  /** Name resolution for the HTTP client; the system's when absent. */
  lookup?: LookupFunction;
  /** AWS credentials for SigV4; the SDK's default chain when absent. */
  credentials?: AwsCredentialIdentityProvider;
}

export const processContext = (): CliContext => ({
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  progress: process.stderr.isTTY ? process.stderr : undefined,
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  interrupted: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
});
