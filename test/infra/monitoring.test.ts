// Checks the alarm topic (encrypted, email from the alarmEmail context), that every alarm notifies it, the alarm set itself and the dashboard's widgets.
import { Template } from 'aws-cdk-lib/assertions';
import { FUNNEL_METRICS } from '../../lib/constructs/monitoring';
import { MILESTONE_METRICS } from '../../lambdas/measurement/milestone-metrics';
import type { NodeFunction } from '../../lib/constructs/node-function';
import { buildApp } from './app';
import { idOf, refersTo, resourcesOf, type Resource } from './template-helpers';

describe('Monitoring', () => {
  const { stateless } = buildApp({ stage: 'dev' });
  const template = Template.fromStack(stateless);
  const topicId = idOf(stateless.monitoring.topic);
  const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
  const alarmList = Object.values(alarms);
  const functions: NodeFunction[] = [
    stateless.webhook,
    stateless.dataDeletion,
    stateless.admin,
    stateless.sendPipeline.sender,
    stateless.campaigns.dispatcher,
    stateless.templateSync.function,
    stateless.indexBackfill.function,
    stateless.sweeper.function,
    stateless.automation.function,
    stateless.imports.worker,
    stateless.clickRedirect.function,
    stateless.conversions.function,
    stateless.funnelStream.function,
  ];

  /** The one alarm on a Powertools metric of the webhook (namespace afterchat, service meta-webhook). */
  const webhookAlarm = (metricName: string): Resource['Properties'] | undefined => {
    const found = alarmList.filter((a) => a.Properties.MetricName === metricName);
    expect(found).toHaveLength(1);
    return found[0]?.Properties;
  };

  describe('topic', () => {
    it('is encrypted with a rotated customer managed key that CloudWatch may use, and refuses non-TLS publishing', () => {
      // Assess
      const [topic] = Object.values(resourcesOf(template, 'AWS::SNS::Topic'));
      const keyId = Object.keys(resourcesOf(template, 'AWS::KMS::Key'))[0] as string;
      expect(refersTo(topic?.Properties.KmsMasterKeyId, keyId)).toBe(true);
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      const keyPolicy = JSON.stringify(resourcesOf(template, 'AWS::KMS::Key')[keyId]?.Properties.KeyPolicy);
      expect(keyPolicy).toContain('cloudwatch.amazonaws.com');
      expect(keyPolicy).toContain('kms:GenerateDataKey*');
      const topicPolicy = JSON.stringify(resourcesOf(template, 'AWS::SNS::TopicPolicy'));
      expect(topicPolicy).toContain('aws:SecureTransport');
    });

    it('has no subscription without the alarmEmail context', () => {
      // Assess
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('mails the address given with -c alarmEmail=…', () => {
      // Prepare
      const withEmail = buildApp({ stage: 'dev', context: { alarmEmail: 'ops@example.com' } });

      // Act
      const subscribed = Template.fromStack(withEmail.stateless);

      // Assess
      subscribed.resourceCountIs('AWS::SNS::Subscription', 1);
      subscribed.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: { Ref: idOf(withEmail.stateless.monitoring.topic) },
      });
    });

    it('refuses an alarmEmail that is not an address', () => {
      // Assess
      expect(() => buildApp({ stage: 'dev', context: { alarmEmail: 'not-an-address' } })).toThrow(/alarmEmail/);
    });

    it('publishes its ARN and the dashboard name', () => {
      // Assess
      template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
      template.hasOutput('DashboardName', {});
    });
  });

  describe('alarms', () => {
    it('every alarm in the stack notifies the topic, the six DLQ alarms included', () => {
      // Assess
      expect(alarmList.length).toBeGreaterThan(0);
      for (const alarm of alarmList) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      for (const dlqAlarm of [stateless.sendPipeline.deadLetterAlarm, stateless.campaigns.deadLetterAlarm, stateless.automation.deadLetterAlarm, stateless.imports.deadLetterAlarm, stateless.conversions.deadLetterAlarm, stateless.funnelStream.deadLetterAlarm]) {
        expect(alarms[idOf(dlqAlarm)]?.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      }
    });

    it('are exactly: DLQ depth ×6, errors and throttles per function, 5xx rate per API, webhook p99, storage failures, automation hand-off failures, refused signatures, quarantined items, occurrences stuck, thread control refused', () => {
      // Assess
      expect(alarmList).toHaveLength(6 + 2 * functions.length + 2 + 1 + 6);
    });

    it.each(['Errors', 'Throttles'])('has a Lambda %s alarm for every function, at the first one in 5 minutes', (metricName) => {
      // Assess
      for (const fn of functions) {
        const matching = alarmList.filter(
          (a) => a.Properties.Namespace === 'AWS/Lambda' && a.Properties.MetricName === metricName && refersTo(a.Properties.Dimensions, idOf(fn.function)),
        );
        expect(matching).toHaveLength(1);
        expect(matching[0]?.Properties).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      }
    });

    it('alarms on the 5xx rate of the webhook and of the admin API, from access-log metric filters by route key', () => {
      // Assess
      const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter'));
      const patternOf = (metricName: string) =>
        filters.find((f) => (f.Properties.MetricTransformations as { MetricName: string }[])[0]?.MetricName === metricName)?.Properties.FilterPattern as string;
      expect(patternOf('WebhookApiRequests')).toContain('POST /webhooks/meta');
      expect(patternOf('WebhookApi5xx')).toMatch(/POST \/webhooks\/meta.*\$\.status = "500"/);
      expect(patternOf('AdminApiRequests')).toContain('ANY /admin/{proxy+}');
      expect(patternOf('AdminApi5xx')).toContain('"503"');
      for (const api of ['Webhook', 'Admin']) {
        const rate = alarmList.filter((a) => JSON.stringify(a.Properties.Metrics ?? []).includes(`${api}Api5xx`));
        expect(rate).toHaveLength(1);
        expect(rate[0]?.Properties).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
        expect(JSON.stringify(rate[0]?.Properties.Metrics)).toContain('100 * errors / requests');
      }
    });

    it("alarms when the webhook's p99 duration is above 2 s", () => {
      // Assess
      const latency = alarmList.filter((a) => a.Properties.MetricName === 'Duration' && refersTo(a.Properties.Dimensions, idOf(stateless.webhook.function)));
      expect(latency).toHaveLength(1);
      expect(latency[0]?.Properties).toMatchObject({ ExtendedStatistic: 'p99', Threshold: 2000, ComparisonOperator: 'GreaterThanThreshold' });
    });

    it.each([
      ['StorageFailures', 1],
      ['AutomationHandOffFailures', 1],
      ['SignatureRefused', 10],
      ['QuarantinedItems', 1],
    ])("alarms on the webhook's %s metric at %i in 5 minutes", (metricName, threshold) => {
      // Assess
      expect(webhookAlarm(metricName)).toMatchObject({
        Namespace: 'afterchat',
        Dimensions: [{ Name: 'service', Value: 'meta-webhook' }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: threshold,
      });
    });

    it('alarms when the sweeper finds an occurrence stuck running on two sweeps in a row', () => {
      // Assess
      const [stuck] = alarmList.filter((a) => a.Properties.MetricName === 'OccurrencesStuck');
      expect(stuck?.Properties).toMatchObject({
        Namespace: 'afterchat',
        Dimensions: [{ Name: 'service', Value: 'sweeper' }],
        Statistic: 'Maximum',
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        Threshold: 1,
      });
    });
  });

  describe('thread control', () => {
    it('alarms at the first pass or take Meta refused in 5 minutes, from automation, the admin API or the sender', () => {
      // Assess
      const refused = alarmList.filter((a) => JSON.stringify(a.Properties.Metrics ?? []).includes('ThreadControlFailed'));
      expect(refused).toHaveLength(1);
      expect(refused[0]?.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
      const metrics = refused[0]?.Properties.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions: { Name: string; Value: string }[] }; Stat: string } }[];
      const series = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat?.Metric);
      expect(series.map((m) => Object.fromEntries((m?.Dimensions ?? []).map((d) => [d.Name, d.Value])))).toEqual(
        expect.arrayContaining([
          { service: stateless.automation.function.serviceName, action: 'pass' },
          { service: stateless.automation.function.serviceName, action: 'take' },
          { service: 'admin-api', action: 'take' },
          // A handoff's pass follows its acknowledgement, in the sender.
          { service: stateless.sendPipeline.sender.serviceName, action: 'pass' },
        ]),
      );
      expect(series.every((m) => m?.Namespace === 'afterchat' && m.MetricName === 'ThreadControlFailed')).toBe(true);
      expect(metrics.find((m) => m.Expression)?.Expression).toMatch(/^SUM\(\[/);
    });
  });

  describe('dashboard', () => {
    const body = (): string => JSON.stringify(Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody);

    it('is one dashboard named after the stage', () => {
      // Assess
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'afterchat-dev' });
    });

    it('shows webhook rate and latency, sends by route, refusals by reason, Meta errors by code, queue depths and DLQs', () => {
      // Prepare
      const text = body();

      // Assess
      for (const expected of [
        'Webhook: requests and 5xx',
        'WebhookApiRequests',
        'Webhook: latency',
        'SentByRoute',
        'MetricName=Skipped',
        'MetaErrors',
        'ApproximateNumberOfMessagesVisible',
        'ApproximateAgeOfOldestMessage',
        'Dead-letter queues',
      ]) {
        expect(text).toContain(expected);
      }
      for (const queue of [stateless.sendPipeline.queue, stateless.campaigns.queue, stateless.sendPipeline.deadLetterQueue, stateless.campaigns.deadLetterQueue]) {
        expect(refersTo(text, idOf(queue))).toBe(true);
      }
    });

    it('graphs every funnel milestone the functions emit, summed over the functions that count it', () => {
      // Prepare
      const text = body();

      // Assess
      expect(Object.values(FUNNEL_METRICS).sort()).toEqual(Object.values(MILESTONE_METRICS).sort());
      expect(text).toContain('Funnel milestones');
      for (const name of Object.values(MILESTONE_METRICS)) expect(text).toContain(`SUM(SEARCH('{afterchat,service} MetricName=\\\\\\"${name}\\\\\\"', 'Sum', 300))`);
    });
  });
});
