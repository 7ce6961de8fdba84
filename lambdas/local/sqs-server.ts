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
  /** The webhook's hand-off to automation (README "Automation"), with its own DLQ. */
  automationQueueUrl: string;
  automationQueueArn: string;
  automationDlqUrl: string;
  /** Import slices (README "Importing contacts"), with their own DLQ. */
  importQueueUrl: string;
  importQueueArn: string;
  importDlqUrl: string;
  close(): Promise<void>;
}

/**
 * An in-process SQS (local-aws-sqs) with the send queue and its DLQ, redriving after
 * `maxReceiveCount` receives like the deployed queue (lib/constructs/send-pipeline.ts), and the
 * campaign dispatcher's continuation queue, the automation queue with its DLQ (as
 * lib/constructs/automation.ts), and the import queue with its DLQ (lib/constructs/imports.ts).
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
  const automationDlq = await client.send(new CreateQueueCommand({ QueueName: 'afterchat-automation-dlq' }));
  const automationDlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: automationDlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const automation = await client.send(
    new CreateQueueCommand({
      QueueName: 'afterchat-automation',
      Attributes: {
        VisibilityTimeout: '30',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: automationDlqArn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
      },
    }),
  );
  const automationArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: automation.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const importDlq = await client.send(new CreateQueueCommand({ QueueName: 'afterchat-import-dlq' }));
  const importDlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: importDlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const imports = await client.send(
    new CreateQueueCommand({
      QueueName: 'afterchat-import',
      Attributes: {
        // Above a slice's 2-minute budget, as the deployed queue is (30 minutes): a slice still running
        // under load must not be delivered again beside itself. A crashed one is retried after 5 minutes.
        VisibilityTimeout: '300',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: importDlqArn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
      },
    }),
  );
  const importArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: imports.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  return {
    endpoint,
    client,
    queueUrl: queue.QueueUrl as string,
    queueArn: queueArn as string,
    dlqUrl: dlq.QueueUrl as string,
    dispatchQueueUrl: dispatch.QueueUrl as string,
    dispatchQueueArn: dispatchArn as string,
    automationQueueUrl: automation.QueueUrl as string,
    automationQueueArn: automationArn as string,
    automationDlqUrl: automationDlq.QueueUrl as string,
    importQueueUrl: imports.QueueUrl as string,
    importQueueArn: importArn as string,
    importDlqUrl: importDlq.QueueUrl as string,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
