/**
 * The webhook handler with the DynamoDB adapters on a metered client (test/helpers/dynamodb-metering.ts),
 * against a running DynamoDB endpoint (dynalite): what the Lambda does, request by request. Used by
 * the status-webhook integration tests and `npm run bench:status`.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbQuarantine } from '../../lambdas/adapters/dynamodb/quarantine';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { StaticWebhookSecrets } from '../../lambdas/adapters/secrets/static-webhook-secrets';
import { ensureStateTable } from '../../lambdas/local/table';
import { createWebhookHandler } from '../../lambdas/webhook/receive-webhook';
import { signBody } from '../../lambdas/webhook/signature';
import { httpEvent } from './api-gateway-event';
import { type DynamoDbMeter, type DynamoDbMeterCounts, meterDynamoDb } from './dynamodb-metering';
import { textBody } from './whatsapp-webhook';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite's item-size rule, the one DynamoDB bills by
const { itemSize } = require('dynalite/db') as { itemSize: (item: unknown) => number };

const APP_SECRET = 'rig-app-secret';
export const RIG_PHONE = '109876543210987';
export const RIG_WABA = '102290129340398';

export interface WebhookRig {
  tableName: string;
  meter: DynamoDbMeter;
  client: DynamoDBDocumentClient;
  store: DynamoDbStateStore;
  outbox: DynamoDbOutbox;
  /** Posts a signed body through the handler; the DynamoDB requests it made, and how long it took. */
  post(body: object): Promise<{ status: number; counts: DynamoDbMeterCounts; log: DynamoDbMeter['log']; ms: number }>;
  /** Every item in the table, sorted by key. */
  dump(): Promise<Record<string, unknown>[]>;
  close(): void;
}

export const startWebhookRig = async (
  endpoint: string,
  options: { tableName?: string; latency?: () => { readMs: number; writeMs: number } | undefined; logger?: Logger } = {},
): Promise<WebhookRig> => {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const raw = new DynamoDBClient({ endpoint, region: 'local', credentials });
  const plainRaw = new DynamoDBClient({ endpoint, region: 'local', credentials });
  const plain = DynamoDBDocumentClient.from(plainRaw);
  const tableName = options.tableName ?? `rig-${randomUUID()}`;
  await ensureStateTable(plainRaw, tableName);
  const meter = meterDynamoDb(raw, {
    latency: options.latency,
    // A refused write is billed on the stored item's size: read it with a client of its own.
    refusedUnits: async (input) => {
      const key = input.Key as Record<string, unknown>;
      const { Item } = await plain.send(
        new GetCommand({ TableName: String(input.TableName), Key: typeof key.pk === 'string' ? key : unmarshall(key as never), ConsistentRead: true }),
      );
      return Item ? Math.max(1, Math.ceil(itemSize(marshall(Item)) / 1024)) : 1;
    },
  });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const store = new DynamoDbStateStore(client, { tableName });
  const accounts = new DynamoDbAccountRegistry(client, tableName, Date.now);
  const outbox = new DynamoDbOutbox(client, tableName);
  await accounts.put({ channel: 'whatsapp', accountId: RIG_PHONE, displayName: 'Shop', tokenSecret: 'shop/token', timezone: 'Europe/Berlin', wabaId: RIG_WABA });
  const quarantine = new DynamoDbQuarantine(client, tableName);
  const handler = createWebhookHandler({
    secrets: new StaticWebhookSecrets(APP_SECRET, 'token'),
    store,
    quarantine,
    accounts,
    outbox,
    clock: Date.now,
    logger: options.logger ?? new Logger({ logLevel: 'SILENT' }),
    maxBodyBytes: 4 * 1024 * 1024,
  });
  meter.take();
  return {
    tableName,
    meter,
    client,
    store,
    outbox,
    post: async (body) => {
      const text = JSON.stringify(body);
      meter.take();
      const start = performance.now();
      const result = await handler(httpEvent({ method: 'POST', body: text, headers: { 'x-hub-signature-256': signBody(text, APP_SECRET) } }));
      const ms = performance.now() - start;
      const log = [...meter.log];
      return { status: result.statusCode ?? 200, counts: meter.take(), log, ms };
    },
    dump: async () => {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, never> | undefined;
      do {
        const page = await plainRaw.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
        items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
        startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (startKey);
      return items.sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
    },
    close: () => {
      raw.destroy();
      plainRaw.destroy();
    },
  };
};

/** A WhatsApp text from the person, so their contact record exists (as for a campaign's audience). */
export const inboundText = (p: { waId: string; bsuid: string; wamid: string; atSeconds: number }) =>
  textBody({ phoneNumberId: RIG_PHONE, wabaId: RIG_WABA }, { waId: p.waId, bsuid: p.bsuid, id: p.wamid, atMs: p.atSeconds * 1000, name: 'Alex' }, 'hi');
