import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbContactProfiles } from '../adapters/dynamodb/contact-profiles';
import { DynamoDbErasureStore } from '../adapters/dynamodb/erasure-store';
import { DynamoDbImportJobs } from '../adapters/dynamodb/import-jobs';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { SqsImportQueue } from '../adapters/sqs/import-queue';
import { systemClock } from '../domain/clock';
import { runImportSlice } from '../import/run-import-slice';
import { createSqsImportHandler } from '../import/sqs-import-handler';
import { ImportWorkerEnv, policySettings, retentionSettings } from '../shared/env';
import { logger, tracer } from '../shared/powertools';

const env = ImportWorkerEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));

const deps = {
  jobs: new DynamoDbImportJobs(client, env.TABLE_NAME),
  store: new DynamoDbStateStore(client, { tableName: env.TABLE_NAME, retention: retentionSettings(env), clock: systemClock }),
  profiles: new DynamoDbContactProfiles(client, env.TABLE_NAME),
  erasure: new DynamoDbErasureStore(client, env.TABLE_NAME),
  accounts: new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock),
  queue: new SqsImportQueue(tracer.captureAWSv3Client(new SQSClient({})), env.IMPORT_QUEUE_URL),
  clock: systemClock,
  logger,
  policy: policySettings(env),
};

export const handler = middy(createSqsImportHandler(async (slice) => void (await runImportSlice(deps, slice)), logger))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
