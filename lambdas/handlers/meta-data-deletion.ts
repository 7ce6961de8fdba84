import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import middy from '@middy/core';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { documentClient } from '../adapters/dynamodb/client';
import { DynamoDbDeletionRequests } from '../adapters/dynamodb/deletion-requests';
import { DynamoDbErasureStore } from '../adapters/dynamodb/erasure-store';
import { appSecretsFrom } from '../adapters/secrets/app-secret-value';
import { systemClock } from '../domain/clock';
import { createDataDeletionHandler } from '../erasure/data-deletion';
import { DataDeletionEnv } from '../shared/env';
import { logger } from '../shared/observability';

const env = DataDeletionEnv.parse(process.env);
const client = documentClient({ endpoint: env.DDB_ENDPOINT });
/** Cached for 5 minutes per instance, as the webhook's (adapters/secrets/secrets-manager-webhook-secrets.ts). */
const SECRET_MAX_AGE_SECONDS = 300;

export const handler = middy(
  createDataDeletionHandler({
    secrets: {
      appSecrets: async () => {
        const value = await getSecret(env.APP_SECRET_ID, { maxAge: SECRET_MAX_AGE_SECONDS });
        if (typeof value !== 'string') throw new Error('secret is not a string');
        return appSecretsFrom(value);
      },
    },
    erasure: new DynamoDbErasureStore(client, env.TABLE_NAME),
    accounts: new DynamoDbAccountRegistry(client, env.TABLE_NAME, systemClock),
    requests: new DynamoDbDeletionRequests(client, env.TABLE_NAME),
    clock: systemClock,
    logger,
  }),
).use(injectLambdaContext(logger, { clearState: true }));
