/**
 * A shop's `order.placed` on the business bus: what a conversion is attributed from (README
 * "Conversions"). The customer is named by the channel ids afterchat knows them by, or by a profile
 * attribute the shop keeps (a customer key such as `customer_id`, domain/measurement/customer-keys.ts).
 * Validated as the whole EventBridge event, as the business-event contract is.
 */
import * as z from 'zod';
import { ChannelSchema } from './account';
import { EventBridgeEnvelopeSchema } from './business-event';
import { AttributeNameSchema } from './user-keys';

export const ORDER_PLACED = 'order.placed';

/** ISO 4217: three capital letters. Revenue is kept per currency, never converted. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as EUR');

export const OrderPlacedDetailSchema = z
  .object({
    channel: ChannelSchema,
    /** Page id, Instagram account id, or WhatsApp phone_number_id the customer is known to. */
    accountId: z.string().regex(/^\d{1,32}$/, 'a numeric Meta id'),
    /** PSID, IGSID, wa_id or BSUID, when the shop knows it. */
    userId: z.string().min(1).max(256).optional(),
    /** Else a customer key the contact's profile carries, e.g. `{ "attribute": "customer_id", "value": "C-1042" }`. */
    customer: z.object({ attribute: AttributeNameSchema, value: z.string().min(1).max(1024) }).optional(),
    /** The shop's order number: an order counts once, however often it is posted. */
    orderId: z.string().min(1).max(256),
    /** The order's value in the currency's major unit (49.90 for €49.90). */
    value: z.number().nonnegative().max(1e12),
    currency: CurrencySchema,
    /** When the order was placed; attribution looks back from here. */
    occurredAt: z.iso.datetime({ offset: true }),
  })
  .refine((detail) => (detail.userId === undefined) !== (detail.customer === undefined), {
    message: 'name the customer by userId or by customer: { attribute, value }, not both',
    path: ['customer'],
  });

export const OrderPlacedEventSchema = EventBridgeEnvelopeSchema.extend({
  'detail-type': z.literal(ORDER_PLACED),
  detail: OrderPlacedDetailSchema,
});

export type OrderPlacedDetail = z.infer<typeof OrderPlacedDetailSchema>;
export type OrderPlacedEvent = z.infer<typeof OrderPlacedEventSchema>;
