import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { createAdminHandler } from '../admin/admin-api';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { DynamoDbAuditLog } from '../adapters/dynamodb/audit-log';
import { DynamoDbAudienceIndex } from '../adapters/dynamodb/audience-index';
import { DynamoDbAutomationConfigStore } from '../adapters/dynamodb/automation-config-store';
import { DynamoDbAutomationUsageStore } from '../adapters/dynamodb/automation-usage-store';
import { DynamoDbConversationTurns } from '../adapters/dynamodb/conversation-turns';
import { DynamoDbMeasurementCounters } from '../adapters/dynamodb/measurement-counters';
import { DynamoDbCampaignStore } from '../adapters/dynamodb/campaign-store';
import { DynamoDbFunnelMilestones } from '../adapters/dynamodb/funnel-milestones';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbContactProfiles } from '../adapters/dynamodb/contact-profiles';
import { DynamoDbConversions } from '../adapters/dynamodb/conversions';
import { EventBridgeBusinessBus, sdkPutEvents } from '../adapters/eventbridge/business-bus';
import { DynamoDbOccurrenceStore } from '../adapters/dynamodb/occurrence-store';
import { DynamoDbSendLimiter } from '../adapters/dynamodb/send-limiter';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbErasureStore } from '../adapters/dynamodb/erasure-store';
import { DynamoDbImportJobs } from '../adapters/dynamodb/import-jobs';
import { DynamoDbPersonData } from '../adapters/dynamodb/person-data';
import { DynamoDbQuarantine } from '../adapters/dynamodb/quarantine';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { EventBridgeCampaignScheduler } from '../adapters/eventbridge/campaign-scheduler';
import { SqsDispatchQueue } from '../adapters/sqs/dispatch-queue';
import { SqsImportQueue } from '../adapters/sqs/import-queue';
import { SqsSendQueue } from '../adapters/sqs/send-queue';
import { createCampaignService } from '../campaign/campaign-service';
import { createSendRequests } from '../send/send-requests';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { GraphApiClient } from '../adapters/meta/graph-api-client';
import { GraphTemplateCatalog } from '../adapters/meta/graph-template-catalog';
import { appSecretsFrom } from '../adapters/secrets/app-secret-value';
import { SecretsManagerAccessTokens } from '../adapters/secrets/access-tokens';
import { createTemplateSync } from '../templates/sync-templates';
import { systemClock } from '../domain/clock';
import { AdminEnv, policySettings, retentionSettings } from '../shared/env';
import { logger, metrics, tracer } from '../shared/powertools';

const env = AdminEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));
const eventBridge = tracer.captureAWSv3Client(new EventBridgeClient({}));

const store = new DynamoDbStateStore(client, { tableName: env.TABLE_NAME, retention: retentionSettings(env), clock: systemClock });
const accounts = new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock);
const outbox = new DynamoDbOutbox(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox });
const { APP_SECRET_ID: appSecretId, TOKEN_SECRET_PREFIX: tokenPrefix } = env;
const graphAccess =
  appSecretId && tokenPrefix
    ? {
        tokens: new SecretsManagerAccessTokens(accounts, tokenPrefix),
        appSecret: async () => appSecretsFrom(String(await getSecret(appSecretId, { maxAge: 300 })))[0],
      }
    : undefined;
// POST /admin/templates/.../sync reads Meta's listings as the scheduled sync does.
const templateSync = graphAccess
  ? createTemplateSync({
      catalog: new GraphTemplateCatalog({ baseUrl: env.GRAPH_API_BASE_URL, version: env.GRAPH_API_VERSION, ...graphAccess }),
      store,
      accounts,
      clock: systemClock,
      logger,
    })
  : undefined;

export const handler = middy(
  createAdminHandler({
    store,
    accounts,
    automationConfigs: new DynamoDbAutomationConfigStore(client, env.TABLE_NAME, systemClock),
    automationUsage: new DynamoDbAutomationUsageStore(client, env.TABLE_NAME, systemClock),
    measurement: { turns: new DynamoDbConversationTurns(client, env.TABLE_NAME), counters: new DynamoDbMeasurementCounters(client, env.TABLE_NAME, systemClock) },
    funnel: {
      counters: new DynamoDbFunnelMilestones(client, env.TABLE_NAME, outbox),
      conversions: new DynamoDbConversions(client, env.TABLE_NAME),
      campaigns: new DynamoDbCampaignStore(client, env.TABLE_NAME),
      occurrences: new DynamoDbOccurrenceStore(client, env.TABLE_NAME),
    },
    bus: new EventBridgeBusinessBus({ putEvents: sdkPutEvents(eventBridge, PutEventsCommand), busName: env.BUSINESS_BUS_NAME }),
    // DELETE .../handoff takes back a thread a handoff passed; a hung Meta must not hold the API's answer.
    threadControl: graphAccess && new GraphApiClient({ baseUrl: env.GRAPH_API_BASE_URL, version: env.GRAPH_API_VERSION, ...graphAccess, timeoutMs: 5000 }),
    clock: systemClock,
    logger,
    sends: createSendRequests({
      outbox,
      queue: new SqsSendQueue(sqs, env.SEND_QUEUE_URL),
      store,
      accounts,
      clock: systemClock,
      policy: policySettings(env),
      reach: { limiter: new DynamoDbSendLimiter(client, env.TABLE_NAME), clock: systemClock },
    }),
    campaigns: createCampaignService({
      campaigns: new DynamoDbCampaignStore(client, env.TABLE_NAME),
      occurrences: new DynamoDbOccurrenceStore(client, env.TABLE_NAME),
      audience: new DynamoDbAudienceIndex(client, env.TABLE_NAME),
      store,
      accounts,
      outbox,
      continuations: new SqsDispatchQueue(sqs, env.DISPATCH_QUEUE_URL),
      scheduler: new EventBridgeCampaignScheduler({
        client: eventBridge,
        namePrefix: env.RULE_NAME_PREFIX,
        dispatcherArn: env.DISPATCHER_ARN,
        deadLetterArn: env.SCHEDULE_DLQ_ARN,
      }),
      clock: systemClock,
      policy: policySettings(env),
    }),
    profiles: new DynamoDbContactProfiles(client, env.TABLE_NAME),
    // Every admin write is recorded (README "Audit log"), kept AUDIT_RETENTION_DAYS.
    audit: new DynamoDbAuditLog(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).audit }),
    quarantine: new DynamoDbQuarantine(client, env.TABLE_NAME, { retentionDays: env.QUARANTINE_RETENTION_DAYS }),
    personData: new DynamoDbPersonData(client, env.TABLE_NAME),
    erasure: new DynamoDbErasureStore(client, env.TABLE_NAME),
    audience: new DynamoDbAudienceIndex(client, env.TABLE_NAME),
    // POST /admin/imports/{importId}/start sends the first slice; the import worker chains the rest.
    imports: { jobs: new DynamoDbImportJobs(client, env.TABLE_NAME), queue: new SqsImportQueue(sqs, env.IMPORT_QUEUE_URL) },
    templateSync,
    graphApiVersion: env.GRAPH_API_VERSION,
    metrics,
    // Registrations must name their token secret under the sender's prefix.
    tokenSecretPrefix: tokenPrefix,
  }),
)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
