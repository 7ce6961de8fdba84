/**
 * The local AWS of `npm run bench:scale`, in virtual time: dynalite and the SQS emulator in this
 * process, the real DynamoDB/SQS adapters on clients that wait the injected latencies (meter.ts),
 * and Lambda's SQS event source played by pollers that invoke the real handlers, each poller one
 * Lambda instance with its own adapters.
 */
import { Agent } from 'node:http';
import type { Context, SQSEvent, SQSBatchResponse } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbAccountRegistry } from '../../lambdas/adapters/dynamodb/account-registry';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { DynamoDbCampaignStore } from '../../lambdas/adapters/dynamodb/campaign-store';
import { DynamoDbMarketingLedger } from '../../lambdas/adapters/dynamodb/marketing-ledger';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbFunnelMilestones } from '../../lambdas/adapters/dynamodb/funnel-milestones';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { outboxChangesOf } from '../../lambdas/adapters/dynamodb/outbox-stream';
import { DynamoDbQuarantine } from '../../lambdas/adapters/dynamodb/quarantine';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { StreamCountedStatuses } from '../../lambdas/adapters/dynamodb/stream-counted-statuses';
import { StaticWebhookSecrets } from '../../lambdas/adapters/secrets/static-webhook-secrets';
import { SqsDispatchQueue } from '../../lambdas/adapters/sqs/dispatch-queue';
import { SqsSendQueue } from '../../lambdas/adapters/sqs/send-queue';
import { createDispatcher } from '../../lambdas/campaign/dispatcher';
import { createDispatcherHandler } from '../../lambdas/campaign/dispatcher-handler';
import { type RunningDynalite, startDynalite } from '../../lambdas/local/dynalite-server';
import { type LocalQueues, startLocalQueues } from '../../lambdas/local/sqs-server';
import { ensureStateTable } from '../../lambdas/local/table';
import { createFunnelStreamHandler } from '../../lambdas/measurement/count-status-stream';
import { createWebhookHandler } from '../../lambdas/webhook/receive-webhook';
import { signBody } from '../../lambdas/webhook/signature';
import { httpEvent } from '../../test/helpers/api-gateway-event';
import { VirtualTime } from '../../test/helpers/virtual-sending';
import { LambdaInstance, type Latencies, Meter } from './meter';

/**
 * The dispatcher as a big audience runs it — split over segments whatever its size — on 16 of its
 * 64 workers: a worker's time per index entry doesn't depend on how many run beside it (each is a
 * Lambda instance of its own, DynamoDB and SQS scale out), and at 16 each has a page or more of the
 * few thousand contacts measured. The 1M model spreads that time over DEFAULT_TUNING.segments.
 */
export const MEASURED_TUNING = { segments: 16, entriesPerSegment: 1 } as const;
export const TABLE = 'afterchat-bench-scale';
export const APP_SECRET = 'bench-scale-app-secret';
export const logger = new Logger({ serviceName: 'afterchat-bench-scale', logLevel: process.env.BENCH_LOG === 'DEBUG' ? 'DEBUG' : 'SILENT' });

/** One Lambda invocation, in virtual ms. */
export interface Invocation {
  start: number;
  end: number;
  body?: string;
}

export interface World {
  time: VirtualTime;
  meter: Meter;
  /** The client the code under test uses: latency and metering. */
  client: DynamoDBDocumentClient;
  /** The bench's own reads and set-up writes: no latency, not counted as requests (dynalite still sees the writes). */
  plain: DynamoDBDocumentClient;
  sqs: SQSClient;
  queues: LocalQueues;
  /** The send queue the code under test uses now (freshSendQueue replaces it). */
  send: { url: string; arn: string };
  /** Bodies of the send queue's messages as the code under test sent them, in order. */
  sentJobs: string[];
  webhook(): ReturnType<typeof createWebhookHandler>;
  /** The funnel's stream consumer (lambdas/handlers/funnel-stream.ts), one Lambda instance. */
  funnelStream(): ReturnType<typeof createFunnelStreamHandler>;
  /** The dispatcher Lambda's handler over fresh adapters (one Lambda instance). */
  dispatcherHandler(): ReturnType<typeof createDispatcherHandler>;
  /** Posts a signed webhook body through `handler`; resolves with the status code. */
  post(handler: ReturnType<typeof createWebhookHandler>, body: object): Promise<number>;
  /** Runs the virtual clock until `done()`; fails after `limitMs` of virtual time. */
  runUntil(done: () => boolean, limitMs: number, what: string): Promise<void>;
  /**
   * A new, empty send queue for what follows (SQS allows one purge a minute): jobs of earlier phases
   * stay behind, and messages held for a virtual delay are dropped.
   */
  freshSendQueue(): Promise<void>;
  close(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** Sixteen segments of sixteen requests in flight: more than the SDK's default 50 sockets (only real time would queue). */
const requestHandler = { httpAgent: new Agent({ keepAlive: true, maxSockets: 1024 }) };

export const startWorld = async (latencies: Latencies): Promise<World> => {
  const time = new VirtualTime();
  const meter = new Meter(time, latencies);
  meter.hookDynalite();
  const dynalite: RunningDynalite = await startDynalite();
  const raw = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'local', credentials, requestHandler });
  const sizing = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'local', credentials });
  await ensureStateTable(sizing, TABLE);
  meter.instrumentDynamoDb(raw, sizing);
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const plain = DynamoDBDocumentClient.from(sizing, { marshallOptions: { removeUndefinedValues: true } });
  const queues = await startLocalQueues({ visibilityTimeoutSeconds: 30 });
  const sqs = new SQSClient({ endpoint: queues.endpoint, region: 'eu-central-1', credentials, requestHandler });
  // Virtual time runs ahead of the wall clock, the emulator's visibility timeouts on the wall clock:
  // a slow local run must not see a message a handler still holds come back.
  for (const QueueUrl of [queues.queueUrl, queues.dispatchQueueUrl]) {
    await queues.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '3600' } }));
  }
  const sentJobs: string[] = [];
  const send = { url: queues.queueUrl, arn: queues.queueArn };
  const sendQueues = new Set([queues.queueUrl]);
  const nameOf = (url: unknown) => (typeof url === 'string' && sendQueues.has(url) ? 'send' : url === queues.dispatchQueueUrl ? 'dispatch' : 'other');
  meter.instrumentSqs(sqs, nameOf, (queue, bodies) => {
    if (queue === 'send') sentJobs.push(...bodies);
  });

  const webhook = () =>
    createWebhookHandler({
      secrets: new StaticWebhookSecrets(APP_SECRET, 'bench-verify'),
      store: new DynamoDbStateStore(client, { tableName: TABLE }),
      quarantine: new DynamoDbQuarantine(client, TABLE),
      accounts: new DynamoDbAccountRegistry(client, TABLE, time.clock),
      outbox: new DynamoDbOutbox(client, TABLE),
      clock: time.clock,
      logger,
      maxBodyBytes: 4 * 1024 * 1024,
      // As in AWS: the state table's stream counts the statuses' milestones (funnelStream below).
      funnel: new StreamCountedStatuses(),
    });

  const funnelStream = () =>
    createFunnelStreamHandler({
      funnel: new DynamoDbFunnelMilestones(client, TABLE, new DynamoDbOutbox(client, TABLE)),
      changesOf: outboxChangesOf,
      logger,
    });

  const dispatcherHandler = () =>
    createDispatcherHandler(
      createDispatcher({
        campaigns: new DynamoDbCampaignStore(client, TABLE),
        occurrences: new DynamoDbOccurrenceStore(client, TABLE),
        audience: new DynamoDbAudienceIndex(client, TABLE),
        store: new DynamoDbStateStore(client, { tableName: TABLE }),
        accounts: new DynamoDbAccountRegistry(client, TABLE, time.clock),
        ledger: new DynamoDbMarketingLedger(client, TABLE),
        outbox: new DynamoDbOutbox(client, TABLE),
        queue: new SqsSendQueue(sqs, send.url),
        continuations: new SqsDispatchQueue(sqs, queues.dispatchQueueUrl),
        scheduler: { remove: () => Promise.resolve() },
        clock: time.clock,
        logger,
        tuning: MEASURED_TUNING,
      }),
      logger,
    );

  const post = async (handler: ReturnType<typeof createWebhookHandler>, body: object): Promise<number> => {
    const text = JSON.stringify(body);
    const result = await handler(httpEvent({ method: 'POST', body: text, headers: { 'x-hub-signature-256': signBody(text, APP_SECRET) } }));
    return result.statusCode ?? 0;
  };

  const runUntil = async (done: () => boolean, limitMs: number, what: string): Promise<void> => {
    const limit = time.now + limitMs;
    let stalls = 0;
    for (;;) {
      await time.run(() => done() || time.now > limit);
      if (done()) return;
      if (time.now > limit) throw new Error(`${what}: not done after ${limitMs / 1000} s of virtual time`);
      // Nothing waits on the virtual clock: real work (or a real timer) is still going.
      if ((stalls += 1) > 3000) throw new Error(`${what}: stalled (nothing left on the virtual clock)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  return {
    time,
    meter,
    client,
    plain,
    sqs,
    queues,
    send,
    sentJobs,
    webhook,
    funnelStream,
    dispatcherHandler,
    post,
    runUntil,
    freshSendQueue: async () => {
      meter.dropHeldMessages();
      const { QueueUrl } = await queues.client.send(new CreateQueueCommand({ QueueName: `afterchat-send-${sendQueues.size}`, Attributes: { VisibilityTimeout: '3600' } }));
      const { Attributes } = await queues.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      send.url = QueueUrl ?? '';
      send.arn = Attributes?.QueueArn ?? '';
      sendQueues.add(send.url);
    },
    close: async () => {
      sqs.destroy();
      await queues.close();
      raw.destroy();
      sizing.destroy();
      await dynalite.close();
    },
  };
};

/** Lambda's context, as far as the handlers read it: the time left of `timeoutMs` from `start`. */
export const lambdaContext = (time: VirtualTime, timeoutMs: number): Context => {
  const deadline = time.now + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
    memoryLimitInMB: '1024',
    awsRequestId: `bench-${time.now}`,
    logGroupName: 'bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - time.now),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

export const sqsEventOf = (messages: readonly Message[], queueArn: string): SQSEvent => ({
  Records: messages.map((m) => ({
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
      SenderId: 'bench',
      ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  })),
});

/**
 * Lambda's SQS event source: `pollers` loops, each one Lambda instance (its own handler), receiving
 * up to `batchSize` messages, invoking, and deleting what the handler did not report failed. An
 * empty receive waits `idleMs` (long polling answers as soon as a message arrives). Its requests are
 * counted like any other (ReceiveMessage/DeleteMessageBatch on the queue).
 */
export const startEventSource = (
  world: World,
  options: {
    queueUrl: string;
    queueArn: string;
    pollers: number;
    batchSize: number;
    timeoutMs: number;
    idleMs: number;
    handler: () => (event: SQSEvent, context: Context) => Promise<unknown>;
    onInvocation?: (invocation: Invocation & { messages: number; failed: number }) => void;
  },
) => {
  const { time, sqs } = world;
  let stopped = false;
  let running = 0;
  let received = 0;
  let handled = 0;
  const loops = Array.from({ length: options.pollers }, async () => {
    const handler = options.handler();
    const instance = new LambdaInstance(time);
    while (!stopped) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: options.batchSize, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }),
      );
      if (Messages.length === 0) {
        await time.sleep(options.idleMs);
        continue;
      }
      received += Messages.length;
      running += 1;
      const start = time.now;
      const event = sqsEventOf(Messages, options.queueArn);
      const response = (await world.meter.instances.run(instance, () => handler(event, lambdaContext(time, options.timeoutMs)))) as SQSBatchResponse | undefined;
      const end = time.now;
      running -= 1;
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const done = Messages.filter((m) => !failed.has(m.MessageId ?? ''));
      if (done.length > 0) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
      }
      handled += Messages.length;
      options.onInvocation?.({ start, end, body: Messages[0]?.Body, messages: Messages.length, failed: failed.size });
    }
  });
  let failure: unknown;
  for (const loop of loops) loop.catch((error: unknown) => (failure ??= error));
  return {
    /** What a poller (its handler, or a request of the event source's) threw. */
    get failure() {
      return failure;
    },
    get running() {
      return running;
    },
    get received() {
      return received;
    },
    get handled() {
      return handled;
    },
    /** Pollers finish their current wait and leave (they never receive again). */
    stop: () => {
      stopped = true;
    },
  };
};
