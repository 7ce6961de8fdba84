import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { DynamoDbClickLog } from '../adapters/dynamodb/click-log';
import { DynamoDbMeasurementCounters } from '../adapters/dynamodb/measurement-counters';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbFunnelMilestones } from '../adapters/dynamodb/funnel-milestones';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbQuarantine } from '../adapters/dynamodb/quarantine';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { StreamCountedStatuses } from '../adapters/dynamodb/stream-counted-statuses';
import { SqsAutomationQueue, sqsSendBody } from '../adapters/sqs/automation-queue';
import { SecretsManagerWebhookSecrets } from '../adapters/secrets/secrets-manager-webhook-secrets';
import { systemClock } from '../domain/clock';
import { WebhookEnv, retentionSettings } from '../shared/env';
import { logger, metrics } from '../shared/observability';
import { createWebhookHandler } from '../webhook/receive-webhook';
import { EventBridgeBusinessBus } from '../adapters/eventbridge/business-bus';
import { lazySdkPutEvents } from '../adapters/eventbridge/lazy-sdk-put-events';
import { type AnnounceDeps, announcingMilestones, announcingStatuses } from '../measurement/announce-milestones';
import { meteredMilestones, meteredStatuses } from '../measurement/milestone-metrics';
import type { FunnelMilestones } from '../ports/funnel-milestones';
import type { StatusFunnel } from '../ports/status-funnel';

const env = WebhookEnv.parse(process.env);
// Loaded on the first hand-off to automation, not at cold start (adapters/sqs/automation-queue.ts).
const connectSqs = async () => {
  const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
  return sqsSendBody(new SQSClient({}), SendMessageCommand);
};
const client = documentClient({ endpoint: env.DDB_ENDPOINT });
const outbox = new DynamoDbOutbox(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox });
const milestones = new DynamoDbFunnelMilestones(client, env.TABLE_NAME, outbox);
// afterchat's own events, where the stage turns them on (lib/config.ts `eventsOut`); the SDK loads on the first one.
const eventsOut = env.EVENTS_OUT_BUS_NAME === undefined ? undefined : new EventBridgeBusinessBus({ putEvents: lazySdkPutEvents(), busName: env.EVENTS_OUT_BUS_NAME });
const announced = <F>(funnel: F, announce: (funnel: F, deps: AnnounceDeps) => F): F =>
  eventsOut === undefined ? funnel : announce(funnel, { bus: eventsOut, outbox });
// Clicks and opt-outs count into the same milestones: one metered, announcing wrapper serves both.
const clickFunnel = meteredMilestones(announced<FunnelMilestones>(milestones, announcingMilestones), metrics);

export const handler = middy(
  createWebhookHandler({
    secrets: new SecretsManagerWebhookSecrets(env.APP_SECRET_ID, env.VERIFY_TOKEN_SECRET_ID),
    store: new DynamoDbStateStore(client, { tableName: env.TABLE_NAME, retention: retentionSettings(env), clock: systemClock }),
    quarantine: new DynamoDbQuarantine(client, env.TABLE_NAME, { retentionDays: env.QUARANTINE_RETENTION_DAYS }),
    accounts: new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock),
    outbox,
    clock: systemClock,
    logger,
    metrics,
    maxBodyBytes: env.MAX_BODY_BYTES,
    automation: env.AUTOMATION_QUEUE_URL === undefined ? undefined : new SqsAutomationQueue(env.AUTOMATION_QUEUE_URL, connectSqs),
    growth: new DynamoDbMeasurementCounters(client, env.TABLE_NAME, systemClock),
    // The state table's stream counts the statuses' milestones (lambdas/handlers/funnel-stream.ts): a status stays one write.
    funnel: meteredStatuses(announced<StatusFunnel>(new StreamCountedStatuses(), announcingStatuses), metrics),
    eventsOut,
    // Taps on afterchat's buttons and Marketing Message link clicks (README "Clicks").
    clicks: { outbox, funnel: clickFunnel, clicks: new DynamoDbClickLog(client, env.TABLE_NAME, retentionSettings(env).outbox) },
    engagement: { outbox, milestones: clickFunnel },
  }),
)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
// No Powertools Tracer here: loading the X-Ray SDK adds ~30 ms to every cold start of the function
// Meta waits on. Lambda's active tracing (lib/constructs/node-function.ts) still traces invocations.
