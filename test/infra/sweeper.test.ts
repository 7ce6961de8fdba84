// Checks the sweeper: its EventBridge schedule, its environment, and a role that holds only what its code calls.
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './app';
import { idOf, refersTo, resourcesOf, statementsFor, type Resource } from './template-helpers';

describe('Sweeper', () => {
  const { stateful, stateless } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const { function: sweeper, rule } = stateless.sweeper;
  const functionId = idOf(sweeper.function);
  const roleId = idOf(sweeper.function.role!);
  const tableId = idOf(stateful.table);
  const sendQueueId = idOf(stateless.sendPipeline.queue);
  const sendDlqId = idOf(stateless.sendPipeline.deadLetterQueue);
  const dispatchQueueId = idOf(stateless.campaigns.queue);
  const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  const propertiesOf = (logicalId: string): Record<string, unknown> => resources[logicalId]!.Properties;

  it('runs every 5 minutes from a schedule rule, without retries: the next run finds the same entries', () => {
    expect(propertiesOf(idOf(rule))).toMatchObject({ Name: 'afterchat-dev-sweeper', ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    const targets = propertiesOf(idOf(rule)).Targets as { Arn: unknown; RetryPolicy?: unknown }[];
    expect(targets).toHaveLength(1);
    expect(refersTo(targets[0]?.Arn, functionId)).toBe(true);
    expect(targets[0]?.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 });
  });

  it('knows the table, the send queue, its DLQ and the dispatch queue, and ends before the next run', () => {
    expect(propertiesOf(functionId)).toMatchObject({ Timeout: 240 });
    const env = (propertiesOf(functionId).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'sweeper', POWERTOOLS_METRICS_NAMESPACE: 'afterchat' });
    expect(refersTo(env.TABLE_NAME, tableId)).toBe(true);
    expect(refersTo(env.SEND_QUEUE_URL, sendQueueId)).toBe(true);
    expect(refersTo(env.SEND_DLQ_URL, sendDlqId)).toBe(true);
    expect(refersTo(env.DISPATCH_QUEUE_URL, dispatchQueueId)).toBe(true);
  });

  it('may read and update items, query gsi3 only, send to the two queues and consume the send DLQ: nothing else', () => {
    const statements = statementsFor(template, roleId).filter((s) => !JSON.stringify(s.Action).match(/logs:|xray:/));
    const grants = statements.map((s) => ({ actions: [s.Action].flat().sort(), resource: JSON.stringify(s.Resource) }));

    expect(grants).toHaveLength(4);
    const onTable = grants.find((g) => refersTo(g.resource, tableId) && !g.resource.includes('/index/'));
    expect(onTable?.actions).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const onIndexes = grants.filter((g) => g.resource.includes('/index/'));
    expect(onIndexes.map((g) => [g.actions, g.resource.includes('/index/gsi3')])).toEqual([[['dynamodb:Query'], true]]);
    const sends = grants.find((g) => refersTo(g.resource, sendQueueId));
    expect(sends?.actions).toEqual(['sqs:SendMessage']);
    expect(refersTo(sends?.resource, dispatchQueueId)).toBe(true);
    expect(grants.find((g) => refersTo(g.resource, sendDlqId))?.actions).toEqual(['sqs:DeleteMessage', 'sqs:ReceiveMessage']);
    expect(JSON.stringify(statements)).not.toMatch(/Scan|DeleteItem|PutItem|BatchWriteItem|secretsmanager|events:/);
    expect(Object.keys(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter((id) => refersTo(resources[id], functionId))).toEqual([]);
  });
});
