import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Route } from '../../lambdas/admin/contract';
import type { Channel, ContactRef } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { examples, collect, nextCommand, pairs, positiveInt, readJson, sessionOf } from '../session';
import { channelArgument } from './args';
import { registerContactSearch } from './contact-search';
import { SEND_COLUMNS, type SendRecord } from './sends';

type ProfileInput = Route<'PUT /admin/contacts/{channel}/{accountId}/{userId}/profile'>['body'];
type ExportPage = Route<'GET /admin/contacts/{channel}/{accountId}/{userId}/export'>['response'];
type Export = Omit<ExportPage, 'cursor'>;
const EXPORT_KINDS = ['records', 'sends', 'messageStatuses', 'events', 'quarantined', 'importRows', 'clicks', 'conversions', 'customerKeys'] as const;

const contactArguments = (command: Command): Command =>
  command.addArgument(channelArgument()).argument('<accountId>', 'Page, Instagram account or WhatsApp phone_number_id').argument('<userId>', 'PSID, IGSID, wa_id or BSUID');

interface ProfileOptions {
  file?: string;
  tag?: string[];
  attr?: string[];
  timeZone?: string;
  country?: string;
}

export const registerContacts = (program: Command, ctx: CliContext): void => {
  const contacts = program.command('contacts').description("a person on one account: window, opt-ins, what Meta's errors taught, their sends, and their profile for campaigns");
  examples(contacts, ['npx afterchat contacts show whatsapp 109876543210987 4915112345678']);
  registerContactSearch(contacts, ctx);

  const show = contactArguments(
    contacts.command('show').description('what afterchat knows of the person: window, opt-ins, marketing opt-out, back-offs, identities, profile and consents'),
  )
    .action(async (channel: Channel, accountId: string, userId: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.getContact({ channel, accountId, userId });
      out.result(answer, () => {
        const { optIns, profile, consents, ...rest } = answer;
        out.record(rest);
        out.record(profile, 'profile:');
        if (consents.length > 0) {
          out.line('consents:');
          out.table(consents, [
            { header: 'topic', value: (c) => c.topic },
            { header: 'source', value: (c) => c.source },
            { header: 'capturedAt', value: (c) => c.capturedAt },
            { header: 'answer', value: (c) => c.answer },
            { header: 'textShown', value: (c) => c.textShown },
          ]);
        }
        if (optIns.length > 0) {
          out.line('opt-ins:');
          out.table(optIns, [
            { header: 'topic', value: (o) => o.topic ?? o.title },
            { header: 'status', value: (o) => o.status },
            { header: 'frequency', value: (o) => o.frequency },
            { header: 'tokenExpiresAt', value: (o) => o.tokenExpiresAt },
            { header: 'statusChangedAt', value: (o) => o.statusChangedAt },
          ]);
        }
      });
    });
  examples(show, ['npx afterchat contacts show messenger 1234567890123456 6543210987654321']);

  const exported = contactArguments(
    contacts.command('export').description('everything afterchat holds about the person, as stored (the GDPR access request; admin level): every page, as one JSON document'),
  )
    .option('--out <file.json>', 'write the export there (created or replaced) and print what it holds; absent: the JSON on stdout')
    .action(async (channel: Channel, accountId: string, userId: string, options: { out?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const ref: ContactRef = { channel, accountId, userId };
      const { cursor: firstCursor, ...first } = await client.exportContact(ref);
      const whole: Export = first;
      for (let cursor = firstCursor; cursor !== undefined; ) {
        const { cursor: next, ...page } = await client.exportContact(ref, { cursor });
        for (const kind of EXPORT_KINDS) whole[kind].push(...page[kind]);
        cursor = next;
      }
      const text = `${JSON.stringify(whole, null, 2)}\n`;
      if (options.out === undefined) {
        ctx.stdout.write(text);
        return;
      }
      writeFileSync(resolve(ctx.cwd, options.out), text, 'utf8');
      const counts = Object.fromEntries(EXPORT_KINDS.map((kind) => [kind, whole[kind].length]));
      out.result({ file: options.out, userIds: whole.userIds, ...counts }, () => {
        out.record({ userIds: whole.userIds, ...counts }, `wrote ${options.out}:`);
      });
    });
  examples(exported, ['npx afterchat contacts export whatsapp 109876543210987 4915112345678 --out lena.json']);

  const erase = contactArguments(
    contacts
      .command('erase')
      .description('erase the person (admin level, cannot be undone): every item holding their data under every id they are held under; a tombstone of hashes stays'),
  )
    .option('--yes', 'erase without asking: the command refuses without it')
    .action(async (channel: Channel, accountId: string, userId: string, options: { yes?: boolean }, cmd: Command) => {
      if (options.yes !== true) throw new UsageError(`erasing ${channel} ${accountId} ${userId} cannot be undone: run it again with --yes`);
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.eraseContact({ channel, accountId, userId });
      out.result(answer, () => {
        out.line(answer.total === 0 ? `nothing left to erase of ${channel} ${accountId} ${userId} (tombstones kept)` : `erased ${channel} ${accountId} ${userId}: ${answer.total} items under ${answer.ids} id(s)`);
        out.record(answer.removed, 'removed:');
      });
    });
  examples(erase, ['npx afterchat contacts erase whatsapp 109876543210987 4915112345678 --yes']);

  const sends = contactArguments(contacts.command('sends').description('the sends to the person, newest first'))
    .option('--limit <n>', 'sends per page (1–100)', positiveInt, 20)
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .action(async (channel: Channel, accountId: string, userId: string, options: { limit: number; cursor?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const ref: ContactRef = { channel, accountId, userId };
      const answer = await client.listContactSends(ref, { limit: String(options.limit), cursor: options.cursor });
      out.result(answer, () => {
        out.table<SendRecord>(answer.sends, SEND_COLUMNS, 'no sends to this person');
        if (answer.cursor !== undefined) out.note(`more: ${nextCommand(cmd, ['contacts', 'sends', channel, accountId, userId], { '--limit': options.limit, '--cursor': answer.cursor })}`);
      });
    });
  examples(sends, ['npx afterchat contacts sends messenger 1234567890123456 6543210987654321 --limit 5']);

  const handoff = contactArguments(contacts.command('handoff').description('hand the conversation to a human now: automation stays quiet for the person until the timeout or `contacts resume`'))
    .option('--note <text>', 'why, for whoever takes it (on the handoff.requested event)')
    .action(async (channel: Channel, accountId: string, userId: string, options: { note?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.startHandoff({ channel, accountId, userId }, options.note === undefined ? {} : { note: options.note });
      out.result(answer, () => out.record(answer.handoff));
    });
  examples(handoff, ['npx afterchat contacts handoff messenger 1234567890123456 6543210987654321 --note "asked about a refund"']);

  const resume = contactArguments(contacts.command('resume').description('return the conversation to automation now (ends a handoff)')).action(
    async (channel: Channel, accountId: string, userId: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.endHandoff({ channel, accountId, userId });
      // threadControl: whether the Messenger thread came back from the inbox app (`failed`: Meta refused it).
      out.result(answer, () => out.record({ ...answer.handoff, threadControl: answer.threadControl }));
    },
  );
  examples(resume, ['npx afterchat contacts resume messenger 1234567890123456 6543210987654321']);

  const profile = contactArguments(contacts.command('profile').description("set the person's tags, attributes, time zone and country, as campaigns read them (replaces the profile)"))
    .option('--file <profile.json>', 'the profile body, as events/admin/contact-profile.json; options below add to it')
    .option('--tag <tag>', 'a tag (repeatable)', collect)
    .option('--attr <name=value>', 'an attribute (repeatable)', collect)
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .option('--country <code>', 'ISO 3166-1 alpha-2, e.g. DE')
    .action(async (channel: Channel, accountId: string, userId: string, options: ProfileOptions, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const base = options.file === undefined ? {} : (readJson(ctx, options.file) as ProfileInput);
      const body: ProfileInput = {
        ...base,
        tags: [...(base.tags ?? []), ...(options.tag ?? [])],
        attributes: { ...(base.attributes as Record<string, string> | undefined), ...Object.fromEntries(pairs(options.attr ?? [], '--attr')) },
        ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
        ...(options.country === undefined ? {} : { country: options.country }),
      };
      const answer = await client.putContactProfile({ channel, accountId, userId }, body);
      out.result(answer, () => out.record(answer));
    });
  examples(profile, [
    'npx afterchat contacts profile whatsapp 109876543210987 4915112345678 --file events/admin/contact-profile.json',
    'npx afterchat contacts profile whatsapp 109876543210987 4915112345678 --tag newsletter --attr firstName=Lena --attr country=DE --time-zone Europe/Berlin',
  ]);
};
