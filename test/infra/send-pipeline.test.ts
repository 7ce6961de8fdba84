// Checks the send pipeline (goal R4): encrypted TLS-only queues, the DLQ and its alarm, the SQS event source, the sender's settings and grants, and the admin API's enqueue permission.
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { stageConfig } from '../../lib/config';
import { buildApp } from './app';
import { actionsOn, dlqAlarmOf, dlqAlarmProperties, idOf, refersTo, resourcesOf, statementsFor, type Resource } from './template-helpers';

describe('SendPipeline', () => {
  const { stateful, stateless } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const config = stageConfig('dev');
  const { queue, deadLetterQueue, sender } = stateless.sendPipeline;

  const queueId = idOf(queue);
  const dlqId = idOf(deadLetterQueue);
  const senderId = idOf(sender.function);
  const tableId = idOf(stateful.table);
  const appSecretId = idOf(stateful.metaSecrets.appSecret);

  const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  const propertiesOf = (logicalId: string): Record<string, unknown> => resources[logicalId]!.Properties;
  const environmentOf = (logicalId: string): Record<string, unknown> =>
    (propertiesOf(logicalId).Environment as { Variables: Record<string, unknown> }).Variables;

  describe('queues', () => {
    it('has exactly the send queue and its DLQ', () => {
      // Act
      const pipelineQueues = stateless.sendPipeline.node
        .findAll()
        .filter((c) => c instanceof CfnQueue)
        .map((q) => Stack.of(q).getLogicalId(q));

      // Assess
      expect(pipelineQueues.sort()).toEqual([dlqId, queueId].sort());
    });

    it.each([
      ['send queue', queueId],
      ['DLQ', dlqId],
    ])('encrypts the %s with SQS-managed keys and denies requests without TLS', (_name, logicalId) => {
      // Assess
      expect(propertiesOf(logicalId)).toMatchObject({ SqsManagedSseEnabled: true });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Resource: { 'Fn::GetAtt': [logicalId, 'Arn'] },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ]),
        },
      });
    });

    it('moves a message to the DLQ after 5 receives', () => {
      // Assess
      expect(propertiesOf(queueId).RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: 5,
      });
      expect(propertiesOf(dlqId)).not.toHaveProperty('RedrivePolicy');
    });

    it('keeps dead letters for 14 days, longer than the send queue keeps messages (default 4 days)', () => {
      // Assess
      const dlqRetention = propertiesOf(dlqId).MessageRetentionPeriod;
      expect(dlqRetention).toBe(14 * 24 * 3600);
      expect((propertiesOf(queueId).MessageRetentionPeriod as number | undefined) ?? 4 * 24 * 3600).toBeLessThan(
        dlqRetention as number,
      );
    });

    it('sets the visibility timeout to at least 6x the sender timeout', () => {
      // Assess
      const timeout = propertiesOf(senderId).Timeout as number;
      expect(timeout).toBe(30);
      expect(propertiesOf(queueId).VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    });
  });

  describe('event source', () => {
    const senderMappings = (): Resource[] =>
      Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter((m) => refersTo(m.Properties.FunctionName, senderId));

    it('feeds the sender batches of 10 with partial batch responses and the stage concurrency cap', () => {
      // Assess
      const mappings = senderMappings();
      expect(mappings).toHaveLength(1);
      expect(mappings[0]?.Properties).toEqual({
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: senderId },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: config.send.senderMaxConcurrency },
      });
    });

    it('uses the prod concurrency cap in prod', () => {
      // Prepare
      const prod = buildApp({ stage: 'prod' });

      // Act
      const prodTemplate = Template.fromStack(prod.stateless);

      // Assess
      prodTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        ScalingConfig: { MaximumConcurrency: stageConfig('prod').send.senderMaxConcurrency },
      });
    });

    it('does not split a send rate between instances: pacing is shared through the state table, whatever the concurrency', () => {
      // Assess
      const env = environmentOf(senderId);
      expect(env).not.toHaveProperty('SENDER_MAX_CONCURRENCY');
      expect(env).not.toHaveProperty('SEND_RATE_PER_SECOND');
    });
  });

  describe('DLQ alarm', () => {
    it('alarms on the first minute with any message in the DLQ and stays quiet without data', () => {
      // Assess
      expect(dlqAlarmOf(template, dlqId)).toMatchObject(dlqAlarmProperties(dlqId));
    });
  });

  describe('sender', () => {
    it('runs Node.js 24 on arm64 with 512 MB and a 30 s timeout', () => {
      // Assess
      expect(propertiesOf(senderId)).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 30,
        Handler: 'index.handler',
      });
    });

    it('gets the table, queue, Graph API, token prefix, App Secret and the Pages’ default send rate', () => {
      // Assess
      const env = environmentOf(senderId);
      expect(env).toMatchObject({
        SEND_QUEUE_URL: { Ref: queueId },
        GRAPH_API_BASE_URL: 'https://graph.facebook.com',
        GRAPH_API_VERSION: config.send.graphApiVersion,
        TOKEN_SECRET_PREFIX: 'afterchat/dev/tokens/',
        MESSENGER_RATE_PER_SECOND: String(config.send.messengerRatePerSecond),
        WINDOW_CLOSING_MARGIN_SECONDS: String(config.send.windowClosingMarginSeconds),
      });
      expect(refersTo(env.TABLE_NAME, tableId)).toBe(true);
      expect(refersTo(env.APP_SECRET_ID, appSecretId)).toBe(true);
      expect(env).not.toHaveProperty('VERIFY_TOKEN_SECRET_ID');
    });

    it('may consume from and send to the send queue, and read and write the table', () => {
      // Prepare
      const statements = statementsFor(template, idOf(sender.function.role!));

      // Assess
      expect(actionsOn(statements, queueId)).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:SendMessage']),
      );
      expect(actionsOn(statements, dlqId)).toEqual([]);
      // It claims, updates and reads records; it creates none and deletes none (least-privilege.test.ts pins the rest).
      expect(actionsOn(statements, tableId)).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query']));
      expect(actionsOn(statements, tableId)).not.toEqual(expect.arrayContaining(['dynamodb:PutItem']));
      expect(actionsOn(statements, tableId)).not.toEqual(expect.arrayContaining(['dynamodb:DeleteItem']));
    });

    it('reaches the shared limiter (state-table items) with item access alone: no index, no table administration', () => {
      // Prepare
      const statements = statementsFor(template, idOf(sender.function.role!));
      const dynamoActions = statements.flatMap((s) => [s.Action].flat()).filter((a): a is string => typeof a === 'string' && a.startsWith('dynamodb:'));

      // Assess
      expect(actionsOn(statements, tableId)).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem']));
      expect(JSON.stringify(statements)).not.toContain('/index/');
      expect(dynamoActions.filter((a) => /Table|Stream|Backup|TimeToLive/.test(a) && a !== 'dynamodb:DescribeTable')).toEqual([]);
    });

    it("may read the App Secret and only this stage's token secrets, and nothing more from Secrets Manager", () => {
      // Prepare
      const statements = statementsFor(template, idOf(sender.function.role!));
      const secretStatements = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));

      // Assess
      expect(actionsOn(statements, appSecretId)).toEqual(['secretsmanager:GetSecretValue']);
      expect(actionsOn(statements, ':secret:afterchat/dev/tokens/*')).toEqual(['secretsmanager:GetSecretValue']);
      // GetSecretValue alone (no DescribeSecret), on the App Secret and the token prefix only.
      expect(secretStatements.flatMap((s) => [s.Action].flat())).toEqual(['secretsmanager:GetSecretValue']);
      expect(secretStatements.flatMap((s) => [s.Resource].flat())).toHaveLength(2);
    });
  });

  describe('other functions', () => {
    it('lets the admin API enqueue sends but not consume them', () => {
      // Prepare
      const adminId = idOf(stateless.admin.function);
      const statements = statementsFor(template, idOf(stateless.admin.function.role!));

      // Assess
      expect(environmentOf(adminId).SEND_QUEUE_URL).toEqual({ Ref: queueId });
      const actions = actionsOn(statements, queueId);
      expect(actions).toContain('sqs:SendMessage');
      expect(actions).not.toContain('sqs:ReceiveMessage');
      expect(actions).not.toContain('sqs:DeleteMessage');
    });

    it('leaves the webhook without access to the send queues', () => {
      // Prepare
      const webhookId = idOf(stateless.webhook.function);
      const statements = statementsFor(template, idOf(stateless.webhook.function.role!));

      // Assess
      expect(environmentOf(webhookId)).not.toHaveProperty('SEND_QUEUE_URL');
      expect(actionsOn(statements, queueId)).toEqual([]);
      expect(actionsOn(statements, dlqId)).toEqual([]);
    });
  });

  describe('outputs', () => {
    it('publish the send queue and DLQ URLs', () => {
      // Assess
      template.hasOutput('SendQueueUrl', { Value: { Ref: queueId } });
      template.hasOutput('SendDeadLetterQueueUrl', { Value: { Ref: dlqId } });
    });
  });
});
