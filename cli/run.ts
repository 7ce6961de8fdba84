import { CommanderError } from 'commander';
import type { CliContext } from './context';
import { CliError, EXIT } from './errors';
import { createProgram } from './program';

/**
 * Runs one command line and answers its exit code. What goes wrong is told as a sentence (and its
 * lines) on stderr, never as a stack trace: an unexpected failure names itself and how to see more.
 */
export const runCli = async (argv: readonly string[], ctx: CliContext): Promise<number> => {
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and the version are printed already; usage errors too, with the hint to --help.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      ctx.stderr.write(`afterchat: ${error.message}\n${error.lines.map((line) => `  ${line}\n`).join('')}`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    ctx.stderr.write(`afterchat: ${message}\n`);
    if (ctx.env.AFTERCHAT_DEBUG !== undefined && error instanceof Error) ctx.stderr.write(`${error.stack ?? ''}\n`);
    else ctx.stderr.write('  (AFTERCHAT_DEBUG=1 shows where it failed)\n');
    return EXIT.refused;
  }
};
