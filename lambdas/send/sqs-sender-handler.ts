import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { SendJobSchema } from '../schemas/send-job';
import type { JobOutcome } from './sender';

/**
 * The send queue's consumer: Powertools batch processing with partial batch failures, so one bad
 * record is retried (and after the queue's maxReceiveCount lands in the DLQ) without the others.
 */
export const createSqsSenderHandler = (processJob: (outboxId: string) => Promise<JobOutcome>, logger: Logger) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<JobOutcome> => {
    let outboxId: string;
    try {
      outboxId = SendJobSchema.parse(JSON.parse(record.body)).outboxId;
    } catch {
      // Retried until the DLQ takes it: a malformed job is visible there, never silently dropped.
      logger.error('malformed send job', { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount });
      throw new Error('malformed send job');
    }
    try {
      return await processJob(outboxId);
    } catch (error) {
      // Retried by SQS, and after maxReceiveCount kept in the DLQ: this line is the reason it went there.
      logger.error('send job failed; SQS will retry it', {
        outboxId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        errorName: (error as Error).name,
        errorMessage: (error as Error).message,
      });
      throw error;
    }
  };
  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, context ? { context } : undefined);
};
