import type { Command } from 'commander';
import type { Route } from '../../lambdas/admin/contract';
import type { Channel } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { examples, sessionOf } from '../session';
import { channelArgument, FROM_LOCAL, TO_LOCAL } from './args';

type Usage = Route<'GET /admin/accounts/{channel}/{accountId}/automation/usage'>['response'];
type PriceLine = Usage['days'][number]['lines'][number];

/** `0.0912 EUR`, several currencies side by side (never converted), `—` when nothing costs money. */
const amounts = (cost: Record<string, number>): string =>
  Object.entries(cost)
    .map(([currency, amount]) => `${amount} ${currency}`)
    .join(' + ') || '—';

/** What one send costs and since when: `0.0456 EUR from 2026-10-01, unconfirmed`. */
const priceOf = (line: PriceLine): string => {
  if (line.pricePerMessage === null) return `${line.pricing} ${line.market}: not priced`;
  const row = line.priceRow === null ? '' : ` from ${line.priceRow.effectiveFrom}${line.priceRow.confirmed ? '' : ', unconfirmed'}`;
  if (line.pricePerMessage === 0) return `${line.pricing} ${line.market}: free${row}`;
  return `${line.pricing} ${line.market}: ${line.pricePerMessage} ${line.currency ?? ''}${row}`;
};

export const registerAutomationUsage = (automation: Command, ctx: CliContext): void => {
  const usage = automation
    .command('usage')
    .description("what automation sent per local day and rule, and its estimated cost at the dated price table (default: the last 7 days)")
    .addArgument(channelArgument())
    .argument('<accountId>', 'Page id, Instagram account id, or WhatsApp phone_number_id')
    .option(...FROM_LOCAL)
    .option(...TO_LOCAL)
    .action(async (channel: Channel, accountId: string, options: { from?: string; to?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.getAutomationUsage({ channel, accountId }, { from: options.from, to: options.to });
      out.result(answer, () => {
        out.line(`${channel} ${accountId}: ${answer.from} to ${answer.to} (${answer.timeZone})`);
        out.table(
          answer.days,
          [
            { header: 'day', value: (d) => d.day },
            { header: 'rule', value: (d) => d.rule },
            { header: 'sends', value: (d) => d.sends },
            { header: 'refused', value: (d) => d.refused },
            { header: 'estimated cost', value: (d) => (d.unpriced > 0 ? `${amounts(d.estimatedCost)} (+${d.unpriced} not priced)` : amounts(d.estimatedCost)) },
            { header: 'price', value: (d) => d.lines.map(priceOf).join('; ') },
          ],
          'automation sent nothing on these days',
        );
        const { totals } = answer;
        out.line(`total: ${totals.sends} sent, ${totals.refused} refused, ${amounts(totals.estimatedCost)}${totals.unpriced > 0 ? ` and ${totals.unpriced} not priced` : ''}`);
        out.note(answer.disclaimer);
      });
    });
  examples(usage, [
    'npx afterchat accounts automation usage whatsapp 109876543210987',
    'npx afterchat accounts automation usage whatsapp 109876543210987 --from 2026-12-01 --to 2026-12-06 --json',
  ]);
};
