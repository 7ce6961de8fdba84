import type { Clock } from '../domain/clock';
import type { LiveFunnel } from '../domain/campaign/funnel';
import { effectiveStatus, laterReport } from '../domain/send/outbox';
import type { Outbox, OutboxRecord } from '../ports/outbox';
import type { StateStore } from '../ports/state-store';
import { mapLimit } from '../shared/map-limit';

/** What became of an occurrence's jobs (lambdas/domain/campaign/funnel.ts); `complete` false when the time budget ran out first. */
export type Funnel = LiveFunnel;

const PAGE = 100;

/**
 * What became of an occurrence's jobs, from their outbox records and, for Messenger (whose delivery
 * and read webhooks name only the message), the message records.
 */
export const occurrenceFunnel = async (
  deps: { outbox: Outbox; store: StateStore; clock: Clock },
  group: string,
  options: { budgetMs: number },
): Promise<Funnel> => {
  const funnel: Funnel = { jobs: 0, pending: 0, sent: 0, delivered: 0, read: 0, failed: 0, skippedAtSend: {}, unknown: 0, complete: true };
  const deadline = deps.clock() + options.budgetMs;
  let cursor: string | undefined;
  do {
    // A big occurrence is read in part rather than not at all: the admin API must answer within 30 s.
    if (deps.clock() > deadline) {
      funnel.complete = false;
      break;
    }
    const page = await deps.outbox.listGroup(group, cursor, PAGE);
    const records = await deps.outbox.getMany(page.outboxIds);
    const statuses = await mapLimit(records, 16, (record) => statusOf(deps.store, record));
    for (const [i, status] of statuses.entries()) {
      funnel.jobs += 1;
      if (status === 'read') funnel.read += 1;
      if (status === 'read' || status === 'delivered') funnel.delivered += 1;
      if (status === 'read' || status === 'delivered' || status === 'sent') funnel.sent += 1;
      else if (status === 'failed') funnel.failed += 1;
      else if (status === 'unknown') funnel.unknown += 1;
      else if (status === 'skipped') {
        const reason = records[i]?.reason ?? 'unknown_reason';
        funnel.skippedAtSend[reason] = (funnel.skippedAtSend[reason] ?? 0) + 1;
      } else funnel.pending += 1;
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return funnel;
};

/** A send's status with Meta's reports applied; a Messenger message's from its message record. */
export const statusOf = async (store: Pick<StateStore, 'getMessage'>, record: OutboxRecord) => {
  const messageId = record.messageId ?? record.delivery?.messageId;
  if (messageId === undefined || record.intent.channel === 'whatsapp') return effectiveStatus(record.status, record.delivery);
  const message = await store.getMessage(messageId);
  const fromMessage = typeof message?.status === 'string' ? { status: message.status, at: typeof message.statusAt === 'number' ? message.statusAt : record.updatedAt } : undefined;
  return effectiveStatus(record.status, laterReport(record.delivery, fromMessage));
};
