/**
 * `npm run bench:webhook -- --hand-off [--sqs-ms N] [--json]`: what the hand-off to automation adds to
 * the webhook's answer (README "Automation"). The same handler and adapters, each body one WhatsApp
 * text from a registered number's contact, timed without automation and with it:
 *  - storage: a document client answering after an in-region round trip (8 ms per write, 5 ms per
 *    read, as `--max-body`), so the webhook's own writes weigh what they weigh in AWS;
 *  - the hand-off: SqsAutomationQueue against the in-process SQS emulator (a real HTTP round trip on
 *    localhost), plus `--sqs-ms` injected per request (default 0: the emulator alone) to price it in
 *    AWS terms.
 * A body whose message is no keyword ("Hello, is the jacket in stock?") is handed nothing: its figure
 * is the filter's cost alone.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAccountRegistry } from '../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbOutbox } from '../lambdas/adapters/dynamodb/outbox';
import { DynamoDbQuarantine } from '../lambdas/adapters/dynamodb/quarantine';
import { DynamoDbStateStore } from '../lambdas/adapters/dynamodb/state-store';
import { StaticWebhookSecrets } from '../lambdas/adapters/secrets/static-webhook-secrets';
import { SqsAutomationQueue, sqsSendBody } from '../lambdas/adapters/sqs/automation-queue';
import { startLocalQueues } from '../lambdas/local/sqs-server';
import type { AutomationQueue } from '../lambdas/ports/automation-queue';
import { createWebhookHandler } from '../lambdas/webhook/receive-webhook';
import { signBody } from '../lambdas/webhook/signature';
import { httpEvent } from '../test/helpers/api-gateway-event';

const SECRET = 'bench-secret';
const PHONE = '109876543210987';
const WABA = '102290129340398';
const WRITE_MS = 8;
const READ_MS = 5;
const BODIES = 101;

const textBody = (n: number, text: string, at: number): string =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE },
              contacts: [{ profile: { name: 'Kim' }, wa_id: String(4915100000000 + n) }],
              messages: [{ from: String(4915100000000 + n), id: `wamid.HANDOFF${n}-${text.length}`, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });

/** DynamoDB after an in-region round trip; the account list holds the WhatsApp number, so its events are automation's. */
const simulatedDynamoDb = (): DynamoDBDocumentClient => {
  const account = { pk: 'ACCOUNTS', sk: `whatsapp#${PHONE}`, entity: 'account', channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/shop', timezone: 'Europe/Berlin', wabaId: WABA };
  const client = {
    send: async (command: { constructor: { name: string }; input: { RequestItems?: Record<string, unknown> } }) => {
      const name = command.constructor.name;
      await new Promise((resolve) => setTimeout(resolve, /Get|Query/.test(name) ? READ_MS : WRITE_MS));
      if (name === 'BatchGetCommand') return { Responses: Object.fromEntries(Object.keys(command.input.RequestItems ?? {}).map((t) => [t, []])) };
      if (name === 'QueryCommand') return { Items: [account] };
      return {};
    },
  };
  return client as unknown as DynamoDBDocumentClient;
};

const handlerWith = (automation: AutomationQueue | undefined) => {
  const client = simulatedDynamoDb();
  return createWebhookHandler({
    secrets: new StaticWebhookSecrets(SECRET, 'token'),
    store: new DynamoDbStateStore(client, { tableName: 'bench' }),
    quarantine: new DynamoDbQuarantine(client, 'bench'),
    accounts: new DynamoDbAccountRegistry(client, 'bench', Date.now),
    outbox: new DynamoDbOutbox(client, 'bench'),
    clock: Date.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    maxBodyBytes: 4 * 1024 * 1024,
    automation,
  });
};

export interface HandOffFigure {
  message: string;
  offMedianMs: number;
  onMedianMs: number;
  /** The median of each body's difference, on minus off (bodies alternate, so load drifts cancel out). */
  addedMedianMs: number;
  addedP90Ms: number;
}

type Handler = ReturnType<typeof createWebhookHandler>;

const timed = async (handler: Handler, body: string): Promise<number> => {
  const start = performance.now();
  const result = await handler(httpEvent({ method: 'POST', body, headers: { 'x-hub-signature-256': signBody(body, SECRET) } }));
  if (result.statusCode !== 200) throw new Error(`unexpected ${result.statusCode}`);
  return performance.now() - start;
};

const median = (values: readonly number[], at = 0.5): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * at)] as number;

/** Each body timed through both handlers, in alternating order. */
const compare = async (off: Handler, on: Handler, text: string, at: number): Promise<HandOffFigure> => {
  const offMs: number[] = [];
  const onMs: number[] = [];
  for (let n = 0; n < BODIES; n += 1) {
    const body = textBody(n, text, at);
    if (n % 2 === 0) {
      offMs.push(await timed(off, body));
      onMs.push(await timed(on, body));
    } else {
      onMs.push(await timed(on, body));
      offMs.push(await timed(off, body));
    }
  }
  const added = onMs.map((ms, i) => ms - (offMs[i] as number));
  return { message: text, offMedianMs: median(offMs), onMedianMs: median(onMs), addedMedianMs: median(added), addedP90Ms: median(added, 0.9) };
};

export const benchHandOff = async (options: { sqsMs: number }): Promise<HandOffFigure[]> => {
  const queues = await startLocalQueues();
  queues.client.middlewareStack.add(
    (next) => async (args) => {
      if (options.sqsMs > 0) await new Promise((resolve) => setTimeout(resolve, options.sqsMs));
      return next(args);
    },
    { step: 'initialize', name: 'injectedSqsLatency' },
  );
  const at = Date.now() - 60_000;
  const off = handlerWith(undefined);
  const on = handlerWith(new SqsAutomationQueue(queues.automationQueueUrl, () => Promise.resolve(sqsSendBody(queues.client, SendMessageCommand))));
  try {
    // Warm-up: zod compiles its parsers lazily, the SDK resolves its endpoint on the first call.
    await compare(off, on, 'STOP', at);
    return [await compare(off, on, 'STOP', at), await compare(off, on, 'Hello, is the jacket in stock?', at)];
  } finally {
    await queues.close();
  }
};

export const printHandOff = (figures: readonly HandOffFigure[], sqsMs: number, asJson: boolean): void => {
  if (asJson) {
    console.log(JSON.stringify({ bodies: BODIES, writeMs: WRITE_MS, readMs: READ_MS, injectedSqsMs: sqsMs, figures }, null, 2));
    return;
  }
  console.log(`webhook answer time, one WhatsApp text per body, ${BODIES} bodies each; DynamoDB ${WRITE_MS} ms/write, ${READ_MS} ms/read; SQS: local emulator + ${sqsMs} ms injected`);
  for (const f of figures) {
    console.log(
      `  ${JSON.stringify(f.message)}: automation off ${f.offMedianMs.toFixed(1)} ms, on ${f.onMedianMs.toFixed(1)} ms (medians); the hand-off adds ${f.addedMedianMs.toFixed(1)} ms median, ${f.addedP90Ms.toFixed(1)} ms p90`,
    );
  }
};
