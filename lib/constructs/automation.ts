import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config';
import { grantSendTo, grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';
import { consumerQueue, deadLetterAlarm, deadLetterQueue } from './queues';

/** One hand-off: up to a body's worth of keyword messages, each a contact read, a register write and a send. */
const AUTOMATION_TIMEOUT = Duration.seconds(30);

export interface AutomationProps {
  /** Absolute path of the automation handler file; it must export `handler`. */
  readonly entry: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly table: ITableV2;
  /** Automated messages go out through the send queue like any other. */
  readonly sendQueue: IQueue;
  readonly windowClosingMarginSeconds: number;
}

/**
 * Conversation automation (README "Automation"): the webhook hands each body's inbound events to an
 * encrypted queue once their writes landed; this Lambda drains it, records keyword opt-outs and
 * enqueues confirmations on the send queue. Failed hand-offs are retried alone and, after five
 * receives, parked in an encrypted dead-letter queue whose depth raises an alarm.
 */
export class Automation extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly function: NodeFunction;

  constructor(scope: Construct, id: string, props: AutomationProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    this.queue = consumerQueue(this, 'Queue', AUTOMATION_TIMEOUT, this.deadLetterQueue);

    this.function = new NodeFunction(this, 'Function', {
      entry: props.entry,
      description: 'Automation: STOP/START keywords on inbound messages, confirmations through the send queue',
      serviceName: 'automation',
      timeout: AUTOMATION_TIMEOUT,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: props.table.tableName,
        SEND_QUEUE_URL: props.sendQueue.queueUrl,
        WINDOW_CLOSING_MARGIN_SECONDS: String(props.windowClosingMarginSeconds),
      },
    });
    const fn = this.function.function;
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    grantTableAccess(props.table, fn, STATE_TABLE_ACCESS.automation);
    grantSendTo(fn, props.sendQueue);

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'Automation hand-offs were dead-lettered after 5 failed attempts: keywords in them were not recorded. Inspect the messages, fix the cause, then redrive them to the automation queue.',
    );
  }
}
