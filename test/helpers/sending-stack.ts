import { randomUUID } from 'node:crypto';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { outboxKey } from '../../lambdas/adapters/dynamodb/keys';
import { SqsSendQueue } from '../../lambdas/adapters/sqs/send-queue';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { type LocalSendingOptions, type LocalStack, type LocalStackOptions, startLocalStack } from '../../lambdas/local/local-stack';
import type { MetaSimulator } from '../../lambdas/local/meta-simulator';
import type { OutboxRecord } from '../../lambdas/ports/outbox';
import { signBody } from '../../lambdas/webhook/signature';
import { PAGE, PHONE, WABA } from './sample-ids';

export const APP_SECRET = 'sending-test-secret';
export const TOKENS = { [PHONE]: 'token-whatsapp', [PAGE]: 'token-page' };

export interface SendingStack extends LocalStack {
  simulator: MetaSimulator;
  /** Moves the stack's (and the simulator's) clock forward; it otherwise runs with real time. */
  advance(ms: number): void;
  now(): number;
  postWebhook(body: object): Promise<number>;
  /** Opens WhatsApp windows for these wa_ids, in afterchat (via a signed webhook) and in the simulator. */
  openWhatsAppWindows(waIds: readonly string[]): Promise<void>;
  /** Creates outbox records and enqueues them, as the dispatcher will. */
  enqueue(jobs: readonly { key: string; intent: SendIntent }[], options?: { delaySeconds?: number; copies?: number }): Promise<string[]>;
  waitUntilDrained(timeoutMs?: number): Promise<void>;
  records(outboxIds: readonly string[]): Promise<OutboxRecord[]>;
  deadLetters(): Promise<string[]>;
}

/** The local stack with its send pipeline, on the integration project's dynalite. */
export const startSendingStack = async (sending: Partial<LocalSendingOptions> = {}, logger?: Logger, more: Pick<LocalStackOptions, 'eventsOut'> = {}): Promise<SendingStack> => {
  const endpoint = process.env.DDB_ENDPOINT as string;
  const start = Date.now();
  let offset = Date.UTC(2026, 4, 17, 12) - start;
  const clock = () => Date.now() + offset;
  const stack = await startLocalStack({
    appSecret: APP_SECRET,
    verifyToken: 'verify',
    dynamoEndpoint: endpoint,
    tableName: `s-${randomUUID()}`,
    clock,
    logger: logger ?? new Logger({ serviceName: 'afterchat-test' }),
    sending: { tokens: TOKENS, visibilityTimeoutSeconds: 2, maxRetryDelayMs: 1000, staleClaimMs: 8000, graphTimeoutMs: 3000, ...sending },
    ...more,
  });
  const { queues, simulator } = stack.sending as NonNullable<LocalStack['sending']>;
  const raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const doc = DynamoDBDocumentClient.from(raw);
  const outbox = new DynamoDbOutbox(doc, stack.tableName);
  const queue = new SqsSendQueue(queues.client, queues.queueUrl);
  const put = (path: string, body: object) =>
    fetch(`${stack.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await put(`/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop WA', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', wabaId: WABA });
  await put(`/admin/accounts/messenger/${PAGE}`, { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', country: 'DE' });

  const postWebhook = async (body: object) => {
    const text = JSON.stringify(body);
    const response = await fetch(`${stack.url}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(text, APP_SECRET) },
      body: text,
    });
    return response.status;
  };

  return {
    ...stack,
    simulator,
    advance: (ms) => {
      offset += ms;
    },
    now: clock,
    postWebhook,
    openWhatsAppWindows: async (waIds) => {
      const at = clock();
      for (let i = 0; i < waIds.length; i += 500) {
        const messages = waIds.slice(i, i + 500).map((waId, n) => ({
          from: waId,
          id: `wamid.window-${waId}-${at}-${n}`,
          timestamp: String(Math.floor(at / 1000)),
          type: 'text',
          text: { body: 'hi' },
        }));
        const status = await postWebhook({
          object: 'whatsapp_business_account',
          entry: [
            {
              id: WABA,
              changes: [
                {
                  field: 'messages',
                  value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE }, messages },
                },
              ],
            },
          ],
        });
        if (status !== 200) throw new Error(`window webhook answered ${status}`);
      }
      for (const waId of waIds) simulator.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: waId, at });
    },
    enqueue: async (jobs, options = {}) => {
      const ids: string[] = [];
      for (const job of jobs) ids.push((await outbox.create({ idempotencyKey: job.key, intent: job.intent, now: clock() })).record.outboxId);
      const copies = ids.flatMap((id) => Array.from({ length: options.copies ?? 1 }, () => id));
      await queue.enqueue(copies, { delaySeconds: options.delaySeconds });
      return ids;
    },
    waitUntilDrained: async (timeoutMs = 240_000) => {
      const deadline = Date.now() + timeoutMs;
      let quietChecks = 0;
      let last: Record<string, string> = {};
      while (quietChecks < 3) {
        if (Date.now() > deadline) throw new Error(`send queue did not drain in time (${JSON.stringify(last)})`);
        const { Attributes = {} } = await queues.client.send(
          new GetQueueAttributesCommand({
            QueueUrl: queues.queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
          }),
        );
        last = Attributes;
        if (process.env.SEND_DEBUG) process.stderr.write(`${new Date().toISOString()} ${JSON.stringify(Attributes)} accepted=${simulator.accepted().length}\n`);
        const pending = Object.values(Attributes).reduce((n, v) => n + Number(v ?? 0), 0);
        quietChecks = pending === 0 ? quietChecks + 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await simulator.flushWebhooks();
    },
    records: async (outboxIds) => {
      const found: OutboxRecord[] = [];
      for (let i = 0; i < outboxIds.length; i += 100) {
        const result = await doc.send(
          new BatchGetCommand({ RequestItems: { [stack.tableName]: { Keys: outboxIds.slice(i, i + 100).map(outboxKey) } } }),
        );
        for (const item of result.Responses?.[stack.tableName] ?? []) found.push(item as OutboxRecord);
      }
      return found;
    },
    deadLetters: async () => {
      const ids: string[] = [];
      for (;;) {
        const { Messages = [] } = await queues.client.send(new ReceiveMessageCommand({ QueueUrl: queues.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
        if (Messages.length === 0) return ids;
        ids.push(...Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { outboxId?: string }).outboxId ?? 'malformed'));
      }
    },
    close: async () => {
      raw.destroy();
      await stack.close();
    },
  };
};
