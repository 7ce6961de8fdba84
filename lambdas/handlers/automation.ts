import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { DynamoDbAutomationConfigStore } from '../adapters/dynamodb/automation-config-store';
import { DynamoDbAutomationUsageStore } from '../adapters/dynamodb/automation-usage-store';
import { DynamoDbConversationTurns } from '../adapters/dynamodb/conversation-turns';
import { DynamoDbMeasurementCounters } from '../adapters/dynamodb/measurement-counters';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbFunnelMilestones } from '../adapters/dynamodb/funnel-milestones';
import { meteredMilestones } from '../measurement/milestone-metrics';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { EventBridgeBusinessBus, sdkPutEvents } from '../adapters/eventbridge/business-bus';
import { gateEventsOut } from '../measurement/events-out-gate';
import { GraphApiClient } from '../adapters/meta/graph-api-client';
import { SecretsManagerAccessTokens } from '../adapters/secrets/access-tokens';
import { appSecretsFrom } from '../adapters/secrets/app-secret-value';
import { SqsSendQueue } from '../adapters/sqs/send-queue';
import { createAutomation } from '../automation/run-automation';
import { createSqsAutomationHandler } from '../automation/sqs-automation-handler';
import { systemClock } from '../domain/clock';
import { createSendRequests } from '../send/send-requests';
import { AutomationEnv, policySettings, retentionSettings } from '../shared/env';
import { logger, metrics, tracer } from '../shared/powertools';

const env = AutomationEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));
const store = new DynamoDbStateStore(client, { tableName: env.TABLE_NAME, retention: retentionSettings(env), clock: systemClock });

const accounts = new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock);

const outbox = new DynamoDbOutbox(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox });

const run = createAutomation({
  store,
  configs: new DynamoDbAutomationConfigStore(client, env.TABLE_NAME, systemClock),
  accounts,
  sends: createSendRequests({
    outbox,
    queue: new SqsSendQueue(tracer.captureAWSv3Client(new SQSClient({})), env.SEND_QUEUE_URL),
    store,
    accounts,
    clock: systemClock,
    policy: policySettings(env),
  }),
  // contact.opted_out / opted_in from STOP and START only where the stage turns afterchat's events on (EVENTS_OUT_BUS_NAME).
  bus: gateEventsOut(
    new EventBridgeBusinessBus({ putEvents: sdkPutEvents(tracer.captureAWSv3Client(new EventBridgeClient({})), PutEventsCommand), busName: env.BUSINESS_BUS_NAME }),
    env.EVENTS_OUT_BUS_NAME !== undefined,
  ),
  threadControl: new GraphApiClient({
    baseUrl: env.GRAPH_API_BASE_URL,
    version: env.GRAPH_API_VERSION,
    tokens: new SecretsManagerAccessTokens(accounts, env.TOKEN_SECRET_PREFIX),
    appSecret: async () => appSecretsFrom(String(await getSecret(env.APP_SECRET_ID, { maxAge: 300 })))[0],
    // One call per handoff inside a 30 s hand-off: a hung Meta must not time the batch out.
    timeoutMs: 5000,
  }),
  usage: new DynamoDbAutomationUsageStore(client, env.TABLE_NAME, systemClock),
  measurement: { turns: new DynamoDbConversationTurns(client, env.TABLE_NAME), counters: new DynamoDbMeasurementCounters(client, env.TABLE_NAME, systemClock) },
  funnel: { outbox, milestones: meteredMilestones(new DynamoDbFunnelMilestones(client, env.TABLE_NAME, outbox), metrics) },
  clock: systemClock,
  logger,
  metrics,
});

export const handler = middy(createSqsAutomationHandler(run, logger))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
