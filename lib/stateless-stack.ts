import { grantPutAfterchatEvents } from './constructs/afterchat-events-grant';
import * as path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { retentionEnvironment, retentionSettings, type StageConfig } from './config';
import { AccessPolicies } from './constructs/access-policies';
import { Automation } from './constructs/automation';
import { Campaigns } from './constructs/campaigns';
import { Conversions } from './constructs/conversions';
import { FunnelStream } from './constructs/funnel-stream';
import { ClickRedirect } from './constructs/click-redirect';
import type { MetaSecrets } from './constructs/meta-secrets';
import { IndexBackfill } from './constructs/index-backfill';
import { Imports } from './constructs/imports';
import { NodeFunction } from './constructs/node-function';
import { Monitoring } from './constructs/monitoring';
import { SendPipeline } from './constructs/send-pipeline';
import { Sweeper } from './constructs/sweeper';
import { TemplateSync } from './constructs/template-sync';
import { grantSecretValue, grantSendTo, grantTableAccess, STATE_TABLE_ACCESS } from './constructs/function-access';

export interface StatelessStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITableV2;
  readonly metaSecrets: MetaSecrets;
}

const handlersDir = path.join(__dirname, '..', 'lambdas', 'handlers');

/** Meta can send WhatsApp payloads up to 3 MB; anything larger is rejected before the HMAC. */
const MAX_WEBHOOK_BODY_BYTES = 4 * 1024 * 1024;

// Only fields that cannot carry message content or tokens: no path, query string or body.
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    error: '$context.error.message',
    integrationError: '$context.integrationErrorMessage',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    caller: '$context.identity.userArn',
  }),
);

/**
 * The API, the Lambdas behind it, the send pipeline, campaigns and their permissions. Safe to
 * destroy and recreate, except that messages waiting in the send and campaign queues go with it.
 */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly accessPolicies: AccessPolicies;
  readonly monitoring: Monitoring;
  readonly webhook: NodeFunction;
  readonly dataDeletion: NodeFunction;
  readonly admin: NodeFunction;
  readonly sendPipeline: SendPipeline;
  readonly campaigns: Campaigns;
  readonly templateSync: TemplateSync;
  readonly indexBackfill: IndexBackfill;
  readonly sweeper: Sweeper;
  readonly automation: Automation;
  readonly imports: Imports;
  readonly conversions: Conversions;
  readonly funnelStream: FunnelStream;
  readonly clickRedirect: ClickRedirect;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, metaSecrets } = props;

    this.webhook = new NodeFunction(this, 'MetaWebhook', {
      entry: path.join(handlersDir, 'meta-webhook.ts'),
      description: 'Meta webhook: verify-token handshake (GET) and signed event delivery (POST)',
      serviceName: 'meta-webhook',
      // Meta retries after 5 s anyway; letting a slow invocation finish its write beats losing it,
      // and the retry is deduplicated.
      timeout: Duration.seconds(10),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      environment: {
        TABLE_NAME: table.tableName,
        APP_SECRET_ID: metaSecrets.appSecret.secretArn,
        VERIFY_TOKEN_SECRET_ID: metaSecrets.verifyToken.secretArn,
        MAX_BODY_BYTES: String(MAX_WEBHOOK_BODY_BYTES),
      },
    });
    // No PutItem, DeleteItem or Scan: the webhook updates registers and batch-writes event records.
    grantTableAccess(table, this.webhook.function, STATE_TABLE_ACCESS.webhook);
    grantSecretValue(this.webhook.function, metaSecrets.appSecret, metaSecrets.verifyToken);

    this.dataDeletion = new NodeFunction(this, 'MetaDataDeletion', {
      entry: path.join(handlersDir, 'meta-data-deletion.ts'),
      description: "Meta's data deletion callback (signed_request) and its status URL",
      serviceName: 'meta-data-deletion',
      timeout: Duration.seconds(30),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      environment: { TABLE_NAME: table.tableName, APP_SECRET_ID: metaSecrets.appSecret.secretArn },
    });
    grantTableAccess(table, this.dataDeletion.function, STATE_TABLE_ACCESS.dataDeletion);
    grantSecretValue(this.dataDeletion.function, metaSecrets.appSecret);

    this.sendPipeline = new SendPipeline(this, 'SendPipeline', {
      senderEntry: path.join(handlersDir, 'sender.ts'),
      send: config.send,
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
      appSecret: metaSecrets.appSecret,
      accessTokenPrefix: metaSecrets.accessTokenPrefix,
    });

    this.automation = new Automation(this, 'Automation', {
      entry: path.join(handlersDir, 'automation.ts'),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
      sendQueue: this.sendPipeline.queue,
      windowClosingMarginSeconds: config.send.windowClosingMarginSeconds,
      graphApiVersion: config.send.graphApiVersion,
      appSecret: metaSecrets.appSecret,
      accessTokenPrefix: metaSecrets.accessTokenPrefix,
    });
    // One SendMessage per webhook body with inbound events automation acts on, after their writes landed.
    this.webhook.function.addEnvironment('AUTOMATION_QUEUE_URL', this.automation.queue.queueUrl);
    grantSendTo(this.webhook.function, this.automation.queue);

    this.campaigns = new Campaigns(this, 'Campaigns', {
      stage: config.stage,
      dispatcherEntry: path.join(handlersDir, 'campaign-dispatcher.ts'),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
      sendQueue: this.sendPipeline.queue,
      windowClosingMarginSeconds: config.send.windowClosingMarginSeconds,
    });
    this.automation.publishTo(this.campaigns.businessEventBus);

    // order.placed on the business bus, attributed to the person's last read or click (README "Conversions").
    this.conversions = new Conversions(this, 'Conversions', {
      entry: path.join(handlersDir, 'conversions.ts'),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
      businessEventBus: this.campaigns.businessEventBus,
      attributionWindowDays: config.conversions.attributionWindowDays,
    });

    // The status milestones of the funnel, counted off the state table's stream (README "Funnel").
    this.funnelStream = new FunnelStream(this, 'FunnelStream', {
      entry: path.join(handlersDir, 'funnel-stream.ts'),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
    });

    this.imports = new Imports(this, 'Imports', {
      entry: path.join(handlersDir, 'import-worker.ts'),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
      windowClosingMarginSeconds: config.send.windowClosingMarginSeconds,
    });

    this.admin = new NodeFunction(this, 'AdminApi', {
      entry: path.join(handlersDir, 'admin-api.ts'),
      description: 'Operator API, reachable only with SigV4-signed requests',
      serviceName: 'admin-api',
      // A campaign preview reads the audience for up to 20 s; HTTP APIs wait at most 30 s for an answer.
      timeout: Duration.seconds(29),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      environment: {
        TABLE_NAME: table.tableName,
        SEND_QUEUE_URL: this.sendPipeline.queue.queueUrl,
        RULE_NAME_PREFIX: this.campaigns.ruleNamePrefix,
        DISPATCHER_ARN: this.campaigns.dispatcher.function.functionArn,
        SCHEDULE_DLQ_ARN: this.campaigns.deadLetterQueue.queueArn,
        DISPATCH_QUEUE_URL: this.campaigns.queue.queueUrl,
        WINDOW_CLOSING_MARGIN_SECONDS: String(config.send.windowClosingMarginSeconds),
        // The sender's version, so GET /admin/health shows it with its end date.
        GRAPH_API_VERSION: config.send.graphApiVersion,
        // The sender's token prefix: PUT /admin/accounts/... refuses a tokenSecret outside it.
        TOKEN_SECRET_PREFIX: metaSecrets.accessTokenPrefix,
        // POST /admin/imports/{importId}/start sends the import's first slice here.
        IMPORT_QUEUE_URL: this.imports.queue.queueUrl,
      },
    });
    // Campaign previews page through an audience (gsi1, zone buckets in gsi2), progress reports
    // through an occurrence's outbox (gsi1), a contact's sends newest first (gsi2). Never Scan.
    grantTableAccess(table, this.admin.function, STATE_TABLE_ACCESS.admin);
    // POST /admin/sends enqueues sends; POST /admin/imports/{importId}/start, an import's first slice.
    grantSendTo(this.admin.function, this.sendPipeline.queue, this.imports.queue);
    this.campaigns.grantScheduling(this.admin);
    // An admin's handoff (POST .../handoff) puts handoff.requested on the business bus, as automation does.
    this.admin.function.addEnvironment('BUSINESS_BUS_NAME', this.campaigns.businessEventBus.eventBusName);
    grantPutAfterchatEvents(this.campaigns.businessEventBus, this.admin.function);

    this.templateSync = new TemplateSync(this, 'TemplateSync', {
      entry: path.join(handlersDir, 'template-sync.ts'),
      stage: config.stage,
      config: config.templateSync,
      graphApiVersion: config.send.graphApiVersion,
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
      appSecret: metaSecrets.appSecret,
      accessTokenPrefix: metaSecrets.accessTokenPrefix,
    });
    // POST /admin/templates/{channel}/{accountId}/sync reads Meta's listings as the scheduled job does;
    // DELETE /admin/contacts/.../handoff takes a Messenger thread back with the same token (no IAM of its own).
    for (const [name, value] of Object.entries(this.templateSync.graphEnvironment())) this.admin.function.addEnvironment(name, value);
    this.templateSync.grantGraphReads(this.admin);

    this.indexBackfill = new IndexBackfill(this, 'IndexBackfill', {
      entry: path.join(handlersDir, 'backfill.ts'),
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
    });

    // Retention (README "Retention"): the TTL of the records each function writes that hold personal
    // data, from the CDK context (`-c outboxRetentionDays=…`), defaults in lib/config.ts.
    const retention = retentionEnvironment(retentionSettings(this.node));
    for (const fn of [this.webhook, this.admin, this.sendPipeline.sender, this.campaigns.dispatcher, this.automation.function, this.imports.worker, this.conversions.function]) {
      for (const [name, value] of Object.entries(retention)) fn.function.addEnvironment(name, value);
    }

    this.sweeper = new Sweeper(this, 'Sweeper', {
      entry: path.join(handlersDir, 'sweeper.ts'),
      stage: config.stage,
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      table,
      sendQueue: this.sendPipeline.queue,
      sendDeadLetterQueue: this.sendPipeline.deadLetterQueue,
      dispatchQueue: this.campaigns.queue,
    });

    // The L2 default stage takes no throttling or access-log options, so the $default stage is
    // added explicitly.
    this.api = new HttpApi(this, 'HttpApi', {
      description: `afterchat ${config.stage}: Meta webhooks and operator API`,
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });

    const webhookRoutes = this.api.addRoutes({
      path: '/webhooks/meta',
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: new HttpLambdaIntegration('MetaWebhookIntegration', this.webhook.function),
    });
    for (const route of webhookRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Meta cannot present AWS credentials or a JWT. The handler authenticates every POST by checking X-Hub-Signature-256 (HMAC-SHA256 keyed with the App Secret) over the raw body, and the GET handshake by the verify token.',
      });
    }

    // Tracking links (README "Clicks"): the dispatcher signs them, the redirect verifies and counts them.
    this.clickRedirect = new ClickRedirect(this, 'ClickRedirect', {
      entry: path.join(handlersDir, 'click-redirect.ts'),
      api: this.api,
      table,
      trackingKey: metaSecrets.trackingKey,
      clicks: config.clicks,
      logRetention: config.logRetention,
      logLevel: config.logLevel,
    });
    for (const [name, value] of Object.entries(retention)) this.clickRedirect.function.function.addEnvironment(name, value);
    this.campaigns.dispatcher.function.addEnvironment('TRACKING_KEY_SECRET_ID', metaSecrets.trackingKey.secretArn);
    this.campaigns.dispatcher.function.addEnvironment('REDIRECT_BASE_URL', this.clickRedirect.redirectBase);
    this.campaigns.dispatcher.function.addEnvironment('LINK_TTL_DAYS', String(config.clicks.linkTtlDays));
    grantSecretValue(this.campaigns.dispatcher.function, metaSecrets.trackingKey);

    // afterchat's own events (README "Events afterchat emits"), where the stage turns them on: the
    // webhook (statuses, consent), the redirect (clicks) and automation (STOP / START) put them.
    if (config.eventsOut === true) {
      const bus = this.campaigns.businessEventBus;
      for (const fn of [this.webhook.function, this.clickRedirect.function.function, this.automation.function.function]) fn.addEnvironment('EVENTS_OUT_BUS_NAME', bus.eventBusName);
      // Automation may put afterchat's events already (handoff.requested).
      for (const fn of [this.webhook.function, this.clickRedirect.function.function]) grantPutAfterchatEvents(bus, fn);
    }

    // Meta's data deletion callback and the status URL it hands the person: public, as Meta calls them.
    const dataDeletionIntegration = new HttpLambdaIntegration('MetaDataDeletionIntegration', this.dataDeletion.function);
    const dataDeletionRoutes = [
      ...this.api.addRoutes({ path: '/webhooks/meta/data-deletion', methods: [HttpMethod.POST], integration: dataDeletionIntegration }),
      ...this.api.addRoutes({ path: '/webhooks/meta/data-deletion/{code}', methods: [HttpMethod.GET], integration: dataDeletionIntegration }),
    ];
    for (const route of dataDeletionRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Meta cannot present AWS credentials or a JWT. The POST is authenticated by its signed_request (HMAC-SHA256 keyed with the App Secret) before anything is erased; the GET status page is for the person who asked and shows only counts under an unguessable code.',
      });
    }

    this.api.addRoutes({
      path: '/admin/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('AdminApiIntegration', this.admin.function),
      authorizer: new HttpIamAuthorizer(),
    });
    // Viewer, operator and admin: IAM managed policies over the admin routes (lib/access-levels.ts).
    this.accessPolicies = new AccessPolicies(this, 'AdminAccess', { api: this.api, stage: config.stage });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: config.stage,
      webhook: this.webhook,
      sweeper: this.sweeper.function,
      threadMovers: [this.automation.function, this.admin, this.sendPipeline.sender],
      accessLogs,
      apis: [
        { name: 'Webhook', routeKeys: ['GET /webhooks/meta', 'POST /webhooks/meta'] },
        { name: 'Admin', routeKeys: ['ANY /admin/{proxy+}'] },
      ],
      queues: [
        { name: 'send', queue: this.sendPipeline.queue },
        { name: 'campaign continuations', queue: this.campaigns.queue },
        { name: 'automation', queue: this.automation.queue },
        { name: 'import', queue: this.imports.queue },
      ],
      deadLetterQueues: [
        { name: 'send DLQ', queue: this.sendPipeline.deadLetterQueue },
        { name: 'campaign DLQ', queue: this.campaigns.deadLetterQueue },
        { name: 'automation DLQ', queue: this.automation.deadLetterQueue },
        { name: 'import DLQ', queue: this.imports.deadLetterQueue },
        { name: 'conversion DLQ', queue: this.conversions.deadLetterQueue },
        { name: 'funnel stream DLQ', queue: this.funnelStream.deadLetterQueue },
      ],
      existingAlarms: [this.sendPipeline.deadLetterAlarm, this.campaigns.deadLetterAlarm, this.automation.deadLetterAlarm, this.imports.deadLetterAlarm, this.conversions.deadLetterAlarm, this.funnelStream.deadLetterAlarm],
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Every alarm notifies this topic: aws sns subscribe --topic-arn <this> --protocol email --notification-endpoint you@example.com',
      value: this.monitoring.topic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });

    new CfnOutput(this, 'WebhookCallbackUrl', {
      description: "Callback URL to enter in the Meta app dashboard's webhook settings",
      value: `${this.api.apiEndpoint}/webhooks/meta`,
    });
    new CfnOutput(this, 'DataDeletionCallbackUrl', {
      description: "Data deletion callback URL to enter in the Meta app dashboard (App settings > Basic > Data deletion requests > Data deletion callback URL)",
      value: `${this.api.apiEndpoint}/webhooks/meta/data-deletion`,
    });
    new CfnOutput(this, 'TrackingLinkBaseUrl', {
      description: "Tracking links point here; a WhatsApp template's URL button is tracked when its URL is this followed by {{1}}",
      value: this.clickRedirect.redirectBase,
    });
    new CfnOutput(this, 'TrackingKeySecretArn', {
      description: 'The HMAC key of the tracking links (generated; rotate by storing {"current","previous"})',
      value: metaSecrets.trackingKey.secretArn,
    });
    new CfnOutput(this, 'AdminBaseUrl', {
      description: 'Base URL of the operator API (SigV4, service execute-api)',
      value: `${this.api.apiEndpoint}/admin/`,
    });
    new CfnOutput(this, 'AppSecretArn', {
      description: 'Store the Meta App Secret here with "aws secretsmanager put-secret-value"',
      value: metaSecrets.appSecret.secretArn,
    });
    new CfnOutput(this, 'VerifyTokenSecretArn', {
      description: "Read this value and paste it as the verify token in Meta's dashboard",
      value: metaSecrets.verifyToken.secretArn,
    });
    new CfnOutput(this, 'AccessTokenSecretPrefix', {
      description: 'Name prefix for the per-account access-token secrets that operators create',
      value: metaSecrets.accessTokenPrefix,
    });
    new CfnOutput(this, 'StateTableName', { value: table.tableName });
    new CfnOutput(this, 'SendQueueUrl', {
      description: 'Queue the sender drains; the admin API enqueues sends here',
      value: this.sendPipeline.queue.queueUrl,
    });
    new CfnOutput(this, 'SendDeadLetterQueueUrl', {
      description: 'Sends that failed 5 times; inspect, then redrive them to the send queue',
      value: this.sendPipeline.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'AutomationDeadLetterQueueUrl', {
      description: 'Automation hand-offs that failed 5 times; inspect, then redrive them to the automation queue',
      value: this.automation.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'ImportDeadLetterQueueUrl', {
      description: 'Import slices that failed 5 times (their import waits at that slice); inspect, then redrive them to the import queue',
      value: this.imports.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'ConversionDeadLetterQueueUrl', {
      description: 'order.placed events the conversion handler kept failing on; fix the cause, then replay them on the business bus (an order counts once)',
      value: this.conversions.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'FunnelStreamDeadLetterQueueUrl', {
      description: 'Batches of the state table stream the funnel consumer kept failing on (shard and sequence range): their status milestones were not counted',
      value: this.funnelStream.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'BusinessEventBusName', {
      description: 'Put business events (e.g. order.shipped with detail.template) on this bus to send templates',
      value: this.campaigns.businessEventBus.eventBusName,
    });
    new CfnOutput(this, 'CampaignDispatcherName', { value: this.campaigns.dispatcher.function.functionName });
    new CfnOutput(this, 'CampaignRulePrefix', {
      description: 'Name prefix of the scheduled rules (default bus) that fire campaigns',
      value: this.campaigns.ruleNamePrefix,
    });
    new CfnOutput(this, 'CampaignDeadLetterQueueUrl', {
      description: 'Campaign firings, continuations and business events that kept failing; inspect, then redrive',
      value: this.campaigns.deadLetterQueue.queueUrl,
    });
  }
}

