import type { Command } from 'commander';
import { signBody } from '../../lambdas/webhook/signature';
import type { CliContext } from '../context';
import { CliError, EXIT } from '../errors';
import { DEFAULT_APP_SECRET } from '../local/local-defaults';
import { examples, readJson, readText, sessionOf } from '../session';

/** Moves every `timestamp`/`time` field to now, keeping seconds vs milliseconds, so a sample opens a window that is still open. */
const shiftTimes = (value: unknown, nowMs: number): unknown => {
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, nowMs));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if ((key === 'timestamp' || key === 'time') && (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))) {
        const seconds = Number(v) < 1e11;
        const shifted = seconds ? Math.floor(nowMs / 1000) : nowMs;
        return [key, typeof v === 'string' ? String(shifted) : shifted];
      }
      return [key, shiftTimes(v, nowMs)];
    }),
  );
};

export const registerSendEvent = (program: Command, ctx: CliContext): void => {
  const command = program
    .command('send-event')
    .description('sign webhook bodies as Meta does (HMAC-SHA256 with META_APP_SECRET) and post them to /webhooks/meta')
    .argument('<files...>', 'webhook bodies, e.g. from events/meta/')
    .option('--now', 'move every timestamp/time field to now (seconds or milliseconds as they were)')
    .action(async (files: string[], options: { now?: boolean }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const secret = ctx.env.META_APP_SECRET ?? DEFAULT_APP_SECRET;
      const results: { file: string; status: number; answer: unknown }[] = [];
      for (const file of files) {
        const body = options.now === true ? JSON.stringify(shiftTimes(readJson(ctx, file), ctx.now())) : readText(ctx, file);
        const answer = await client.postWebhook(body, signBody(body, secret));
        results.push({ file, status: answer.status, answer: answer.body });
      }
      out.result(results, () => out.table(results, [
        { header: 'file', value: (r) => r.file },
        { header: 'status', value: (r) => r.status },
        { header: 'answer', value: (r) => r.answer },
      ]));
      const refused = results.filter((r) => r.status >= 400);
      if (refused.length > 0) {
        throw new CliError(`${refused.length} of ${results.length} refused`, EXIT.refused, refused.some((r) => r.status === 401) ? ['401: is META_APP_SECRET the secret the stack checks with?'] : []);
      }
    });
  examples(command, [
    'npx afterchat send-event events/meta/messenger/message-text.json --now',
    'npx afterchat send-event events/meta/whatsapp/status-delivered.json events/meta/whatsapp/status-read.json',
    'META_APP_SECRET=… npx afterchat send-event my-body.json --url https://abc123.execute-api.eu-west-1.amazonaws.com',
  ]);
};
