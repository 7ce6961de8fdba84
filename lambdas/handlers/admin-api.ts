import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { createAdminHandler } from '../admin/admin-api';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { SqsSendQueue } from '../adapters/sqs/send-queue';
import { createSendRequests } from '../send/send-requests';
import { systemClock } from '../domain/clock';
import { AdminEnv } from '../shared/env';
import { logger, tracer } from '../shared/powertools';

const env = AdminEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));

const store = new DynamoDbStateStore(client, { tableName: env.TABLE_NAME });
const accounts = new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock);

export const handler = middy(
  createAdminHandler({
    store,
    accounts,
    clock: systemClock,
    logger,
    sends: createSendRequests({
      outbox: new DynamoDbOutbox(client, env.TABLE_NAME),
      queue: new SqsSendQueue(tracer.captureAWSv3Client(new SQSClient({})), env.SEND_QUEUE_URL),
      store,
      accounts,
      clock: systemClock,
    }),
  }),
)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
