import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config';
import { grantSendTo, grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';
import { consumerQueue, deadLetterAlarm, deadLetterQueue } from './queues';

/**
 * One slice of an import: up to 500 rows, each a few reads and writes. The worker stops taking rows
 * well before this (its time budget), so a slice never runs into the timeout on a slow table.
 */
const IMPORT_WORKER_TIMEOUT = Duration.minutes(5);

export interface ImportsProps {
  /** Absolute path of the import worker's handler file; it must export `handler`. */
  readonly entry: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly table: ITableV2;
  readonly windowClosingMarginSeconds: number;
}

/**
 * CSV imports (README "Importing contacts"): `POST /admin/imports/{id}/start` sends an import's first
 * slice to an encrypted queue; this Lambda processes the slice, moves the job's cursor and sends the
 * next one, until the job completes. A message is a slice of minutes' work at most: batch size 1.
 * A slice that keeps failing is parked, after five receives, in a dead-letter queue whose depth
 * raises an alarm; the job waits at its cursor until the message is redriven.
 */
export class Imports extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly worker: NodeFunction;

  constructor(scope: Construct, id: string, props: ImportsProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    this.queue = consumerQueue(this, 'Queue', IMPORT_WORKER_TIMEOUT, this.deadLetterQueue);

    this.worker = new NodeFunction(this, 'Worker', {
      entry: props.entry,
      description: 'CSV import worker: one slice of an import job per message, then the next slice',
      serviceName: 'import-worker',
      timeout: IMPORT_WORKER_TIMEOUT,
      // A slice parses a whole chunk (up to 1 MiB of CSV) into records; memory also buys CPU for the parse.
      memorySize: 1024,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: props.table.tableName,
        IMPORT_QUEUE_URL: this.queue.queueUrl,
        WINDOW_CLOSING_MARGIN_SECONDS: String(props.windowClosingMarginSeconds),
      },
    });
    const fn = this.worker.function;
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    grantTableAccess(props.table, fn, STATE_TABLE_ACCESS.importWorker);
    // Each slice sends the next one.
    grantSendTo(fn, this.queue);

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'An import slice was dead-lettered after 5 failed attempts: its import stopped at that slice (GET /admin/imports/{importId} shows where). Read the import worker log, fix the cause, then redrive the message to the import queue; the import resumes where it stopped.',
    );
  }
}
