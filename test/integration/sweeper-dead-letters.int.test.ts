/**
 * Interface under test: the local stack's sweeper with the SQS dead-letter adapter on the local SQS:
 * a job whose message reached the send DLQ stays `claimed` in its record (as in AWS) until the
 * sweeper ends it and deletes the message.
 */
import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import type { Decision } from '../../lambdas/domain/send/policy-types';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack';
import { PHONE } from '../helpers/sample-ids';

const T0 = Date.UTC(2026, 4, 17, 12);
const ALLOW: Decision = { outcome: 'allow', route: 'whatsapp.template', pricing: 'utility', rule: 'whatsapp.template.any_time' };
const intent: SendIntent = { channel: 'whatsapp', accountId: PHONE, userId: '4915100000077', kind: 'utility', author: 'bot', content: { type: 'template', name: 'order_update', language: 'de' } };

describe('sweeper: dead-lettered jobs on the local stack', () => {
  let stack: LocalStack;
  const doc = documentClient({ endpoint: process.env.DDB_ENDPOINT, region: 'local' });
  let outbox: DynamoDbOutbox;

  beforeAll(async () => {
    stack = await startLocalStack({
      appSecret: 'secret',
      verifyToken: 'verify',
      dynamoEndpoint: process.env.DDB_ENDPOINT,
      tableName: `sweep-${randomUUID()}`,
      clock: () => T0,
      logger: new Logger({ serviceName: 'afterchat-test' }),
      schedulerTickMs: false,
      sweeper: { intervalMs: 3_600_000 },
    });
    outbox = new DynamoDbOutbox(doc, stack.tableName);
    // The sweep the stack runs at start is over before the test dead-letters anything (sweeps run one at a time).
    await (stack.sweep as NonNullable<LocalStack['sweep']>)();
  });
  afterAll(async () => {
    await stack?.close();
    doc.destroy();
  });

  const deadLetter = (body: string) => stack.queues.client.send(new SendMessageCommand({ QueueUrl: stack.queues.dlqUrl, MessageBody: body }));
  /** Messages still stored in the DLQ: local-aws-sqs counts received (hidden) ones in ApproximateNumberOfMessages too. */
  const dlqDepth = async (): Promise<number> => {
    const { Attributes = {} } = await stack.queues.client.send(new GetQueueAttributesCommand({ QueueUrl: stack.queues.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Number(Attributes.ApproximateNumberOfMessages ?? 0);
  };

  it('ends a claimed job failed and one mid-send unknown, deletes their messages, and leaves a malformed one', async () => {
    const claimed = (await outbox.create({ idempotencyKey: `dlq-${randomUUID()}`, intent, now: T0 })).record.outboxId;
    await outbox.claim(claimed, T0, 120_000);
    const sending = (await outbox.create({ idempotencyKey: `dlq-${randomUUID()}`, intent, now: T0 })).record.outboxId;
    const claim = await outbox.claim(sending, T0, 120_000);
    if (!claim.claimed) throw new Error('expected a claim');
    await outbox.markSending(sending, claim.claimToken, T0, ALLOW, 1);
    await deadLetter(JSON.stringify({ outboxId: claimed }));
    await deadLetter(JSON.stringify({ outboxId: sending }));
    await deadLetter('not a job');

    const report = await (stack.sweep as NonNullable<LocalStack['sweep']>)();

    expect(report.deadLettered).toBe(2);
    expect(await outbox.get(claimed)).toMatchObject({ status: 'failed', reason: 'dead_lettered' });
    expect(await outbox.get(sending)).toMatchObject({ status: 'unknown', reason: 'dead_lettered_during_send' });
    expect(await dlqDepth()).toBe(1);
  });
});
