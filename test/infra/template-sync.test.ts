// Checks the template sync: its function and settings, the EventBridge schedule (every 15 minutes from the stage config), and its least-privilege grants.
import { Template } from 'aws-cdk-lib/assertions';
import { stageConfig } from '../../lib/config';
import { buildApp } from './app';
import { actionsOn, idOf, refersTo, resourcesOf, statementsFor, type Resource } from './template-helpers';

describe('TemplateSync', () => {
  const { stateful, stateless } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const config = stageConfig('dev');
  const { function: sync, rule } = stateless.templateSync;

  const functionId = idOf(sync.function);
  const roleId = idOf(sync.function.role!);
  const ruleId = idOf(rule);
  const tableId = idOf(stateful.table);
  const appSecretId = idOf(stateful.metaSecrets.appSecret);
  const verifyTokenId = idOf(stateful.metaSecrets.verifyToken);
  const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  const propertiesOf = (logicalId: string): Record<string, unknown> => resources[logicalId]!.Properties;
  const tokenPrefixArn = {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:afterchat/dev/tokens/*']],
  };

  it('reads every 15 minutes by default, in both stages', () => {
    expect(config.templateSync.scheduleMinutes).toBe(15);
    expect(stageConfig('prod').templateSync.scheduleMinutes).toBe(15);
  });

  it('is fired by a schedule rule on the default bus, without retries: the next firing reads everything again', () => {
    expect(propertiesOf(ruleId)).toMatchObject({
      Name: 'afterchat-dev-template-sync',
      ScheduleExpression: `rate(${config.templateSync.scheduleMinutes} minutes)`,
      State: 'ENABLED',
    });
    expect(propertiesOf(ruleId)).not.toHaveProperty('EventBusName');
    const targets = propertiesOf(ruleId).Targets as { Arn: unknown; RetryPolicy?: unknown }[];
    expect(targets).toHaveLength(1);
    expect(refersTo(targets[0]?.Arn, functionId)).toBe(true);
    expect(targets[0]?.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 900 });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
    const invokeConfigs = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).filter((c) => refersTo(c.Properties.FunctionName, functionId));
    expect(invokeConfigs.map((c) => c.Properties)).toEqual([expect.objectContaining({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 900 })]);
  });

  it('runs Node.js 24 on arm64 for up to 5 minutes with the table, the Graph API, the token prefix and the App Secret', () => {
    expect(propertiesOf(functionId)).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 300, MemorySize: 512 });
    const env = (propertiesOf(functionId).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({
      GRAPH_API_BASE_URL: 'https://graph.facebook.com',
      GRAPH_API_VERSION: config.send.graphApiVersion,
      TOKEN_SECRET_PREFIX: 'afterchat/dev/tokens/',
      POWERTOOLS_SERVICE_NAME: 'template-sync',
    });
    expect(refersTo(env.TABLE_NAME, tableId)).toBe(true);
    expect(refersTo(env.APP_SECRET_ID, appSecretId)).toBe(true);
    expect(env).not.toHaveProperty('VERIFY_TOKEN_SECRET_ID');
  });

  it("may use the table, the App Secret and this stage's token secrets, and nothing else", () => {
    const statements = statementsFor(template, roleId);

    expect(actionsOn(statements, tableId)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem']));
    expect(actionsOn(statements, appSecretId)).toContain('secretsmanager:GetSecretValue');
    expect(actionsOn(statements, JSON.stringify(tokenPrefixArn).slice(1, -1))).toEqual(['secretsmanager:GetSecretValue']);
    expect(refersTo(statements, verifyTokenId)).toBe(false);
    const services = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).map((a) => a.split(':')[0]));
    expect([...services].sort()).toEqual(['dynamodb', 'logs', 'secretsmanager', 'xray']);
  });

  it("lets the admin API's sync route read the same secrets, and no more of Secrets Manager", () => {
    const statements = statementsFor(template, idOf(stateless.admin.function.role!));
    const secretStatements = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));

    expect(actionsOn(statements, JSON.stringify(tokenPrefixArn).slice(1, -1))).toEqual(['secretsmanager:GetSecretValue']);
    expect(actionsOn(statements, appSecretId)).toEqual(['secretsmanager:GetSecretValue']);
    expect(secretStatements.flatMap((s) => [s.Action].flat())).toEqual(['secretsmanager:GetSecretValue']);
    expect(secretStatements.flatMap((s) => [s.Resource].flat())).toHaveLength(2);
  });
});
