/**
 * Webhook bodies Meta posts after accepting a message, in the shapes of events/meta/**: Messenger
 * echo / delivery / read, Instagram echo / messaging_seen, Marketing Message API changes, WhatsApp
 * statuses. Each builder takes the time it is posted, so a delayed webhook carries a later time.
 */
import type { WhatsAppNumber } from './options';
import type { WebhookBuilder } from './outcome';

export interface PageMessageRef {
  channel: 'messenger' | 'instagram';
  accountId: string;
  userId: string;
  mid: string;
  sentAt: number;
}

/** Meta sends app ids as JSON numbers; one beyond 2^53 would lose digits, so it stays a string. */
const appIdValue = (appId: string): number | string => (Number.isSafeInteger(Number(appId)) ? Number(appId) : appId);

const pageEnvelope = (channel: PageMessageRef['channel'], accountId: string, at: number, item: unknown) => ({
  object: channel === 'messenger' ? 'page' : 'instagram',
  entry: [{ id: accountId, time: at, messaging: [item] }],
});

/**
 * The copy of the sent message (`is_echo`). Instagram echoes carry neither `app_id` nor `metadata`
 * (events/meta/instagram/message-echo.json), so correlating them needs the mid.
 */
export const pageEcho =
  (ref: PageMessageRef, echo: { appId: string; metadata?: string; content: Record<string, unknown> }): WebhookBuilder =>
  (at) =>
    pageEnvelope(ref.channel, ref.accountId, at, {
      sender: { id: ref.accountId },
      recipient: { id: ref.userId },
      timestamp: at,
      message: {
        mid: ref.mid,
        is_echo: true,
        ...(ref.channel === 'messenger' ? { app_id: appIdValue(echo.appId), metadata: echo.metadata } : {}),
        ...echo.content,
      },
    });

/** Messenger `message_deliveries`: no `timestamp`, like Meta's; the watermark never precedes the send. */
export const messengerDelivery =
  (ref: PageMessageRef): WebhookBuilder =>
  (at) =>
    pageEnvelope('messenger', ref.accountId, at, {
      sender: { id: ref.userId },
      recipient: { id: ref.accountId },
      delivery: { mids: [ref.mid], watermark: Math.max(at, ref.sentAt) },
    });

export const messengerRead =
  (ref: PageMessageRef): WebhookBuilder =>
  (at) =>
    pageEnvelope('messenger', ref.accountId, at, {
      sender: { id: ref.userId },
      recipient: { id: ref.accountId },
      timestamp: at,
      read: { watermark: Math.max(at, ref.sentAt) },
    });

/** Instagram `messaging_seen`: names the message, no watermark. */
export const instagramSeen =
  (ref: PageMessageRef): WebhookBuilder =>
  (at) =>
    pageEnvelope('instagram', ref.accountId, at, {
      sender: { id: ref.userId },
      recipient: { id: ref.accountId },
      timestamp: at,
      read: { mid: ref.mid },
    });

export interface MarketingMessageRef {
  pageId: string;
  userId: string;
  appId: string;
  mid: string;
  trackingId: string;
  subscriptionToken: string;
  /** The campaign message (`message_id` of the request), shared by every recipient of the campaign. */
  campaignMessageId: string;
}

export const marketingMessageChange =
  (ref: MarketingMessageRef, field: 'marketing_message_deliveries' | 'marketing_message_reads'): WebhookBuilder =>
  (at) => ({
    object: 'page',
    entry: [
      {
        id: ref.pageId,
        time: at,
        changes: [
          {
            field,
            value: {
              recipient_id: ref.userId,
              page_id: ref.pageId,
              app_id: ref.appId,
              timestamp: at,
              mid: ref.mid,
              marketing_message_tracking_id: ref.trackingId,
              messenger_subscription_token: ref.subscriptionToken,
              message_id: ref.campaignMessageId,
            },
          },
        ],
      },
    ],
  });

export interface WhatsAppMessageRef {
  phoneNumberId: string;
  number: WhatsAppNumber;
  wamid: string;
  /** "" when the message went to a BSUID. */
  waId: string;
  /** The BSUID the message went to (`recipient_user_id`), when it went to one. */
  userId?: string;
  callbackData?: string;
}

export interface WhatsAppPricing {
  billable: boolean;
  pricing_model: 'PMP';
  type: 'regular' | 'free_customer_service';
  category: string;
}

const whatsappEnvelope = (ref: WhatsAppMessageRef, status: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: ref.number.wabaId,
      changes: [
        {
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: ref.number.displayPhoneNumber, phone_number_id: ref.phoneNumberId },
            statuses: [status],
          },
          field: 'messages',
        },
      ],
    },
  ],
});

const statusBase = (ref: WhatsAppMessageRef, status: string, at: number) => ({
  id: ref.wamid,
  status,
  timestamp: String(Math.floor(at / 1000)),
  recipient_id: ref.waId,
  recipient_user_id: ref.userId,
  biz_opaque_callback_data: ref.callbackData,
});

export const whatsappStatus =
  (ref: WhatsAppMessageRef, status: 'sent' | 'delivered' | 'read', pricing?: WhatsAppPricing): WebhookBuilder =>
  (at) =>
    whatsappEnvelope(ref, { ...statusBase(ref, status, at), pricing });

const FAILURES = {
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131050: {
    title:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
    details:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
  },
} as const;

export type WhatsAppFailure = keyof typeof FAILURES;

/** A marketing template Meta accepted but will not deliver: opted out (131050) or per-user limit (131049). */
export const whatsappFailed =
  (ref: WhatsAppMessageRef, code: WhatsAppFailure): WebhookBuilder =>
  (at) =>
    whatsappEnvelope(ref, {
      ...statusBase(ref, 'failed', at),
      errors: [
        {
          code,
          title: FAILURES[code].title,
          message: FAILURES[code].title,
          error_data: { details: FAILURES[code].details },
          href: '/documentation/business-messaging/whatsapp/support/error-codes',
        },
      ],
    });
