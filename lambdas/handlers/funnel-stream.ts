import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbFunnelMilestones } from '../adapters/dynamodb/funnel-milestones';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { outboxChangesOf } from '../adapters/dynamodb/outbox-stream';
import { createFunnelStreamHandler } from '../measurement/count-status-stream';
import { FunnelStreamEnv } from '../shared/env';
import { logger } from '../shared/observability';

const env = FunnelStreamEnv.parse(process.env);
const client = documentClient({ endpoint: env.DDB_ENDPOINT });

export const handler = middy(
  createFunnelStreamHandler({
    funnel: new DynamoDbFunnelMilestones(client, env.TABLE_NAME, new DynamoDbOutbox(client, env.TABLE_NAME)),
    changesOf: outboxChangesOf,
    logger,
  }),
).use(injectLambdaContext(logger, { clearState: true }));
