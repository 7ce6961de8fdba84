/**
 * `POST /{version}/{phone-number-id}/marketing_messages`: WhatsApp's Marketing Messages API
 * (whatsapp-cloud-api.md §7). MARKETING templates only (other messages 131055, other categories
 * 134100); a number whose WABA is not onboarded answers 134102 with `product_policy: STRICT` (or
 * none), and with `CLOUD_API_FALLBACK` goes out through Cloud API while that still takes marketing.
 * Status webhooks are Cloud API's, billed `marketing_lite`.
 */
import * as z from 'zod';
import { type GraphError, invalidRequest, whatsappError } from './errors';
import { DAY_MS, type SendContext, type SendOutcome } from './outcome';
import { newWamid } from './random';
import type { WhatsAppPricing } from './status-webhooks';
import {
  cloudApiTakesMarketing,
  contactsOf,
  failureOf,
  isRecipientError,
  messageRef,
  rateRefusal,
  recipientOf,
  templateError,
  templateSchema,
  webhooksFor,
} from './whatsapp-send';

const sendSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().optional(),
  recipient: z.string().optional(),
  type: z.string().default('text'),
  template: templateSchema.optional(),
  product_policy: z.enum(['CLOUD_API_FALLBACK', 'STRICT']).optional(),
  message_activity_sharing: z.boolean().optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
});

const MARKETING_LITE: WhatsAppPricing = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing_lite' };
const CLOUD_API_MARKETING: WhatsAppPricing = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' };

const notTemplate = (): GraphError =>
  whatsappError(131055, 'Method not allowed', 'The Marketing Messages API sends marketing template messages only: send other messages through /messages.');

const notMarketing = (name: string, category: string): GraphError =>
  whatsappError(134100, 'Only marketing templates are supported', `Template ${name} is ${category}: send it through /messages.`);

/** Meta answers it with HTTP 500 (whatsapp-cloud-api.md §6). */
const notOnboarded = (): GraphError => ({
  ...whatsappError(
    134102,
    'Marketing Messages API not available',
    'This WhatsApp Business Account is not onboarded to (or not eligible for) the Marketing Messages API: marketing_messages_lite_api_status is not ONBOARDED.',
  ),
  httpStatus: 500,
});

export const sendWhatsAppMarketingMessage = (ctx: SendContext, raw: unknown): SendOutcome => {
  const parsed = sendSchema.safeParse(raw);
  if (!parsed.success) return { error: invalidRequest(parsed.error, true) };
  const request = parsed.data;
  const person = recipientOf(ctx, request);
  if (isRecipientError(person)) return { error: person };
  const requested = request.type === 'template' ? request.template : undefined;
  if (requested === undefined) return { error: notTemplate() };

  const limited = rateRefusal(ctx, person.userId);
  if (limited) return { error: limited };
  const { name, language } = requested;
  const template = ctx.state.template(ctx.accountId, name, language.code);
  const unusable = templateError(name, language.code, template);
  if (unusable) return { error: unusable };
  if (template !== undefined && template.category !== 'MARKETING') return { error: notMarketing(name, template.category) };

  const onboarded = ctx.state.isMarketingMessagesOnboarded(ctx.accountId);
  const fallback = !onboarded && request.product_policy === 'CLOUD_API_FALLBACK' && cloudApiTakesMarketing(ctx);
  if (!onboarded && !fallback) return { error: notOnboarded() };

  const since = ctx.state.sinceUserMessage('whatsapp', ctx.accountId, person.userId, ctx.now);
  const windowOpen = since !== undefined && since < DAY_MS;
  const wamid = newWamid();
  const pricing = fallback ? CLOUD_API_MARKETING : MARKETING_LITE;
  return {
    accepted: {
      id: wamid,
      channel: 'whatsapp',
      accountId: ctx.accountId,
      recipient: person.userId,
      endpoint: 'marketing_messages',
      pricingCategory: pricing.category,
      kind: 'template',
      template: { name, language: language.code },
      callbackData: request.biz_opaque_callback_data,
      at: ctx.now,
      body: raw,
    },
    response: { messaging_product: 'whatsapp', contacts: contactsOf(person), messages: [{ id: wamid, message_status: 'accepted' }] },
    webhooks: webhooksFor(ctx, messageRef(ctx, wamid, person, request.biz_opaque_callback_data), pricing, failureOf(ctx, person.userId, template, windowOpen)),
  };
};
