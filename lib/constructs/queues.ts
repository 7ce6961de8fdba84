import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MIN_MAX_RECEIVE_COUNT } from '../reliability-checks';

/**
 * Lambda's SQS event source wants the visibility timeout at six times the function timeout, so a
 * batch that is still being retried after a throttle or a timeout does not reappear and run twice.
 */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * An encrypted, TLS-only dead-letter queue. Standard queue retention is counted from the original
 * enqueue, so it keeps messages for the maximum to leave operators time to inspect and redrive them.
 */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
}

/** An encrypted, TLS-only queue that one Lambda consumes, with retry settings derived from its timeout. */
export function consumerQueue(scope: Construct, id: string, consumerTimeout: Duration, deadLetters: IQueue): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: MIN_MAX_RECEIVE_COUNT },
  });
}

/** Any message in a DLQ is work that gave up; one datapoint is enough to page someone. */
export function deadLetterAlarm(scope: Construct, id: string, queue: Queue, alarmDescription: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: Stats.MAXIMUM,
    }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
