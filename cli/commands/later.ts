import type { Command } from 'commander';
import { CliError, EXIT } from '../errors';

/** Commands whose work later issues build; they are listed so the frame is there, and say so when run. */
const LATER = [
  ['console', 16, 'the web console for marketers and support leads'],
] as const;

export const registerLater = (program: Command): void => {
  for (const [name, issue, what] of LATER) {
    program
      .command(name)
      .description(`(not built yet: arrives with issue ${issue}) ${what}`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new CliError(`\`${name}\` arrives with issue ${issue} (${what}); this version has nothing to run yet`, EXIT.usage);
      });
  }
};
