/**
 * The sender for a campaign stack, which runs none: every message on the send queue, duplicates
 * included, is taken off (and deleted, as the event source mapping does) and its job goes through the
 * real sender on the stack's table (test/helpers/send-jobs.ts), which counts what each person gets.
 */
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import type { CampaignStack } from './campaign-stack';
import { type SentJobs, sendJobs } from './send-jobs';

export interface SentQueuedJobs extends SentJobs {
  /** Messages taken off the send queue (a job queued twice counts twice). */
  deliveries: number;
  /** The distinct jobs among them. */
  jobs: Set<string>;
}

/** Every message waiting on the queue, delayed ones once they are due (within `timeoutMs`). */
const takeAll = async (stack: CampaignStack, timeoutMs: number): Promise<string[]> => {
  const { client: sqs, queueUrl } = stack.queues;
  const ids: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
    );
    if (Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0) === 0) return ids;
    if (Date.now() > deadline) throw new Error(`send queue not empty after ${timeoutMs} ms: ${JSON.stringify(Attributes)}`);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
    if (Messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    for (const message of Messages) {
      ids.push((JSON.parse(message.Body ?? '{}') as { outboxId: string }).outboxId);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
};

export const sendQueuedJobs = async (stack: CampaignStack, timeoutMs = 30_000): Promise<SentQueuedJobs> => {
  const deliveries = await takeAll(stack, timeoutMs);
  const client = documentClient({ endpoint: process.env.DDB_ENDPOINT });
  try {
    const sent = await sendJobs(
      {
        outbox: new DynamoDbOutbox(client, stack.tableName),
        store: new DynamoDbStateStore(client, { tableName: stack.tableName }),
        accounts: new DynamoDbAccountRegistry(client, stack.tableName, () => stack.now.value),
        clock: () => stack.now.value,
      },
      deliveries,
      { batch: 20 },
    );
    return { ...sent, deliveries: deliveries.length, jobs: new Set(deliveries) };
  } finally {
    client.destroy();
  }
};
