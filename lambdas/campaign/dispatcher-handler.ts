import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { BusinessEventSchema } from '../schemas/business-event';
import { CampaignFiringSchema, DispatchContinuationSchema } from '../schemas/dispatcher-input';
import type { Dispatcher } from './dispatcher';

/** Outside Lambda (the local stack) nothing runs out of time. */
const UNLIMITED = (): number => Number.POSITIVE_INFINITY;

/**
 * One function, three inputs: a schedule's firing (EventBridge rule target), a business event
 * (rule on the business bus) and continuation messages (the dispatch queue). Anything else is an
 * error, so EventBridge's retries and the DLQ keep it visible instead of dropping it.
 */
export const createDispatcherHandler = (dispatcher: Dispatcher, logger: Logger) => {
  const processor = new BatchProcessor(EventType.SQS);

  return async (event: unknown, context?: Context): Promise<SQSBatchResponse | { outcome: string }> => {
    const remainingMs = context ? () => context.getRemainingTimeInMillis() : UNLIMITED;
    if (isSqsEvent(event)) {
      const onRecord = async (record: SQSRecord) => {
        const message = parse(DispatchContinuationSchema, JSON.parse(record.body), 'dispatch queue message', logger);
        return dispatcher.onContinuation(message, remainingMs);
      };
      return processPartialResponse(event, onRecord, processor, context ? { context } : undefined);
    }
    if (typeof event === 'object' && event !== null && 'detail-type' in event) {
      const result = await dispatcher.onBusinessEvent(parse(BusinessEventSchema, event, 'business event', logger));
      return { outcome: result.decision.outcome };
    }
    return { outcome: await dispatcher.onFiring(parse(CampaignFiringSchema, event, 'campaign firing', logger), remainingMs) };
  };
};

const isSqsEvent = (event: unknown): event is SQSEvent =>
  typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records);

/** Logs which fields are wrong (names only: details may hold personal data), then fails the invocation. */
const parse = <S extends z.ZodType>(schema: S, input: unknown, what: string, logger: Logger): z.infer<S> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  logger.error(`invalid ${what}`, { issues });
  throw new Error(`invalid ${what}: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
};
