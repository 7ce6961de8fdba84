import type { Command } from 'commander';
import type { CliContext } from '../context';
import { examples, nextCommand, positiveInt, sessionOf } from '../session';
import { instantArg } from './relative-time';

/** The stack's own state: health, the audit log of admin writes, quarantined webhook items. */
export const registerStackCommands = (program: Command, ctx: CliContext): void => {
  const health = program
    .command('health')
    .description("the stack's health: the Graph API version and its end date, and any warning")
    .action(async (_options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.health();
      out.result(answer, () => out.record(answer));
    });
  examples(health, ['npx afterchat health', 'npx afterchat health --url "$ADMIN_BASE_URL"']);

  const audit = program
    .command('audit')
    .description('the audit log of admin writes, newest first (admin level in AWS)')
    .option('--from <when>', 'oldest entry: ISO-8601, or how long ago (-1d, -2h)', (v) => instantArg(v, ctx.now()))
    .option('--to <when>', 'newest entry (default now)', (v) => instantArg(v, ctx.now()))
    .option('--limit <n>', 'entries per page (1–100)', positiveInt, 50)
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .action(async (options: { from?: string; to?: string; limit: number; cursor?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.audit({ from: options.from, to: options.to, limit: String(options.limit), cursor: options.cursor });
      out.result(answer, () => {
        out.table(answer.entries, [
          { header: 'at', value: (e) => e.at },
          { header: 'principal', value: (e) => e.principal },
          { header: 'action', value: (e) => e.action },
          { header: 'target', value: (e) => Object.entries(e.target).map(([k, v]) => `${k}=${v}`) },
          { header: 'status', value: (e) => e.status },
          { header: 'outcome', value: (e) => e.outcome },
        ], 'no entries in this time');
        if (answer.cursor !== undefined) out.note(`more: ${nextCommand(cmd, ['audit'], { '--from': options.from, '--to': options.to, '--limit': options.limit, '--cursor': answer.cursor })}`);
      });
    });
  examples(audit, ['npx afterchat audit --from -1d --limit 20']);

  const quarantine = program
    .command('quarantine')
    .description('webhook items set aside because they could not be stored, newest first')
    .option('--limit <n>', 'items per page (1–100)', positiveInt, 20)
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .action(async (options: { limit: number; cursor?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.quarantine({ limit: String(options.limit), cursor: options.cursor });
      out.result(answer, () => {
        out.table(answer.items, [
          { header: 'receivedAt', value: (i) => i.receivedAt },
          { header: 'reason', value: (i) => i.reason },
          { header: 'type', value: (i) => i.type },
          { header: 'account', value: (i) => (i.channel === undefined ? null : `${i.channel} ${i.accountId ?? ''}`) },
          { header: 'issues', value: (i) => i.issues.map((issue) => `${issue.path}: ${issue.message}`) },
        ], 'nothing in quarantine');
        if (answer.cursor !== undefined) out.note(`more: ${nextCommand(cmd, ['quarantine'], { '--limit': options.limit, '--cursor': answer.cursor })}`);
      });
    });
  examples(quarantine, ['npx afterchat quarantine --limit 5']);
};
