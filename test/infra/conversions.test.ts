// The conversion rule and handler (lib/constructs/conversions.ts): order.placed on the business bus, retried, dead-lettered, alarmed.
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './app';
import { dlqAlarmOf, dlqAlarmProperties, idOf, resourcesOf } from './template-helpers';

describe('Conversions', () => {
  const { stateless } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const { conversions, campaigns } = stateless;
  const rule = resourcesOf(template, 'AWS::Events::Rule')[idOf(conversions.rule)]?.Properties as Record<string, unknown>;
  const fnId = idOf(conversions.function.function);
  const dlqId = idOf(conversions.deadLetterQueue);

  it('routes every order.placed on the business bus that does not come from AWS, and nothing else', () => {
    // Assess
    expect(rule).toMatchObject({
      EventBusName: { Ref: idOf(campaigns.businessEventBus) },
      State: 'ENABLED',
      EventPattern: { source: [{ 'anything-but': { prefix: 'aws.' } }], 'detail-type': ['order.placed'] },
    });
    expect(Object.keys(rule.EventPattern as object).sort()).toEqual(['detail-type', 'source']);
  });

  it('retries an order 3 times for at most six hours, then dead-letters it to a queue whose depth raises an alarm', () => {
    // Assess
    expect(rule.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
      },
    ]);
    expect(dlqAlarmOf(template, dlqId)).toMatchObject(dlqAlarmProperties(dlqId));
  });

  it("gives the handler the stage's attribution window (7 days by default) and the outbox retention for its records", () => {
    // Assess
    const environment = (resourcesOf(template, 'AWS::Lambda::Function')[fnId]?.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
    expect(environment).toMatchObject({ ATTRIBUTION_WINDOW_DAYS: '7', OUTBOX_RETENTION_DAYS: '90' });
  });
});
