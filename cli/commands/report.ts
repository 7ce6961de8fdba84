import type { Command } from 'commander';
import type { Channel } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { CliError, EXIT, UsageError } from '../errors';
import { examples, positiveInt, type Session, sessionOf } from '../session';
import { channelArgument, channelOption, FROM_LOCAL, FROM_UTC, TO_LOCAL, TO_UTC } from './args';
import { growthCsv, printGrowth, printResponsiveness, responsivenessCsv } from './report-account';
import { amounts, plusDays } from './report-format';
import { type FunnelAudience, type FunnelReport, funnelCsv, printFunnel } from './report-funnel';

const ACCOUNT_ID = 'Page id, Instagram account id, or WhatsApp phone_number_id';
const CSV = ['--csv', "print the table's rows as CSV (RFC 4180) instead, for a spreadsheet"] as const;

interface RangeOptions {
  from?: string;
  to?: string;
  csv?: boolean;
}

/** The session, refusing `--json --csv` before any request: one stdout, one format. */
const reportSession = (ctx: CliContext, cmd: Command): Session => {
  const session = sessionOf(ctx, cmd);
  if (session.out.json && cmd.opts<{ csv?: boolean }>().csv === true) throw new UsageError('--json and --csv both asked: choose one');
  return session;
};

/** The answer as JSON, CSV or tables; a CSV's notes (the caveats) go to stderr so stdout stays the file. */
const show = (session: Session, cmd: Command, answer: unknown, formats: { csv: () => string; render: () => void; notes?: readonly string[] }): void => {
  if (cmd.opts<{ csv?: boolean }>().csv !== true) return session.out.result(answer, formats.render);
  session.ctx.stdout.write(formats.csv());
  for (const note of formats.notes ?? []) session.out.note(note);
};

const funnelFormats = (session: Session, title: string, report: FunnelReport, audience?: FunnelAudience) => ({
  csv: () => funnelCsv(report, audience),
  render: () => printFunnel(session.out, title, report, audience),
  notes: report.caveats,
});

/** The UTC days the sends and trigger reports read: --to (default today) and six days before it unless --from. */
const utcRange = (ctx: CliContext, o: RangeOptions): { from: string; to: string } => {
  const to = o.to ?? new Date(ctx.now()).toISOString().slice(0, 10);
  return { from: o.from ?? plusDays(to, -6), to };
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const registerReport = (program: Command, ctx: CliContext): void => {
  const report = program
    .command('report')
    .description('measurement: the funnel of a campaign, an occurrence, one-off sends or a trigger (rates, limits, failures, billed cost, revenue), responsiveness and audience growth');
  examples(report, ['npx afterchat report campaign weekly-deals', 'npx afterchat report responsiveness whatsapp 109876543210987 --csv > responsiveness.csv']);

  const campaign = report
    .command('campaign')
    .description("a campaign's funnel across its occurrences, from its counters")
    .argument('<campaignId>', 'the campaign’s id, as `campaigns list` shows it')
    .option(...CSV)
    .action(async (campaignId: string, _o: RangeOptions, cmd: Command) => {
      const session = reportSession(ctx, cmd);
      const answer = await session.client.getCampaignReport(campaignId);
      show(session, cmd, answer, funnelFormats(session, `campaign ${campaignId}: ${plural(answer.occurrences, 'occurrence')}`, answer.report, answer.audience));
    });
  examples(campaign, ['npx afterchat report campaign weekly-deals', 'npx afterchat report campaign weekly-deals --csv > weekly-deals.csv']);

  const occurrence = report
    .command('occurrence')
    .description("one occurrence's funnel: audience, skipped, sent, delivered, read, clicked, replied, converted, limited, failed, money")
    .argument('<campaignId>', 'the campaign’s id, as `campaigns list` shows it')
    .argument('[occurrenceKey]', 'the firing, e.g. 2026-11-23T08:00:00.000Z, as `campaigns show` lists them (default: the latest)')
    .option(...CSV)
    .action(async (campaignId: string, key: string | undefined, _o: RangeOptions, cmd: Command) => {
      const session = reportSession(ctx, cmd);
      const occurrenceKey = key ?? (await session.client.getCampaign(campaignId)).occurrences[0]?.occurrenceKey;
      if (occurrenceKey === undefined) throw new CliError(`${campaignId} has not fired yet: it has no occurrence to report`, EXIT.refused);
      const answer = await session.client.getOccurrenceReport(campaignId, occurrenceKey);
      show(session, cmd, answer, funnelFormats(session, `campaign ${campaignId}, occurrence ${occurrenceKey}`, answer.report, answer.audience));
    });
  examples(occurrence, ['npx afterchat report occurrence weekly-deals', 'npx afterchat report occurrence weekly-deals 2026-11-23T08:00:00.000Z --json']);

  const sends = report
    .command('sends')
    .description("the funnel of an account's one-off sends (POST /admin/sends) by the UTC day they were made (default: the last 7 days)")
    .addOption(channelOption())
    .requiredOption('--account <accountId>', ACCOUNT_ID)
    .option(...FROM_UTC)
    .option(...TO_UTC)
    .option(...CSV)
    .action(async (o: RangeOptions & { channel: Channel; account: string }, cmd: Command) => {
      const session = reportSession(ctx, cmd);
      const answer = await session.client.getSendsReport({ channel: o.channel, accountId: o.account, ...utcRange(ctx, o) });
      const formats = funnelFormats(session, `one-off sends of ${answer.channel} ${answer.accountId}: ${answer.from} to ${answer.to} (UTC)`, answer.report);
      const { orders, revenue } = answer.unattributed;
      show(session, cmd, answer, {
        ...formats,
        render: () => {
          formats.render();
          session.out.line(`unattributed: ${plural(orders, 'order')} of the account no message led to, ${amounts(revenue)}`);
        },
      });
    });
  examples(sends, ['npx afterchat report sends --channel whatsapp --account 109876543210987', 'npx afterchat report sends --channel messenger --account 1234567890123456 --from 2026-12-01 --to 2026-12-06']);

  const trigger = report
    .command('trigger')
    .description("the funnel of the sends a business event's detail-type asked for, by the UTC day they were made (default: the last 7 days)")
    .argument('<detailType>', 'the business event’s detail-type, e.g. order.shipped')
    .option(...FROM_UTC)
    .option(...TO_UTC)
    .option(...CSV)
    .action(async (detailType: string, o: RangeOptions, cmd: Command) => {
      const session = reportSession(ctx, cmd);
      const answer = await session.client.getTriggerReport(detailType, utcRange(ctx, o));
      show(session, cmd, answer, funnelFormats(session, `sends asked by ${detailType}: ${answer.from} to ${answer.to} (UTC)`, answer.report));
    });
  examples(trigger, ['npx afterchat report trigger order.shipped --from 2026-12-01 --to 2026-12-06']);

  const responsiveness = report
    .command('responsiveness')
    .description("response rate and first-response times of human replies per local day, the share within an SLA, and Messenger's very-responsive verdict (default: the last 7 days)")
    .addArgument(channelArgument())
    .argument('<accountId>', ACCOUNT_ID)
    .option(...FROM_LOCAL)
    .option(...TO_LOCAL)
    .option('--sla <seconds>', 'a turn answered within this many seconds meets the SLA (default: 900)', positiveInt)
    .option(...CSV)
    .action(async (channel: Channel, accountId: string, o: RangeOptions & { sla?: number }, cmd: Command) => {
      const session = reportSession(ctx, cmd);
      const answer = await session.client.getResponsiveness({ channel, accountId }, { from: o.from, to: o.to, slaSeconds: o.sla });
      show(session, cmd, answer, { csv: () => responsivenessCsv(answer), render: () => printResponsiveness(session.out, answer) });
    });
  examples(responsiveness, ['npx afterchat report responsiveness messenger 1234567890123456', 'npx afterchat report responsiveness whatsapp 109876543210987 --from 2026-11-30 --to 2026-12-06 --sla 300']);

  const growth = report
    .command('growth')
    .description('new contacts, opt-ins by topic, opt-outs by source and net per local day (default: the last 7 days)')
    .addArgument(channelArgument())
    .argument('<accountId>', ACCOUNT_ID)
    .option(...FROM_LOCAL)
    .option(...TO_LOCAL)
    .option(...CSV)
    .action(async (channel: Channel, accountId: string, o: RangeOptions, cmd: Command) => {
      const session = reportSession(ctx, cmd);
      const answer = await session.client.getAudienceGrowth({ channel, accountId }, { from: o.from, to: o.to });
      show(session, cmd, answer, { csv: () => growthCsv(answer), render: () => printGrowth(session.out, answer) });
    });
  examples(growth, ['npx afterchat report growth whatsapp 109876543210987 --from 2026-12-01 --to 2026-12-06 --csv']);
};
