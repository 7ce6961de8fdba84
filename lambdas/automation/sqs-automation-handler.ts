import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AutomationInbound } from '../domain/automation/keyword-opt-out';
import { AutomationHandOffSchema, fromHandOff } from '../schemas/automation-hand-off';

/**
 * The automation queue's consumer: one record is one webhook body's hand-off. A record that fails is
 * retried alone (partial batch failures) and, after the queue's maxReceiveCount, kept in its DLQ.
 * Records run one after another, in queue order: whether a keyword confirms depends on the keyword
 * before it (keyword-opt-out.ts), so a person's STOP and START in two bodies must not be read at once.
 */
export const createSqsAutomationHandler = (run: (events: readonly AutomationInbound[]) => Promise<void>, logger: Logger) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let events: AutomationInbound[];
    try {
      events = fromHandOff(AutomationHandOffSchema.parse(JSON.parse(record.body)));
    } catch {
      logger.error('malformed automation hand-off', { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount });
      throw new Error('malformed automation hand-off');
    }
    try {
      await run(events);
    } catch (error) {
      logger.error('automation failed; SQS will retry the hand-off', {
        events: events.length,
        receiveCount: record.attributes.ApproximateReceiveCount,
        errorName: (error as Error).name,
        errorMessage: (error as Error).message,
      });
      throw error;
    }
  };
  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { processInParallel: false, ...(context ? { context } : {}) });
};
