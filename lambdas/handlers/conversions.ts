import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbConversionRevenue } from '../adapters/dynamodb/conversion-revenue';
import { DynamoDbConversions } from '../adapters/dynamodb/conversions';
import { DynamoDbCustomerDirectory } from '../adapters/dynamodb/customer-directory';
import { DynamoDbFunnelMilestones } from '../adapters/dynamodb/funnel-milestones';
import { meteredMilestones } from '../measurement/milestone-metrics';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbTouches } from '../adapters/dynamodb/touches';
import { createConversionHandler } from '../conversions/conversion-handler';
import { systemClock } from '../domain/clock';
import { DAY_MS } from '../domain/measurement/attribution';
import { ConversionsEnv, retentionSettings } from '../shared/env';
import { logger, metrics, tracer } from '../shared/powertools';

const env = ConversionsEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));
const outbox = new DynamoDbOutbox(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox });

export const handler = middy(
  createConversionHandler({
    directory: new DynamoDbCustomerDirectory(client, env.TABLE_NAME),
    touches: new DynamoDbTouches(client, env.TABLE_NAME, outbox),
    milestones: meteredMilestones(new DynamoDbFunnelMilestones(client, env.TABLE_NAME, outbox), metrics),
    // A conversion names the person it is filed under: it lives as long as their sends.
    conversions: new DynamoDbConversions(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox }),
    revenue: new DynamoDbConversionRevenue(client, env.TABLE_NAME, outbox),
    windowMs: env.ATTRIBUTION_WINDOW_DAYS * DAY_MS,
    clock: systemClock,
    logger,
  }),
)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
