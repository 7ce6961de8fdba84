import type { Command } from 'commander';
import { businessEventSendKey } from '../../lambdas/domain/campaign/business-event-key';
import { outboxIdFor } from '../../lambdas/domain/send/outbox-id';
import { entryFromEvent, type PutEventsEntry } from '../../lambdas/local/local-event-bus';
import type { SendRecord } from './sends';
import type { CliContext } from '../context';
import { CliError, EXIT, UsageError, unlessNotFound } from '../errors';
import { follow } from '../output/follow';
import { examples, readJson, type Session, sessionOf } from '../session';
import { timeoutOption } from './args';
import { SEND_COLUMNS } from './sends';

/** PutEvents takes at most 10 entries a call. */
const BATCH = 10;

/** The sender is done with a job: it went out, failed, was refused at send time, or may have gone (unknown). */
const FINISHED = new Set(['sent', 'failed', 'skipped', 'unknown']);

interface PutResult {
  file: string;
  detailType: string;
  eventId: string | null;
  error: string | null;
  outboxId: string | null;
}

const entryOf = (ctx: CliContext, file: string): PutEventsEntry => {
  try {
    return entryFromEvent(readJson(ctx, file));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
};

/** The outbox record the dispatcher made of an accepted event: keyed by the event's own key, else its EventId. */
const outboxIdOf = (entry: PutEventsEntry, eventId: string): string => {
  const detail = JSON.parse(entry.Detail) as { idempotencyKey?: unknown };
  const idempotencyKey = typeof detail.idempotencyKey === 'string' ? detail.idempotencyKey : undefined;
  return outboxIdFor(businessEventSendKey({ source: entry.Source, 'detail-type': entry.DetailType, id: eventId, detail: { idempotencyKey } }));
};

const readSends = async ({ client }: Session, outboxIds: readonly string[]): Promise<(SendRecord | undefined)[]> =>
  Promise.all(outboxIds.map((id) => unlessNotFound(client.getSend(id))));

const putEvent = async (session: Session, files: string[], options: { follow?: boolean; timeout: number }): Promise<void> => {
  const { ctx, client, out } = session;
  const entries = files.map((file) => ({ file, entry: entryOf(ctx, file) }));
  const results: PutResult[] = [];
  for (let i = 0; i < entries.length; i += BATCH) {
    const batch = entries.slice(i, i + BATCH);
    const answer = await client.putEvents({ Entries: batch.map((b) => b.entry) });
    answer.Entries.forEach((result, j) => {
      const { file, entry } = batch[j] as (typeof batch)[number];
      const accepted = 'EventId' in result;
      results.push({
        file,
        detailType: entry.DetailType,
        eventId: accepted ? result.EventId : null,
        error: accepted ? null : `${result.ErrorCode}: ${result.ErrorMessage}`,
        outboxId: accepted ? outboxIdOf(entry, result.EventId) : null,
      });
    });
  }
  const outboxIds = results.flatMap((r) => (r.outboxId === null ? [] : [r.outboxId]));
  const read = () => readSends(session, outboxIds);
  const sends =
    options.follow === true && outboxIds.length > 0
      ? await follow(ctx, {
          poll: read,
          progress: (records) => {
            const done = records.filter((r) => r !== undefined && FINISHED.has(r.senderStatus)).length;
            return { done, total: records.length, label: records.map((r) => r?.status ?? 'not found').join(', ') };
          },
          finished: (records) => records.every((r) => r === undefined || FINISHED.has(r.senderStatus)),
          timeoutMs: options.timeout * 1000,
          what: `the sends of ${files.join(', ')}`,
        })
      : await read();
  const records = sends.filter((r): r is SendRecord => r !== undefined);
  out.result({ entries: results, sends: records }, () => {
    out.table(results, [
      { header: 'file', value: (r) => r.file },
      { header: 'event', value: (r) => r.detailType },
      { header: 'eventId', value: (r) => r.eventId ?? r.error },
      { header: 'outboxId', value: (r) => r.outboxId },
    ]);
    out.line('sends the events made:');
    out.table(records, SEND_COLUMNS, '(none)');
  });
  const failed = results.filter((r) => r.error !== null);
  if (failed.length > 0) throw new CliError(`${failed.length} of ${results.length} events refused by the bus`, EXIT.refused, failed.map((r) => `${r.file}: ${r.error}`));
};

export const registerPutEvent = (campaigns: Command, ctx: CliContext): void => {
  const command = campaigns
    .command('put-event')
    .description("local stack only: put business events (EventBridge events, as in events/eventbridge/) on the local bus, and show the sends they made")
    .argument('<files...>', 'event files, as in events/eventbridge/')
    .option('--follow', 'watch the sends until the sender is done with each (sent, failed, skipped or unknown)')
    .addOption(timeoutOption())
    .action((files: string[], options: { follow?: boolean; timeout: number }, cmd: Command) => putEvent(sessionOf(ctx, cmd), files, options));
  examples(command, ['npx afterchat campaigns put-event events/eventbridge/order-shipped.json --follow']);
};
