import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbConversions } from '../adapters/dynamodb/conversions';
import { DynamoDbCustomerDirectory } from '../adapters/dynamodb/customer-directory';
import { DynamoDbFunnelMilestones } from '../adapters/dynamodb/funnel-milestones';
import { meteredMilestones } from '../measurement/milestone-metrics';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { createConversionHandler } from '../conversions/conversion-handler';
import { systemClock } from '../domain/clock';
import { DAY_MS } from '../domain/measurement/attribution';
import { ConversionsEnv, retentionSettings } from '../shared/env';
import { logger, metrics, tracer } from '../shared/powertools';

const env = ConversionsEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));
const funnel = new DynamoDbFunnelMilestones(client, env.TABLE_NAME, new DynamoDbOutbox(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox }));

export const handler = middy(
  createConversionHandler({
    directory: new DynamoDbCustomerDirectory(client, env.TABLE_NAME),
    touches: funnel,
    milestones: meteredMilestones(funnel, metrics),
    // A conversion names the person it is filed under: it lives as long as their sends.
    conversions: new DynamoDbConversions(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox }),
    windowMs: env.ATTRIBUTION_WINDOW_DAYS * DAY_MS,
    clock: systemClock,
    logger,
  }),
)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
