import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';

export interface LocalQueues {
  endpoint: string;
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  /** The campaign dispatcher's continuation queue. */
  dispatchQueueUrl: string;
  dispatchQueueArn: string;
  close(): Promise<void>;
}

/**
 * An in-process SQS (local-aws-sqs) with the send queue and its DLQ, redriving after
 * `maxReceiveCount` receives like the deployed queue (lib/constructs/send-pipeline.ts), and the
 * campaign dispatcher's continuation queue.
 */
export const startLocalQueues = async (options: { visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {}): Promise<LocalQueues> => {
  const server = await createSqsServer({ port: 0, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const dlq = await client.send(new CreateQueueCommand({ QueueName: 'afterchat-send-dlq' }));
  const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: 'afterchat-send',
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
      },
    }),
  );
  const queueArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const dispatch = await client.send(new CreateQueueCommand({ QueueName: 'afterchat-dispatch', Attributes: { VisibilityTimeout: '60' } }));
  const dispatchArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dispatch.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  return {
    endpoint,
    client,
    queueUrl: queue.QueueUrl as string,
    queueArn: queueArn as string,
    dlqUrl: dlq.QueueUrl as string,
    dispatchQueueUrl: dispatch.QueueUrl as string,
    dispatchQueueArn: dispatchArn as string,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
