import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { runLocal as RunLocal } from '../local/run-local';
import { localSettings } from '../local/settings';
import { examples, positiveInt } from '../session';

export const registerLocal = (program: Command, ctx: CliContext): void => {
  const local = program
    .command('local')
    .description('start the local stack: the same handlers as in AWS, with dynalite, SQS, EventBridge and Meta stand-ins')
    .option('--memory', 'keep data in memory only (lost on exit) instead of DATA_DIR')
    .option('--port <port>', 'HTTP port on 127.0.0.1 (default: PORT, else 3000)', positiveInt)
    .addHelpText(
      'after',
      '\nEnvironment: PORT (3000), META_APP_SECRET (local-app-secret), META_VERIFY_TOKEN (local-verify-token),\nDATA_DIR (.local-data/dynamodb). Runs until Ctrl+C.',
    )
    .action(async (options: { memory?: boolean; port?: number }) => {
      // Loaded for this command alone: the whole stack (handlers, emulators, SDK clients) would slow every other command's start.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runLocal } = require('../local/run-local') as { runLocal: typeof RunLocal };
      await runLocal(ctx, localSettings(ctx.env, ctx.cwd, { memory: options.memory === true, port: options.port }));
    });
  examples(local, ['npm run local', 'npx afterchat local --memory', 'PORT=3100 npx afterchat local']);
};
