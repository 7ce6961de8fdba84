/**
 * The idempotency key of the send a business event asks for, so a redelivered event sends nothing
 * twice. The detail-type is part of it: a shop reusing an order id for `shipped` and `delivered` gets
 * both. Without the business's own key, the event's id stands in (EventBridge gives each PutEvents
 * entry one, which `afterchat campaigns put-event` reads back to find the send).
 */
export const businessEventSendKey = (event: { source: string; 'detail-type': string; id: string; detail: { idempotencyKey?: string } }): string =>
  `event#${event.source}#${event['detail-type']}#${event.detail.idempotencyKey ?? event.id}`;
