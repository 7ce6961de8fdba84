import type { WhatsAppIdentities } from '../domain/events';
import { callbackDataFor } from '../domain/send/callback-data';
import type { BsuidRecipientField, MarketingProductPolicy } from '../domain/send/policy-rule-types';
import type { RouteName } from '../domain/send/policy-types';
import type { SendContent, SendIntent, TemplateComponent } from '../domain/send/send-intent';
import type { GraphRequest } from '../ports/graph-api';

export interface RequestContext {
  outboxId: string;
  /**
   * WhatsApp: the recipient's ids the sender found stored (wa_id, BSUID and their link): tagged in
   * the callback data, so the message's statuses don't write them again (callback-data.ts).
   */
  knownIds?: WhatsAppIdentities;
  /** Messenger marketing: the subscription token chosen for the topic. */
  optInToken?: string;
  /** Messenger Marketing Message API: the account's ad account id. */
  adAccountId?: string;
  /** WhatsApp: where a BSUID goes when the person has no known phone number (the rule table's choice). */
  bsuidRecipientField?: BsuidRecipientField;
  /** WhatsApp Marketing Messages API: the `product_policy` (the rule table's choice). */
  marketingProductPolicy?: MarketingProductPolicy;
}

/**
 * The Graph API call for an allowed route. The outbox id rides along as `metadata` (Messenger, back
 * on echoes) or `biz_opaque_callback_data` (WhatsApp, back on every status), so status webhooks find
 * the job again. Shapes follow messenger-platform.md §3/§5 and whatsapp-cloud-api.md §4.
 */
export const graphRequestFor = (intent: SendIntent, route: RouteName, ctx: RequestContext): GraphRequest => {
  const { channel, accountId, userId, content } = intent;
  const messages = `${accountId}/messages`;
  switch (route) {
    case 'messenger.response':
    case 'instagram.response':
      return { channel, accountId, path: messages, body: { recipient: { id: userId }, messaging_type: 'RESPONSE', message: messengerMessage(content), metadata: ctx.outboxId } };
    case 'messenger.update':
    case 'instagram.update':
      return { channel, accountId, path: messages, body: { recipient: { id: userId }, messaging_type: 'UPDATE', message: messengerMessage(content), metadata: ctx.outboxId } };
    case 'messenger.human_agent':
    case 'instagram.human_agent':
      return {
        channel,
        accountId,
        path: messages,
        body: { recipient: { id: userId }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: messengerMessage(content), metadata: ctx.outboxId },
      };
    case 'messenger.utility_template':
      return {
        channel,
        accountId,
        path: messages,
        body: { recipient: { id: userId }, messaging_type: 'UTILITY', message: { template: templateOf(content) }, metadata: ctx.outboxId },
      };
    case 'messenger.opt_in_request':
    case 'instagram.opt_in_request':
      return { channel, accountId, path: messages, body: { recipient: { id: userId }, messaging_type: 'RESPONSE', message: optInRequest(content), metadata: ctx.outboxId } };
    case 'messenger.recurring_notification':
      return {
        channel,
        accountId,
        path: messages,
        body: { recipient: { notification_messages_token: required(ctx.optInToken, 'opt-in token') }, message: messengerMessage(content), metadata: ctx.outboxId },
      };
    case 'messenger.marketing_message':
      return {
        channel,
        accountId,
        path: `act_${required(ctx.adAccountId, 'ad account id')}/messages`,
        body: {
          message_id: required(intent.campaignMessageId, 'campaign message id'),
          messenger_delivery_data: { subscription_token: required(ctx.optInToken, 'opt-in token') },
          message: messengerMessage(content),
        },
      };
    case 'whatsapp.free_form':
    case 'whatsapp.template':
      return { channel, accountId, path: messages, body: { ...whatsappRecipient(userId, ctx), ...whatsappContent(content), biz_opaque_callback_data: callbackDataFor(ctx.outboxId, ctx.knownIds) } };
    case 'whatsapp.marketing_message':
      // whatsapp-cloud-api.md §7: a MARKETING template only; message_activity_sharing is left to the WABA's default.
      return {
        channel,
        accountId,
        path: `${accountId}/marketing_messages`,
        body: {
          ...whatsappRecipient(userId, ctx),
          type: 'template',
          template: templateOf(content),
          product_policy: required(ctx.marketingProductPolicy, 'Marketing Messages API product_policy'),
          biz_opaque_callback_data: callbackDataFor(ctx.outboxId, ctx.knownIds),
        },
      };
  }
};

/**
 * A phone number always in E.164 with '+' (without it Meta prepends the business number's country
 * code). A BSUID goes where the rule table says (`to` or a separate `recipient`: the references disagree).
 */
const whatsappRecipient = (userId: string, ctx: RequestContext) => {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual' };
  if (/^\+?\d{6,15}$/.test(userId)) return { ...base, to: userId.startsWith('+') ? userId : `+${userId}` };
  return { ...base, [required(ctx.bsuidRecipientField, 'BSUID recipient field')]: userId };
};

const whatsappContent = (content: SendContent): Record<string, unknown> => {
  switch (content.type) {
    case 'text':
      return { type: 'text', text: { body: content.text, preview_url: false } };
    case 'interactive':
      return { type: 'interactive', interactive: content.interactive };
    case 'template':
      return { type: 'template', template: templateOf(content) };
    case 'opt_in_request':
      throw new Error('opt-in requests are a Messenger/Instagram template');
  }
};

const templateOf = (content: SendContent) => {
  if (content.type !== 'template') throw new Error(`a template route needs template content, got ${content.type}`);
  return {
    name: content.name,
    language: { code: content.language },
    ...(content.components ? { components: content.components.map(componentOf) } : {}),
  };
};

const componentOf = (component: TemplateComponent) => ({
  type: component.type,
  ...(component.subType ? { sub_type: component.subType } : {}),
  // Meta's examples send the button index as a string.
  ...(component.index !== undefined ? { index: String(component.index) } : {}),
  parameters: component.parameters.map((p) => {
    const named = p.name ? { parameter_name: p.name } : {};
    switch (p.type) {
      case 'payload':
        return { type: 'payload', payload: p.value, ...named };
      case 'coupon_code':
        return { type: 'coupon_code', coupon_code: p.value, ...named };
      case 'currency':
        return { type: 'currency', currency: { fallback_value: p.value }, ...named };
      case 'date_time':
        return { type: 'date_time', date_time: { fallback_value: p.value }, ...named };
      case 'image':
      case 'document':
      case 'video':
        return { type: p.type, [p.type]: { link: p.value }, ...named };
      case 'text':
        return { type: 'text', text: p.value, ...named };
    }
  }),
});

const messengerMessage = (content: SendContent): Record<string, unknown> => {
  if (content.type === 'text') return { text: content.text };
  if (content.type === 'opt_in_request') return optInRequest(content);
  throw new Error(`Messenger/Instagram free-form needs text, got ${content.type}`);
};

const optInRequest = (content: SendContent): Record<string, unknown> => {
  if (content.type !== 'opt_in_request') throw new Error(`an opt-in request needs opt_in_request content, got ${content.type}`);
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'notification_messages',
        title: content.title,
        payload: content.payload,
        ...(content.imageUrl ? { image_url: content.imageUrl } : {}),
        ...(content.timezone ? { notification_messages_timezone: content.timezone } : {}),
        notification_messages_cta_text: 'GET_UPDATES',
      },
    },
  };
};

const required = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
};
