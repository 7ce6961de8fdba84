import * as z from 'zod';
import { whatsAppErrorSchema } from './whatsapp-messages';

/**
 * WhatsApp Business Account webhooks (`object: "whatsapp_business_account"`): the entry shell, one
 * schema per subscribed `changes[].field`, and the `statuses[]` item. Inbound message schemas live
 * in `whatsapp-messages.ts`. Arrays of independent items (messages, statuses, errors, preferences)
 * are `unknown[]` here and parsed one by one, so one bad item never drops its siblings.
 */

export * from './whatsapp-messages';

export const whatsAppEntrySchema = z.looseObject({
  /** WABA id. */
  id: z.string().min(1),
  /** Unix seconds; sent on template, phone-number and account fields, not on `messages`. */
  time: z.number().optional(),
  changes: z.array(z.unknown()),
});

export const whatsAppChangeShellSchema = z.looseObject({ field: z.string(), value: z.unknown() });

const metadataSchema = z.looseObject({ display_phone_number: z.string(), phone_number_id: z.string().min(1) });

/** A person as named in `contacts[]`. With usernames (2026) `wa_id` may be "" and `user_id` (BSUID) set. */
export const whatsAppContactSchema = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
  identity_key_hash: z.string().optional(),
  profile: z
    .looseObject({ name: z.string().optional(), username: z.string().optional(), country_code: z.string().optional() })
    .optional(),
});

export const whatsAppStatusSchema = z.looseObject({
  /** wamid of the message we sent. */
  id: z.string().min(1),
  status: z.enum(['sent', 'delivered', 'read', 'played', 'failed']),
  /** Unix seconds as a string. */
  timestamp: z.string(),
  // "" when the message went to a BSUID.
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  recipient_type: z.string().optional(),
  recipient_participant_id: z.string().optional(),
  recipient_identity_key_hash: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  // Omitted from v24.0 on, except inside a free entry point window.
  conversation: z
    .looseObject({
      id: z.string(),
      expiration_timestamp: z.union([z.string(), z.number()]).optional(),
      origin: z.looseObject({ type: z.string() }),
    })
    .optional(),
  pricing: z
    .looseObject({
      // Announced for deprecation: `type` plus `category` replace it.
      billable: z.boolean().optional(),
      pricing_model: z.string(),
      type: z.string().optional(),
      category: z.string(),
    })
    .optional(),
  errors: z.array(whatsAppErrorSchema).optional(),
  contacts: z.array(whatsAppContactSchema).optional(),
});

/** Only the time of a `messages[]` / `statuses[]` item, readable even when the item fails its own schema. */
export const whatsAppItemTimeSchema = z.looseObject({ timestamp: z.string() });

const messagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: metadataSchema,
  contacts: z.array(whatsAppContactSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  /** System, app or account errors; each item is a `whatsAppErrorSchema`. */
  errors: z.array(z.unknown()).optional(),
});

/**
 * `standby` (Meta, 2026-08-04): while another sender (Meta Business Agent) handles a conversation, the
 * app receives it passively: the same items as `messages`, nested under `value.standby`, plus
 * `message_echoes` (what the other sender sent).
 */
const standbyValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: metadataSchema,
  standby: z.looseObject({
    contacts: z.array(whatsAppContactSchema).optional(),
    messages: z.array(z.unknown()).optional(),
    statuses: z.array(z.unknown()).optional(),
    message_echoes: z.array(z.unknown()).optional(),
  }),
});

/** One `message_echoes[]` item: the other sender's message, as the Send API request it made. */
export const whatsAppEchoSchema = z.looseObject({
  id: z.string().min(1),
  timestamp: z.string(),
  message: z.looseObject({ to: z.string().optional(), recipient: z.string().optional(), type: z.string().optional() }),
});

/**
 * `smb_message_echoes` (coexistence): what the business sent from the WhatsApp Business app or a
 * linked device, as `message_echoes[]` items of the shape of inbound messages, with `to` the person.
 */
const smbEchoesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: metadataSchema,
  message_echoes: z.array(z.unknown()).optional(),
});

/** One `smb_message_echoes` item (edits and revocations arrive with their own `type`). */
export const whatsAppSmbEchoSchema = z.looseObject({
  id: z.string().min(1),
  timestamp: z.string(),
  to: z.string().optional(),
  to_user_id: z.string().optional(),
  type: z.string().optional(),
});

const handover = z.looseObject({
  /** Deprecated by Meta, still sent. */
  previous_owner_app_id: z.union([z.string(), z.number()]).transform(String).optional(),
  previous_owner_app_role: z.string().optional(),
  previous_owner_role: z.string().optional(),
  new_owner_role: z.string().optional(),
  metadata: z.string().optional(),
});

/**
 * `messaging_handovers` (Meta, reference updated 2026-09-22): who owns a thread under Conversation
 * Routing. `control_passed` reaches the new owner; `control_taken` the previous one. The person is
 * named only by `sender.phone_number`, which may be omitted.
 */
const handoversValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: metadataSchema.optional(),
  sender: z.looseObject({ phone_number: z.string().optional(), user_id: z.string().optional() }).optional(),
  recipient: z.looseObject({ phone_number_id: z.string().min(1), display_phone_number: z.string().optional() }).optional(),
  type: z.enum(['control_passed', 'control_taken']),
  timestamp: z.union([z.string(), z.number()]),
  control_passed: handover.optional(),
  control_taken: handover.optional(),
});

export const whatsAppUserPreferenceSchema = z.looseObject({
  wa_id: z.string(),
  user_id: z.string().optional(),
  detail: z.string(),
  category: z.string(),
  // `signup` comes from signup links; only stop and resume change marketing consent.
  value: z.enum(['stop', 'resume', 'signup']),
  /** Unix seconds as an integer, unlike message timestamps. */
  timestamp: z.number().int(),
});

const userPreferencesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: metadataSchema,
  contacts: z.array(whatsAppContactSchema).optional(),
  user_preferences: z.array(z.unknown()),
});

/** Meta sends template ids as JSON numbers; some tools send strings. Stored as a string either way. */
const templateIdSchema = z.union([z.number().int(), z.string().min(1)]).transform(String);

const template = {
  message_template_id: templateIdSchema.optional(),
  message_template_name: z.string(),
  message_template_language: z.string(),
};

export const TEMPLATE_STATUS_EVENTS = [
  'APPROVED',
  'ARCHIVED',
  'UNARCHIVED',
  'DELETED',
  'DISABLED',
  'FLAGGED',
  'IN_APPEAL',
  'LIMIT_EXCEEDED',
  'LOCKED',
  'PAUSED',
  'PENDING',
  'REINSTATED',
  'PENDING_DELETION',
  'REJECTED',
] as const;

const templateStatusValueSchema = z.looseObject({
  ...template,
  // Listed events are the documented ones; Meta adds new ones, so any string passes.
  event: z.union([z.enum(TEMPLATE_STATUS_EVENTS), z.string()]),
  // null on scheduled deletion.
  reason: z.string().nullable().optional(),
  message_template_category: z.string().optional(),
  rejection_info: z.looseObject({ reason: z.string().optional(), recommendation: z.string().optional() }).optional(),
  disable_info: z.looseObject({ disable_date: z.union([z.string(), z.number()]).optional() }).optional(),
  other_info: z.looseObject({ title: z.string().optional(), description: z.string().optional() }).optional(),
});

const templateQualityValueSchema = z.looseObject({
  ...template,
  new_quality_score: z.string(),
  previous_quality_score: z.string().optional(),
});

const templateCategoryValueSchema = z.looseObject({
  ...template,
  new_category: z.string(),
  previous_category: z.string().optional(),
  correct_category: z.string().optional(),
});

// `current_limit` and `old_limit` were removed in Feb 2026; a loose object still accepts old deliveries that carry them.
const phoneNumberQualityValueSchema = z.looseObject({
  event: z.string(),
  display_phone_number: z.string().optional(),
  max_daily_conversations_per_business: z.string().optional(),
});

const accountUpdateValueSchema = z.looseObject({
  event: z.string(),
  restriction_info: z
    .array(
      z.looseObject({
        restriction_type: z.string(),
        /** Unix seconds. */
        expiration: z.union([z.number(), z.string()]).optional(),
        remediation: z.string().optional(),
      }),
    )
    .optional(),
  violation_info: z.looseObject({ violation_type: z.string() }).optional(),
  ban_info: z.looseObject({ waba_ban_state: z.string(), waba_ban_date: z.string().optional() }).optional(),
  volume_tier_info: z
    .looseObject({
      tier_update_time: z.number().optional(),
      pricing_category: z.string().optional(),
      tier: z.string().optional(),
      effective_month: z.string().optional(),
      region: z.string().optional(),
    })
    .optional(),
  waba_info: z.looseObject({ waba_id: z.string().optional(), owner_business_id: z.string().optional() }).optional(),
});

const change = <F extends string, V extends z.ZodType>(field: F, value: V) =>
  z.looseObject({ field: z.literal(field), value });

/** The fields this service subscribes to; any other field is skipped by the normaliser. */
export const whatsAppChangeSchema = z.discriminatedUnion('field', [
  change('messages', messagesValueSchema),
  change('user_preferences', userPreferencesValueSchema),
  change('standby', standbyValueSchema),
  change('messaging_handovers', handoversValueSchema),
  change('smb_message_echoes', smbEchoesValueSchema),
  change('message_template_status_update', templateStatusValueSchema),
  change('message_template_quality_update', templateQualityValueSchema),
  change('template_category_update', templateCategoryValueSchema),
  change('phone_number_quality_update', phoneNumberQualityValueSchema),
  change('account_update', accountUpdateValueSchema),
]);

export const WHATSAPP_FIELDS: ReadonlySet<string> = new Set(whatsAppChangeSchema.options.map((o) => o.shape.field.value));

export type WhatsAppEntry = z.infer<typeof whatsAppEntrySchema>;
export type WhatsAppChange = z.infer<typeof whatsAppChangeSchema>;
export type WhatsAppContact = z.infer<typeof whatsAppContactSchema>;
export type WhatsAppStatus = z.infer<typeof whatsAppStatusSchema>;
export type WhatsAppUserPreference = z.infer<typeof whatsAppUserPreferenceSchema>;
export type WhatsAppEcho = z.infer<typeof whatsAppEchoSchema>;
export type WhatsAppSmbEcho = z.infer<typeof whatsAppSmbEchoSchema>;
export type WhatsAppMessagesValue = z.infer<typeof messagesValueSchema>;
export type WhatsAppUserPreferencesValue = z.infer<typeof userPreferencesValueSchema>;
export type WhatsAppTemplateStatusValue = z.infer<typeof templateStatusValueSchema>;
export type WhatsAppTemplateQualityValue = z.infer<typeof templateQualityValueSchema>;
export type WhatsAppTemplateCategoryValue = z.infer<typeof templateCategoryValueSchema>;
export type WhatsAppPhoneNumberQualityValue = z.infer<typeof phoneNumberQualityValueSchema>;
export type WhatsAppAccountUpdateValue = z.infer<typeof accountUpdateValueSchema>;
