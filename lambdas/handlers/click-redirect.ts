import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DynamoDbClickLog } from '../adapters/dynamodb/click-log';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbFunnelMilestones } from '../adapters/dynamodb/funnel-milestones';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { SecretsManagerTrackingKeys } from '../adapters/secrets/secrets-manager-tracking-keys';
import { createRedirectHandler } from '../clicks/redirect-handler';
import { EventBridgeBusinessBus } from '../adapters/eventbridge/business-bus';
import { lazySdkPutEvents } from '../adapters/eventbridge/lazy-sdk-put-events';
import { announcingMilestones } from '../measurement/announce-milestones';
import { meteredMilestones } from '../measurement/milestone-metrics';
import { systemClock } from '../domain/clock';
import { RedirectEnv, retentionSettings } from '../shared/env';
import { logger, metrics } from '../shared/observability';

const env = RedirectEnv.parse(process.env);
const client = documentClient({ endpoint: env.DDB_ENDPOINT });
const outbox = new DynamoDbOutbox(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox });
const funnel = meteredMilestones(new DynamoDbFunnelMilestones(client, env.TABLE_NAME, outbox), metrics);

export const handler = middy(
  createRedirectHandler({
    keys: new SecretsManagerTrackingKeys(env.TRACKING_KEY_SECRET_ID),
    outbox,
    // message.clicked where the stage turns afterchat's events on (lib/config.ts `eventsOut`).
    funnel:
      env.EVENTS_OUT_BUS_NAME === undefined
        ? funnel
        : announcingMilestones(funnel, { bus: new EventBridgeBusinessBus({ putEvents: lazySdkPutEvents(), busName: env.EVENTS_OUT_BUS_NAME }), outbox }),
    clicks: new DynamoDbClickLog(client, env.TABLE_NAME, retentionSettings(env).outbox),
    clock: systemClock,
    previewWindowMs: env.PREVIEW_WINDOW_SECONDS * 1000,
    logger,
  }),
)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
