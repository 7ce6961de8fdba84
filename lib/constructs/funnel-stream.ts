import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config';
import { grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';
import { deadLetterAlarm, deadLetterQueue } from './queues';

/**
 * The funnel flags a status write sets on a send's outbox record (lambdas/domain/state-changes.ts
 * `outboxReport`; keys.ts `fm_<milestone>`, a number) — `fm_failed` also by the sender's write of
 * Meta's refusal at the send call — repeated here as infrastructure code doesn't import runtime code.
 */
const STATUS_FLAGS = ['fm_delivered', 'fm_read', 'fm_failed'] as const;

export interface FunnelStreamProps {
  /** Absolute path of the stream consumer's handler file; it must export `handler`. */
  readonly entry: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  /** The state table, with its stream (NEW_AND_OLD_IMAGES). */
  readonly table: ITableV2;
}

/**
 * The funnel's counts of status milestones, off the status webhook's path (README "Funnel"): the
 * state table's stream feeds a small Lambda, and its event source lets through only the writes that
 * set a status flag on a send's outbox record (filtered records invoke nothing; a Lambda trigger
 * reads the stream for free). Each batch becomes one counter write per counter item.
 *
 * Exactly once: the stream carries each flag's first write once, and each counter item keeps a mark
 * per stream shard, so a retried batch counts nothing twice. That needs the shard's records in
 * order, one batch at a time (parallelization factor 1), and the shard's id, which Lambda names
 * only in the tumbling-window form of the event (the window holds no state here). A batch still
 * failing after the retries goes to a DLQ (its shard and sequence range; its counts are lost).
 */
export class FunnelStream extends Construct {
  readonly function: NodeFunction;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: FunnelStreamProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is the on-failure destination of the funnel stream's event source (the batch's shard and sequence range); nothing consumes it, so it needs no DLQ of its own.",
    });
    this.function = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Funnel: status milestones counted off the state table stream',
      serviceName: 'funnel-stream',
      // One counter write per counter item of a batch (a few, however many records).
      timeout: Duration.seconds(60),
      memorySize: 256,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: { TABLE_NAME: props.table.tableName },
    });
    const fn = this.function.function;
    grantTableAccess(props.table, fn, STATE_TABLE_ACCESS.funnelStream);
    fn.addEventSource(
      new DynamoEventSource(props.table, {
        // Not TRIM_HORIZON: the last day's statuses were counted by the webhook of the release before.
        startingPosition: StartingPosition.LATEST,
        // 80 msg/s sets about 160 flags a second: a 5 s window makes batches of a hundred or more per shard.
        batchSize: 1000,
        maxBatchingWindow: Duration.seconds(5),
        // The event form that names the shard; 15 min, the longest, for the fewest window-closing calls.
        tumblingWindow: Duration.minutes(15),
        parallelizationFactor: 1,
        retryAttempts: 50,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: STATUS_FLAGS.map((flag) =>
          FilterCriteria.filter({
            eventName: ['MODIFY'],
            dynamodb: {
              Keys: { pk: { S: FilterRule.beginsWith('O#') } },
              OldImage: { idempotencyKey: { S: FilterRule.exists() }, [flag]: { N: FilterRule.notExists() } },
              NewImage: { [flag]: { N: FilterRule.exists() } },
            },
          }),
        ),
      }),
    );
    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      "A batch of the state table's stream failed every retry: the funnel did not count those statuses' milestones (delivered, read, failed, limited, billed). Read the funnel-stream log for the cause; the message names the shard and sequence range, and the outbox records' flags still say which milestones each message reached.",
    );
  }
}
