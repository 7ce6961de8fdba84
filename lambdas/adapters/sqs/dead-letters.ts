import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetters } from '../../ports/dead-letters';
import { SendJobSchema } from '../../schemas/send-job';

/** SQS's most messages per receive and per delete batch. */
const BATCH = 10;

/** The send queue's DLQ on SQS. */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    /** How long a received message stays hidden: long enough to end its job before it shows again. */
    private readonly visibilityTimeoutSeconds = 120,
  ) {}

  async receive(max: number): Promise<DeadLetter[]> {
    const found: DeadLetter[] = [];
    while (found.length < max) {
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: Math.min(BATCH, max - found.length), VisibilityTimeout: this.visibilityTimeoutSeconds, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) found.push({ ...outboxIdOf(message.Body), receipt: message.ReceiptHandle ?? '' });
    }
    return found;
  }

  async remove(receipts: readonly string[]): Promise<void> {
    for (let i = 0; i < receipts.length; i += BATCH) {
      const chunk = receipts.slice(i, i + BATCH);
      const result = await this.client.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: chunk.map((receipt, n) => ({ Id: String(n), ReceiptHandle: receipt })) }),
      );
      // A message not deleted shows again and is handled again: ending a job twice is a no-op.
      if (result.Failed && result.Failed.length > 0) throw new Error(`SQS did not delete ${result.Failed.length} of ${chunk.length} dead letters`);
    }
  }
}

const outboxIdOf = (body: string | undefined): { outboxId?: string } => {
  try {
    const parsed = SendJobSchema.safeParse(JSON.parse(body ?? ''));
    return parsed.success ? { outboxId: parsed.data.outboxId } : {};
  } catch {
    return {};
  }
};
