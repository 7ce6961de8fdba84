import { OrderPlacedEventSchema } from '../schemas/order-placed';
import { type ConversionOutcome, recordConversion, type RecordConversionDeps } from './record-conversion';

/**
 * The conversion rule's target: an `order.placed` event from the business bus. An event that doesn't
 * parse fails the invocation, so EventBridge's retries and then the DLQ keep it visible; the log
 * names the wrong fields, never their values (they hold the customer's ids).
 */
export const createConversionHandler = (deps: RecordConversionDeps) => async (event: unknown): Promise<{ outcome: ConversionOutcome }> => {
  const parsed = OrderPlacedEventSchema.safeParse(event);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    deps.logger.error('invalid order.placed event', { issues });
    throw new Error(`invalid order.placed event: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
  }
  return { outcome: await recordConversion(deps, parsed.data.detail) };
};
