import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ImportQueue } from '../../ports/import-queue';
import type { ImportSlice } from '../../schemas/import-slice';

/** The import queue: the admin API sends an import's first slice, the worker each next one. */
export class SqsImportQueue implements ImportQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(slice: ImportSlice): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(slice) }));
  }
}
