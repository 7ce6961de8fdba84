import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { errorJson, type HttpResult, json } from '../http/responses';
import type { LocalEventBus } from './local-event-bus';

/** The body of EventBridge's PutEvents, as `aws events put-events --entries` sends it. */
const PutEventsBodySchema = z.object({
  Entries: z
    .array(z.object({ Source: z.string().min(1), DetailType: z.string().min(1), Detail: z.string(), EventBusName: z.string().optional() }))
    .min(1)
    .max(10),
});

/** POST /local/events: PutEvents on the local business bus. */
export const putEventsRoute = async (bus: LocalEventBus, event: APIGatewayProxyEventV2): Promise<HttpResult> => {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8'));
  } catch {
    return errorJson(400, 'malformed JSON');
  }
  const parsed = PutEventsBodySchema.safeParse(body);
  if (!parsed.success) return errorJson(400, 'expected {"Entries": [{Source, DetailType, Detail}]} with 1 to 10 entries');
  try {
    return json(200, await bus.putEvents(parsed.data.Entries));
  } catch (error) {
    // In AWS the rule's retries and DLQ would hold it; locally the caller sees why it failed.
    return errorJson(502, 'the dispatcher failed on an event', { message: (error as Error).message });
  }
};
