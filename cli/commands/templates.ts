import type { Command } from 'commander';
import type { Channel } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { examples, sessionOf } from '../session';
import { channelArgument } from './args';

export const registerTemplates = (program: Command, ctx: CliContext): void => {
  const templates = program.command('templates').description("message templates: read Meta's listing now (sync), and what afterchat knows");
  examples(templates, ['npx afterchat templates sync whatsapp 102290129340398', 'npx afterchat templates list whatsapp 102290129340398']);

  const sync = templates
    .command('sync')
    .description("read the account's templates from Meta now and reconcile them (WhatsApp: a WABA or one of its numbers; Messenger: a Page)")
    .addArgument(channelArgument(['whatsapp', 'messenger']))
    .argument('<accountId>', 'WABA id or phone_number_id (WhatsApp), Page id (Messenger)')
    .action(async (channel: Channel, accountId: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.syncTemplates({ channel, accountId });
      out.result(answer, () => out.record(answer));
    });
  examples(sync, ['npx afterchat templates sync whatsapp 102290129340398', 'npx afterchat templates sync messenger 1234567890123456']);

  const list = templates
    .command('list')
    .description("the templates afterchat knows for an account (WhatsApp: the WABA id), with status, category and quality")
    .addArgument(channelArgument(['whatsapp', 'messenger']))
    .argument('<accountId>', 'WABA id (WhatsApp), Page id (Messenger)')
    .action(async (channel: Channel, accountId: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.listTemplates({ channel, accountId });
      out.result(answer, () =>
        out.table(answer.templates, [
          { header: 'name', value: (t) => t.name },
          { header: 'language', value: (t) => t.language },
          { header: 'status', value: (t) => t.status },
          { header: 'category', value: (t) => t.category },
          { header: 'quality', value: (t) => t.quality },
          { header: 'syncedAt', value: (t) => t.syncedAt },
          { header: 'updatedAt', value: (t) => t.updatedAt },
        ]),
      );
    });
  examples(list, ['npx afterchat templates list whatsapp 102290129340398']);
};
