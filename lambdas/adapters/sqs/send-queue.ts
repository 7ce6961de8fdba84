import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SendQueue } from '../../ports/send-queue';

const BATCH = 10;
/** SQS's longest delivery delay. */
const MAX_DELAY_SECONDS = 900;

export class SqsSendQueue implements SendQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(outboxIds: readonly string[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(options.delaySeconds ?? 0)));
    for (let i = 0; i < outboxIds.length; i += BATCH) {
      const chunk = outboxIds.slice(i, i + BATCH);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((outboxId, n) => ({ Id: String(n), MessageBody: JSON.stringify({ outboxId }), DelaySeconds: delay })),
        }),
      );
      // Never lose a job silently: a partial failure fails the call, and the caller retries.
      if (result.Failed && result.Failed.length > 0) {
        throw new Error(`SQS refused ${result.Failed.length} of ${chunk.length} jobs (${result.Failed.map((f) => f.Code).join(', ')})`);
      }
    }
  }
}
