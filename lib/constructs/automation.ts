import { grantPutAfterchatEvents } from './afterchat-events-grant';
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config';
import { grantSecretValue, grantTokenSecrets, grantSendTo, grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';
import { GRAPH_API_BASE_URL } from './send-pipeline';
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
  /** Thread control on Messenger and Instagram calls Meta as the sender does: its version, app secret and token prefix. */
  readonly graphApiVersion: string;
  readonly appSecret: ISecret;
  readonly accessTokenPrefix: string;
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
      description: 'Automation: rules on inbound messages, answers through the send queue, handoff events on the business bus',
      serviceName: 'automation',
      timeout: AUTOMATION_TIMEOUT,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: props.table.tableName,
        SEND_QUEUE_URL: props.sendQueue.queueUrl,
        WINDOW_CLOSING_MARGIN_SECONDS: String(props.windowClosingMarginSeconds),
        GRAPH_API_BASE_URL,
        GRAPH_API_VERSION: props.graphApiVersion,
        APP_SECRET_ID: props.appSecret.secretArn,
        TOKEN_SECRET_PREFIX: props.accessTokenPrefix,
      },
    });
    const fn = this.function.function;
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    grantTableAccess(props.table, fn, STATE_TABLE_ACCESS.automation);
    grantSendTo(fn, props.sendQueue);
    this.grantThreadControl(props.appSecret, props.accessTokenPrefix);

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'Automation hand-offs were dead-lettered after 5 failed attempts: nothing in them was answered or recorded (STOP included). Inspect the messages, fix the cause, then redrive them to the automation queue.',
    );
  }

  /** `handoff.requested` and the like go on the business bus: its name in the environment, PutEvents on that bus alone. */
  publishTo(bus: IEventBus): void {
    this.function.function.addEnvironment('BUSINESS_BUS_NAME', bus.eventBusName);
    grantPutAfterchatEvents(bus, this.function.function);
  }

  /** pass/take_thread_control with each Page's own token: the app secret, and GetSecretValue on the stage's token prefix. */
  private grantThreadControl(appSecret: ISecret, prefix: string): void {
    const fn = this.function.function;
    grantSecretValue(fn, appSecret);
    grantTokenSecrets(fn, prefix, "Thread control is called with each Page's or Instagram account's own access token.");
  }
}
