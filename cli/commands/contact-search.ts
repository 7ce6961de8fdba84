import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Route } from '../../lambdas/admin/contract';
import type { Channel } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { examples, nextCommand, positiveInt, sessionOf } from '../session';
import { channelArgument } from './args';

type SearchQuery = NonNullable<Route<'GET /admin/contacts/{channel}/{accountId}'>['query']>;
type FoundContact = Route<'GET /admin/contacts/{channel}/{accountId}'>['response']['contacts'][number];

interface FilterOptions {
  tag?: string;
  attr?: string;
  topic?: string;
  optInStatus?: 'active' | 'stopped';
  marketingOptOut?: 'true' | 'false';
  windowOpen?: 'true' | 'false';
  withinDays?: number;
}

const yesNo = (flag: string) => (value: string): 'true' | 'false' => {
  if (value === 'true' || value === 'false') return value;
  throw new UsageError(`${flag} takes true or false, got ${value}`);
};

/** The filters of a campaign audience, as both commands take them. */
const filterOptions = (command: Command): Command =>
  command
    .addArgument(channelArgument())
    .argument('<accountId>', 'Page, Instagram account or WhatsApp phone_number_id')
    .option('--tag <tag>', 'contacts carrying this tag')
    .option('--attr <name:value>', 'contacts whose attribute equals the value, e.g. city:Leipzig')
    .option('--topic <topic>', 'holders of a Messenger/Instagram opt-in token for this topic')
    .option('--opt-in-status <status>', 'with --topic: active or stopped tokens only')
    .option('--marketing-opt-out <true|false>', 'true: only contacts who stopped marketing; false: only the others', yesNo('--marketing-opt-out'))
    .option('--window-open <true|false>', 'true: only contacts whose 24 h window is open now; false: closed', yesNo('--window-open'))
    .option('--within-days <n>', 'only contacts who wrote within n days', positiveInt);

const queryOf = (options: FilterOptions): SearchQuery => ({
  tag: options.tag,
  attribute: options.attr,
  topic: options.topic,
  optInStatus: options.optInStatus,
  marketingOptOut: options.marketingOptOut,
  windowOpen: options.windowOpen,
  lastInboundWithinDays: options.withinDays === undefined ? undefined : String(options.withinDays),
});

const COLUMNS = [
  { header: 'userId', value: (c: FoundContact) => c.userId },
  { header: 'tags', value: (c: FoundContact) => c.tags.join(', ') },
  { header: 'attributes', value: (c: FoundContact) => Object.entries(c.attributes).map(([name, value]) => `${name}=${value}`).join(', ') },
  { header: 'window', value: (c: FoundContact) => (c.window.open ? 'open' : 'closed') },
  { header: 'lastInboundAt', value: (c: FoundContact) => c.window.lastInboundAt },
  { header: 'optOut', value: (c: FoundContact) => (c.marketingOptOut ? 'yes' : 'no') },
  { header: 'optIns', value: (c: FoundContact) => c.optIns.map((o) => `${o.topic ?? ''}:${o.status}`).join(', ') },
];

/** `contacts search` and `contacts export-segment`: who a campaign with these audience filters would consider. */
export const registerContactSearch = (contacts: Command, ctx: CliContext): void => {
  const search = filterOptions(contacts.command('search').description("an account's contacts matching a campaign audience's filters, one page (served by the audience index)"))
    .option('--limit <n>', 'contacts per page (1–100)', positiveInt, 50)
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .action(async (channel: Channel, accountId: string, options: FilterOptions & { limit: number; cursor?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.searchContacts({ channel, accountId }, { ...queryOf(options), limit: String(options.limit), cursor: options.cursor });
      out.result(answer, () => {
        out.table(answer.contacts, COLUMNS, `no matching contacts in this page (${answer.scanned} read)`);
        if (answer.cursor !== undefined) {
          const flags = { '--tag': options.tag, '--attr': options.attr, '--topic': options.topic, '--opt-in-status': options.optInStatus, '--marketing-opt-out': options.marketingOptOut, '--window-open': options.windowOpen, '--within-days': options.withinDays };
          out.note(`more: ${nextCommand(cmd, ['contacts', 'search', channel, accountId], { ...flags, '--limit': options.limit, '--cursor': answer.cursor })}`);
        }
      });
    });
  examples(search, ['npx afterchat contacts search messenger 1234567890123456 --tag vip --attr city:Leipzig', 'npx afterchat contacts search whatsapp 109876543210987 --window-open true --json']);

  const exportSegment = filterOptions(
    contacts.command('export-segment').description('every contact matching the filters as CSV on stdout: follows all pages (a progress count on a terminal)'),
  ).action(async (channel: Channel, accountId: string, options: FilterOptions, cmd: Command) => {
    const { client } = sessionOf(ctx, cmd);
    const bar = ctx.progress ? new SingleBar({ stream: ctx.progress, format: '{value} contacts exported, {pages} pages', hideCursor: true, clearOnComplete: true }) : undefined;
    bar?.start(0, 0, { pages: 0 });
    let rows = 0;
    let pages = 0;
    try {
      let cursor: string | undefined;
      do {
        const page = await client.exportContactsCsv({ channel, accountId }, { ...queryOf(options), limit: '100', cursor });
        ctx.stdout.write(page.csv);
        // Every line but the first page's header is a contact.
        rows += page.csv.split('\r\n').length - 1 - (pages === 0 ? 1 : 0);
        pages += 1;
        bar?.setTotal(rows);
        bar?.update(rows, { pages });
        cursor = page.cursor;
      } while (cursor !== undefined);
    } finally {
      bar?.stop();
    }
    ctx.stderr.write(`exported ${rows} contacts (${pages} pages)\n`);
  });
  examples(exportSegment, ['npx afterchat contacts export-segment messenger 1234567890123456 --topic WEEKLY_DEALS --window-open false > segment.csv']);
};
