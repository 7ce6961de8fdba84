import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type ImportSlice, ImportSliceSchema } from '../schemas/import-slice';

/**
 * The import queue's consumer: one record is one slice of one import. A slice that fails is retried
 * (partial batch failures) and, after the queue's maxReceiveCount, kept in its DLQ; its import waits
 * at that slice until the message is redriven. Logs name the import and the position, never a row.
 */
export const createSqsImportHandler = (run: (slice: ImportSlice) => Promise<void>, logger: Logger) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const parsed = ImportSliceSchema.safeParse(safeJson(record.body));
    if (!parsed.success) {
      logger.error('malformed import slice', { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount });
      throw new Error('malformed import slice');
    }
    try {
      await run(parsed.data);
    } catch (error) {
      logger.error('import slice failed; SQS will retry it', {
        importId: parsed.data.importId,
        chunk: parsed.data.chunk,
        record: parsed.data.record,
        receiveCount: record.attributes.ApproximateReceiveCount,
        // The name alone: a message may quote what failed to parse, a cell of someone's row.
        errorName: (error as Error).name,
      });
      throw error;
    }
  };
  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { processInParallel: false, ...(context ? { context } : {}) });
};

const safeJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};
