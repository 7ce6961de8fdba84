/**
 * The sender for a campaign stack, which runs none: every job on the send queue, duplicates included,
 * goes through the real sender (createSender on the stack's table, its outbox claim included) to a
 * Graph API that counts the messages each person receives. Deliveries of the same job run concurrently,
 * as Lambda would run them; the Graph API accepts everything and the pacer never waits, so what is
 * counted is what the claim lets through.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteMessageCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import type { GraphRequest } from '../../lambdas/ports/graph-api';
import { createSender, type JobOutcome } from '../../lambdas/send/sender';
import type { CampaignStack } from './campaign-stack';

export interface SentJobs {
  /** Messages taken off the send queue (a job queued twice counts twice). */
  deliveries: number;
  /** Jobs the sender handed back to the queue (a duplicate that found the job claimed), delivered again. */
  redeliveries: number;
  /** The distinct jobs among them. */
  jobs: Set<string>;
  outcomes: Partial<Record<JobOutcome, number>>;
  /** Messages Meta accepted, per recipient (WhatsApp `to`, Messenger `recipient.id`). */
  perRecipient: Map<string, number>;
}

const recipientOf = (request: GraphRequest): string => {
  const { to, recipient } = request.body as { to?: string; recipient?: { id?: string } };
  return String(to ?? recipient?.id);
};

export const sendQueuedJobs = async (stack: CampaignStack, timeoutMs = 30_000): Promise<SentJobs> => {
  const client = documentClient({ endpoint: process.env.DDB_ENDPOINT });
  const perRecipient = new Map<string, number>();
  const requeued: string[] = [];
  const processJob = createSender({
    outbox: new DynamoDbOutbox(client, stack.tableName),
    store: new DynamoDbStateStore(client, { tableName: stack.tableName }),
    accounts: new DynamoDbAccountRegistry(client, stack.tableName, () => stack.now.value),
    graph: {
      send: (request) => {
        const to = recipientOf(request);
        perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
        return Promise.resolve({ ok: true, messageId: `wamid.counted-${to}-${perRecipient.get(to)}` });
      },
    },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    // A job handed on (held by a concurrent claim, deferred) is delivered again after this round.
    queue: {
      enqueue: (ids) => {
        requeued.push(...ids);
        return Promise.resolve();
      },
    },
    clock: () => stack.now.value,
    logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'SILENT' }),
  });

  const { client: sqs, queueUrl } = stack.queues;
  const result: SentJobs = { deliveries: 0, redeliveries: 0, jobs: new Set(), outcomes: {}, perRecipient };
  // Twenty deliveries at a time (dynalite is slow with more); a duplicate runs next to its original.
  const run = async (ids: readonly string[]) => {
    for (const id of ids) result.jobs.add(id);
    const order = [...ids].sort();
    for (let i = 0; i < order.length; i += 20) {
      for (const outcome of await Promise.all(order.slice(i, i + 20).map((id) => processJob(id)))) result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
    }
  };
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
      );
      const waiting = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
      if (waiting === 0) break;
      if (Date.now() > deadline) throw new Error(`send queue not empty after ${timeoutMs} ms: ${JSON.stringify(Attributes)}`);
      const messages: Message[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
        if (Messages.length === 0) break;
        messages.push(...Messages);
      }
      if (messages.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      result.deliveries += messages.length;
      await run(messages.map((m) => (JSON.parse(m.Body ?? '{}') as { outboxId: string }).outboxId));
      // Done with, as the event source mapping deletes a batch its function returned from.
      for (const { ReceiptHandle } of messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle }));
    }
    // Redeliveries of jobs the sender handed on; bounded, since a sent job answers `already_done`.
    for (let round = 0; requeued.length > 0 && round < 5; round += 1) {
      result.redeliveries += requeued.length;
      await run(requeued.splice(0));
    }
    return result;
  } finally {
    client.destroy();
  }
};
