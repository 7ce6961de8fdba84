/**
 * A business's own event on the bus (e.g. `order.shipped`), which a rule routes to the dispatcher to
 * send the matching utility template. Validated as the whole EventBridge event, as Powertools'
 * parser does with `EventBridgeSchema.extend({ detail })`.
 */
import * as z from 'zod';
import { ChannelSchema } from './account';

/** The EventBridge event envelope, field for field as Powertools' `EventBridgeSchema`. */
export const EventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  'detail-type': z.string(),
  detail: z.unknown(),
  resources: z.array(z.string()),
  'replay-name': z.string().optional(),
});

export const BusinessEventDetailSchema = z.object({
  channel: ChannelSchema,
  /** Page id, Instagram account id, or WhatsApp phone_number_id that sends. */
  accountId: z.string().regex(/^\d{1,32}$/, 'a numeric Meta id'),
  /** PSID, IGSID, wa_id or BSUID. */
  userId: z.string().min(1).max(256),
  template: z.object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'an approved template name such as order_shipped'),
    language: z.string().min(2).max(15),
  }),
  /** The template's named parameters, e.g. `{ "order_number": "SK-1042" }`. */
  parameters: z
    .record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.string().max(1024), {
      error: (issue) => (issue.code === 'invalid_key' ? 'parameter names are lowercase words joined by _, such as order_number' : undefined),
    })
    .optional(),
  /** The business's key for "send this once" (e.g. `order-SK-1042-shipped`); without it the event `id` is used. */
  idempotencyKey: z.string().min(1).max(512).optional(),
});

export const BusinessEventSchema = EventBridgeEnvelopeSchema.extend({
  /** What happened, e.g. `order.shipped`; rules route on it. EventBridge allows up to 128 characters. */
  'detail-type': z.string().min(1).max(128),
  detail: BusinessEventDetailSchema,
});

export type EventBridgeEnvelope = z.infer<typeof EventBridgeEnvelopeSchema>;
export type BusinessEventDetail = z.infer<typeof BusinessEventDetailSchema>;
export type BusinessEvent = z.infer<typeof BusinessEventSchema>;
