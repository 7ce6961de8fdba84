import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { createAdminHandler } from '../admin/admin-api';
import { DynamoDbAccountRegistry } from '../adapters/dynamodb/account-registry';
import { DynamoDbAuditLog } from '../adapters/dynamodb/audit-log';
import { DynamoDbStateStore } from '../adapters/dynamodb/state-store';
import { StaticWebhookSecrets } from '../adapters/secrets/static-webhook-secrets';
import { type Clock, systemClock } from '../domain/clock';
import { DynamoDbOutbox } from '../adapters/dynamodb/outbox';
import { DynamoDbDeletionRequests } from '../adapters/dynamodb/deletion-requests';
import { DynamoDbErasureStore } from '../adapters/dynamodb/erasure-store';
import { DynamoDbPersonData } from '../adapters/dynamodb/person-data';
import { DynamoDbQuarantine } from '../adapters/dynamodb/quarantine';
import { DynamoDbSendLimiter } from '../adapters/dynamodb/send-limiter';
import { GraphApiClient } from '../adapters/meta/graph-api-client';
import { GraphTemplateCatalog } from '../adapters/meta/graph-template-catalog';
import { createTemplateSync, type TemplateSync } from '../templates/sync-templates';
import { StaticAccessTokens } from '../adapters/secrets/access-tokens';
import { SqsSendQueue } from '../adapters/sqs/send-queue';
import { createSender } from '../send/sender';
import { SharedPacer } from '../send/shared-pacer';
import { WHATSAPP_DEFAULT_THROUGHPUT } from '../domain/send/send-limits';
import { createSendRequests } from '../send/send-requests';
import { createSqsSenderHandler } from '../send/sqs-sender-handler';
import { createDataDeletionHandler, DATA_DELETION_PATH } from '../erasure/data-deletion';
import { DynamoDbClickLog } from '../adapters/dynamodb/click-log';
import { DynamoDbFunnelMilestones } from '../adapters/dynamodb/funnel-milestones';
import { StaticTrackingKeys } from '../adapters/secrets/static-tracking-keys';
import type { LinkTracking } from '../clicks/link-signing';
import { createRedirectHandler, REDIRECT_PATH_PREFIX } from '../clicks/redirect-handler';
import { createWebhookHandler } from '../webhook/receive-webhook';
import { type AnnounceDeps, announcingMilestones, announcingStatuses } from '../measurement/announce-milestones';
import { gateEventsOut } from '../measurement/events-out-gate';
import type { BusinessBus } from '../ports/business-bus';
import type { FunnelMilestones } from '../ports/funnel-milestones';
import type { StatusFunnel } from '../ports/status-funnel';
import { SqsAutomationQueue, sqsSendBody } from '../adapters/sqs/automation-queue';
import { DynamoDbAutomationConfigStore } from '../adapters/dynamodb/automation-config-store';
import { DynamoDbAutomationUsageStore } from '../adapters/dynamodb/automation-usage-store';
import { DynamoDbConversationTurns } from '../adapters/dynamodb/conversation-turns';
import { DynamoDbMeasurementCounters } from '../adapters/dynamodb/measurement-counters';
import { createAutomation } from '../automation/run-automation';
import { createSqsAutomationHandler } from '../automation/sqs-automation-handler';
import { CONSOLE_PATH, consoleFiles } from './console-files';
import { type MetaSimulator, type SimulatorOptions, startMetaSimulator } from './meta-simulator';
import { type LocalQueues, startLocalQueues } from './sqs-server';
import { startSqsPoller } from './sqs-poller';
import { normaliseWebhookBody } from '../normalise/webhook-body';
import { apiGatewayListener, type HttpHandler, type Route } from './api-gateway-bridge';
import { type RunningDynalite, startDynalite } from './dynalite-server';
import { ensureStateTable, LOCAL_TABLE } from './table';
import { tellSimulator } from './simulator-sync';
import { DynamoDbAudienceIndex } from '../adapters/dynamodb/audience-index';
import { DynamoDbCampaignStore } from '../adapters/dynamodb/campaign-store';
import { DynamoDbContactProfiles } from '../adapters/dynamodb/contact-profiles';
import { DynamoDbMarketingLedger } from '../adapters/dynamodb/marketing-ledger';
import { DynamoDbOccurrenceStore } from '../adapters/dynamodb/occurrence-store';
import { SqsDispatchQueue } from '../adapters/sqs/dispatch-queue';
import { createCampaignService } from '../campaign/campaign-service';
import { createDispatcher, type Dispatcher } from '../campaign/dispatcher';
import type { DispatchTuning } from '../campaign/dispatcher-deps';
import { createDispatcherHandler } from '../campaign/dispatcher-handler';
import { json } from '../http/responses';
import { createLocalEventBus, type LocalEventBus } from './local-event-bus';
import { DynamoDbConversionRevenue } from '../adapters/dynamodb/conversion-revenue';
import { DynamoDbConversions } from '../adapters/dynamodb/conversions';
import { DynamoDbTouches } from '../adapters/dynamodb/touches';
import { DynamoDbCustomerDirectory } from '../adapters/dynamodb/customer-directory';
import { createConversionHandler } from '../conversions/conversion-handler';
import { DAY_MS, DEFAULT_ATTRIBUTION_WINDOW_DAYS } from '../domain/measurement/attribution';
import { DEFAULT_PREVIEW_WINDOW_SECONDS } from '../domain/clicks/preview-fetch';
import { EventBridgeBusinessBus } from '../adapters/eventbridge/business-bus';
import type { ThreadControlApi, ThreadControlRequest } from '../ports/graph-api';
import { LocalCampaignScheduler } from './local-scheduler';
import { putEventsRoute } from './put-events-route';
import { FIRE_RULE_PATH, fireRuleRoute } from './fire-rule-route';
import type { SQSBatchResponse } from 'aws-lambda';
import { startLocalSweeper, type LocalSweeperOptions } from './local-sweeper';
import { DynamoDbPendingWork } from '../adapters/dynamodb/pending-work';
import { SqsDeadLetters } from '../adapters/sqs/dead-letters';
import type { SweepReport } from '../sweeper/sweeper-deps';
import { DynamoDbImportJobs } from '../adapters/dynamodb/import-jobs';
import { SqsImportQueue } from '../adapters/sqs/import-queue';
import { runImportSlice, type SliceTuning } from '../import/run-import-slice';
import { createSqsImportHandler } from '../import/sqs-import-handler';

/** Pages and Instagram accounts without a rate of their own, as the stage config's messengerRatePerSecond. */
const LOCAL_MESSENGER_RATE = 40;
/** Token secrets registered through the local admin API are named under the dev stage's prefix, as the sample accounts are. */
export const LOCAL_TOKEN_SECRET_PREFIX = 'afterchat/dev/tokens/';
/** The business bus's name in the dev stage; locally there is one bus, whatever the name. */
const LOCAL_BUSINESS_BUS = 'afterchat-dev-business';
/** The Graph API version the local sender calls and GET /admin/health reports, as in the dev stage. */
const LOCAL_GRAPH_API_VERSION = 'v25.0';

/** Sending locally: SQS emulator, a poller in place of the event source mapping, and the Meta simulator. */
export interface LocalSendingOptions {
  /** Access token per account id, shared by the simulator and the sender. */
  tokens: Record<string, string>;
  instagramAccounts?: string[];
  whatsappNumbers?: SimulatorOptions['whatsappNumbers'];
  faults?: SimulatorOptions['faults'];
  seed?: number;
  /**
   * Messages per second of every account whose registration names no `throughputPerSecond`
   * (default: Meta's — WhatsApp 80, Messenger and Instagram 40). Paced through the shared limiter in
   * the local table, as in AWS.
   */
  ratePerSecond?: number;
  /** Parallel pollers (like concurrent sender instances); default 2. */
  concurrency?: number;
  /** Graph API timeout in the sender (default 10 s). */
  graphTimeoutMs?: number;
  visibilityTimeoutSeconds?: number;
  webhookDelayMs?: number;
  /** Which statuses the simulator reports after accepting a message (default delivered and read). */
  statuses?: SimulatorOptions['statuses'];
  /** WhatsApp messages per second per number before 130429 (default 80). */
  throughputPerSecond?: number;
  /** Retryable errors are retried this many times in all (default 5). */
  maxAttempts?: number;
  /** Longest wait between retries (default 5 s: locally nobody waits Meta's minutes). */
  maxRetryDelayMs?: number;
  /** A claim older than this is looked at again (default 30 s; must exceed one send attempt). */
  staleClaimMs?: number;
  /**
   * A Graph API (a Meta simulator) running in its own process, e.g. one that must outlive this
   * stack; no simulator is started here then, and `LocalStack.sending` is absent.
   */
  graphBaseUrl?: string;
}

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
  /** Start the send pipeline (poller, sender, Meta simulator) too. */
  sending?: LocalSendingOptions;
  /** How often the local scheduler looks for due campaign rules (default 1 s); false: only `campaigns.runDue`. */
  schedulerTickMs?: number | false;
  /** Dispatcher page size and concurrency (tests make pages small to exercise continuations). */
  dispatchTuning?: Partial<DispatchTuning>;
  /** Run the sweeper at start and on a timer (README "Sweeper"); absent: never (tests that move the clock stay in charge). */
  sweeper?: LocalSweeperOptions;
  /** Import slice size and time budget (tests make slices small to exercise the chain of messages). */
  importTuning?: Partial<SliceTuning>;
  /** The conversion rule's last-touch window, as the stage's `conversions.attributionWindowDays` (default 7). */
  attributionWindowDays?: number;
  /** The tracking links' key (README "Clicks"; default `local-tracking-key`), their life and the preview window (defaults 30 days, 10 s). */
  clicks?: { trackingKey?: string; linkTtlDays?: number; previewWindowSeconds?: number };
  /**
   * afterchat's own events on the local bus (`message.delivered`, …, `contact.opted_in`; README "Events
   * afterchat emits"), as the stage's `eventsOut` turns them on in AWS. Default off.
   */
  eventsOut?: boolean;
}

export interface LocalStack {
  url: string;
  tableName: string;
  dynamoEndpoint: string;
  /** The send queue and the dispatch queue, always running: campaigns enqueue even without a sender. */
  queues: LocalQueues;
  /** Present when `sending` was asked for with the in-process simulator (no `graphBaseUrl`). */
  sending?: { queues: LocalQueues; simulator: MetaSimulator };
  /** One sweep now, as the timer runs it; present when `sweeper` was asked for. */
  sweep?: () => Promise<SweepReport>;
  campaigns: {
    scheduler: LocalCampaignScheduler;
    dispatcher: Dispatcher;
    /** The dispatcher Lambda's handler, as EventBridge and SQS invoke it. */
    invoke: ReturnType<typeof createDispatcherHandler>;
    eventBus: LocalEventBus;
  };
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

  // Records holding personal data expire at the default retention (lambdas/domain/retention.ts), counted on the stack's clock.
  const store = new DynamoDbStateStore(client, { tableName, clock });
  const accounts = new DynamoDbAccountRegistry(client, tableName, clock);
  const automationConfigs = new DynamoDbAutomationConfigStore(client, tableName, clock);
  const automationUsage = new DynamoDbAutomationUsageStore(client, tableName, clock);
  const measurement = { turns: new DynamoDbConversationTurns(client, tableName), counters: new DynamoDbMeasurementCounters(client, tableName, clock) };
  const outbox = new DynamoDbOutbox(client, tableName);
  const quarantine = new DynamoDbQuarantine(client, tableName);
  const queues = await startLocalQueues({ visibilityTimeoutSeconds: options.sending?.visibilityTimeoutSeconds });
  const queue = new SqsSendQueue(queues.client, queues.queueUrl);
  // The local bus is made below; its events are put only once the stack serves requests.
  const eventsOut: BusinessBus | undefined = options.eventsOut === true ? { put: (events) => businessBus.put(events) } : undefined;
  const announced = <F>(funnel: F, announce: (funnel: F, deps: AnnounceDeps) => F): F => (eventsOut === undefined ? funnel : announce(funnel, { bus: eventsOut, outbox }));
  const webhook = createWebhookHandler({
    secrets: new StaticWebhookSecrets(options.appSecret, options.verifyToken),
    store,
    quarantine,
    accounts,
    outbox,
    clock,
    logger,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    automation: new SqsAutomationQueue(queues.automationQueueUrl, () => Promise.resolve(sqsSendBody(queues.client, SendMessageCommand))),
    growth: measurement.counters,
    funnel: announced<StatusFunnel>(new DynamoDbFunnelMilestones(client, tableName, outbox), announcingStatuses),
    clicks: { outbox, funnel: announced<FunnelMilestones>(new DynamoDbFunnelMilestones(client, tableName, outbox), announcingMilestones), clicks: new DynamoDbClickLog(client, tableName) },
    engagement: { outbox, milestones: announced<FunnelMilestones>(new DynamoDbFunnelMilestones(client, tableName, outbox), announcingMilestones) },
    ...(eventsOut === undefined ? {} : { eventsOut }),
  });
  const erasure = new DynamoDbErasureStore(client, tableName);
  const dataDeletion = createDataDeletionHandler({
    secrets: new StaticWebhookSecrets(options.appSecret, options.verifyToken),
    erasure,
    accounts,
    requests: new DynamoDbDeletionRequests(client, tableName),
    clock,
    logger,
    scheme: 'http',
  });
  const profiles = new DynamoDbContactProfiles(client, tableName);
  const importJobs = new DynamoDbImportJobs(client, tableName);
  const importQueue = new SqsImportQueue(queues.client, queues.importQueueUrl);
  const campaignStore = new DynamoDbCampaignStore(client, tableName);
  const occurrences = new DynamoDbOccurrenceStore(client, tableName);
  const audience = new DynamoDbAudienceIndex(client, tableName);
  const continuations = new SqsDispatchQueue(queues.client, queues.dispatchQueueUrl);
  // The scheduler fires the dispatcher's handler with the input an EventBridge target would get.
  const scheduler = new LocalCampaignScheduler({
    clock,
    fire: async (firing) => {
      await invoke(firing);
    },
    onError: (error) => logger.error('local campaign rule failed', error as Error),
    onSkipped: (skipped) => logger.warn('local scheduler skipped missed firings', { ...skipped }),
  });
  const trackingKeys = new StaticTrackingKeys(options.clicks?.trackingKey ?? 'local-tracking-key');
  // The redirect's base is the server's own URL, known once it listens (below); no page is dispatched before.
  const links: LinkTracking = { keys: trackingKeys, redirectBase: '', ttlMs: (options.clicks?.linkTtlDays ?? 30) * 86_400_000 };
  const redirect = createRedirectHandler({
    keys: trackingKeys,
    outbox,
    funnel: announced<FunnelMilestones>(new DynamoDbFunnelMilestones(client, tableName, outbox), announcingMilestones),
    clicks: new DynamoDbClickLog(client, tableName),
    clock,
    previewWindowMs: (options.clicks?.previewWindowSeconds ?? DEFAULT_PREVIEW_WINDOW_SECONDS) * 1000,
    logger,
  });
  const dispatcher = createDispatcher({
    campaigns: campaignStore,
    occurrences,
    audience,
    store,
    accounts,
    ledger: new DynamoDbMarketingLedger(client, tableName),
    outbox,
    queue,
    continuations,
    scheduler,
    clock,
    logger,
    tuning: options.dispatchTuning,
    automationConfigs,
    automationUsage,
    links,
  });
  const invoke = createDispatcherHandler(dispatcher, logger);
  // The conversion rule's target: order.placed from the local bus, as from the business bus in AWS.
  const funnel = new DynamoDbFunnelMilestones(client, tableName, outbox);
  const conversions = new DynamoDbConversions(client, tableName);
  const convert = createConversionHandler({
    directory: new DynamoDbCustomerDirectory(client, tableName),
    touches: new DynamoDbTouches(client, tableName, outbox),
    milestones: funnel,
    conversions,
    revenue: new DynamoDbConversionRevenue(client, tableName, outbox),
    windowMs: (options.attributionWindowDays ?? DEFAULT_ATTRIBUTION_WINDOW_DAYS) * DAY_MS,
    clock,
    logger,
  });
  const eventBus = createLocalEventBus({ clock, deliver: async (event) => void (await invoke(event)), convert: async (event) => void (await convert(event)) });
  // handoff.requested lands on the local bus (GET /local/events) through the same adapter as in AWS.
  const businessBus = new EventBridgeBusinessBus({ putEvents: (entries) => eventBus.putEvents(entries), busName: LOCAL_BUSINESS_BUS });
  const campaignService = createCampaignService({ campaigns: campaignStore, occurrences, audience, store, accounts, outbox, continuations, scheduler, clock });
  const admin = createAdminHandler({
    store,
    accounts,
    // The automation poller's instance: a PUT shows in its next run, not after its minute of cache.
    automationConfigs,
    automationUsage,
    measurement,
    funnel: { counters: funnel, conversions, campaigns: campaignStore, occurrences },
    bus: businessBus,
    // DELETE .../handoff takes a passed thread back through the Graph API automation calls (below).
    ...(options.sending ? { threadControl: { threadControl: (request: ThreadControlRequest) => requireThreadControl().threadControl(request) } } : {}),
    clock,
    logger,
    // The preview peeks at the limiter in the senders' clock: they pace in wall time (below).
    sends: createSendRequests({ outbox, queue, store, accounts, clock, reach: { limiter: new DynamoDbSendLimiter(client, tableName), clock: Date.now } }),
    campaigns: campaignService,
    profiles,
    // Admin writes are recorded as in AWS; the local API signs nothing, so the principal is `unauthenticated`.
    audit: new DynamoDbAuditLog(client, tableName),
    quarantine,
    personData: new DynamoDbPersonData(client, tableName),
    erasure,
    audience,
    // POST …/start sends the first slice to the import poller's queue (below).
    imports: { jobs: importJobs, queue: importQueue },
    graphApiVersion: LOCAL_GRAPH_API_VERSION,
    tokenSecretPrefix: LOCAL_TOKEN_SECRET_PREFIX,
    // Reads the simulator's listings once it runs (it starts after this server, which it posts webhooks to).
    templateSync: options.sending
      ? { syncAccount: (ref) => requireTemplateSync().syncAccount(ref), syncAll: () => requireTemplateSync().syncAll() }
      : undefined,
  });
  // Rules live in EventBridge in AWS; locally they are rebuilt from the stored campaigns on start.
  for (const { campaign } of await campaignStore.list()) {
    if (campaign.status === 'scheduled' || campaign.status === 'running' || campaign.status === 'paused') await scheduler.schedule(campaign);
  }
  let simulatorRef: MetaSimulator | undefined;
  let threadControlClient: ThreadControlApi | undefined;
  const requireThreadControl = (): ThreadControlApi => {
    if (!threadControlClient) throw new Error('the Meta simulator is not running yet');
    return threadControlClient;
  };
  let templateSync: TemplateSync | undefined;
  const requireTemplateSync = (): TemplateSync => {
    if (!templateSync) throw new Error('the Meta simulator is not running yet');
    return templateSync;
  };
  const webhookSeenByMeta: HttpHandler = async (event) => {
    const result = await webhook(event);
    if (simulatorRef && result.statusCode === 200 && event.body) {
      const body = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
      await tellSimulator(simulatorRef, accounts, normaliseWebhookBody(JSON.parse(body)).events);
    }
    return result;
  };
  const routes: Route[] = [
    { routeKey: 'GET /webhooks/meta', matches: (m, p) => m === 'GET' && p === '/webhooks/meta', handler: webhook },
    { routeKey: 'POST /webhooks/meta', matches: (m, p) => m === 'POST' && p === '/webhooks/meta', handler: webhookSeenByMeta },
    { routeKey: 'POST /webhooks/meta/data-deletion', matches: (m, p) => m === 'POST' && p === DATA_DELETION_PATH, handler: dataDeletion },
    { routeKey: 'GET /webhooks/meta/data-deletion/{code}', matches: (m, p) => m === 'GET' && p.startsWith(`${DATA_DELETION_PATH}/`), handler: dataDeletion },
    { routeKey: 'ANY /admin/{proxy+}', matches: (_m, p) => p.startsWith('/admin/'), handler: admin },
    { routeKey: 'GET /r/{token}', matches: (m, p) => m === 'GET' && p.startsWith(REDIRECT_PATH_PREFIX), handler: redirect },
    // The web console (npm run build:console), beside the admin API it calls: local only, never in AWS.
    { routeKey: 'GET /console/{proxy+}', matches: (m, p) => m === 'GET' && (p === CONSOLE_PATH || p.startsWith(`${CONSOLE_PATH}/`)), handler: consoleFiles() },
    // Local stand-ins for EventBridge: PutEvents on the business bus, and the campaign rules.
    { routeKey: 'POST /local/events', matches: (m, p) => m === 'POST' && p === '/local/events', handler: (event) => putEventsRoute(eventBus, event) },
    // What a rule on the bus would see, e.g. automation's handoff.requested.
    { routeKey: 'GET /local/events', matches: (m, p) => m === 'GET' && p === '/local/events', handler: () => Promise.resolve(json(200, { events: eventBus.events() })) },
    { routeKey: 'GET /local/rules', matches: (m, p) => m === 'GET' && p === '/local/rules', handler: () => Promise.resolve(json(200, { rules: scheduler.rules() })) },
    {
      routeKey: 'POST /local/rules/{campaignId}/fire',
      matches: (m, p) => m === 'POST' && FIRE_RULE_PATH.test(p),
      handler: (event) => fireRuleRoute({ rules: () => scheduler.rules(), campaigns: campaignStore, invoke, clock }, event),
    },
  ];

  const server = createServer(apiGatewayListener(routes, clock, (error) => logger.error('local handler crashed', error as Error)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  links.redirectBase = `${url}${REDIRECT_PATH_PREFIX}`;

  const dispatchPoller = startSqsPoller({
    client: queues.client,
    queueUrl: queues.dispatchQueueUrl,
    queueArn: queues.dispatchQueueArn,
    handler: (event) => invoke(event) as Promise<SQSBatchResponse>,
    batchSize: 1,
    // An occurrence's segments run side by side, as the event source's maxConcurrency lets them in
    // AWS; four here, where every segment shares one process, its CPU and its DynamoDB sockets.
    concurrency: 4,
    onError: (error) => logger.error('local dispatch poller failed', error as Error),
  });
  if (options.schedulerTickMs !== false) scheduler.start(options.schedulerTickMs ?? 1000);
  // Automation's Lambda, as its event source mapping invokes it: confirmations go to the send queue like any send.
  const automationPoller = startSqsPoller({
    client: queues.client,
    queueUrl: queues.automationQueueUrl,
    queueArn: queues.automationQueueArn,
    handler: createSqsAutomationHandler(createAutomation({
        store,
        configs: automationConfigs,
        accounts,
        sends: createSendRequests({ outbox, queue, store, accounts, clock }),
        usage: automationUsage,
        measurement,
        funnel: { outbox, milestones: funnel },
        bus: gateEventsOut(businessBus, options.eventsOut === true),
        // Thread control calls the Graph API the sender calls, which runs once the simulator does (below).
        ...(options.sending ? { threadControl: { threadControl: (request: ThreadControlRequest) => requireThreadControl().threadControl(request) } } : {}),
        clock,
        logger,
      }), logger),
    onError: (error) => logger.error('local automation poller failed', error as Error),
  });
  // The import worker, as its event source mapping invokes it: one slice per invocation, each sending the next.
  const importPoller = startSqsPoller({
    client: queues.client,
    queueUrl: queues.importQueueUrl,
    queueArn: queues.importQueueArn,
    handler: createSqsImportHandler(
      async (slice) =>
        void (await runImportSlice(
          { jobs: importJobs, store, profiles, erasure, accounts, queue: importQueue, clock, logger, ...(options.importTuning ? { tuning: options.importTuning } : {}) },
          slice,
        )),
      logger,
    ),
    batchSize: 1,
    // Two imports at once, as two worker instances would run them.
    concurrency: 2,
    onError: (error) => logger.error('local import poller failed', error as Error),
  });

  let sending: LocalStack['sending'];
  let poller: { stop(): Promise<void> } | undefined;
  if (options.sending) {
    const s = options.sending;
    const simulator = s.graphBaseUrl !== undefined ? undefined : await startMetaSimulator({
      appSecret: options.appSecret,
      webhookUrl: `${url}/webhooks/meta`,
      webhookDelayMs: s.webhookDelayMs,
      statuses: s.statuses,
      throughputPerSecond: s.throughputPerSecond,
      tokens: s.tokens,
      instagramAccounts: s.instagramAccounts,
      whatsappNumbers: s.whatsappNumbers,
      faults: s.faults,
      seed: s.seed,
      clock,
    });
    const graphUrl = s.graphBaseUrl ?? (simulator as MetaSimulator).url;
    threadControlClient = new GraphApiClient({ baseUrl: graphUrl, version: LOCAL_GRAPH_API_VERSION, tokens: new StaticAccessTokens(s.tokens), timeoutMs: s.graphTimeoutMs });
    const processJob = createSender({
      outbox,
      store,
      accounts,
      graph: new GraphApiClient({ baseUrl: graphUrl, version: LOCAL_GRAPH_API_VERSION, tokens: new StaticAccessTokens(s.tokens), timeoutMs: s.graphTimeoutMs }),
      threadControl: threadControlClient,
      // Pacing runs on real time even when the stack's clock is a test's: slots are spent in wall time.
      pacer: new SharedPacer({
        limiter: new DynamoDbSendLimiter(client, tableName),
        clock: Date.now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        defaultRates: {
          whatsapp: s.ratePerSecond ?? WHATSAPP_DEFAULT_THROUGHPUT,
          messenger: s.ratePerSecond ?? LOCAL_MESSENGER_RATE,
          instagram: s.ratePerSecond ?? LOCAL_MESSENGER_RATE,
        },
        onError: (error) => logger.warn('pacing back-off not recorded', { error: (error as Error).message }),
      }),
      queue,
      clock,
      logger,
      maxAttempts: s.maxAttempts,
      maxRetryDelayMs: s.maxRetryDelayMs ?? 5000,
      staleClaimMs: s.staleClaimMs ?? 30_000,
      // No stream here: the sender counts Meta's refusals at the send call itself.
      funnel: new DynamoDbFunnelMilestones(client, tableName, outbox),
    });
    poller = startSqsPoller({
      client: queues.client,
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      handler: createSqsSenderHandler(processJob, logger),
      concurrency: s.concurrency ?? 2,
      onError: (error) => logger.error('local poller failed', error as Error),
    });
    sending = simulator === undefined ? undefined : { queues, simulator };
    simulatorRef = simulator;
    templateSync = createTemplateSync({
      catalog: new GraphTemplateCatalog({ baseUrl: graphUrl, version: LOCAL_GRAPH_API_VERSION, tokens: new StaticAccessTokens(s.tokens), timeoutMs: s.graphTimeoutMs }),
      store,
      accounts,
      clock,
      logger,
    });
  }

  const sweeper =
    options.sweeper === undefined
      ? undefined
      : startLocalSweeper(
          {
            pending: new DynamoDbPendingWork(client, tableName),
            outbox,
            occurrences,
            queue,
            continuations,
            deadLetters: new SqsDeadLetters(queues.client, queues.dlqUrl),
            clock,
            logger,
          },
          options.sweeper,
        );

  return {
    url,
    tableName,
    dynamoEndpoint: endpoint,
    queues,
    sending,
    ...(sweeper === undefined ? {} : { sweep: sweeper.sweep }),
    campaigns: { scheduler, dispatcher, invoke, eventBus },
    close: async () => {
      await sweeper?.stop();
      scheduler.stop();
      await dispatchPoller.stop();
      await automationPoller.stop();
      await importPoller.stop();
      await poller?.stop();
      await sending?.simulator.close();
      await queues.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      raw.destroy();
      await dynamo?.close();
    },
  };
};
