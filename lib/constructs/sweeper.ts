import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config';
import { grantReceiveFrom, grantSendTo, grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';

/** How often the sweeper runs. Its grace (10 minutes by default) is what bounds how long stranded work waits, not this. */
export const SWEEP_EVERY = Duration.minutes(5);
/** A sweep reads at most 1,000 index entries per shard and 500 dead letters; it ends well before the next one starts. */
const SWEEP_TIMEOUT = Duration.minutes(4);

export interface SweeperProps {
  /** Absolute path of the sweeper handler file; it must export `handler`. */
  readonly entry: string;
  readonly stage: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly table: ITableV2;
  readonly sendQueue: IQueue;
  readonly sendDeadLetterQueue: IQueue;
  readonly dispatchQueue: IQueue;
}

/**
 * The sweeper: a function on an EventBridge schedule that finishes work a crash left behind (README
 * "Sweeper"). Its role holds only what its code calls: Query on gsi3; GetItem, BatchGetItem, Query
 * (an occurrence's segments) and UpdateItem on the table's items; SendMessage to the send and
 * dispatch queues; ReceiveMessage and DeleteMessage on the send DLQ.
 */
export class Sweeper extends Construct {
  readonly function: NodeFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SweeperProps) {
    super(scope, id);
    const { table } = props;
    this.function = new NodeFunction(this, 'Function', {
      entry: props.entry,
      description: 'Sweeper: re-enqueues, ends or resumes work a crash left pending (outbox jobs, dead letters, occurrences)',
      serviceName: 'sweeper',
      timeout: SWEEP_TIMEOUT,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: table.tableName,
        SEND_QUEUE_URL: props.sendQueue.queueUrl,
        SEND_DLQ_URL: props.sendDeadLetterQueue.queueUrl,
        DISPATCH_QUEUE_URL: props.dispatchQueue.queueUrl,
      },
    });
    const fn = this.function.function;
    grantTableAccess(table, fn, STATE_TABLE_ACCESS.sweeper);
    grantSendTo(fn, props.sendQueue, props.dispatchQueue);
    grantReceiveFrom(fn, props.sendDeadLetterQueue);

    // A missed run needs no retry: the next one comes within minutes and finds the same entries.
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: SWEEP_EVERY });
    this.rule = new Rule(this, 'Schedule', {
      ruleName: `afterchat-${props.stage}-sweeper`,
      description: `Finishes stranded sends and campaign occurrences every ${SWEEP_EVERY.toMinutes()} minutes`,
      schedule: Schedule.rate(SWEEP_EVERY),
      targets: [new LambdaFunction(fn, { retryAttempts: 0, maxEventAge: SWEEP_EVERY })],
    });
  }
}
