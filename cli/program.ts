import { Command, Option } from 'commander';
import { version } from '../package.json';
import { registerAccounts } from './commands/accounts';
import { registerCampaigns } from './commands/campaigns';
import { registerConsole } from './commands/console';
import { registerContacts } from './commands/contacts';
import { registerImport } from './commands/import';
import { registerLocal } from './commands/local';
import { registerReport } from './commands/report';
import { registerSendEvent } from './commands/send-event';
import { registerSends } from './commands/sends';
import { registerStackCommands } from './commands/stack';
import { registerTemplates } from './commands/templates';
import type { CliContext } from './context';
import { examples } from './session';

/** `afterchat` and every command under it. Output goes to the context's streams, and errors come back as exceptions. */
export const createProgram = (ctx: CliContext): Command => {
  const program = new Command('afterchat')
    .description('drive an afterchat stack: the local one (npm run local) or a deployed one (--url, signed with SigV4)')
    .addOption(new Option('--url <url>', "the stack: its AdminBaseUrl output, or http://127.0.0.1:<port> (default: AFTERCHAT_URL, else the local stack on PORT or 3000)"))
    .option('--json', 'print the answers as JSON, for scripts')
    .option('--region <region>', 'AWS region to sign for when the URL names none (default: AWS_REGION)')
    .version(version, '--version', 'the version of this afterchat')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => void ctx.stdout.write(text),
      writeErr: (text) => void ctx.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  registerLocal(program, ctx);
  registerSendEvent(program, ctx);
  registerSends(program, ctx);
  registerCampaigns(program, ctx);
  registerAccounts(program, ctx);
  registerTemplates(program, ctx);
  registerContacts(program, ctx);
  registerImport(program, ctx);
  registerReport(program, ctx);
  registerStackCommands(program, ctx);
  registerConsole(program, ctx);
  examples(program, [
    'npm run local                                    # in one terminal',
    'npx afterchat send-event events/meta/messenger/message-text.json --now',
    'npx afterchat contacts show messenger 1234567890123456 6543210987654321',
    'npx afterchat campaigns list --json',
    'npx afterchat health --url https://abc123.execute-api.eu-west-1.amazonaws.com/admin/',
  ]);
  program.addHelpText('after', '\nExit codes: 0 done, 1 refused or failed by the stack, 2 wrong usage, 3 no stack reached (or no AWS credentials).\nEvery command has --help with its options and examples.');
  return program;
};
