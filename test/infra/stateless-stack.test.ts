// Checks the stateless stack: Lambda settings, HTTP API routes and authorisation, stage throttling and access logs, IAM grants and outputs.
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { NodeFunction } from '../../lib/constructs/node-function';
import { stageConfig } from '../../lib/config';
import { buildApp } from './app';
import { idOf, refersTo, resourcesOf, statementsFor, type PolicyStatementJson, type Resource } from './template-helpers';

describe('StatelessStack', () => {
  const { stateful, stateless } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const config = stageConfig('dev');

  const functionId = (fn: NodeFunction): string => idOf(fn.function);
  const roleId = (fn: NodeFunction): string => idOf(fn.function.role!);
  const appSecretId = idOf(stateful.metaSecrets.appSecret);
  const verifyTokenId = idOf(stateful.metaSecrets.verifyToken);
  const tableId = idOf(stateful.table);

  const resources = (type: string): Record<string, Resource> => resourcesOf(template, type);
  const sender = stateless.sendPipeline.sender;
  const dispatcher = stateless.campaigns.dispatcher;
  const templateSync = stateless.templateSync.function;
  const backfill = stateless.indexBackfill.function;
  const sweeper = stateless.sweeper.function;
  const automation = stateless.automation.function;
  const importWorker = stateless.imports.worker;
  const clickRedirect = stateless.clickRedirect.function;
  const conversions = stateless.conversions.function;

  describe('functions', () => {
    it('run Node.js 24 on arm64 with active tracing; the webhook gets 512 MB and 10 s, the admin API 512 MB and 29 s (previews), the sender 512 MB and 30 s, the dispatcher 1,769 MB (a full vCPU) and 5 min, the template sync 512 MB and 5 min, the one-off index backfill 1024 MB and 15 min, the sweeper 512 MB and 4 min, automation 512 MB and 30 s, the data deletion callback 512 MB and 30 s, the import worker 1024 MB and 5 min, the click redirect 256 MB and 5 s, the conversion handler 256 MB and 30 s, the funnel stream consumer 256 MB and 60 s', () => {
      // Assess
      const functions = resources('AWS::Lambda::Function');
      expect(Object.keys(functions).sort()).toEqual(
        [stateless.admin, stateless.webhook, stateless.dataDeletion, sender, dispatcher, templateSync, backfill, sweeper, automation, importWorker, clickRedirect, conversions, stateless.funnelStream.function].map(functionId).sort(),
      );
      for (const [fn, memory, timeout] of [
        [stateless.webhook, 512, 10],
        [stateless.dataDeletion, 512, 30],
        [stateless.admin, 512, 29],
        [sender, 512, 30],
        [dispatcher, 1769, 300],
        [templateSync, 512, 300],
        [backfill, 1024, 900],
        [sweeper, 512, 240],
        [automation, 512, 30],
        [importWorker, 1024, 300],
        [clickRedirect, 256, 5],
        [conversions, 256, 30],
        [stateless.funnelStream.function, 256, 60],
      ] as const) {
        expect(functions[functionId(fn)]?.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          MemorySize: memory,
          Timeout: timeout,
          Handler: 'index.handler',
        });
      }
    });

    it('set source maps and the Powertools service, namespace and log level', () => {
      // Assess
      for (const [fn, service] of [
        [stateless.webhook, 'meta-webhook'],
        [stateless.dataDeletion, 'meta-data-deletion'],
        [stateless.admin, 'admin-api'],
        [sender, 'sender'],
        [dispatcher, 'campaign-dispatcher'],
        [templateSync, 'template-sync'],
        [backfill, 'index-backfill'],
        [automation, 'automation'],
        [importWorker, 'import-worker'],
      ] as const) {
        expect(resources('AWS::Lambda::Function')[functionId(fn)]?.Properties.Environment).toMatchObject({
          Variables: {
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: service,
            POWERTOOLS_METRICS_NAMESPACE: 'afterchat',
            POWERTOOLS_LOG_LEVEL: config.logLevel,
          },
        });
      }
    });

    it('log to their own log group, kept for one month and deleted with the stack', () => {
      // Assess
      const logGroups = resources('AWS::Logs::LogGroup');
      for (const fn of [stateless.webhook, stateless.admin, sender, dispatcher, templateSync]) {
        const logGroupId = idOf(fn.logGroup);
        expect(resources('AWS::Lambda::Function')[functionId(fn)]?.Properties.LoggingConfig).toEqual({
          LogGroup: { Ref: logGroupId },
        });
        expect(logGroups[logGroupId]).toMatchObject({
          DeletionPolicy: 'Delete',
          Properties: { RetentionInDays: 30 },
        });
      }
    });

    it('give the webhook its table, secrets and body limit', () => {
      // Assess
      const env = (resources('AWS::Lambda::Function')[functionId(stateless.webhook)]?.Properties.Environment as {
        Variables: Record<string, unknown>;
      }).Variables;
      expect(env.MAX_BODY_BYTES).toBe('4194304');
      expect(refersTo(env.TABLE_NAME, tableId)).toBe(true);
      expect(refersTo(env.APP_SECRET_ID, appSecretId)).toBe(true);
      expect(refersTo(env.VERIFY_TOKEN_SECRET_ID, verifyTokenId)).toBe(true);
    });

    it('give the admin function the table, and for template sync the App Secret and token prefix, never the verify token', () => {
      // Assess
      const env = (resources('AWS::Lambda::Function')[functionId(stateless.admin)]?.Properties.Environment as {
        Variables: Record<string, unknown>;
      }).Variables;
      expect(refersTo(env.TABLE_NAME, tableId)).toBe(true);
      // POST /admin/templates/{channel}/{accountId}/sync reads Meta's listings as the scheduled sync does.
      expect(refersTo(env.APP_SECRET_ID, appSecretId)).toBe(true);
      expect(env.TOKEN_SECRET_PREFIX).toBe('afterchat/dev/tokens/');
      expect(env).not.toHaveProperty('VERIFY_TOKEN_SECRET_ID');
      // Previews decide with the same closing margin as the sender and the dispatcher.
      expect(env.WINDOW_CLOSING_MARGIN_SECONDS).toBe('30');
    });

    it('give automation and the admin API the business bus for handoff.requested, and automation what thread control calls Meta with', () => {
      // Assess
      const busId = idOf(stateless.campaigns.businessEventBus);
      const envOf = (fn: NodeFunction) =>
        (resources('AWS::Lambda::Function')[functionId(fn)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const fn of [automation, stateless.admin]) expect(refersTo(envOf(fn).BUSINESS_BUS_NAME, busId)).toBe(true);
      const env = envOf(automation);
      expect(refersTo(env.APP_SECRET_ID, appSecretId)).toBe(true);
      expect(env.TOKEN_SECRET_PREFIX).toBe('afterchat/dev/tokens/');
      expect(env.GRAPH_API_VERSION).toBe(config.send.graphApiVersion);
      expect(env).not.toHaveProperty('VERIFY_TOKEN_SECRET_ID');
    });
  });

  describe('IAM', () => {
    const policyFor = (fn: NodeFunction): string =>
      JSON.stringify(
        Object.values(resources('AWS::IAM::Policy')).filter((p) => refersTo(p.Properties.Roles, roleId(fn))),
      );

    it('lets only the webhook read the verify token; the webhook, the sender, the template sync and the admin function (its sync route) the App Secret', () => {
      // Assess
      const webhookPolicy = policyFor(stateless.webhook);
      expect(webhookPolicy).toContain('secretsmanager:GetSecretValue');
      expect(refersTo(webhookPolicy, appSecretId)).toBe(true);
      expect(refersTo(webhookPolicy, verifyTokenId)).toBe(true);
      const senderPolicy = policyFor(sender);
      expect(refersTo(senderPolicy, appSecretId)).toBe(true);
      expect(refersTo(senderPolicy, verifyTokenId)).toBe(false);
      for (const fn of [stateless.admin, templateSync]) {
        expect(refersTo(policyFor(fn), appSecretId)).toBe(true);
        expect(refersTo(policyFor(fn), verifyTokenId)).toBe(false);
      }
    });

    // Each role's exact actions and resources are pinned in least-privilege.test.ts.
    it('lets every function read the table, and none but the admin function delete its items', () => {
      // Assess
      for (const fn of [stateless.webhook, stateless.admin, sender, dispatcher]) {
        const policy = policyFor(fn);
        expect(policy).toContain('dynamodb:GetItem');
        expect(policy).toContain('dynamodb:Query');
        expect(refersTo(policy, tableId)).toBe(true);
        expect(policy).not.toContain('dynamodb:Scan');
        expect(policy.includes('dynamodb:DeleteItem')).toBe(fn === stateless.admin);
      }
    });

    // Was "only gsi1": the data model for scale (issue 10) adds gsi2 (zone buckets, a contact's sends) and gsi3.
    it('lets only the dispatcher and the admin function query gsi1 and gsi2, the webhook the person index gsi2 alone, by name, with Query alone', () => {
      // Prepare
      const indexStatements = (fn: NodeFunction): PolicyStatementJson[] =>
        statementsFor(template, roleId(fn)).filter((s) => JSON.stringify(s.Resource).includes('/index/'));

      // Assess
      for (const fn of [dispatcher, stateless.admin]) {
        const statements = indexStatements(fn);
        expect(statements).toHaveLength(1);
        expect(statements[0]?.Action).toBe('dynamodb:Query');
        const resources = JSON.stringify(statements[0]?.Resource);
        expect(resources).toMatch(/"\/index\/gsi1"/);
        expect(resources).toMatch(/"\/index\/gsi2"/);
        expect(resources).not.toMatch(/index\/(gsi3|\*)/);
      }
      // The webhook finds the message a button tap answers among the person's recent sends (clicks, README "Clicks").
      const webhook = indexStatements(stateless.webhook);
      expect(webhook).toHaveLength(1);
      expect(webhook[0]?.Action).toBe('dynamodb:Query');
      expect(JSON.stringify(webhook[0]?.Resource)).toMatch(/"\/index\/gsi2"/);
      expect(JSON.stringify(webhook[0]?.Resource)).not.toMatch(/index\/(gsi1|gsi3|\*)/);
      for (const fn of [sender, templateSync, backfill]) expect(indexStatements(fn)).toEqual([]);
    });

    it('lets the index backfill Scan and UpdateItem the table, and nothing else', () => {
      // Assess
      const statements = statementsFor(template, roleId(backfill));
      const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
      expect(dynamo).toHaveLength(1);
      expect([dynamo[0]?.Action].flat().sort()).toEqual(['dynamodb:Scan', 'dynamodb:UpdateItem']);
      expect(refersTo(dynamo[0]?.Resource, tableId)).toBe(true);
      expect(JSON.stringify(dynamo[0]?.Resource)).not.toContain('index');
      // Besides that: its log group and X-Ray, as every function.
      const others = statements.filter((s) => s !== dynamo[0]).flatMap((s) => [s.Action].flat());
      expect(others.every((action) => /^(logs|xray):/.test(String(action)))).toBe(true);
      // The function's name is an output, for the documented `aws lambda invoke`.
      expect(Object.keys(template.findOutputs('*')).some((name) => name.includes('BackfillFunctionName'))).toBe(true);
    });

    it('uses no AWS managed policies', () => {
      // Assess
      template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    });
  });

  describe('queues', () => {
    it('are exactly the send queue, the campaign continuation queue, the automation queue, the import queue and their DLQs, the conversion DLQ and the funnel stream DLQ', () => {
      // Assess
      const { sendPipeline, campaigns, imports } = stateless;
      expect(Object.keys(resources('AWS::SQS::Queue')).sort()).toEqual(
        [
          sendPipeline.queue,
          sendPipeline.deadLetterQueue,
          campaigns.queue,
          campaigns.deadLetterQueue,
          stateless.automation.queue,
          stateless.automation.deadLetterQueue,
          imports.queue,
          imports.deadLetterQueue,
          stateless.conversions.deadLetterQueue,
          stateless.funnelStream.deadLetterQueue,
        ]
          .map(idOf)
          .sort(),
      );
    });

    it('the import queue is encrypted, drained one slice at a time by the import worker, and dead-letters after five receives; the admin API sends to it', () => {
      // Assess
      const { imports } = stateless;
      const queue = resources('AWS::SQS::Queue')[idOf(imports.queue)]?.Properties;
      // Six times the worker's 5 minutes: a slice still running is never handed to a second worker.
      expect(queue).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 1800, RedrivePolicy: { maxReceiveCount: 5 } });
      expect(JSON.stringify(queue?.RedrivePolicy)).toContain(idOf(imports.deadLetterQueue));
      const sources = Object.values(resources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes(idOf(imports.queue)));
      expect(sources).toHaveLength(1);
      expect(sources[0]?.Properties).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
      expect(JSON.stringify(sources[0]?.Properties.FunctionName)).toContain(functionId(importWorker));
      for (const fn of [stateless.admin, importWorker]) {
        expect(resources('AWS::Lambda::Function')[functionId(fn)]?.Properties.Environment).toMatchObject({ Variables: { IMPORT_QUEUE_URL: { Ref: idOf(imports.queue) } } });
      }
    });

    it('the automation queue is encrypted, TLS-only, drained by automation alone, and dead-letters after five receives', () => {
      // Assess
      const queue = resources('AWS::SQS::Queue')[idOf(stateless.automation.queue)]?.Properties;
      expect(queue).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 180, RedrivePolicy: { maxReceiveCount: 5 } });
      expect(JSON.stringify(queue?.RedrivePolicy)).toContain(idOf(stateless.automation.deadLetterQueue));
      const sources = Object.values(resources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes(idOf(stateless.automation.queue)));
      expect(sources).toHaveLength(1);
      expect(sources[0]?.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
      expect(JSON.stringify(sources[0]?.Properties.FunctionName)).toContain(functionId(automation));
      expect(resources('AWS::Lambda::Function')[functionId(stateless.webhook)]?.Properties.Environment).toMatchObject({ Variables: { AUTOMATION_QUEUE_URL: { Ref: idOf(stateless.automation.queue) } } });
    });
  });

  describe('HTTP API', () => {
    const routeTargets = (routeKey: string): string => {
      const [route] = Object.values(resources('AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.RouteKey === routeKey);
      expect(route).toBeDefined();
      const [integrationId] = Object.keys(resources('AWS::ApiGatewayV2::Integration')).filter((id) =>
        refersTo(route!.Properties.Target, id),
      );
      return JSON.stringify(resources('AWS::ApiGatewayV2::Integration')[integrationId!]?.Properties.IntegrationUri);
    };

    it('has exactly the webhook, data deletion and admin routes', () => {
      // Assess
      const routeKeys = Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
      expect(routeKeys.sort()).toEqual(['ANY /admin/{proxy+}', 'GET /r/{token}', 'GET /webhooks/meta', 'GET /webhooks/meta/data-deletion/{code}', 'POST /webhooks/meta', 'POST /webhooks/meta/data-deletion']);
    });

    it.each(['POST /webhooks/meta/data-deletion', 'GET /webhooks/meta/data-deletion/{code}'])(
      'leaves %s without an authoriser (Meta signs the request) and sends it to the data deletion function',
      (routeKey) => {
        // Assess
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'NONE', AuthorizerId: Match.absent() });
        expect(refersTo(routeTargets(routeKey), functionId(stateless.dataDeletion))).toBe(true);
      },
    );

    it('outputs the data deletion callback URL to paste into the Meta app', () => {
      // Assess
      expect(JSON.stringify(template.findOutputs('DataDeletionCallbackUrl'))).toContain('/webhooks/meta/data-deletion');
    });

    it.each(['GET /webhooks/meta', 'POST /webhooks/meta'])(
      'leaves %s without an authoriser (the handler checks the signature) and sends it to the webhook',
      (routeKey) => {
        // Assess
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: routeKey,
          AuthorizationType: 'NONE',
          AuthorizerId: Match.absent(),
        });
        expect(refersTo(routeTargets(routeKey), functionId(stateless.webhook))).toBe(true);
      },
    );

    it('requires IAM (SigV4) on the admin route and sends it to the admin function', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /admin/{proxy+}',
        AuthorizationType: 'AWS_IAM',
      });
      expect(refersTo(routeTargets('ANY /admin/{proxy+}'), functionId(stateless.admin))).toBe(true);
    });

    it('throttles the $default stage with the stage config', () => {
      // Assess
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: config.apiThrottle.rateLimit,
          ThrottlingBurstLimit: config.apiThrottle.burstLimit,
        },
      });
    });

    it('writes JSON access logs without paths, query strings or bodies to a log group with retention', () => {
      // Prepare
      const [stage] = Object.values(resources('AWS::ApiGatewayV2::Stage'));
      const settings = stage?.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };

      // Act
      const format = JSON.parse(settings.Format) as Record<string, string>;

      // Assess
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        ip: '$context.identity.sourceIp',
      });
      expect(settings.Format).not.toMatch(/\$context\.path|querystring|\$input|body/i);
      const [destination] = Object.entries(resources('AWS::Logs::LogGroup')).filter(([id]) =>
        refersTo(settings.DestinationArn, id),
      );
      expect(destination?.[1]).toMatchObject({ Properties: { RetentionInDays: 30 } });
    });
  });

  describe('outputs', () => {
    it('publish the callback and admin URLs', () => {
      // Assess
      const apiId = idOf(stateless.api);
      template.hasOutput('WebhookCallbackUrl', {
        Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/webhooks/meta']] },
      });
      template.hasOutput('AdminBaseUrl', {
        Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/admin/']] },
      });
    });

    it('publish the secret ARNs, the access-token prefix and the table name', () => {
      // Assess
      const outputs = template.findOutputs('*');
      expect(refersTo(outputs.AppSecretArn?.Value, appSecretId)).toBe(true);
      expect(refersTo(outputs.VerifyTokenSecretArn?.Value, verifyTokenId)).toBe(true);
      expect(refersTo(outputs.StateTableName?.Value, tableId)).toBe(true);
      expect(outputs.AccessTokenSecretPrefix?.Value).toBe('afterchat/dev/tokens/');
    });
  });
});
