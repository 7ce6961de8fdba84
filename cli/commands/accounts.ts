import type { Command } from 'commander';
import type { Route } from '../../lambdas/admin/contract';
import type { AccountRef, Channel } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { ApiError, CliError, EXIT, UsageError } from '../errors';
import { examples, positiveInt, readJson, sessionOf } from '../session';
import { channelArgument } from './args';
import { registerAutomation } from './automation';

type AccountBody = Route<'PUT /admin/accounts/{channel}/{accountId}'>['body'];

const ACCOUNT_ID = 'Page id, Instagram account id, or WhatsApp phone_number_id';

interface RegistrationOptions {
  file?: string;
  displayName?: string;
  tokenSecret?: string;
  timezone?: string;
  wabaId?: string;
  country?: string;
  adAccountId?: string;
  marketingMessagesOnboarded?: boolean;
  throughput?: number;
  businessPortfolioId?: string;
}

/** The body from --file, with any option laid over it. */
const registrationOf = (ctx: CliContext, o: RegistrationOptions): AccountBody => {
  const base = o.file === undefined ? {} : (readJson(ctx, o.file) as Partial<AccountBody>);
  const body = {
    ...base,
    ...(o.displayName === undefined ? {} : { displayName: o.displayName }),
    ...(o.tokenSecret === undefined ? {} : { tokenSecret: o.tokenSecret }),
    ...(o.timezone === undefined ? {} : { timezone: o.timezone }),
    ...(o.wabaId === undefined ? {} : { wabaId: o.wabaId }),
    ...(o.country === undefined ? {} : { country: o.country }),
    ...(o.adAccountId === undefined ? {} : { adAccountId: o.adAccountId }),
    ...(o.marketingMessagesOnboarded === undefined ? {} : { marketingMessagesOnboarded: o.marketingMessagesOnboarded }),
    ...(o.throughput === undefined ? {} : { throughputPerSecond: o.throughput }),
    ...(o.businessPortfolioId === undefined ? {} : { businessPortfolioId: o.businessPortfolioId }),
  };
  return body as AccountBody;
};

export const registerAccounts = (program: Command, ctx: CliContext): void => {
  const accounts = program.command('accounts').description('the registered Pages, Instagram accounts and WhatsApp numbers, and what Meta said about them');
  examples(accounts, ['npx afterchat accounts list', 'npx afterchat accounts show whatsapp 109876543210987']);

  const list = accounts
    .command('list')
    .description('every registered account')
    .action(async (_options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.listAccounts();
      out.result(answer, () =>
        out.table(answer.accounts, [
          { header: 'channel', value: (a) => a.channel },
          { header: 'accountId', value: (a) => a.accountId },
          { header: 'displayName', value: (a) => a.displayName },
          { header: 'timezone', value: (a) => a.timezone },
          { header: 'wabaId', value: (a) => a.wabaId },
          { header: 'tokenSecret', value: (a) => a.tokenSecret },
        ], 'no accounts registered: npx afterchat accounts put --help'),
      );
    });
  examples(list, ['npx afterchat accounts list']);

  const show = accounts
    .command('show')
    .description("one account: its registration, and its policy state (blocks, pauses, quality, Meta's last error)")
    .addArgument(channelArgument())
    .argument('<accountId>', ACCOUNT_ID)
    .action(async (channel: Channel, accountId: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.getAccount({ channel, accountId });
      out.result(answer, () => out.record(answer));
    });
  examples(show, ['npx afterchat accounts show whatsapp 109876543210987']);

  const put = accounts
    .command('put')
    .description('register an account or replace its registration (admin level in AWS)')
    .addArgument(channelArgument())
    .argument('<accountId>', ACCOUNT_ID)
    .option('--file <body.json>', 'the registration body; options below override its fields')
    .option('--display-name <name>', 'a name for the account, as lists show it (1–200 characters)')
    .option('--token-secret <name>', "the Secrets Manager secret holding the account's token, under the stack's AccessTokenSecretPrefix")
    .option('--timezone <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .option('--waba-id <id>', 'WhatsApp: the number’s WABA')
    .option('--country <code>', 'the business country (ISO 3166-1 alpha-2), for Messenger marketing')
    .option('--ad-account-id <id>', 'Messenger Marketing Message API: the ad account')
    .option('--marketing-messages-onboarded', 'WhatsApp: the WABA accepted the Marketing Messages API terms')
    .option('--throughput <perSecond>', 'messages per second Meta allows the account', positiveInt)
    .option('--business-portfolio-id <id>', 'WhatsApp: the portfolio whose numbers share one messaging limit')
    .action(async (channel: Channel, accountId: string, options: RegistrationOptions, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.putAccount({ channel, accountId }, registrationOf(ctx, options));
      out.result(answer, () => out.record(answer, `registered ${channel} ${accountId}`));
    });
  examples(put, [
    'npx afterchat accounts put whatsapp 109876543210987 --display-name "Shop (WhatsApp)" --token-secret afterchat/dev/tokens/whatsapp/109876543210987 --timezone Europe/Berlin --waba-id 102290129340398',
    'npx afterchat accounts put messenger 1234567890123456 --file page.json --url "$ADMIN_BASE_URL"',
  ]);

  const applyCommand = accounts
    .command('apply')
    .description('register every account of a file: one registration or a list, each with its channel and accountId (as events/admin/accounts.json)')
    .argument('<file>', 'JSON: one registration or a list of them')
    .action(async (file: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const content = readJson(ctx, file);
      const registrations = (Array.isArray(content) ? content : [content]) as (AccountRef & AccountBody)[];
      const results: { channel: string; accountId: string; result: string }[] = [];
      for (const { channel, accountId, ...body } of registrations) {
        if (typeof channel !== 'string' || typeof accountId !== 'string') throw new UsageError(`${file}: every registration needs its channel and accountId`);
        try {
          await client.putAccount({ channel, accountId }, body);
          results.push({ channel, accountId, result: 'registered' });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          results.push({ channel, accountId, result: [error.message, ...error.lines].join('; ') });
        }
      }
      out.result(results, () => out.table(results, [
        { header: 'channel', value: (r) => r.channel },
        { header: 'accountId', value: (r) => r.accountId },
        { header: 'result', value: (r) => r.result },
      ]));
      const refused = results.filter((r) => r.result !== 'registered').length;
      if (refused > 0) throw new CliError(`${refused} of ${results.length} not registered`, EXIT.refused);
    });
  examples(applyCommand, ['npx afterchat accounts apply events/admin/accounts.json']);

  const remove = accounts
    .command('delete')
    .description("remove an account's registration (its contacts' state stays)")
    .addArgument(channelArgument())
    .argument('<accountId>', ACCOUNT_ID)
    .action(async (channel: Channel, accountId: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.deleteAccount({ channel, accountId });
      out.result(answer, () => out.line(`deleted the registration of ${channel} ${accountId}`));
    });
  examples(remove, ['npx afterchat accounts delete instagram 17841400000000001']);

  registerAutomation(accounts, ctx);
};
