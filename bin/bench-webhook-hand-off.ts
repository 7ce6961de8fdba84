/**
 * `npm run bench:webhook -- --hand-off [--sqs-ms N] [--json]`: what the hand-off to automation adds to
 * the webhook's answer (README "Automation"). The same handler and adapters, each body timed without
 * automation and with it:
 *  - storage: a document client answering after an in-region round trip (8 ms per write, 5 ms per
 *    read, as `--max-body`), so the webhook's own writes weigh what they weigh in AWS;
 *  - the hand-off: SqsAutomationQueue against the in-process SQS emulator (a real HTTP round trip on
 *    localhost), plus `--sqs-ms` injected per request (default 0: the emulator alone) to price it in
 *    AWS terms.
 * A body with a person's message (one WhatsApp text from a registered number's contact) is handed
 * off: one SendMessage. A status-only body (a `delivered`, the bulk of all webhooks) hands nothing
 * off: its figure is the filter's cost alone.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAccountRegistry } from '../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbMeasurementCounters } from '../lambdas/adapters/dynamodb/measurement-counters';
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
import { statusBody } from '../test/helpers/whatsapp-status';
import { type BusinessNumber, textBody } from '../test/helpers/whatsapp-webhook';

const SECRET = 'bench-secret';
const PHONE = '109876543210987';
const WABA = '102290129340398';
const WRITE_MS = 8;
const READ_MS = 5;
const BODIES = 101;

const NUMBER: BusinessNumber = { phoneNumberId: PHONE, wabaId: WABA };
const waId = (n: number) => String(4915100000000 + n);

/** The bodies compared, each the n-th of its kind (its own person and message id). */
const BODIES_OF = {
  'a message ("Hello, is the jacket in stock?")': (n: number, at: number) => textBody(NUMBER, { waId: waId(n), id: `wamid.HANDOFF${n}`, atMs: at }, 'Hello, is the jacket in stock?'),
  'status only (delivered)': (n: number, at: number) =>
    statusBody({ ...NUMBER, waId: waId(n), bsuid: `DE.${n}`, wamid: `wamid.OURS${n}`, outboxId: `ob_bench${n}`, sentAt: Math.floor(at / 1000) }, 'delivered'),
};
type BodyKind = keyof typeof BODIES_OF;

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
    // As deployed: growth counters on every body (they write only for opt-in and preference events).
    growth: new DynamoDbMeasurementCounters(client, 'bench', Date.now),
  });
};

export interface HandOffFigure {
  body: BodyKind;
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
const compare = async (off: Handler, on: Handler, kind: BodyKind, at: number): Promise<HandOffFigure> => {
  const offMs: number[] = [];
  const onMs: number[] = [];
  for (let n = 0; n < BODIES; n += 1) {
    const body = JSON.stringify(BODIES_OF[kind](n, at));
    if (n % 2 === 0) {
      offMs.push(await timed(off, body));
      onMs.push(await timed(on, body));
    } else {
      onMs.push(await timed(on, body));
      offMs.push(await timed(off, body));
    }
  }
  const added = onMs.map((ms, i) => ms - (offMs[i] as number));
  return { body: kind, offMedianMs: median(offMs), onMedianMs: median(onMs), addedMedianMs: median(added), addedP90Ms: median(added, 0.9) };
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
    const kinds = Object.keys(BODIES_OF) as BodyKind[];
    for (const kind of kinds) await compare(off, on, kind, at);
    const figures: HandOffFigure[] = [];
    for (const kind of kinds) figures.push(await compare(off, on, kind, at));
    return figures;
  } finally {
    await queues.close();
  }
};

export const printHandOff = (figures: readonly HandOffFigure[], sqsMs: number, asJson: boolean): void => {
  if (asJson) {
    console.log(JSON.stringify({ bodies: BODIES, writeMs: WRITE_MS, readMs: READ_MS, injectedSqsMs: sqsMs, figures }, null, 2));
    return;
  }
  console.log(`webhook answer time, ${BODIES} one-event WhatsApp bodies of each kind; DynamoDB ${WRITE_MS} ms/write, ${READ_MS} ms/read; SQS: local emulator + ${sqsMs} ms injected`);
  for (const f of figures) {
    console.log(
      `  ${f.body}: automation off ${f.offMedianMs.toFixed(1)} ms, on ${f.onMedianMs.toFixed(1)} ms (medians); the hand-off adds ${f.addedMedianMs.toFixed(1)} ms median, ${f.addedP90Ms.toFixed(1)} ms p90`,
    );
  }
};
