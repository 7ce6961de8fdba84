import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DispatchQueue } from '../../ports/dispatch-queue';
import type { DispatchContinuation } from '../../schemas/dispatcher-input';

/** SQS's longest delivery delay. */
const MAX_DELAY_SECONDS = 900;

export class SqsDispatchQueue implements DispatchQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async continueLater(message: DispatchContinuation, options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(options.delaySeconds ?? 0)));
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: delay }));
  }
}
