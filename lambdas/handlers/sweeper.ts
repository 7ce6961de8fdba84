import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbOccurrenceStore } from '../adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbPendingWork } from '../adapters/dynamodb/pending-work';
import { SqsDeadLetters } from '../adapters/sqs/dead-letters';
import { SqsDispatchQueue } from '../adapters/sqs/dispatch-queue';
import { SqsSendQueue } from '../adapters/sqs/send-queue';
import { systemClock } from '../domain/clock';
import { logger, metrics, tracer } from '../shared/powertools';
import { SweeperEnv, sweepSettings } from '../shared/sweeper-env';
import { createSweeper } from '../sweeper/sweep';
import type { SweepReport } from '../sweeper/sweeper-deps';

const env = SweeperEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));

const sweep = createSweeper({
  pending: new DynamoDbPendingWork(client, env.TABLE_NAME),
  outbox: new DynamoDbOutbox(client, env.TABLE_NAME),
  occurrences: new DynamoDbOccurrenceStore(client, env.TABLE_NAME),
  queue: new SqsSendQueue(sqs, env.SEND_QUEUE_URL),
  continuations: new SqsDispatchQueue(sqs, env.DISPATCH_QUEUE_URL),
  deadLetters: new SqsDeadLetters(sqs, env.SEND_DLQ_URL),
  clock: systemClock,
  logger,
  metrics,
  settings: sweepSettings(env),
});

/** Fired by the EventBridge schedule; a failed step is logged and left to the next firing, so nothing is retried here. */
export const handler = middy((): Promise<SweepReport> => sweep())
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
