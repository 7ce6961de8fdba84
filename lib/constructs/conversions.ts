import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config';
import { grantTableAccess, sqsFailureDestination, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';
import { deadLetterAlarm, deadLetterQueue } from './queues';

/** An order still failing after six hours (Lambda's longest asynchronous event age) is dead-lettered for a replay. */
const MAX_EVENT_AGE = Duration.hours(6);

export interface ConversionsProps {
  /** Absolute path of the conversion handler file; it must export `handler`. */
  readonly entry: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly table: ITableV2;
  /** The business bus the shop puts `order.placed` on. */
  readonly businessEventBus: IEventBus;
  /** The stage's last-touch window (lib/config.ts `conversions.attributionWindowDays`). */
  readonly attributionWindowDays: number;
}

/**
 * Conversions (README "Conversions"): a rule of its own on the business bus sends each `order.placed`
 * to a small Lambda that attributes it to the person's last read or click and counts it. The
 * business-event rule routes only events naming a template, so the two never share an event. An
 * order that keeps failing (after the rule's and Lambda's retries) lands in a DLQ whose depth raises
 * an alarm; replaying it is safe: an order counts once.
 */
export class Conversions extends Construct {
  readonly function: NodeFunction;
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ConversionsProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the dead-letter queue of the order.placed rule's target and of the conversion handler's asynchronous invocations (EventBridge's and Lambda's own DLQ settings, which the rule cannot see as a redrive policy); nothing consumes it, so it needs no DLQ of its own.",
    });
    this.function = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Conversions: order.placed from the business bus, attributed last-touch to a read or clicked message',
      serviceName: 'conversions',
      // A handful of reads and writes per order.
      timeout: Duration.seconds(30),
      memorySize: 256,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: props.table.tableName,
        ATTRIBUTION_WINDOW_DAYS: String(props.attributionWindowDays),
      },
    });
    const fn = this.function.function;
    grantTableAccess(props.table, fn, STATE_TABLE_ACCESS.conversions);
    fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: MAX_EVENT_AGE, onFailure: sqsFailureDestination(this.deadLetterQueue) });

    this.rule = new Rule(this, 'OrderPlacedRule', {
      eventBus: props.businessEventBus,
      description: "A shop's order.placed goes to the conversion handler",
      eventPattern: { source: Match.anythingButPrefix('aws.'), detailType: ['order.placed'] },
      // Also grants the invoke permission and the DLQ's SendMessage to this rule alone.
      targets: [new LambdaFunction(fn, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 3, maxEventAge: MAX_EVENT_AGE })],
    });

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'An order.placed event was dead-lettered: its conversion is not counted. Read the conversion handler log (invalid events name the wrong fields), fix the cause, then replay the event on the business bus; an order counts once, so a replay is safe.',
    );
  }
}
