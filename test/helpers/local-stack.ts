import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack';
import { signBody } from '../../lambdas/webhook/signature';
import { expectContract } from './admin-contract';

export const TEST_APP_SECRET = 'test-app-secret';
export const TEST_VERIFY_TOKEN = 'test-verify-token';

export interface TestStack extends LocalStack {
  /** Injected time: the admin API computes `open` from it. */
  now: { value: number };
  post(body: string | object, init?: { signature?: string | null; headers?: Record<string, string> }): Promise<Response>;
  get(path: string): Promise<Response>;
  getJson<T = Record<string, unknown>>(path: string): Promise<T>;
  /** Every item in the table, sorted by key: the whole state, to compare runs. */
  dump(): Promise<Record<string, unknown>[]>;
}

/** A local stack on the integration project's shared dynalite, with its own table. */
export const startTestStack = async (options: { tableName?: string; maxBodyBytes?: number; logger?: Logger } = {}): Promise<TestStack> => {
  const endpoint = process.env.DDB_ENDPOINT;
  if (!endpoint) throw new Error('DDB_ENDPOINT is not set: run through the jest integration project');
  // After every sample's own time (events/meta runs through 13:23 UTC): the webhook quarantines events
  // stamped more than 5 minutes after their receipt (README "Quarantine").
  const now = { value: Date.UTC(2026, 4, 17, 14) };
  const stack = await startLocalStack({
    appSecret: TEST_APP_SECRET,
    verifyToken: TEST_VERIFY_TOKEN,
    dynamoEndpoint: endpoint,
    tableName: options.tableName ?? `t-${randomUUID()}`,
    clock: () => now.value,
    logger: options.logger ?? new Logger({ serviceName: 'afterchat-test' }),
    maxBodyBytes: options.maxBodyBytes,
  });
  const raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    ...stack,
    now,
    post: (body, init = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const signature = init.signature === undefined ? signBody(text, TEST_APP_SECRET) : init.signature;
      return fetch(`${stack.url}/webhooks/meta`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }), ...init.headers },
        body: text,
      });
    },
    get: async (path) => {
      const response = await fetch(`${stack.url}${path}`);
      if (path.startsWith('/admin/')) expectContract('GET', path, response.status, await response.clone().json());
      return response;
    },
    getJson: async <T>(path: string) => {
      const response = await fetch(`${stack.url}${path}`);
      const body: unknown = await response.json();
      if (path.startsWith('/admin/')) expectContract('GET', path, response.status, body);
      return body as T;
    },
    dump: async () => {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, never> | undefined;
      do {
        const page = await raw.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: startKey }));
        items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
        startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (startKey);
      return items.sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
    },
    close: async () => {
      raw.destroy();
      await stack.close();
    },
  };
};
