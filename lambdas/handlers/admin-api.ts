import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { createAdminHandler } from '../admin/admin-api';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { systemClock } from '../domain/clock';
import { AdminEnv } from '../shared/env';
import { logger, tracer } from '../shared/powertools';

const env = AdminEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));

export const handler = middy(
  createAdminHandler({
    store: new DynamoDbStateStore(client, { tableName: env.TABLE_NAME }),
    accounts: new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock),
    clock: systemClock,
    logger,
  }),
)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
