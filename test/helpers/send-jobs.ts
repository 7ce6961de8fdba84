/**
 * Runs queued send jobs through the real sender (createSender, its outbox claim included) to a Graph
 * API that counts the messages each person receives: for dispatcher tests that run no sender and must
 * still say who would get what. Deliveries of one job run concurrently, as Lambda would run duplicate
 * SQS messages; the Graph API accepts everything and the pacer never waits, so what is counted is
 * what the claim lets through.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../../lambdas/domain/clock';
import type { AccountRegistry } from '../../lambdas/ports/account-registry';
import type { GraphRequest } from '../../lambdas/ports/graph-api';
import type { Outbox } from '../../lambdas/ports/outbox';
import type { StateStore } from '../../lambdas/ports/state-store';
import { createSender, type JobOutcome } from '../../lambdas/send/sender';

export interface SentJobs {
  outcomes: Partial<Record<JobOutcome, number>>;
  /** Messages Meta accepted, per recipient (WhatsApp `to`, Messenger `recipient.id`). */
  perRecipient: Map<string, number>;
}

export const recipientOf = (request: GraphRequest): string => {
  const { to, recipient } = request.body as { to?: string; recipient?: { id?: string } };
  return String(to ?? recipient?.id);
};

/**
 * `deliveries` are outbox ids as SQS would deliver them, duplicates included. With `batch`, that many
 * run at a time (dynalite is slow with hundreds at once), in id order so a duplicate runs next to its
 * original.
 */
export const sendJobs = async (
  deps: { outbox: Outbox; store: StateStore; accounts: AccountRegistry; clock: Clock },
  deliveries: readonly string[],
  options: { batch?: number } = {},
): Promise<SentJobs> => {
  const perRecipient = new Map<string, number>();
  const requeued: string[] = [];
  const processJob = createSender({
    ...deps,
    graph: {
      send: (request) => {
        const to = recipientOf(request);
        perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
        return Promise.resolve({ ok: true, messageId: `wamid.counted-${to}-${perRecipient.get(to)}` });
      },
    },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    // A job handed back (a duplicate that found it claimed) is delivered again after this round.
    queue: {
      enqueue: (ids) => {
        requeued.push(...ids);
        return Promise.resolve();
      },
    },
    logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'SILENT' }),
  });
  const outcomes: SentJobs['outcomes'] = {};
  const run = async (ids: readonly string[]) => {
    const order = [...ids].sort();
    const batch = options.batch ?? order.length;
    for (let i = 0; i < order.length; i += batch) {
      for (const outcome of await Promise.all(order.slice(i, i + batch).map((id) => processJob(id)))) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  };
  await run(deliveries);
  for (let round = 0; requeued.length > 0 && round < 5; round += 1) await run(requeued.splice(0));
  return { outcomes, perRecipient };
};
