import type { Command } from 'commander';
import { outboxIdFor } from '../../lambdas/domain/send/outbox-id';
import type { Route } from '../../lambdas/admin/contract';
import type { Channel } from '../client/afterchat-client';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import type { Column, Output } from '../output/output';
import { collect, examples, pairs, sessionOf } from '../session';
import { channelOption } from './args';
import { instantArg } from './relative-time';

type SendBody = Route<'POST /admin/sends'>['body'];
export type SendRecord = Route<'GET /admin/sends/{outboxId}'>['response'];

interface IntentOptions {
  channel: Channel;
  account: string;
  user: string;
  kind?: string;
  author?: string;
  text?: string;
  template?: string;
  language?: string;
  param?: string[];
  topic?: string;
}

/** The send intent the options describe: free text, or a template with named body parameters. */
const intentOf = (o: IntentOptions) => {
  if ((o.text === undefined) === (o.template === undefined)) throw new UsageError('give the message as --text "…" or --template <name> (one of them)');
  const parameters = pairs(o.param ?? [], '--param').map(([name, value]) => ({ type: 'text' as const, name, value }));
  return {
    channel: o.channel,
    accountId: o.account,
    userId: o.user,
    // The API checks both against its lists and names them when refused.
    kind: (o.kind ?? (o.template !== undefined ? 'utility' : 'reply')) as SendBody['intent']['kind'],
    author: (o.author ?? 'bot') as SendBody['intent']['author'],
    content:
      o.template !== undefined
        ? { type: 'template' as const, name: o.template, language: o.language ?? 'en_US', ...(parameters.length > 0 ? { components: [{ type: 'body' as const, parameters }] } : {}) }
        : { type: 'text' as const, text: o.text as string },
    ...(o.topic === undefined ? {} : { topic: o.topic }),
  };
};

const withIntentOptions = (command: Command): Command =>
  command
    .addOption(channelOption())
    .requiredOption('--account <accountId>', 'the Page, Instagram account or WhatsApp phone_number_id that sends')
    .requiredOption('--user <userId>', 'PSID, IGSID, wa_id or BSUID')
    .option('--kind <kind>', 'reply, proactive_update, marketing, utility, opt_in_request or human_agent_reply (default: reply, utility for a template)')
    .option('--author <author>', 'bot or human', 'bot')
    .option('--text <text>', 'free-form text')
    .option('--template <name>', 'an approved template')
    .option('--language <code>', "the template's language", 'en_US')
    .option('--param <name=value>', 'a named body parameter of the template (repeatable)', collect)
    .option('--topic <topic>', 'Messenger marketing: the opt-in topic');

/** What the policy engine decided, as rows: outcome, then route and pricing, or reason and when it would be allowed. */
const printDecision = (out: Output, decision: Route<'POST /admin/sends/preview'>['response']['decision'], extra: Record<string, unknown> = {}) =>
  out.record({ ...extra, ...decision });

export const SEND_COLUMNS: Column<SendRecord>[] = [
  { header: 'outboxId', value: (r) => r.outboxId },
  { header: 'key', value: (r) => r.idempotencyKey },
  { header: 'status', value: (r) => r.status },
  { header: 'sender', value: (r) => r.senderStatus },
  { header: 'to', value: (r) => `${r.intent.channel} ${r.intent.userId}` },
  { header: 'kind', value: (r) => `${r.intent.kind} (${r.intent.content})` },
  { header: 'route', value: (r) => r.route },
  { header: 'reason', value: (r) => r.reason },
  { header: 'updatedAt', value: (r) => r.updatedAt },
];

export const registerSends = (program: Command, ctx: CliContext): void => {
  const sends = program.command('sends').description('one-off sends: preview what the policy engine decides, send, and look at a send');
  examples(sends, ['npx afterchat sends preview --channel whatsapp --account 109876543210987 --user 4915112345678 --text "Hi"', 'npx afterchat sends show --key reply-1']);

  const preview = withIntentOptions(sends.command('preview').description('what the policy engine decides for a send, now or at --at; nothing is sent'))
    .option('--at <when>', 'decide as at this instant (ISO-8601, or +30m, +2h, +1d; up to 30 days ahead) from what is known now', (v) => instantArg(v, ctx.now()))
    .action(async (options: IntentOptions & { at?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.previewSend({ ...intentOf(options), ...(options.at === undefined ? {} : { at: options.at }) });
      out.result(answer, () => printDecision(out, answer.decision, { decidedAt: answer.decidedAt }));
    });
  examples(preview, [
    'npx afterchat sends preview --channel whatsapp --account 109876543210987 --user 4915112345678 --text "Hi"',
    'npx afterchat sends preview --channel whatsapp --account 109876543210987 --user 4915112345678 --text "Hi" --at +2h',
  ]);

  const send = withIntentOptions(sends.command('send').description('send through the outbox: decided now and again by the sender; the same --key never sends twice'))
    .requiredOption('--key <idempotencyKey>', 'your key for this send: the same key never sends twice')
    .action(async (options: IntentOptions & { key: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.send({ intent: intentOf(options), idempotencyKey: options.key });
      out.result(answer, () => {
        out.line(answer.created ? `queued as ${answer.outboxId}` : `already sent with this key: ${answer.outboxId} (nothing sent again)`);
        printDecision(out, answer.preview, { outboxId: answer.outboxId, status: answer.status });
      });
    });
  examples(send, [
    'npx afterchat sends send --channel messenger --account 1234567890123456 --user 6543210987654321 --kind human_agent_reply --author human --text "Sorry for the wait" --key ticket-42',
    'npx afterchat sends send --channel whatsapp --account 109876543210987 --user 4915112345678 --template order_shipped --language de --param order_number=SK-1 --key order-SK-1-shipped',
  ]);

  const show = sends
    .command('show')
    .description('one send (its outbox record): status, route, Meta message id, attempts, delivery')
    .argument('[outboxId]', 'ob_… as `sends send` printed it')
    .option('--key <idempotencyKey>', 'find the send by the key it was sent with instead')
    .action(async (outboxId: string | undefined, options: { key?: string }, cmd: Command) => {
      if ((outboxId === undefined) === (options.key === undefined)) throw new UsageError('name the send by its outboxId or by --key <idempotencyKey> (one of them)');
      const { client, out } = sessionOf(ctx, cmd);
      const record = await client.getSend(outboxId ?? outboxIdFor(options.key as string));
      out.result(record, () => out.record(record));
    });
  examples(show, ['npx afterchat sends show --key ticket-42', 'npx afterchat sends show ob_Xq3v0m3ZyqZ8mF1hK2d9sA1b']);

  const message = sends
    .command('message')
    .description("a message Meta accepted, by Meta's id (wamid, mid): status, error, pricing")
    .argument('<messageId>', "Meta's id of the message: a wamid (WhatsApp) or a mid (Messenger, Instagram)")
    .action(async (messageId: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.getMessage(messageId);
      out.result(answer, () => out.record(answer));
    });
  examples(message, ['npx afterchat sends message wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjA3QkJBQzRBNzY1RDk2NEE1AA==']);
};
