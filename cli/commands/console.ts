import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { buildConsole as BuildConsole } from '../../bin/build-console';
import { CONSOLE_DIST } from '../../lambdas/local/console-files';
import { signingRegion } from '../client/sigv4';
import { resolveTarget } from '../client/target';
import { adminForwarder } from '../console/admin-forwarder';
import { serveConsole } from '../console/serve-console';
import type { CliContext } from '../context';
import { CliError, EXIT } from '../errors';
import { examples, type GlobalOptions } from '../session';

const DEFAULT_CONSOLE_PORT = 5177;

const portNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port, 1–65535 (0: any free one).');
  return n;
};

/** The console's files, built first when this checkout has none yet (a fresh clone). */
const ensureBuilt = (ctx: CliContext): void => {
  if (existsSync(join(CONSOLE_DIST, 'index.html'))) return;
  ctx.stderr.write('the console is not built yet: building it (npm run build:console)…\n');
  // Loaded only then: Vite's build is a child process, and no other command needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildConsole } = require('../../bin/build-console') as { buildConsole: typeof BuildConsole };
  buildConsole({ quiet: true });
};

export const registerConsole = (program: Command, ctx: CliContext): void => {
  const command = program
    .command('console')
    .description('the web console on localhost, its admin API calls forwarded to the stack (signed with your AWS credentials for a deployed one)')
    .option('--port <port>', `HTTP port on 127.0.0.1 (default: ${DEFAULT_CONSOLE_PORT}; 0 picks a free one)`, portNumber)
    .addHelpText(
      'after',
      '\nThe admin API stays IAM-only: the browser talks to 127.0.0.1, and this command signs each call with SigV4\n(AWS_PROFILE, or the SDK\'s other sources) as the other commands do. Runs until Ctrl+C.',
    )
    .action(async (options: { port?: number }) => {
      const { url, region } = command.optsWithGlobals<GlobalOptions>();
      const target = resolveTarget(url, ctx.env);
      // A region that can't be told is a usage mistake: say so now rather than on the first click.
      if (!target.loopback) signingRegion(new URL(target.baseUrl).hostname, region, ctx.env);
      ensureBuilt(ctx);
      const admin = adminForwarder({ target, env: ctx.env, region, lookup: ctx.lookup, credentials: ctx.credentials });
      const port = options.port ?? DEFAULT_CONSOLE_PORT;
      const server = await serveConsole({ port, admin, onError: (error) => ctx.stderr.write(`afterchat console: ${(error as Error).message}\n`) }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use: stop what holds it, or pick another with --port`, EXIT.refused);
        throw error;
      });
      const given = url ?? ctx.env.AFTERCHAT_URL;
      ctx.stdout.write(
        [
          `console: ${server.url}`,
          target.loopback
            ? `admin API: ${target.baseUrl}/admin/ (on this machine: not signed)${given === undefined ? ` — the local stack; it serves the console itself at ${target.baseUrl}/console/ too, give --url for a deployed one` : ''}`
            : `admin API: ${target.baseUrl}/admin/ (each call signed with your AWS credentials)`,
          'Ctrl+C stops it.',
          '',
        ].join('\n'),
      );
      await ctx.interrupted();
      await server.close();
    });
  examples(command, [
    'npx afterchat console --url https://abc123.execute-api.eu-west-1.amazonaws.com/admin/',
    'AWS_PROFILE=shop-operator npx afterchat console --url https://admin.shop.example --region eu-west-1 --port 8080',
    'npx afterchat console                              # against npm run local',
  ]);
};
