import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SearchExpression,
  Stats,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, MetricFilter, type ILogGroup, type JsonPattern } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, NodeFunction } from './node-function';

/** CDK context value: the email address the alarm topic mails (`npx cdk deploy -c alarmEmail=ops@example.com`). */
export const ALARM_EMAIL_CONTEXT = 'alarmEmail';

/** Refused signatures in 5 minutes that page someone: a forgery flood, or an App Secret out of step with Meta's. */
export const SIGNATURE_REFUSALS_PER_5_MIN = 10;
/** Share of an API's requests answered 5xx in 5 minutes that pages someone (percent). */
export const API_5XX_PERCENT = 5;
/** Meta waits about 5 s and then retries; a webhook p99 above this is heading there. */
export const WEBHOOK_P99_MS = 2000;

const FIVE_MINUTES = Duration.minutes(5);
/** The thread-control steps (lambdas/domain/automation/rule.ts `ThreadControlStep`), each a value of the metric's `action` dimension. */
const THREAD_STEPS = ['pass', 'take'] as const;

/** Access-log statuses counted as server errors (the log's values are strings). */
const SERVER_ERRORS = ['500', '502', '503', '504'];

export interface NamedQueue {
  readonly name: string;
  readonly queue: IQueue;
}

export interface MonitoringProps {
  readonly stage: string;
  /** The webhook function: its latency and its own metrics (StorageFailures, AutomationHandOffFailures, SignatureRefused, QuarantinedItems). */
  readonly webhook: NodeFunction;
  /** The sweeper, whose `OccurrencesStuck` says an occurrence stays running with an expired lease. */
  readonly sweeper?: NodeFunction;
  /** Functions that move Messenger/Instagram threads (automation, the admin API, the sender): their `ThreadControlFailed`, dimension `action`. */
  readonly threadMovers?: readonly NodeFunction[];
  /** The HTTP API's access log group (JSON lines with routeKey and status). */
  readonly accessLogs: ILogGroup;
  /** Route keys of each API surface, as the access log writes them. */
  readonly apis: readonly { readonly name: 'Webhook' | 'Admin'; readonly routeKeys: readonly string[] }[];
  /** Work queues, for the dashboard's depth and age. */
  readonly queues: readonly NamedQueue[];
  /** Dead-letter queues, for the dashboard. */
  readonly deadLetterQueues: readonly NamedQueue[];
  /** Alarms made elsewhere (the DLQ alarms) that must notify too. */
  readonly existingAlarms: readonly Alarm[];
}

/** The funnel's Powertools metrics by milestone (lambdas/measurement/milestone-metrics.ts emits them). */
export const FUNNEL_METRICS = {
  delivered: 'FunnelDelivered',
  read: 'FunnelRead',
  clicked: 'FunnelClicked',
  replied: 'FunnelReplied',
  converted: 'FunnelConverted',
  'limited by Meta': 'FunnelLimited',
  'opted out': 'FunnelOptedOut',
  failed: 'FunnelFailed',
} as const;

/** Powertools metric of one function (`service` dimension), summed over 5 minutes. */
const appMetric = (fn: NodeFunction, metricName: string, statistic: string = Stats.SUM): Metric =>
  new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: fn.serviceName }, statistic, period: FIVE_MINUTES });

/**
 * Alarms that reach a person, and a dashboard. Every alarm, the DLQ alarms made elsewhere included,
 * notifies one SNS topic (KMS-encrypted, TLS-only), which mails the `alarmEmail` context value when
 * one is given. Every function in the stack (found at synth time, so a new one is covered) alarms on
 * errors and throttles.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // CloudWatch can publish to an encrypted topic only with a customer managed key that lets it.
    const key = new Key(this, 'AlarmTopicKey', {
      description: `afterchat ${props.stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `afterchat ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    const email = alarmEmail(this);
    if (email !== undefined) this.topic.addSubscription(new EmailSubscription(email));
    const action = new SnsAction(this.topic);
    for (const existing of props.existingAlarms) existing.addAlarmAction(action);

    const alarm = (alarmId: string, options: { metric: IMetric; threshold: number; description: string; evaluationPeriods?: number; datapointsToAlarm?: number; comparison?: ComparisonOperator }) => {
      const created = new Alarm(this, alarmId, {
        alarmDescription: options.description,
        metric: options.metric,
        threshold: options.threshold,
        comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };

    // Errors and throttles of every function in the stack, the ones added later included.
    const functions = stack.node.findAll().filter((c): c is NodeFunction => c instanceof NodeFunction);
    for (const fn of functions) {
      const name = fn.node.path.split('/').slice(1).join('');
      alarm(`${name}Errors`, {
        metric: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
        description: `${fn.serviceName}: invocations failed (unhandled error or timeout). Read its log group; SQS and async invocations retry, then dead-letter.`,
      });
      alarm(`${name}Throttles`, {
        metric: fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
        description: `${fn.serviceName}: invocations were throttled. Check the account's concurrency and the function's reserved or event-source concurrency.`,
      });
    }

    // 5xx rate of each API surface, from the access log (one metric filter per count).
    const apiMetrics: Record<string, { requests: Metric; errors: Metric }> = {};
    for (const api of props.apis) {
      const route = FilterPattern.any(...api.routeKeys.map((key) => FilterPattern.stringValue('$.routeKey', '=', key)));
      const serverError: JsonPattern = FilterPattern.any(...SERVER_ERRORS.map((status) => FilterPattern.stringValue('$.status', '=', status)));
      const filter = (filterId: string, metricName: string, pattern: JsonPattern): Metric =>
        new MetricFilter(this, filterId, {
          logGroup: props.accessLogs,
          metricNamespace: METRICS_NAMESPACE,
          metricName,
          filterPattern: pattern,
          metricValue: '1',
          defaultValue: 0,
        }).metric({ statistic: Stats.SUM, period: FIVE_MINUTES });
      const requests = filter(`${api.name}RequestsFilter`, `${api.name}ApiRequests`, route);
      const errors = filter(`${api.name}ServerErrorsFilter`, `${api.name}Api5xx`, FilterPattern.all(route, serverError));
      apiMetrics[api.name] = { requests, errors };
      alarm(`${api.name}Api5xxRate`, {
        metric: new MathExpression({
          expression: 'IF(requests > 0, 100 * errors / requests, 0)',
          usingMetrics: { requests, errors },
          period: FIVE_MINUTES,
          label: `${api.name} API 5xx (%)`,
        }),
        threshold: API_5XX_PERCENT,
        description: `${api.name} API: at least ${API_5XX_PERCENT}% of requests answered 5xx in 5 minutes. ${api.name === 'Webhook' ? 'Meta retries, and disables the subscription after days of failures: check StorageFailures, AutomationHandOffFailures and the webhook log.' : 'Check the admin function log.'}`,
      });
    }

    alarm('WebhookLatencyP99', {
      metric: props.webhook.function.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(99) }),
      threshold: WEBHOOK_P99_MS,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `Webhook: p99 duration above ${WEBHOOK_P99_MS} ms in 2 of 3 five-minute periods; Meta gives up after about 5 s and retries.`,
    });
    alarm('WebhookStorageFailures', {
      metric: appMetric(props.webhook, 'StorageFailures'),
      threshold: 1,
      description: 'Webhook: a body could not be stored (answered 500; Meta retries). Check DynamoDB throttling and the webhook log.',
    });
    alarm('WebhookAutomationHandOffFailures', {
      metric: appMetric(props.webhook, 'AutomationHandOffFailures'),
      threshold: 1,
      description:
        'Webhook: a body could not be handed to the automation queue (answered 500; Meta retries, and its events are handed off again). Check the automation queue (SQS) and the webhook log.',
    });
    alarm('WebhookSignatureRefusals', {
      metric: appMetric(props.webhook, 'SignatureRefused'),
      threshold: SIGNATURE_REFUSALS_PER_5_MIN,
      description: `Webhook: ${SIGNATURE_REFUSALS_PER_5_MIN} or more refused signatures in 5 minutes: forged requests, or the App Secret in Secrets Manager no longer matches Meta's (then every delivery is refused).`,
    });
    alarm('WebhookQuarantinedItems', {
      metric: appMetric(props.webhook, 'QuarantinedItems'),
      threshold: 1,
      description: 'Webhook: items were quarantined (values that cannot be stored). List them with GET /admin/quarantine.',
    });
    if (props.sweeper) {
      alarm('OccurrencesStuck', {
        metric: appMetric(props.sweeper, 'OccurrencesStuck', Stats.MAXIMUM),
        threshold: 1,
        evaluationPeriods: 2,
        description: 'Sweeper: a campaign occurrence (or segment) stayed running with an expired lease through two sweeps. Check the dispatcher log and the campaign DLQ.',
      });
    }

    const movers = props.threadMovers ?? [];
    if (movers.length > 0) {
      // Powertools puts the metric under service and action: one series per function and step, summed.
      const failed = Object.fromEntries(
        movers.flatMap((fn, i) =>
          THREAD_STEPS.map((action) => [
            `failed${i}${action}`,
            new Metric({ namespace: METRICS_NAMESPACE, metricName: 'ThreadControlFailed', dimensionsMap: { service: fn.serviceName, action }, statistic: Stats.SUM, period: FIVE_MINUTES }),
          ]),
        ),
      );
      alarm('ThreadControlFailed', {
        metric: new MathExpression({ expression: `SUM([${Object.keys(failed).join(', ')}])`, usingMetrics: failed, period: FIVE_MINUTES, label: 'ThreadControlFailed' }),
        threshold: 1,
        description:
          "Meta refused a pass/take_thread_control (handoff thread control). The handoff stands; a refused take leaves the person's messages on standby, so automation stays quiet for them. Read the automation, admin-api or sender log ('thread control refused': Meta's code): an app without a role on the Page, a wrong handoff.threadControl.targetAppId, an expired token.",
      });
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `afterchat-${props.stage}`, defaultInterval: Duration.hours(6) });
    const search = (expression: string, label: string, statistic = 'Sum') =>
      new SearchExpression({ expression: `SEARCH('${expression}', '${statistic}', 300)`, label, period: FIVE_MINUTES });
    const sum = (m: Metric, label: string) => m.with({ label, statistic: Stats.SUM, period: FIVE_MINUTES });
    const ns = METRICS_NAMESPACE;
    const webhook = props.webhook.serviceName;
    const queueWidgets = (title: string, queues: readonly NamedQueue[], withAge: boolean) =>
      new GraphWidget({
        title,
        width: 12,
        left: queues.map(({ name, queue }) => queue.metricApproximateNumberOfMessagesVisible({ label: `${name} visible`, statistic: Stats.MAXIMUM, period: Duration.minutes(1) })),
        right: withAge ? queues.map(({ name, queue }) => queue.metricApproximateAgeOfOldestMessage({ label: `${name} oldest (s)`, statistic: Stats.MAXIMUM, period: Duration.minutes(1) })) : [],
      });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: `# afterchat ${props.stage}\nAlarms mail the topic's subscribers (README "Alarms and dashboard").`, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Webhook: requests and 5xx',
        width: 8,
        left: [apiMetrics.Webhook?.requests, apiMetrics.Webhook?.errors].filter((m): m is Metric => m !== undefined),
      }),
      new GraphWidget({
        title: 'Webhook: latency (function duration, ms)',
        width: 8,
        left: [50, 99].map((p) => props.webhook.function.metricDuration({ statistic: Stats.p(p), period: FIVE_MINUTES, label: `p${p}` })),
        leftAnnotations: [{ value: WEBHOOK_P99_MS, label: 'p99 alarm' }],
      }),
      new GraphWidget({
        title: 'Webhook: events, duplicates, quarantined, refused signatures, storage and hand-off failures',
        width: 8,
        left: ['EventsReceived', 'DuplicateEvents', 'EventsSkipped', 'QuarantinedItems', 'SignatureRefused', 'StorageFailures', 'AutomationHandOffFailures', 'SecretFailures'].map((name) =>
          sum(new Metric({ namespace: ns, metricName: name, dimensionsMap: { service: webhook } }), name),
        ),
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Sends by route', width: 8, left: [search(`{${ns},route,service} MetricName="SentByRoute"`, '')] }),
      new GraphWidget({ title: 'Refusals by reason (sender)', width: 8, left: [search(`{${ns},service} service="sender" MetricName=Skipped`, '')] }),
      new GraphWidget({ title: 'Meta errors by code', width: 8, left: [search(`{${ns},code,service} MetricName="MetaErrors"`, '')] }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Send outcomes',
        width: 12,
        left: ['Sent', 'Failed', 'RetryScheduled', 'Rerouted', 'Unknown'].map((name) => sum(new Metric({ namespace: ns, metricName: name, dimensionsMap: { service: 'sender' } }), name)),
      }),
      new GraphWidget({
        title: 'Admin API: requests and 5xx',
        width: 12,
        left: [apiMetrics.Admin?.requests, apiMetrics.Admin?.errors].filter((m): m is Metric => m !== undefined),
      }),
    );
    // Summed over the functions that count them (webhook, automation, click redirect, conversions): one line per milestone.
    const milestone = (label: string, metricName: string) =>
      new MathExpression({ expression: `SUM(SEARCH('{${ns},service} MetricName="${metricName}"', 'Sum', 300))`, usingMetrics: {}, label, period: FIVE_MINUTES });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Funnel milestones (each message counted once)',
        width: 24,
        left: Object.entries(FUNNEL_METRICS).map(([label, metricName]) => milestone(label, metricName)),
      }),
    );
    this.dashboard.addWidgets(queueWidgets('Queues: depth and oldest message', props.queues, true), queueWidgets('Dead-letter queues', props.deadLetterQueues, true));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda errors by function',
        width: 12,
        left: functions.map((fn) => fn.function.metricErrors({ label: fn.serviceName, statistic: Stats.SUM, period: FIVE_MINUTES })),
      }),
      new GraphWidget({
        title: 'Lambda throttles by function',
        width: 12,
        left: functions.map((fn) => fn.function.metricThrottles({ label: fn.serviceName, statistic: Stats.SUM, period: FIVE_MINUTES })),
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Sweeper: stranded work recovered, occurrences stuck',
        width: 12,
        left: [search(`{${ns},kind,service} MetricName="StrandedWorkRecovered"`, '')],
        right: props.sweeper ? [appMetric(props.sweeper, 'OccurrencesStuck', Stats.MAXIMUM).with({ label: 'OccurrencesStuck' })] : [],
      }),
      new AlarmStatusWidget({ title: 'Alarms', width: 12, alarms: [...props.existingAlarms, ...this.alarms] }),
    );
  }
}

/** The `alarmEmail` context value, checked; undefined when not given. */
function alarmEmail(scope: Construct): string | undefined {
  const raw: unknown = scope.node.tryGetContext(ALARM_EMAIL_CONTEXT);
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) {
    throw new Error(`Context "${ALARM_EMAIL_CONTEXT}" must be an email address, e.g. -c ${ALARM_EMAIL_CONTEXT}=ops@example.com (got ${JSON.stringify(raw)})`);
  }
  return raw;
}
