/**
 * `POST /{version}/{phone-number-id}/messages`: the WhatsApp Cloud API send, with throughput, pair
 * rate, template status and customer-service-window rules, and the status webhooks that follow.
 */
import * as z from 'zod';
import { POLICY_RULES } from '../../domain/send/policy-rules';
import { requestShape } from '../../domain/send/request-shape';
import { ruleBook } from '../../domain/send/rule-book';
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
    // A phone number, or a BSUID where the configured shape puts it: checked by recipientOf.
    to: z.string().optional(),
    recipient: z.string().optional(),
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
export type TemplateRequest = z.infer<typeof templateSchema>;

// Meta would prepend the business number's country code to a number without `+`; afterchat must never rely on that.
const E164 = /^\+[1-9]\d{6,14}$/;
/** A business-scoped user id: the country, a dot, then letters and digits (e.g. `DE.88201734659910273645`). */
const BSUID = /^[A-Z]{2}\.[0-9A-Za-z]{1,128}$/;

/** Whom a send addresses: a wa_id (from a phone number), or a BSUID of a person known only by it. */
export interface WhatsAppRecipient {
  /** wa_id (digits) or the BSUID: how the simulator keys windows, opt-outs and pair rates. */
  userId: string;
  bsuid: boolean;
  /** What the request said, echoed in `contacts[].input`. */
  input: string;
}

/** The BSUID shape this simulator accepts: its option, else afterchat's rule at the simulator's clock. */
const bsuidField = (ctx: SendContext): 'recipient' | 'to' =>
  ctx.config.bsuidRecipientField ?? requestShape('whatsapp', ctx.now).bsuidRecipientField ?? 'recipient';

const badRecipient = (param: string, detail: string): GraphError => whatsappError(100, 'Invalid parameter', `Param ${param}: ${detail}`);

/**
 * A phone number goes in `to` (E.164 with `+`). A BSUID goes only where the configured shape puts it:
 * the other shape is refused 100 rather than silently dropped (peers report Meta drops a BSUID in
 * `to`; here a misconfigured sender should fail loudly in tests).
 */
export const recipientOf = (ctx: SendContext, body: { to?: string; recipient?: string }): WhatsAppRecipient | GraphError => {
  const field = bsuidField(ctx);
  const { to, recipient } = body;
  if (to !== undefined) {
    if (E164.test(to)) return { userId: toWaId(to), bsuid: false, input: to };
    if (BSUID.test(to) && field === 'to') return { userId: to, bsuid: true, input: to };
    return badRecipient('to', `must be an E.164 number with a leading +${BSUID.test(to) ? ' (a business-scoped user ID goes in recipient)' : ''}`);
  }
  if (recipient === undefined) return badRecipient('to', 'is required');
  if (field === 'to') return badRecipient('recipient', 'is not a valid parameter (a business-scoped user ID goes in to)');
  return BSUID.test(recipient) ? { userId: recipient, bsuid: true, input: recipient } : badRecipient('recipient', 'must be a business-scoped user ID');
};

const isError = (value: WhatsAppRecipient | GraphError): value is GraphError => 'code' in value;

/** Does Cloud API `/messages` still take marketing templates for this number, by afterchat's dated rule and the WABA's setting? */
export const cloudApiTakesMarketing = (ctx: SendContext): boolean =>
  !ctx.state.isCloudApiMarketingDisabled(ctx.accountId) && ruleBook(POLICY_RULES, 'whatsapp', ctx.now).find('marketing_template_route')?.params.cloudApi !== false;

export const cloudApiMarketingDisabled = (): GraphError =>
  whatsappError(
    131063,
    'Marketing template messages are disabled on Cloud API',
    'Marketing template messages cannot be sent through Cloud API for this WhatsApp Business Account. Send them through the Marketing Messages API (/marketing_messages).',
  );

/** A `template` object beside another type is ignored, as Meta sends what `type` names. */
const templateOf = (request: SendRequest): TemplateRequest | undefined => (request.type === 'template' ? request.template : undefined);

export const templateError = (name: string, language: string, template: TemplateRecord | undefined): GraphError | undefined => {
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

/** The number's throughput and the pair rate to one person, shared by `/messages` and `/marketing_messages`. */
export const rateRefusal = (ctx: SendContext, userId: string): GraphError | undefined => {
  const { state, config, accountId, now } = ctx;
  if (state.sentThisSecond(accountId, now) >= config.throughputPerSecond) return whatsappThroughput();
  const last = state.lastSendTo(accountId, userId);
  if (config.pairRateMs > 0 && last !== undefined && now - last < config.pairRateMs) {
    return whatsappError(
      131056,
      '(Business Account, Consumer Account) pair rate limit hit',
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
    );
  }
  return undefined;
};

/** Checks in the order a send meets them: rate limits first, then the template (and its door), then the window. */
const refusal = (ctx: SendContext, requested: TemplateRequest | undefined, waId: string, windowOpen: boolean): GraphError | undefined => {
  const { state, accountId } = ctx;
  const limited = rateRefusal(ctx, waId);
  if (limited) return limited;
  if (requested) {
    const { name, language } = requested;
    const template = state.template(accountId, name, language.code);
    return templateError(name, language.code, template) ?? (template?.category === 'MARKETING' && !cloudApiTakesMarketing(ctx) ? cloudApiMarketingDisabled() : undefined);
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
export const failureOf = (ctx: SendContext, waId: string, template: TemplateRecord | undefined, windowOpen: boolean): WhatsAppFailure | undefined => {
  if (template?.category !== 'MARKETING') return undefined;
  if (ctx.state.isOptedOut(ctx.accountId, waId)) return 131050;
  return ctx.state.isMarketingLimited(ctx.accountId, waId) && !windowOpen ? 131049 : undefined;
};

/** Templates are billed at their category; anything else is a free service reply inside the window. */
export const pricingOf = (template: TemplateRecord | undefined): WhatsAppPricing =>
  template
    ? { billable: true, pricing_model: 'PMP', type: 'regular', category: template.category.toLowerCase() }
    : { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' };

/** `sent`, then the configured statuses; pricing comes once, on the first status after `sent` (as from v24). */
export const webhooksFor = (ctx: SendContext, ref: WhatsAppMessageRef, pricing: WhatsAppPricing, failure?: WhatsAppFailure): WebhookBuilder[] => {
  if (failure !== undefined) return [whatsappFailed(ref, failure)];
  const statuses = ['sent' as const, ...ctx.config.statuses];
  const pricedAt = statuses.length > 1 ? 1 : 0;
  return statuses.map((status, i) => whatsappStatus(ref, status, i === pricedAt ? pricing : undefined));
};

/** How a status webhook names the number and the person. */
export const messageRef = (ctx: SendContext, wamid: string, person: WhatsAppRecipient, callbackData: string | undefined): WhatsAppMessageRef => ({
  phoneNumberId: ctx.accountId,
  number: ctx.config.whatsappNumbers.get(ctx.accountId) ?? { wabaId: ctx.accountId, displayPhoneNumber: '15550000000' },
  wamid,
  waId: person.bsuid ? '' : person.userId,
  ...(person.bsuid ? { userId: person.userId } : {}),
  callbackData,
});

/** Meta's `contacts[]` answer: a BSUID send has an empty wa_id and the BSUID as user_id. */
export const contactsOf = (person: WhatsAppRecipient) =>
  person.bsuid ? [{ input: person.input, wa_id: '', user_id: person.userId }] : [{ input: person.input, wa_id: person.userId }];

const KIND: Partial<Record<SendRequest['type'], MessageKind>> = { text: 'text', template: 'template', interactive: 'interactive' };

export const sendWhatsAppMessage = (ctx: SendContext, raw: unknown): SendOutcome => {
  const parsed = sendSchema.safeParse(raw);
  if (!parsed.success) return { error: invalidRequest(parsed.error, true) };
  const request = parsed.data;
  const person = recipientOf(ctx, request);
  if (isError(person)) return { error: person };
  const waId = person.userId;
  const since = ctx.state.sinceUserMessage('whatsapp', ctx.accountId, waId, ctx.now);
  const windowOpen = since !== undefined && since < DAY_MS;
  const requested = templateOf(request);
  const error = refusal(ctx, requested, waId, windowOpen);
  if (error) return { error };

  const template = requested && ctx.state.template(ctx.accountId, requested.name, requested.language.code);
  const wamid = newWamid();
  const ref = messageRef(ctx, wamid, person, request.biz_opaque_callback_data);
  const pricing = pricingOf(template);
  return {
    accepted: {
      id: wamid,
      channel: 'whatsapp',
      accountId: ctx.accountId,
      recipient: waId,
      endpoint: 'messages',
      pricingCategory: pricing.billable ? pricing.category : undefined,
      kind: KIND[request.type] ?? 'other',
      template: requested && { name: requested.name, language: requested.language.code },
      callbackData: request.biz_opaque_callback_data,
      at: ctx.now,
      body: raw,
    },
    response: {
      messaging_product: 'whatsapp',
      contacts: contactsOf(person),
      // message_status comes only on template sends.
      messages: [{ id: wamid, ...(requested ? { message_status: 'accepted' } : {}) }],
    },
    webhooks: webhooksFor(ctx, ref, pricing, failureOf(ctx, waId, template, windowOpen)),
  };
};

export { isError as isRecipientError, templateSchema };
