import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface PollerOptions {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** Records per invocation, as the event source mapping's batchSize (10 in lib/). */
  batchSize?: number;
  /** Parallel pollers, like concurrent Lambda instances. */
  concurrency?: number;
  onError?: (error: unknown) => void;
}

/**
 * What Lambda's SQS event source mapping does, locally: long-poll, hand the handler a real SQSEvent,
 * delete the records it did not report as failed, and leave the failed ones to reappear after the
 * visibility timeout (and, after maxReceiveCount, to move to the DLQ).
 */
export const startSqsPoller = (options: PollerOptions): { stop(): Promise<void> } => {
  let running = true;
  const poll = async (): Promise<void> => {
    while (running) {
      try {
        const { Messages = [] } = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize ?? 10,
            WaitTimeSeconds: 1,
            AttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0 || !running) continue;
        const response = await options
          .handler({ Records: Messages.map((m) => toRecord(m, options.queueArn)) })
          .catch((error: unknown) => {
            options.onError?.(error);
            return { batchItemFailures: Messages.map((m) => ({ itemIdentifier: m.MessageId ?? '' })) };
          });
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        const done = Messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length > 0) {
          await options.client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
        }
      } catch (error) {
        if (!running) return;
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 1 }, poll);
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
};

const toRecord = (m: Message, queueArn: string): SQSRecord => ({
  messageId: m.MessageId ?? '',
  receiptHandle: m.ReceiptHandle ?? '',
  body: m.Body ?? '',
  attributes: {
    ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: m.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: m.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'local',
});
