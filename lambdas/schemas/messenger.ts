/**
 * Messenger Platform (`object: "page"`) and Instagram Messaging (`object: "instagram"`) webhook
 * payloads. Every object is loose because Meta adds fields without notice; only what afterchat reads
 * is declared. Items of `messaging[]` / `standby[]` / `changes[]` are parsed one by one by the
 * normaliser, so the entry keeps them as `unknown`.
 */
import * as z from 'zod';

// ── Primitives ──────────────────────────────────────────────────────────────────────────────────

/**
 * Ids are strings in most payloads, numbers in some (app ids, sticker ids, MM `recipient_id`).
 * A number beyond 2^53 has already lost digits in JSON.parse, so it is refused rather than stored wrong.
 */
export const metaId = z.union([z.string().min(1), z.number().int()]).transform((id) => String(id));

/**
 * Ids afterchat only stores (ad, post, sticker, app ids...), never keys by: an unsafe number is kept
 * as the digits JSON.parse left, because refusing it would drop the whole message and its window.
 */
export const infoId = z.union([z.string().min(1), z.number()]).transform((id) => String(id));

/** Real deliveries send ms numbers; dashboard tests send strings. `toMillis` reads both. */
export const metaTime = z.union([z.number(), z.string()]);

/** `sender` / `recipient`: chat-plugin guests have a `user_ref` instead of an id. */
const party = z.looseObject({ id: metaId.optional(), user_ref: z.string().optional() });

/** Fields of every `messaging[]` / `standby[]` item (`app_roles` has no sender, `policy_enforcement` only a recipient). */
const itemBase = { sender: party.optional(), recipient: party.optional(), timestamp: metaTime.optional() };

// ── Shared parts of messages and postbacks ──────────────────────────────────────────────────────

/** m.me / ig.me links (`SHORTLINK`, `SHORTLINKS`), chat plugin, and Click-to-Messenger/Direct ads (`ADS`). */
export const referral = z.looseObject({
  ref: z.string().optional(),
  source: z.string().optional(),
  type: z.string().optional(),
  ad_id: infoId.optional(),
  referer_uri: z.string().optional(),
  ads_context_data: z
    .looseObject({
      ad_title: z.string().optional(),
      photo_url: z.string().optional(),
      video_url: z.string().optional(),
      post_id: infoId.optional(),
      product_id: infoId.optional(),
      flow_id: infoId.optional(),
    })
    .optional(),
  product: z.looseObject({ id: infoId }).optional(),
});

/**
 * Known types: image, audio, video, file, sticker, reel, ig_reel, post, ig_post, share, story_mention,
 * appointment_booking, fallback, template. `type` stays an open string: a new type (as `sticker` was in
 * 2026) must not drop the message, because the message is what opens the window.
 */
export const attachment = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().optional(),
      title: z.string().optional(),
      sticker_id: infoId.optional(),
      reel_video_id: infoId.optional(),
      id: infoId.optional(),
      booking_id: infoId.optional(),
      status: z.string().optional(),
      start_time: metaTime.optional(),
      end_time: metaTime.optional(),
      timezone: z.string().optional(),
      product: z
        .looseObject({
          elements: z.array(
            z.looseObject({
              id: infoId.optional(),
              retailer_id: z.string().optional(),
              image_url: z.string().optional(),
              title: z.string().optional(),
              subtitle: z.string().optional(),
            }),
          ),
        })
        .optional(),
    })
    // Old link-share (`fallback`) samples carry `payload: null`.
    .nullish(),
});

// ── messaging[] / standby[] items, one schema per kind ──────────────────────────────────────────

/** `messages` and `message_echoes` (Instagram sends echoes, deletions and unsupported messages here too). */
export const messageItem = z.looseObject({
  ...itemBase,
  message: z.looseObject({
    mid: z.string().min(1),
    text: z.string().optional(),
    attachments: z.array(attachment).optional(),
    quick_reply: z.looseObject({ payload: z.string() }).optional(),
    reply_to: z
      .looseObject({
        mid: z.string().optional(),
        is_self_reply: z.boolean().optional(),
        story: z.looseObject({ url: z.string().optional(), id: infoId.optional() }).optional(),
      })
      .optional(),
    referral: referral.optional(),
    commands: z.array(z.looseObject({ name: z.string() })).optional(),
    is_echo: z.boolean().optional(),
    app_id: infoId.optional(),
    metadata: z.string().optional(),
    is_deleted: z.boolean().optional(),
    is_unsupported: z.boolean().optional(),
  }),
});

/** `messaging_postbacks`: `payload` reaches only the app that sent the button (standby copies lack it). */
export const postbackItem = z.looseObject({
  ...itemBase,
  postback: z.looseObject({
    mid: z.string().min(1).optional(),
    title: z.string().optional(),
    payload: z.string().optional(),
    referral: referral.optional(),
  }),
});

/** `messaging_referrals`: an existing thread re-entered from a link or an ad. */
export const referralItem = z.looseObject({ ...itemBase, referral });

/** Meta's docs spell the status with spaces, implementations in the wild with underscores. */
const notificationStatus = z
  .string()
  .transform((status) => status.trim().toUpperCase().replace(/\s+/g, '_'))
  .pipe(z.enum(['STOP_NOTIFICATIONS', 'RESUME_NOTIFICATIONS']));

/** `messaging_optins`: marketing-message opt-in/stop/resume (with a token) or a plugin opt-in (`ref`/`user_ref`). */
export const optinItem = z.looseObject({
  ...itemBase,
  optin: z.looseObject({
    type: z.string().optional(),
    title: z.string().optional(),
    payload: z.string().optional(),
    notification_messages_token: z.string().min(1).optional(),
    notification_messages_timezone: z.string().optional(),
    notification_messages_frequency: z.string().optional(),
    token_expiry_timestamp: metaTime.optional(),
    user_token_status: z.string().optional(),
    notification_messages_status: notificationStatus.optional(),
    ref: z.string().optional(),
    user_ref: z.string().optional(),
  }),
});

/** `message_deliveries` (Messenger only): the item itself may have no timestamp. */
export const deliveryItem = z.looseObject({
  ...itemBase,
  delivery: z.looseObject({ mids: z.array(z.string().min(1)).optional(), watermark: metaTime }),
});

/** Messenger `message_reads`: a watermark. */
export const readWatermarkItem = z.looseObject({ ...itemBase, read: z.looseObject({ watermark: metaTime }) });

/** Instagram `messaging_seen`: one message id, not a watermark. */
export const seenItem = z.looseObject({ ...itemBase, read: z.looseObject({ mid: z.string().min(1) }) });

/** `message_reactions` (Messenger and Instagram). */
export const reactionItem = z.looseObject({
  ...itemBase,
  reaction: z.looseObject({
    mid: z.string().min(1),
    action: z.enum(['react', 'unreact']),
    reaction: z.string().optional(),
    emoji: z.string().optional(),
  }),
});

/** `message_edits`. */
export const messageEditItem = z.looseObject({
  ...itemBase,
  message_edit: z.looseObject({ mid: z.string().min(1), text: z.string().optional(), num_edit: z.number().optional() }),
});

/** pass / take / release: `previous_owner_app_id` is null when nobody owned the thread. */
const ownerChange = z.looseObject({
  previous_owner_app_id: infoId.nullish(),
  new_owner_app_id: infoId.nullish(),
  metadata: z.string().optional(),
});

export const passThreadControlItem = z.looseObject({ ...itemBase, pass_thread_control: ownerChange });
export const takeThreadControlItem = z.looseObject({ ...itemBase, take_thread_control: ownerChange });
export const releaseThreadControlItem = z.looseObject({ ...itemBase, release_thread_control: ownerChange });
export const requestThreadControlItem = z.looseObject({
  ...itemBase,
  request_thread_control: z.looseObject({ requested_owner_app_id: infoId, metadata: z.string().optional() }),
});

/** `app_roles`: app id → roles; carries no sender. */
export const appRolesItem = z.looseObject({ ...itemBase, app_roles: z.record(z.string(), z.array(z.string())) });

/** `messaging_policy_enforcement`: recipient only; `reason` is absent on `unblock`. */
export const policyEnforcementItem = z.looseObject({
  ...itemBase,
  policy_enforcement: z.looseObject({ action: z.enum(['warning', 'block', 'unblock']), reason: z.string().optional() }),
});

/** `response_feedback`: 👍/👎 on one of the app's messages. */
export const responseFeedbackItem = z.looseObject({
  ...itemBase,
  response_feedback: z.looseObject({ mid: z.string().min(1), feedback: z.string().optional() }),
});

// ── changes[]: Marketing Message API ────────────────────────────────────────────────────────────

/** Any `changes[]` item; the `value` is parsed once the `field` is known. */
export const change = z.looseObject({ field: z.string(), value: z.unknown() });

export type MarketingMessageField =
  | 'marketing_message_echoes'
  | 'marketing_message_deliveries'
  | 'marketing_message_reads'
  | 'marketing_message_clicks'
  | 'marketing_message_delivery_failed';

/**
 * Flat value of the `marketing_message_*` fields. Meta shows the field list but not the envelope, so
 * everything is optional. `recipient_id` is absent for custom-audience subscribers.
 */
export const marketingMessageValue = z.looseObject({
  recipient_id: metaId.optional(),
  page_id: infoId.optional(),
  app_id: infoId.optional(),
  business_id: infoId.optional(),
  timestamp: metaTime.optional(),
  mid: z.string().min(1).optional(),
  message_id: metaId.optional(),
  marketing_message_tracking_id: metaId.optional(),
  messenger_subscription_token: z.string().optional(),
  error_message: z.string().optional(),
});

// ── Entry ───────────────────────────────────────────────────────────────────────────────────────

/** One `entry[]` element: `id` is the Page id or the Instagram professional account id. */
export const pageEntry = z.looseObject({
  id: metaId,
  time: metaTime,
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
  changes: z.array(z.unknown()).optional(),
});

export type PageEntry = z.infer<typeof pageEntry>;
export type Referral = z.infer<typeof referral>;
export type Attachment = z.infer<typeof attachment>;
export type MessageItem = z.infer<typeof messageItem>;
export type PostbackItem = z.infer<typeof postbackItem>;
export type ReferralItem = z.infer<typeof referralItem>;
export type OptinItem = z.infer<typeof optinItem>;
export type DeliveryItem = z.infer<typeof deliveryItem>;
export type ReadWatermarkItem = z.infer<typeof readWatermarkItem>;
export type SeenItem = z.infer<typeof seenItem>;
export type ReactionItem = z.infer<typeof reactionItem>;
export type MessageEditItem = z.infer<typeof messageEditItem>;
export type PassThreadControlItem = z.infer<typeof passThreadControlItem>;
export type TakeThreadControlItem = z.infer<typeof takeThreadControlItem>;
export type ReleaseThreadControlItem = z.infer<typeof releaseThreadControlItem>;
export type RequestThreadControlItem = z.infer<typeof requestThreadControlItem>;
export type AppRolesItem = z.infer<typeof appRolesItem>;
export type PolicyEnforcementItem = z.infer<typeof policyEnforcementItem>;
export type ResponseFeedbackItem = z.infer<typeof responseFeedbackItem>;
export type Change = z.infer<typeof change>;
export type MarketingMessageValue = z.infer<typeof marketingMessageValue>;
