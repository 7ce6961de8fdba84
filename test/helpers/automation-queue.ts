import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Until automation has taken every hand-off off its queue, as its event source mapping would: the
 * queue reads empty (visible and in flight) three polls in a row, so a hand-off between two polls
 * isn't missed.
 */
export const automationQueueDrained = async (queues: { client: SQSClient; automationQueueUrl: string }, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error('automation queue did not drain');
    const { Attributes = {} } = await queues.client.send(
      new GetQueueAttributesCommand({ QueueUrl: queues.automationQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    quiet = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
};
