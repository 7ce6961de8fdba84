/**
 * `npm run bench:webhook -- --max-body [--dynalite] [--json]`: how long the webhook handler takes for a body of
 * Meta's maximum size and event count, against the function's 10 s timeout (lib/stateless-stack.ts).
 *
 * Meta (reference notes, reliability-security-performance.md §1.1 [M1], [M3]): Graph API webhooks are
 * "aggregated and sent in a batch with a maximum of 1000 updates", and WhatsApp payloads are "up to
 * 3 MB". Each body here holds 1,000 events, every one for a different person (the most items to
 * write); the inbound one is padded with message text to just under 3 MB.
 *
 * Two storages, the same handler and DynamoDB adapters:
 *  - simulated DynamoDB: a document client that answers every request after an in-region round trip
 *    (8 ms per write, 5 ms per read, as `npm run bench:status` assumes), counting requests in flight;
 *  - with `--dynalite`, also dynalite in this process: a real DynamoDB API, but one emulator on a
 *    shared 2-core machine, so far slower per write than DynamoDB (minutes per body: a pessimistic bound).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAccountRegistry } from '../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbOutbox } from '../lambdas/adapters/dynamodb/outbox';
import { DynamoDbQuarantine } from '../lambdas/adapters/dynamodb/quarantine';
import { DynamoDbStateStore } from '../lambdas/adapters/dynamodb/state-store';
import { StaticWebhookSecrets } from '../lambdas/adapters/secrets/static-webhook-secrets';
import { startDynalite } from '../lambdas/local/dynalite-server';
import { createWebhookHandler, EVENT_CONCURRENCY } from '../lambdas/webhook/receive-webhook';
import { signBody } from '../lambdas/webhook/signature';
import { httpEvent } from '../test/helpers/api-gateway-event';
import { startWebhookRig } from '../test/helpers/webhook-rig';

const SECRET = 'bench-secret';
const PHONE = '109876543210987';
const WABA = '102290129340398';
const PAGE = '1234567890123456';
const EVENTS = 1000;
const META_MAX_BYTES = 3 * 1000 * 1000;
const TIMEOUT_MS = 10_000;
const WRITE_MS = 8;
const READ_MS = 5;

const whatsappValue = (value: object) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: WABA, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE }, ...value } }] }],
});

/** 1,000 text messages from 1,000 people, the text padding the body to just under Meta's 3 MB. */
const inboundBody = (at: number): string => {
  const waId = (i: number) => String(4915100000000 + i);
  const body = (text: string) =>
    JSON.stringify(
      whatsappValue({
        contacts: Array.from({ length: EVENTS }, (_, i) => ({ profile: { name: `Person ${i}` }, wa_id: waId(i) })),
        messages: Array.from({ length: EVENTS }, (_, i) => ({ from: waId(i), id: `wamid.BENCHIN${i}`, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: text } })),
      }),
    );
  const bare = body('').length;
  return body('x'.repeat(Math.floor((META_MAX_BYTES - bare) / EVENTS) - 1));
};

/** 1,000 `delivered` statuses of 1,000 messages: the bulk of real webhook traffic. */
const statusBody = (at: number): string =>
  JSON.stringify(
    whatsappValue({
      statuses: Array.from({ length: EVENTS }, (_, i) => ({ id: `wamid.BENCHOUT${i}`, status: 'delivered', timestamp: String(Math.floor(at / 1000)), recipient_id: String(4915100000000 + i) })),
    }),
  );

/** 1,000 Messenger messages, one entry each, from 1,000 people. */
const messengerBody = (at: number): string =>
  JSON.stringify({
    object: 'page',
    entry: Array.from({ length: EVENTS }, (_, i) => ({
      id: PAGE,
      time: at,
      messaging: [{ sender: { id: String(7000000000000 + i) }, recipient: { id: PAGE }, timestamp: at, message: { mid: `m_bench${i}`, text: 'hello' } }],
    })),
  });

/** A document client that answers after a DynamoDB-like round trip and counts what is in flight. */
const simulatedDynamoDb = () => {
  let inFlight = 0;
  let maxInFlight = 0;
  let requests = 0;
  const client = {
    send: async (command: { constructor: { name: string }; input: { RequestItems?: Record<string, unknown> } }) => {
      requests += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const name = command.constructor.name;
      await new Promise((resolve) => setTimeout(resolve, /Get|Query/.test(name) ? READ_MS : WRITE_MS));
      inFlight -= 1;
      if (name === 'BatchGetCommand') return { Responses: Object.fromEntries(Object.keys(command.input.RequestItems ?? {}).map((t) => [t, []])) };
      if (name === 'QueryCommand') return { Items: [] };
      return {};
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, stats: () => ({ requests, maxInFlight }) };
};

interface Figure {
  body: string;
  storage: string;
  events: number;
  bytes: number;
  status: number;
  ms: number;
  requests?: number;
  maxInFlight?: number;
}

const handlerOn = (client: DynamoDBDocumentClient, tableName: string) =>
  createWebhookHandler({
    secrets: new StaticWebhookSecrets(SECRET, 'token'),
    store: new DynamoDbStateStore(client, { tableName }),
    quarantine: new DynamoDbQuarantine(client, tableName),
    accounts: new DynamoDbAccountRegistry(client, tableName, Date.now),
    outbox: new DynamoDbOutbox(client, tableName),
    clock: Date.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    maxBodyBytes: 4 * 1024 * 1024,
  });

const timed = async (handler: ReturnType<typeof createWebhookHandler>, text: string): Promise<{ status: number; ms: number }> => {
  const start = performance.now();
  const result = await handler(httpEvent({ method: 'POST', body: text, headers: { 'x-hub-signature-256': signBody(text, SECRET) } }));
  return { status: result.statusCode ?? 200, ms: performance.now() - start };
};

export const benchMaxBody = async (options: { dynalite: boolean }): Promise<Figure[]> => {
  const at = Date.now() - 60_000;
  const bodies: [string, string][] = [
    ['whatsapp inbound, 1,000 people, ~3 MB', inboundBody(at)],
    ['whatsapp statuses, 1,000 delivered', statusBody(at)],
    ['messenger messages, 1,000 entries', messengerBody(at)],
  ];
  const figures: Figure[] = [];
  // Warm-up: zod compiles its parsers lazily, and the first body of a Lambda instance pays for it once.
  await timed(handlerOn(simulatedDynamoDb().client, "warm"), messengerBody(at));
  for (const [name, text] of bodies) {
    const simulated = simulatedDynamoDb();
    const { status, ms } = await timed(handlerOn(simulated.client, 'bench'), text);
    figures.push({ body: name, storage: `simulated DynamoDB (${WRITE_MS} ms/write, ${READ_MS} ms/read)`, events: EVENTS, bytes: text.length, status, ms, ...simulated.stats() });
  }
  if (!options.dynalite) return figures;
  const dynalite = await startDynalite();
  try {
    for (const [name, text] of bodies) {
      const rig = await startWebhookRig(dynalite.endpoint);
      const { status, ms } = await timed(handlerOn(rig.client, rig.tableName), text);
      figures.push({ body: name, storage: 'dynalite, in process', events: EVENTS, bytes: text.length, status, ms });
      rig.close();
    }
  } finally {
    await dynalite.close();
  }
  return figures;
};

export const printMaxBody = (figures: readonly Figure[], asJson: boolean): void => {
  if (asJson) {
    console.log(JSON.stringify({ timeoutMs: TIMEOUT_MS, eventConcurrency: EVENT_CONCURRENCY, figures }, null, 2));
    return;
  }
  console.log(`webhook, a body of Meta's maximum (1,000 events; WhatsApp up to 3 MB), against the ${TIMEOUT_MS / 1000} s timeout; writes applied together, events one by one (${EVENT_CONCURRENCY} at a time) only when storage refuses an item`);
  for (const f of figures) {
    const flight = f.maxInFlight === undefined ? '' : `, ${f.requests} requests, at most ${f.maxInFlight} in flight`;
    console.log(`  ${f.body} (${(f.bytes / 1e6).toFixed(2)} MB) on ${f.storage}: ${Math.round(f.ms)} ms, answer ${f.status}${flight}`);
  }
};
