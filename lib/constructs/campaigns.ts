import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { campaignRulePrefix, type PowertoolsLogLevel } from '../config';
import { grantSendTo, grantTableAccess, sqsFailureDestination, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';
import { consumerQueue, deadLetterAlarm, deadLetterQueue } from './queues';

/**
 * The dispatcher pages through big audiences; before this runs out it hands the rest over to a
 * continuation message, so one occurrence may span many invocations.
 */
const DISPATCHER_TIMEOUT = Duration.minutes(5);

/**
 * Continuations the dispatcher works on at once: a firing fans a big audience out into up to 64
 * segments (one per write shard of the audience, DispatchTuning.segments), each carried on by a
 * continuation of its own; room for one occurrence fanning out fully and others beside it. The
 * firing's own invocation (EventBridge, asynchronous) is not counted here.
 */
export const DISPATCH_MAX_CONCURRENCY = 96;

/** A firing or business event more than an hour late is dead-lettered rather than sent late. */
const MAX_EVENT_AGE = Duration.hours(1);

/** What the admin API needs to create, pause, resume and delete a campaign's scheduled rule. */
const SCHEDULING_ACTIONS = [
  'events:PutRule',
  'events:PutTargets',
  'events:EnableRule',
  'events:DisableRule',
  'events:DeleteRule',
  'events:RemoveTargets',
  // PutRule tags the rules it creates.
  'events:TagResource',
];

export interface CampaignsProps {
  /** The stage's `send.windowClosingMarginSeconds`: planning refuses free-form this close to a window's end. */
  readonly windowClosingMarginSeconds: number;
  readonly stage: string;
  /** Absolute path of the dispatcher handler file; it must export `handler`. */
  readonly dispatcherEntry: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly table: ITableV2;
  /** The send pipeline's queue, which the dispatcher fills. */
  readonly sendQueue: IQueue;
}

/**
 * Campaigns and business-event sends. The admin API creates one EventBridge scheduled rule per
 * campaign at run time, on the default bus and named with `ruleNamePrefix`; each firing invokes the
 * dispatcher, which turns the occurrence into sends on the send queue. Business events on the
 * business bus that name a template reach the same dispatcher. Firings, continuations and events
 * that keep failing end in one DLQ whose depth raises an alarm.
 */
export class Campaigns extends Construct {
  readonly dispatcher: NodeFunction;
  /** Continuation messages: the rest of an occurrence the previous invocation had no time for. */
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly businessEventBus: EventBus;
  readonly businessEventRule: Rule;
  readonly ruleNamePrefix: string;
  /** ARN pattern of every campaign rule; scheduled rules live on the default bus, so it names no bus. */
  private readonly campaignRulesArn: string;

  constructor(scope: Construct, id: string, props: CampaignsProps) {
    super(scope, id);
    const { table, sendQueue } = props;
    const stack = Stack.of(this);
    this.ruleNamePrefix = campaignRulePrefix(props.stage);
    this.campaignRulesArn = stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${this.ruleNamePrefix}*` });

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    this.queue = consumerQueue(this, 'Queue', DISPATCHER_TIMEOUT, this.deadLetterQueue);

    this.dispatcher = new NodeFunction(this, 'Dispatcher', {
      entry: props.dispatcherEntry,
      description: 'Campaign dispatcher: turns campaign firings and business events into sends on the send queue',
      serviceName: 'campaign-dispatcher',
      timeout: DISPATCHER_TIMEOUT,
      // Lambda scales CPU with memory, and a page's work is CPU-bound (the SDK, the policy engine):
      // one full vCPU, at 1,769 MB, plans and enqueues a page of a big audience fastest.
      memorySize: 1769,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: table.tableName,
        SEND_QUEUE_URL: sendQueue.queueUrl,
        DISPATCH_QUEUE_URL: this.queue.queueUrl,
        RULE_NAME_PREFIX: this.ruleNamePrefix,
        WINDOW_CLOSING_MARGIN_SECONDS: String(props.windowClosingMarginSeconds),
      },
    });
    const fn = this.dispatcher.function;

    // One continuation per invocation: each may take the whole timeout. The segments of an
    // occurrence run side by side, as many as maxConcurrency lets the event source start.
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: DISPATCH_MAX_CONCURRENCY }));
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: sqsFailureDestination(this.deadLetterQueue),
    });
    // Audiences (gsi1) and, for local-time campaigns, the zone buckets (gsi2); no deletes, no Scan.
    grantTableAccess(table, fn, STATE_TABLE_ACCESS.dispatcher);
    grantSendTo(fn, sendQueue, this.queue);

    fn.addPermission('CampaignRulesInvoke', {
      principal: new ServicePrincipal('events.amazonaws.com'),
      sourceArn: this.campaignRulesArn,
      sourceAccount: stack.account,
    });
    // The rules put the dead letter here themselves (DeadLetterConfig), so EventBridge needs the
    // queue's permission, not the admin's.
    this.deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCampaignRules',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
        conditions: { ArnLike: { 'aws:SourceArn': this.campaignRulesArn } },
      }),
    );
    // A one-off campaign's rule would stay behind after its only firing.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['events:DeleteRule', 'events:RemoveTargets'], resources: [this.campaignRulesArn] }));
    this.acknowledgeCampaignRulesWildcard(this.dispatcher, 'The dispatcher deletes the rule of a one-off campaign after its firing');

    this.businessEventBus = new EventBus(this, 'BusinessEventBus', { eventBusName: `afterchat-${props.stage}-business` });
    // A template name is what makes an event a send request. AWS service events are excluded by
    // source so that one which happens to carry the field cannot trigger a send.
    this.businessEventRule = new Rule(this, 'BusinessEventRule', {
      eventBus: this.businessEventBus,
      description: 'Business events that name a template, e.g. order.shipped, go to the campaign dispatcher',
      eventPattern: {
        source: Match.anythingButPrefix('aws.'),
        detail: { template: { name: Match.exists() } },
      },
      // Also grants the invoke permission and the DLQ's SendMessage to this rule alone.
      targets: [new LambdaFunction(fn, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 3, maxEventAge: MAX_EVENT_AGE })],
    });

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'Campaign firings, continuations or business events were dead-lettered. Inspect the messages, fix the cause, then redrive continuations to the campaign queue or replay the firing.',
    );
  }

  /**
   * Lets the admin API manage campaign rules and resume a paused occurrence. It passes the
   * dispatcher as the rules' target, which needs no iam:PassRole because Lambda targets use the
   * function's resource policy.
   */
  grantScheduling(admin: NodeFunction): void {
    admin.function.addToRolePolicy(new PolicyStatement({ actions: SCHEDULING_ACTIONS, resources: [this.campaignRulesArn] }));
    this.acknowledgeCampaignRulesWildcard(admin, 'The admin API creates, pauses, resumes and deletes one rule per campaign');
    grantSendTo(admin.function, this.queue);
  }

  private acknowledgeCampaignRulesWildcard(fn: NodeFunction, what: string): void {
    Validations.of(fn.function.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/${this.ruleNamePrefix}*]`,
      reason: `${what}. Campaigns are created at run time, so their rule names (prefix + campaign id) are unknown at synth time; the wildcard is limited to this stage's "${this.ruleNamePrefix}" rules on the default bus.`,
    });
  }
}
