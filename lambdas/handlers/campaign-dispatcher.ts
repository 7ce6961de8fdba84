import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { DynamoDbAudienceIndex } from '../adapters/dynamodb/audience-index';
import { DynamoDbAutomationConfigStore } from '../adapters/dynamodb/automation-config-store';
import { DynamoDbAutomationUsageStore } from '../adapters/dynamodb/automation-usage-store';
import { DynamoDbCampaignStore } from '../adapters/dynamodb/campaign-store';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbMarketingLedger } from '../adapters/dynamodb/marketing-ledger';
import { DynamoDbOccurrenceStore } from '../adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { SecretsManagerTrackingKeys } from '../adapters/secrets/secrets-manager-tracking-keys';
import { EventBridgeCampaignScheduler } from '../adapters/eventbridge/campaign-scheduler';
import { SqsDispatchQueue } from '../adapters/sqs/dispatch-queue';
import { SqsSendQueue } from '../adapters/sqs/send-queue';
import { createDispatcher } from '../campaign/dispatcher';
import { createDispatcherHandler } from '../campaign/dispatcher-handler';
import { systemClock } from '../domain/clock';
import { DispatcherEnv, policySettings, retentionSettings } from '../shared/env';
import { logger, metrics, tracer } from '../shared/powertools';

const env = DispatcherEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));

const dispatcher = createDispatcher({
  campaigns: new DynamoDbCampaignStore(client, env.TABLE_NAME),
  occurrences: new DynamoDbOccurrenceStore(client, env.TABLE_NAME),
  audience: new DynamoDbAudienceIndex(client, env.TABLE_NAME),
  store: new DynamoDbStateStore(client, { tableName: env.TABLE_NAME, retention: retentionSettings(env), clock: systemClock }),
  accounts: new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock),
  ledger: new DynamoDbMarketingLedger(client, env.TABLE_NAME),
  outbox: new DynamoDbOutbox(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox }),
  queue: new SqsSendQueue(sqs, env.SEND_QUEUE_URL),
  continuations: new SqsDispatchQueue(sqs, env.DISPATCH_QUEUE_URL),
  // Only `remove` is used here (a one-off campaign's rule, once done): no target ARN needed.
  scheduler: new EventBridgeCampaignScheduler({ client: tracer.captureAWSv3Client(new EventBridgeClient({})), namePrefix: env.RULE_NAME_PREFIX }),
  clock: systemClock,
  logger,
  metrics,
  policy: policySettings(env),
  automationConfigs: new DynamoDbAutomationConfigStore(client, env.TABLE_NAME, systemClock),
  automationUsage: new DynamoDbAutomationUsageStore(client, env.TABLE_NAME, systemClock),
  links: { keys: new SecretsManagerTrackingKeys(env.TRACKING_KEY_SECRET_ID), redirectBase: env.REDIRECT_BASE_URL, ttlMs: env.LINK_TTL_DAYS * 86_400_000 },
});

export const handler = middy(createDispatcherHandler(dispatcher, logger))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
