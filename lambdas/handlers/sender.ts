import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbSendLimiter } from '../adapters/dynamodb/send-limiter';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { GraphApiClient } from '../adapters/meta/graph-api-client';
import { appSecretsFrom } from '../adapters/secrets/app-secret-value';
import { SecretsManagerAccessTokens } from '../adapters/secrets/access-tokens';
import { SqsSendQueue } from '../adapters/sqs/send-queue';
import { systemClock } from '../domain/clock';
import { checkGraphApiVersion } from '../domain/graph-api-versions';
import { WHATSAPP_DEFAULT_THROUGHPUT } from '../domain/send/send-limits';
import { createSender } from '../send/sender';
import { SharedPacer } from '../send/shared-pacer';
import { createSqsSenderHandler } from '../send/sqs-sender-handler';
import { SenderEnv, policySettings, retentionSettings } from '../shared/env';
import { alertGraphApiVersion } from '../shared/graph-api-version-alert';
import { logger, metrics, tracer } from '../shared/powertools';

const env = SenderEnv.parse(process.env);
// Once per cold start, a table lookup: a warning log (and metrics) only when the version ends within 60 days.
alertGraphApiVersion(checkGraphApiVersion(env.GRAPH_API_VERSION, systemClock()), { logger, metrics }, 'sender-cold-start');
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));
const accounts = new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock);

const graph = new GraphApiClient({
  baseUrl: env.GRAPH_API_BASE_URL,
  version: env.GRAPH_API_VERSION,
  tokens: new SecretsManagerAccessTokens(accounts, env.TOKEN_SECRET_PREFIX),
  appSecret: async () => appSecretsFrom(String(await getSecret(env.APP_SECRET_ID, { maxAge: 300 })))[0],
});

const processJob = createSender({
  policy: policySettings(env),
  outbox: new DynamoDbOutbox(client, env.TABLE_NAME, { retentionDays: retentionSettings(env).outbox }),
  store: new DynamoDbStateStore(client, { tableName: env.TABLE_NAME, retention: retentionSettings(env), clock: systemClock }),
  accounts,
  graph,
  // A handoff's acknowledgement passes the thread after it (the job's `afterSend`).
  threadControl: graph,
  // One limiter in the state table for every instance: each account's rate from its Meta tier, the
  // pair rate and the portfolio's messaging limit hold however many instances run.
  pacer: new SharedPacer({
    limiter: new DynamoDbSendLimiter(client, env.TABLE_NAME),
    clock: systemClock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    defaultRates: { whatsapp: WHATSAPP_DEFAULT_THROUGHPUT, messenger: env.MESSENGER_RATE_PER_SECOND, instagram: env.MESSENGER_RATE_PER_SECOND },
    onError: (error) => logger.warn('pacing back-off not recorded', { errorName: (error as Error).name }),
  }),
  queue: new SqsSendQueue(tracer.captureAWSv3Client(new SQSClient({})), env.SEND_QUEUE_URL),
  clock: systemClock,
  logger,
  metrics,
});

export const handler = middy(createSqsSenderHandler(processJob, logger))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
