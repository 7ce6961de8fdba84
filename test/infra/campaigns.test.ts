// Checks the campaigns infrastructure (issue 4): the dispatcher's settings, its continuation queue and DLQ, who may invoke it, the business event bus and rule, the admin API's scheduling rights, and the DLQ alarm.
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_TUNING } from '../../lambdas/campaign/dispatcher-deps';
import { DISPATCH_MAX_CONCURRENCY } from '../../lib/constructs/campaigns';
import { buildApp } from './app';
import { actionsOn, dlqAlarmOf, dlqAlarmProperties, idOf, refersTo, resourcesOf, statementsFor, type PolicyStatementJson, type Resource } from './template-helpers';

/** `arn:<partition>:events:<region>:<account>:rule/<prefix>*`, as CloudFormation sees it. */
const campaignRulesArn = (stage: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':events:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:rule/afterchat-${stage}-campaign-*`,
    ],
  ],
});

describe('Campaigns', () => {
  const { stateful, stateless } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const { campaigns, admin, sendPipeline } = stateless;

  const dispatcherId = idOf(campaigns.dispatcher.function);
  const queueId = idOf(campaigns.queue);
  const dlqId = idOf(campaigns.deadLetterQueue);
  const busId = idOf(campaigns.businessEventBus);
  const ruleId = idOf(campaigns.businessEventRule);
  const sendQueueId = idOf(sendPipeline.queue);
  const tableId = idOf(stateful.table);
  const rulesArn = campaignRulesArn('dev');

  const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  const propertiesOf = (logicalId: string): Record<string, unknown> => resources[logicalId]!.Properties;
  const environmentOf = (logicalId: string): Record<string, unknown> =>
    (propertiesOf(logicalId).Environment as { Variables: Record<string, unknown> }).Variables;
  const eventsStatements = (statements: PolicyStatementJson[]): PolicyStatementJson[] =>
    statements.filter((s) => JSON.stringify(s.Action).includes('events:'));

  describe('dispatcher', () => {
    it('has 5 minutes and 1,769 MB (one full vCPU) to page through an audience', () => {
      // Assess
      expect(propertiesOf(dispatcherId)).toMatchObject({ Timeout: 300, MemorySize: 1769 });
    });

    it('gets the table, the send queue, its continuation queue and the campaign rule prefix', () => {
      // Assess
      const env = environmentOf(dispatcherId);
      expect(env).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'campaign-dispatcher',
        SEND_QUEUE_URL: { Ref: sendQueueId },
        DISPATCH_QUEUE_URL: { Ref: queueId },
        RULE_NAME_PREFIX: 'afterchat-dev-campaign-',
      });
      expect(refersTo(env.TABLE_NAME, tableId)).toBe(true);
    });

    it('uses the prod rule prefix in prod', () => {
      // Prepare
      const prod = buildApp({ stage: 'prod' });

      // Act
      const prodTemplate = Template.fromStack(prod.stateless);

      // Assess
      prodTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { RULE_NAME_PREFIX: 'afterchat-prod-campaign-', WINDOW_CLOSING_MARGIN_SECONDS: '30' } },
      });
      prodTemplate.hasResourceProperties('AWS::Lambda::Permission', { SourceArn: campaignRulesArn('prod') });
    });

    it('retries a failed asynchronous invocation twice, for at most an hour, then dead-letters it', () => {
      // Assess
      const configs = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).filter((c) => refersTo(c.Properties.FunctionName, dispatcherId));
      expect(configs).toHaveLength(1);
      expect(configs[0]?.Properties).toEqual({
        FunctionName: { Ref: dispatcherId },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
    });

    it('may read and write the table, query its index, enqueue sends and continuations, and consume continuations', () => {
      // Prepare
      const statements = statementsFor(template, idOf(campaigns.dispatcher.function.role!));

      // Assess
      expect(actionsOn(statements, tableId)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
      expect(actionsOn(statements, sendQueueId)).toContain('sqs:SendMessage');
      expect(actionsOn(statements, sendQueueId)).not.toContain('sqs:ReceiveMessage');
      expect(actionsOn(statements, queueId)).toEqual(
        expect.arrayContaining(['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
      );
    });

    it("may only delete campaign rules and their targets, and only this stage's", () => {
      // Prepare
      const statements = statementsFor(template, idOf(campaigns.dispatcher.function.role!));

      // Assess
      expect(eventsStatements(statements)).toEqual([
        { Effect: 'Allow', Action: ['events:DeleteRule', 'events:RemoveTargets'], Resource: rulesArn },
      ]);
    });
  });

  describe('continuation queue', () => {
    it('is encrypted with SQS-managed keys, TLS-only, and hides a message for 6x the dispatcher timeout', () => {
      // Assess
      expect(propertiesOf(queueId)).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 6 * 300 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      });
    });

    it('moves a continuation to the DLQ after 5 receives; the DLQ keeps it 14 days', () => {
      // Assess
      expect(propertiesOf(queueId).RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: 5,
      });
      expect(propertiesOf(dlqId)).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    });

    it('feeds the dispatcher one continuation per invocation with partial batch responses, 96 at once: one occurrence’s 64 segments and others beside it', () => {
      // Assess
      const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter((m) =>
        refersTo(m.Properties.FunctionName, dispatcherId),
      );
      expect(mappings.map((m) => m.Properties)).toEqual([
        {
          EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          FunctionName: { Ref: dispatcherId },
          BatchSize: 1,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: 96 },
        },
      ]);
      // Never fewer than the segments of one occurrence (DispatchTuning.segments).
      expect(DISPATCH_MAX_CONCURRENCY).toBeGreaterThan(DEFAULT_TUNING.segments);
    });
  });

  describe('who may invoke the dispatcher', () => {
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter((p) =>
      refersTo(p.Properties.FunctionName, dispatcherId),
    );

    it('lets EventBridge invoke it only from this stage\'s campaign rules on the default bus and from the business rule', () => {
      // Assess
      expect(permissions.map((p) => p.Properties)).toEqual(
        expect.arrayContaining([
          {
            Action: 'lambda:InvokeFunction',
            FunctionName: { 'Fn::GetAtt': [dispatcherId, 'Arn'] },
            Principal: 'events.amazonaws.com',
            SourceArn: rulesArn,
            SourceAccount: { Ref: 'AWS::AccountId' },
          },
          {
            Action: 'lambda:InvokeFunction',
            FunctionName: { 'Fn::GetAtt': [dispatcherId, 'Arn'] },
            Principal: 'events.amazonaws.com',
            SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
          },
        ]),
      );
      expect(permissions).toHaveLength(2);
    });
  });

  describe('DLQ', () => {
    it('accepts dead letters from EventBridge only for campaign rules and the business rule', () => {
      // Prepare
      const [policy] = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).filter((p) => refersTo(p.Properties.Queues, dlqId));
      const allows = (policy?.Properties.PolicyDocument as { Statement: (PolicyStatementJson & Record<string, unknown>)[] }).Statement.filter(
        (s) => s.Effect === 'Allow',
      );

      // Assess
      // The Sid is CDK's to choose; toEqual ignores the undefined.
      expect(allows.map((s) => ({ ...s, Sid: undefined }))).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          Condition: { ArnLike: { 'aws:SourceArn': rulesArn } },
        },
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
        },
      ]);
    });

    it('alarms on the first minute with any message in it, like the send DLQ, and stays quiet without data', () => {
      // Assess
      expect(dlqAlarmOf(template, dlqId)).toMatchObject(dlqAlarmProperties(dlqId));
    });
  });

  describe('business events', () => {
    it('have their own bus, named after the stage', () => {
      // Assess
      expect(Object.keys(resourcesOf(template, 'AWS::Events::EventBus'))).toEqual([busId]);
      expect(propertiesOf(busId)).toMatchObject({ Name: 'afterchat-dev-business' });
    });

    it('reach the dispatcher when they name a template and do not come from AWS', () => {
      // Assess
      // The template sync's schedule is on the default bus; the conversion rule (test/infra/conversions.test.ts) takes order.placed.
      const rules = Object.entries(resourcesOf(template, 'AWS::Events::Rule')).filter(([, r]) => r.Properties.EventBusName !== undefined);
      expect(rules.map(([id]) => id).sort()).toEqual([ruleId, idOf(stateless.conversions.rule)].sort());
      expect(propertiesOf(ruleId)).toMatchObject({
        EventBusName: { Ref: busId },
        State: 'ENABLED',
        EventPattern: {
          source: [{ 'anything-but': { prefix: 'aws.' } }],
          detail: { template: { name: [{ exists: true }] } },
        },
      });
      expect(Object.keys(propertiesOf(ruleId).EventPattern as object).sort()).toEqual(['detail', 'source']);
    });

    it('are retried 3 times for at most an hour, then dead-lettered', () => {
      // Assess
      expect(propertiesOf(ruleId).Targets).toEqual([
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [dispatcherId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      ]);
    });
  });

  describe('admin API', () => {
    const adminStatements = () => statementsFor(template, idOf(admin.function.role!));

    it('knows the rule prefix, the dispatcher, the schedule DLQ and the continuation queue', () => {
      // Assess
      expect(environmentOf(idOf(admin.function))).toMatchObject({
        RULE_NAME_PREFIX: 'afterchat-dev-campaign-',
        DISPATCHER_ARN: { 'Fn::GetAtt': [dispatcherId, 'Arn'] },
        SCHEDULE_DLQ_ARN: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        DISPATCH_QUEUE_URL: { Ref: queueId },
      });
    });

    it("may manage this stage's campaign rules, put afterchat's own events on the business bus, and nothing else in EventBridge", () => {
      // Assess
      expect(eventsStatements(adminStatements())).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'events:DeleteRule',
            'events:DisableRule',
            'events:EnableRule',
            'events:PutRule',
            'events:PutTargets',
            'events:RemoveTargets',
            'events:TagResource',
          ],
          Resource: rulesArn,
        },
        {
          Effect: 'Allow',
          Action: 'events:PutEvents',
          // A handoff's announcement only: a shop's business event (detail.template) would be turned into sends.
          Condition: { StringEquals: { 'events:source': 'afterchat.automation' } },
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CampaignsBusinessEventBus/), 'Arn'] },
        },
      ]);
    });

    it('may enqueue a continuation to resume an occurrence, but not consume continuations or touch the DLQ', () => {
      // Prepare
      const statements = adminStatements();

      // Assess
      expect(actionsOn(statements, queueId)).toContain('sqs:SendMessage');
      expect(actionsOn(statements, queueId)).not.toContain('sqs:ReceiveMessage');
      expect(actionsOn(statements, dlqId)).toEqual([]);
    });
  });

  it('leaves the webhook and the sender without EventBridge rights or access to the campaign queues', () => {
    // Assess
    for (const fn of [stateless.webhook, sendPipeline.sender]) {
      const statements = statementsFor(template, idOf(fn.function.role!));
      expect(eventsStatements(statements)).toEqual([]);
      expect(actionsOn(statements, queueId)).toEqual([]);
      expect(actionsOn(statements, dlqId)).toEqual([]);
    }
  });

  describe('outputs', () => {
    it('publish the business bus, the dispatcher, the rule prefix and the DLQ URL', () => {
      // Assess
      template.hasOutput('BusinessEventBusName', { Value: { Ref: busId } });
      template.hasOutput('CampaignDispatcherName', { Value: { Ref: dispatcherId } });
      template.hasOutput('CampaignRulePrefix', { Value: 'afterchat-dev-campaign-' });
      template.hasOutput('CampaignDeadLetterQueueUrl', { Value: { Ref: dlqId } });
    });
  });
});
