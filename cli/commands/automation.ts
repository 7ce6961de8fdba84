import type { Command } from 'commander';
import type { Route } from '../../lambdas/admin/contract';
import type { Channel } from '../client/afterchat-client';
import type { CliContext } from '../context';
import type { Output } from '../output/output';
import { examples, nextCommand, readJson, sessionOf } from '../session';
import { channelArgument } from './args';
import { registerAutomationUsage } from './automation-usage';

type ConfigView = Route<'GET /admin/accounts/{channel}/{accountId}/automation'>['response'];
type ConfigBody = Route<'PUT /admin/accounts/{channel}/{accountId}/automation'>['body'];
type Weekly = NonNullable<ConfigView['config']['businessHours']>['weekly'];

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Each day's hours as a person reads them (`09:00–17:30`), every day listed, `closed` where none. */
const hoursOf = (weekly: Weekly): Record<string, string> =>
  Object.fromEntries(DAYS.map((day) => [day, (weekly[day] ?? []).map((i) => `${i.from}–${i.to}`).join(', ') || 'closed']));

/** The configuration as `field │ value` rows: hours and holidays written out, the rest as stored. */
const printConfig = (out: Output, { config }: ConfigView, title: string): void => {
  const { businessHours, ...rest } = config;
  const hours = businessHours && {
    weekly: hoursOf(businessHours.weekly),
    holidays: businessHours.holidays.map((h) => (h.name === undefined ? h.date : `${h.date} ${h.name}`)),
  };
  out.record({ ...rest, businessHours: hours ?? 'always open (no away message)' }, title);
};

export const registerAutomation = (accounts: Command, ctx: CliContext): void => {
  const automation = accounts
    .command('automation')
    .description("an account's conversation automation: business hours, texts per language, which automations are on");
  examples(automation, [
    'npx afterchat accounts automation show whatsapp 109876543210987',
    'npx afterchat accounts automation set whatsapp 109876543210987 --file events/admin/automation-config.json',
  ]);

  const show = automation
    .command('show')
    .description('the configuration automation acts on, defaults filled in, and when it was stored')
    .addArgument(channelArgument())
    .argument('<accountId>', 'Page id, Instagram account id, or WhatsApp phone_number_id')
    .action(async (channel: Channel, accountId: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.getAutomationConfig({ channel, accountId });
      out.result(answer, () => {
        if (answer.configured) {
          printConfig(out, answer, `${channel} ${accountId}: stored ${String(answer.updatedAt)}`);
        } else {
          printConfig(out, answer, `${channel} ${accountId}: not configured, the built-in STOP / START and handoff keywords only`);
          out.note(`configure it: ${nextCommand(cmd, ['accounts', 'automation', 'set', channel, accountId, '--file', 'automation.json'])}`);
        }
      });
    });
  examples(show, ['npx afterchat accounts automation show whatsapp 109876543210987', 'npx afterchat accounts automation show messenger 1234567890123456 --json']);

  const set = automation
    .command('set')
    .description('replace the configuration with a file (admin level in AWS): a section left out is off; automation picks it up within a minute')
    .addArgument(channelArgument())
    .argument('<accountId>', 'Page id, Instagram account id, or WhatsApp phone_number_id')
    .requiredOption('--file <config.json>', 'the whole configuration, as events/admin/automation-config.json')
    .action(async (channel: Channel, accountId: string, options: { file: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.putAutomationConfig({ channel, accountId }, readJson(ctx, options.file) as ConfigBody);
      out.result(answer, () => printConfig(out, answer, `stored the automation of ${channel} ${accountId} at ${String(answer.updatedAt)}`));
    });
  examples(set, ['npx afterchat accounts automation set whatsapp 109876543210987 --file events/admin/automation-config.json']);

  registerAutomationUsage(automation, ctx);
};
