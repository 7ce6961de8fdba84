import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { GraphTemplateCatalog } from '../adapters/meta/graph-template-catalog';
import { appSecretsFrom } from '../adapters/secrets/app-secret-value';
import { SecretsManagerAccessTokens } from '../adapters/secrets/access-tokens';
import { systemClock } from '../domain/clock';
import { TemplateSyncEnv } from '../shared/env';
import { logger, metrics, tracer } from '../shared/powertools';
import { createTemplateSync, type TemplateSyncAllResult } from '../templates/sync-templates';

const env = TemplateSyncEnv.parse(process.env);
const client = tracer.captureAWSv3Client(documentClient({ endpoint: env.DDB_ENDPOINT }));
const accounts = new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock);

const sync = createTemplateSync({
  catalog: new GraphTemplateCatalog({
    baseUrl: env.GRAPH_API_BASE_URL,
    version: env.GRAPH_API_VERSION,
    tokens: new SecretsManagerAccessTokens(accounts, env.TOKEN_SECRET_PREFIX),
    appSecret: async () => appSecretsFrom(String(await getSecret(env.APP_SECRET_ID, { maxAge: 300 })))[0],
  }),
  store: new DynamoDbStateStore(client, { tableName: env.TABLE_NAME }),
  accounts,
  clock: systemClock,
  logger,
  metrics,
});

/**
 * Fired by the EventBridge schedule (every 15 minutes by default): every WABA's and Page's templates.
 * One account's failure is logged and counted (`TemplateSyncFailed`) and the others still run; the
 * next firing tries again, so nothing is retried here.
 */
export const handler = middy(async (): Promise<TemplateSyncAllResult> => {
  const result = await sync.syncAll();
  logger.info('template sync done', {
    accounts: result.results.length,
    failed: result.failed.length + result.results.filter((r) => r.error).length,
    withoutTemplates: result.withoutTemplates.length,
  });
  return result;
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer, { captureResponse: false }));
