import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel, SendConfig } from '../config';
import { NodeFunction } from './node-function';
import { grantSecretValue, grantTokenSecrets, grantSendTo, grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { consumerQueue, deadLetterAlarm, deadLetterQueue } from './queues';

export const GRAPH_API_BASE_URL = 'https://graph.facebook.com';

/**
 * The sender's budget for one batch of up to 10 paced Graph API calls (a job waits at most 2 s for its
 * slot, then goes back to the queue); the visibility timeout follows from it.
 */
const SENDER_TIMEOUT = Duration.seconds(30);

export interface SendPipelineProps {
  /** Absolute path of the sender handler file; it must export `handler`. */
  readonly senderEntry: string;
  readonly send: SendConfig;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly table: ITableV2;
  /** The Meta App Secret, for `appsecret_proof` on every Graph API call. */
  readonly appSecret: ISecret;
  /** Name prefix of the per-account access-token secrets, e.g. `afterchat/dev/tokens/`. */
  readonly accessTokenPrefix: string;
}

/**
 * Outbound messages: a send queue drained by the sender Lambda, which calls the Graph API. Failed
 * records are retried one by one (partial batch responses) and, after five receives, parked in an
 * encrypted dead-letter queue whose depth raises an alarm.
 */
export class SendPipeline extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly sender: NodeFunction;

  constructor(scope: Construct, id: string, props: SendPipelineProps) {
    super(scope, id);
    const { send, table, appSecret, accessTokenPrefix } = props;

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    this.queue = consumerQueue(this, 'Queue', SENDER_TIMEOUT, this.deadLetterQueue);

    this.sender = new NodeFunction(this, 'Sender', {
      entry: props.senderEntry,
      description: 'Sender: drains the send queue and delivers each message through the Meta Graph API',
      serviceName: 'sender',
      timeout: SENDER_TIMEOUT,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: table.tableName,
        SEND_QUEUE_URL: this.queue.queueUrl,
        GRAPH_API_BASE_URL,
        GRAPH_API_VERSION: send.graphApiVersion,
        TOKEN_SECRET_PREFIX: accessTokenPrefix,
        APP_SECRET_ID: appSecret.secretArn,
        // Pages and Instagram accounts without a rate of their own; WhatsApp numbers pace at their Meta tier.
        MESSENGER_RATE_PER_SECOND: String(send.messengerRatePerSecond),
        WINDOW_CLOSING_MARGIN_SECONDS: String(send.windowClosingMarginSeconds),
      },
    });
    const fn = this.sender.function;

    // The event source grants the receive/delete permissions. Capping its concurrency slows
    // polling, whereas reserved concurrency would throttle invocations and burn receive counts.
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: send.senderMaxConcurrency,
      }),
    );
    // Item reads and writes cover the shared limiter too: its slot, pair and portfolio items live in
    // the state table (LIM#… keys, with TTL), so pacing needs no grant of its own.
    grantTableAccess(table, fn, STATE_TABLE_ACCESS.sender);
    // The sender re-enqueues a message with a delay when Meta asks it to back off.
    grantSendTo(fn, this.queue);
    grantSecretValue(fn, appSecret);

    grantTokenSecrets(fn, accessTokenPrefix, 'The sender sends with each Page\'s or WhatsApp number\'s own access token.');

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'Sends were dead-lettered after 5 failed attempts. Inspect the messages, fix the cause, then redrive them to the send queue.',
    );
  }
}
