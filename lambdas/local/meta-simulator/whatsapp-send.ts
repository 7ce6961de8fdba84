/**
 * `POST /{version}/{phone-number-id}/messages`: the WhatsApp Cloud API send, with throughput, pair
 * rate, template status and customer-service-window rules, and the status webhooks that follow.
 */
import * as z from 'zod';
import { type GraphError, invalidRequest, whatsappError, whatsappThroughput } from './errors';
import { DAY_MS, type SendContext, type SendOutcome, type WebhookBuilder } from './outcome';
import { newWamid } from './random';
import { type MessageKind, type TemplateRecord, toWaId } from './simulator-state';
import {
  type WhatsAppFailure,
  type WhatsAppMessageRef,
  type WhatsAppPricing,
  whatsappFailed,
  whatsappStatus,
} from './status-webhooks';

const MESSAGE_TYPES = [
  'text',
  'template',
  'interactive',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
] as const;

const templateSchema = z.object({
  name: z.string().min(1),
  language: z.object({ code: z.string().min(1), policy: z.literal('deterministic').optional() }),
  components: z.array(z.unknown()).optional(),
});

const sendSchema = z
  .looseObject({
    messaging_product: z.literal('whatsapp'),
    recipient_type: z.literal('individual').optional(),
    // Meta would prepend the business number's country code to a number without `+`; afterchat must never rely on that.
    to: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number with a leading +'),
    // Meta treats a missing type as text.
    type: z.enum(MESSAGE_TYPES).default('text'),
    text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).optional(),
    template: templateSchema.optional(),
    biz_opaque_callback_data: z.string().max(512).optional(),
    context: z.object({ message_id: z.string().min(1) }).optional(),
  })
  .superRefine((body, ctx) => {
    const content: unknown = body[body.type];
    if (typeof content !== 'object' || content === null || Array.isArray(content)) {
      ctx.addIssue({ code: 'custom', path: [body.type], message: `is required for type ${body.type}` });
    }
  });

type SendRequest = z.infer<typeof sendSchema>;
type TemplateRequest = z.infer<typeof templateSchema>;

/** A `template` object beside another type is ignored, as Meta sends what `type` names. */
const templateOf = (request: SendRequest): TemplateRequest | undefined => (request.type === 'template' ? request.template : undefined);

const templateError = (name: string, language: string, template: TemplateRecord | undefined): GraphError | undefined => {
  switch (template?.status) {
    case 'APPROVED':
      return undefined;
    case 'PAUSED':
      return whatsappError(132015, 'Template is Paused', `Template ${name} is paused due to low quality.`);
    case 'DISABLED':
      return whatsappError(132016, 'Template is Disabled', `Template ${name} has been disabled due to low quality.`);
    default:
      return whatsappError(
        132001,
        'Template name does not exist in the translation',
        `template name (${name}) does not exist in ${language} or is not approved`,
      );
  }
};

/** Checks in the order a send meets them: rate limits first, then the template, then the window. */
const refusal = (ctx: SendContext, requested: TemplateRequest | undefined, waId: string, windowOpen: boolean): GraphError | undefined => {
  const { state, config, accountId, now } = ctx;
  if (state.sentThisSecond(accountId, now) >= config.throughputPerSecond) return whatsappThroughput();
  const last = state.lastSendTo(accountId, waId);
  if (config.pairRateMs > 0 && last !== undefined && now - last < config.pairRateMs) {
    return whatsappError(
      131056,
      '(Business Account, Consumer Account) pair rate limit hit',
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
    );
  }
  if (requested) {
    const { name, language } = requested;
    return templateError(name, language.code, state.template(accountId, name, language.code));
  }
  return windowOpen
    ? undefined
    : whatsappError(
        131047,
        'Re-engagement message',
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      );
};

/** Opted-out people never get marketing templates; the per-user limit spares windows the person opened. */
const failureOf = (ctx: SendContext, waId: string, template: TemplateRecord | undefined, windowOpen: boolean): WhatsAppFailure | undefined => {
  if (template?.category !== 'MARKETING') return undefined;
  if (ctx.state.isOptedOut(ctx.accountId, waId)) return 131050;
  return ctx.state.isMarketingLimited(ctx.accountId, waId) && !windowOpen ? 131049 : undefined;
};

/** Templates are billed at their category; anything else is a free service reply inside the window. */
const pricingOf = (template: TemplateRecord | undefined): WhatsAppPricing =>
  template
    ? { billable: true, pricing_model: 'PMP', type: 'regular', category: template.category.toLowerCase() }
    : { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' };

/** `sent`, then the configured statuses; pricing comes once, on the first status after `sent` (as from v24). */
const webhooksFor = (ctx: SendContext, ref: WhatsAppMessageRef, template: TemplateRecord | undefined, failure?: WhatsAppFailure): WebhookBuilder[] => {
  if (failure !== undefined) return [whatsappFailed(ref, failure)];
  const statuses = ['sent' as const, ...ctx.config.statuses];
  const pricedAt = statuses.length > 1 ? 1 : 0;
  return statuses.map((status, i) => whatsappStatus(ref, status, i === pricedAt ? pricingOf(template) : undefined));
};

const KIND: Partial<Record<SendRequest['type'], MessageKind>> = { text: 'text', template: 'template', interactive: 'interactive' };

export const sendWhatsAppMessage = (ctx: SendContext, raw: unknown): SendOutcome => {
  const parsed = sendSchema.safeParse(raw);
  if (!parsed.success) return { error: invalidRequest(parsed.error, true) };
  const request = parsed.data;
  const waId = toWaId(request.to);
  const since = ctx.state.sinceUserMessage('whatsapp', ctx.accountId, waId, ctx.now);
  const windowOpen = since !== undefined && since < DAY_MS;
  const requested = templateOf(request);
  const error = refusal(ctx, requested, waId, windowOpen);
  if (error) return { error };

  const template = requested && ctx.state.template(ctx.accountId, requested.name, requested.language.code);
  const wamid = newWamid();
  const ref: WhatsAppMessageRef = {
    phoneNumberId: ctx.accountId,
    number: ctx.config.whatsappNumbers.get(ctx.accountId) ?? { wabaId: ctx.accountId, displayPhoneNumber: '15550000000' },
    wamid,
    waId,
    callbackData: request.biz_opaque_callback_data,
  };
  return {
    accepted: {
      id: wamid,
      channel: 'whatsapp',
      accountId: ctx.accountId,
      recipient: waId,
      kind: KIND[request.type] ?? 'other',
      template: requested && { name: requested.name, language: requested.language.code },
      callbackData: request.biz_opaque_callback_data,
      at: ctx.now,
      body: raw,
    },
    response: {
      messaging_product: 'whatsapp',
      contacts: [{ input: request.to, wa_id: waId }],
      // message_status comes only on template sends.
      messages: [{ id: wamid, ...(requested ? { message_status: 'accepted' } : {}) }],
    },
    webhooks: webhooksFor(ctx, ref, template, failureOf(ctx, waId, template, windowOpen)),
  };
};
