import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { createAdminHandler } from '../admin/admin-api';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { StaticWebhookSecrets } from '../adapters/secrets/static-webhook-secrets';
import { type Clock, systemClock } from '../domain/clock';
import { createWebhookHandler } from '../webhook/receive-webhook';
import { apiGatewayListener, type Route } from './api-gateway-bridge';
import { type RunningDynalite, startDynalite } from './dynalite-server';
import { ensureStateTable } from './table';

export const LOCAL_TABLE = 'afterchat-local-state';

export interface LocalStackOptions {
  port?: number;
  appSecret: string;
  verifyToken: string;
  /** leveldb folder for dynalite; in memory when absent. */
  dataDir?: string;
  /** An already running DynamoDB endpoint (tests share one dynalite); started here when absent. */
  dynamoEndpoint?: string;
  tableName?: string;
  clock?: Clock;
  logger?: Logger;
  maxBodyBytes?: number;
}

export interface LocalStack {
  url: string;
  tableName: string;
  dynamoEndpoint: string;
  close(): Promise<void>;
}

/**
 * The same webhook and admin handlers as in AWS, behind a local HTTP server that speaks API Gateway
 * HTTP API events, with DynamoDB served by dynalite. No Docker, no AWS account.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? new Logger({ serviceName: 'afterchat-local' });
  const dynamo: RunningDynalite | undefined = options.dynamoEndpoint ? undefined : await startDynalite({ path: options.dataDir });
  const endpoint = options.dynamoEndpoint ?? (dynamo as RunningDynalite).endpoint;
  const raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = options.tableName ?? LOCAL_TABLE;
  await ensureStateTable(raw, tableName);

  const store = new DynamoDbStateStore(client, { tableName });
  const accounts = new DynamoDbAccountRegistry(client, tableName, clock);
  const webhook = createWebhookHandler({
    secrets: new StaticWebhookSecrets(options.appSecret, options.verifyToken),
    store,
    accounts,
    clock,
    logger,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
  });
  const admin = createAdminHandler({ store, accounts, clock, logger });
  const routes: Route[] = [
    { routeKey: 'GET /webhooks/meta', matches: (m, p) => m === 'GET' && p === '/webhooks/meta', handler: webhook },
    { routeKey: 'POST /webhooks/meta', matches: (m, p) => m === 'POST' && p === '/webhooks/meta', handler: webhook },
    { routeKey: 'ANY /admin/{proxy+}', matches: (_m, p) => p.startsWith('/admin/'), handler: admin },
  ];

  const server = createServer(apiGatewayListener(routes, clock, (error) => logger.error('local handler crashed', error as Error)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tableName,
    dynamoEndpoint: endpoint,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      raw.destroy();
      await dynamo?.close();
    },
  };
};
