/**
 * `POST /{version}/{page-id | ig-id}/messages`: the Messenger and Instagram Send API, with the
 * window, tag, utility-template and notification-token rules Meta enforces on it.
 */
import * as z from 'zod';
import { type GraphError, graphError, invalidParameter, invalidRequest } from './errors';
import { DAY_MS, type SendContext, type SendOutcome, type WebhookBuilder } from './outcome';
import { newMid } from './random';
import type { MessageKind } from './simulator-state';
import { instagramSeen, messengerDelivery, messengerRead, pageEcho, type PageMessageRef } from './status-webhooks';

const recipientSchema = z.union([
  z.object({ id: z.string().min(1) }),
  z.object({ notification_messages_token: z.string().min(1) }),
]);

const messageSchema = z.union([
  z.object({ text: z.string().min(1).max(2000) }),
  z.object({
    attachment: z.object({
      type: z.enum(['template', 'image', 'audio', 'video', 'file']),
      payload: z.record(z.string(), z.unknown()),
    }),
  }),
  // Utility messages: `message.template`, as on Meta's "Send a utility message" page.
  z.object({
    template: z.object({
      name: z.string().min(1),
      language: z.object({ code: z.string().min(1) }),
      components: z.array(z.unknown()).optional(),
    }),
  }),
]);

const sendSchema = z.object({
  recipient: recipientSchema,
  messaging_type: z.enum(['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY']).optional(),
  tag: z.string().min(1).optional(),
  message: messageSchema,
  metadata: z.string().max(1000).optional(),
});

type SendRequest = z.infer<typeof sendSchema>;
type Message = z.infer<typeof messageSchema>;

export type PageChannel = 'messenger' | 'instagram';

const HUMAN_AGENT_MS = 7 * DAY_MS;
const RETIRED_TAGS = new Set(['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE']);

const outsideWindow = (): GraphError =>
  graphError(10, '(#10) This message is sent outside of allowed window.', { subcode: 2018278 });

const within = (since: number | undefined, limitMs: number): boolean => since !== undefined && since < limitMs;

/** RESPONSE/UPDATE need the 24 h window, HUMAN_AGENT the 7 days after the person's last message. */
const windowError = (ctx: SendContext, channel: PageChannel, userId: string, request: SendRequest): GraphError | undefined => {
  const since = ctx.state.sinceUserMessage(channel, ctx.accountId, userId, ctx.now);
  // Meta has long defaulted a missing messaging_type to RESPONSE.
  const type = request.messaging_type ?? 'RESPONSE';
  if (type === 'UTILITY') return undefined;
  if (type !== 'MESSAGE_TAG') return within(since, DAY_MS) ? undefined : outsideWindow();
  if (request.tag === undefined) return invalidParameter('Param tag is required when messaging_type is MESSAGE_TAG');
  if (RETIRED_TAGS.has(request.tag)) return invalidParameter(`Tag ${request.tag} is no longer supported`);
  if (request.tag !== 'HUMAN_AGENT') return invalidParameter(`Param tag ${request.tag} is not a valid tag`);
  return within(since, HUMAN_AGENT_MS) ? undefined : outsideWindow();
};

/** UTILITY goes with an approved utility template of the Page, and a template only with UTILITY. */
const utilityError = (ctx: SendContext, channel: PageChannel, request: SendRequest): GraphError | undefined => {
  const isUtility = request.messaging_type === 'UTILITY';
  if (!('template' in request.message)) {
    return isUtility ? invalidParameter('Param message.template is required when messaging_type is UTILITY') : undefined;
  }
  if (!isUtility) return invalidParameter('Param message.template requires messaging_type UTILITY');
  if (channel === 'instagram') return invalidParameter('Utility messages are not available on Instagram');
  const { name, language } = request.message.template;
  const template = ctx.state.template(ctx.accountId, name, language.code);
  return template?.status === 'APPROVED' && template.category === 'UTILITY'
    ? undefined
    : invalidParameter(`Template ${name} (${language.code}) is not an approved utility template of this Page`);
};

/**
 * Conversation Routing: only the app holding the person's thread may send to them. Meta lists this
 * refusal for Instagram (code 100, subcode 2534037, "not the thread owner"); Messenger's handover
 * protocol refuses a send from an app that passed the thread too, and the simulator answers it alike.
 */
const holderError = (ctx: SendContext, userId: string): GraphError | undefined =>
  ctx.state.threadOwner(ctx.accountId, userId) === undefined
    ? undefined
    : graphError(100, '(#100) The app is not the thread owner of this conversation.', { subcode: 2534037 });

type Recipient = { userId: string; viaToken: boolean } | { error: GraphError };

/** A notification_messages_token stands for one person of one Page, until they stop it. */
const resolveRecipient = (ctx: SendContext, request: SendRequest): Recipient => {
  if ('id' in request.recipient) return { userId: request.recipient.id, viaToken: false };
  const token = ctx.state.optInToken(request.recipient.notification_messages_token);
  if (token === undefined || token.accountId !== ctx.accountId) {
    return { error: invalidParameter('Invalid notification_messages_token') };
  }
  if (token.status === 'stopped') {
    return { error: graphError(10, '(#10) The user has stopped notification messages for this topic.', { subcode: 1893015 }) };
  }
  return { userId: token.userId, viaToken: true };
};

const kindOf = (message: Message, viaToken: boolean): MessageKind => {
  if (viaToken) return 'marketing_message';
  if ('text' in message) return 'text';
  if ('template' in message) return 'template';
  return message.attachment.type === 'template' && message.attachment.payload.template_type === 'notification_messages'
    ? 'opt_in_request'
    : 'other';
};

const echoContent = (message: Message): Record<string, unknown> => {
  if ('text' in message) return { text: message.text };
  if ('attachment' in message) return { attachments: [message.attachment] };
  return {};
};

/** Echo first, then what the configured statuses ask for; Instagram has no delivery receipts. */
const webhooksFor = (ctx: SendContext, ref: PageMessageRef, request: SendRequest): WebhookBuilder[] => [
  pageEcho(ref, { appId: ctx.config.appId, metadata: request.metadata, content: echoContent(request.message) }),
  ...ctx.config.statuses.flatMap((status) => {
    if (ref.channel === 'instagram') return status === 'read' ? [instagramSeen(ref)] : [];
    return [status === 'delivered' ? messengerDelivery(ref) : messengerRead(ref)];
  }),
];

export const sendPageMessage = (ctx: SendContext, channel: PageChannel, raw: unknown): SendOutcome => {
  const parsed = sendSchema.safeParse(raw);
  if (!parsed.success) return { error: invalidRequest(parsed.error) };
  const request = parsed.data;
  const recipient = resolveRecipient(ctx, request);
  if ('error' in recipient) return recipient;
  const error =
    holderError(ctx, recipient.userId) ?? utilityError(ctx, channel, request) ?? (recipient.viaToken ? undefined : windowError(ctx, channel, recipient.userId, request));
  if (error) return { error };

  const mid = newMid();
  const { message } = request;
  const ref: PageMessageRef = { channel, accountId: ctx.accountId, userId: recipient.userId, mid, sentAt: ctx.now };
  return {
    accepted: {
      id: mid,
      channel,
      accountId: ctx.accountId,
      recipient: recipient.userId,
      kind: kindOf(message, recipient.viaToken),
      messagingType: request.messaging_type,
      tag: request.tag,
      template: 'template' in message ? { name: message.template.name, language: message.template.language.code } : undefined,
      callbackData: request.metadata,
      at: ctx.now,
      body: raw,
    },
    response: { recipient_id: recipient.userId, message_id: mid },
    webhooks: webhooksFor(ctx, ref, request),
  };
};
