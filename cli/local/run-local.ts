import type { CliContext } from '../context';
import { CliError, EXIT } from '../errors';
import { localBanner, localFacts } from './banner';
import type { LocalSettings } from './settings';
import { startAfterchatLocal } from './start-local';

/** Starts the local stack, prints where everything is, and stops it when the person does (Ctrl+C). */
export const runLocal = async (ctx: CliContext, settings: LocalSettings): Promise<void> => {
  const started = await startAfterchatLocal(settings).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new CliError(`port ${settings.port} is in use (another \`npm run local\`?): stop it, or start this one on another port: PORT=3100 npm run local`, EXIT.refused);
    }
    throw error;
  });
  ctx.stdout.write(`${localBanner(localFacts(started.stack, started.seeded), settings)}\n`);
  await ctx.interrupted();
  await started.stack.close();
};
