#!/usr/bin/env tsx
/**
 * `afterchat`, the command line of this repository (package.json `bin`): `npx afterchat --help`.
 * Run through tsx, as the other scripts in bin/ are.
 */
import { processContext } from './context';
import { runCli } from './run';

/** Resolves once everything written to the stream before it has been handed to the system. */
const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));

void runCli(process.argv.slice(2), processContext()).then(async (code) => {
  // Writes to a pipe may still be queued (they are asynchronous on some systems, macOS among them):
  // exiting at once would cut what a script reads from `afterchat … | jq`.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // The local stack's servers (and a failed start's) would keep the process alive past the command.
  process.exit(code);
});
