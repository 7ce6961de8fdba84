import * as z from 'zod';

/**
 * Inbound WhatsApp messages (`messages` field, `value.messages[]`), one schema per `type`.
 * Objects are loose because Meta adds keys without notice; only keys the reference documents as
 * always present are required.
 */

/** The error object of value-level `errors[]`, `statuses[].errors[]` and `unsupported` messages. */
export const whatsAppErrorSchema = z.looseObject({
  code: z.number().int(),
  // Meta announced that titles will be deprecated: branch on `code`, never require a title.
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});

/** Reply-to `{from, id}`, product enquiry `{from, id, referred_product}`, or forwarded flags. */
const contextSchema = z.looseObject({
  from: z.string().optional(),
  id: z.string().optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
  referred_product: z.looseObject({ catalog_id: z.string(), product_retailer_id: z.string() }).optional(),
});

/** Click-to-WhatsApp ad referral. `ctwa_clid` is omitted for ads shown in WhatsApp Status. */
const referralSchema = z.looseObject({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  // Meta documents "ad"; other sources (posts) exist, so any string.
  source_type: z.string().optional(),
  body: z.string().optional(),
  headline: z.string().optional(),
  media_type: z.string().optional(),
  image_url: z.string().optional(),
  video_url: z.string().optional(),
  thumbnail_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
  welcome_message: z.looseObject({ text: z.string() }).optional(),
});

const base = {
  id: z.string().min(1),
  /** Unix seconds as a string. */
  timestamp: z.string(),
  // "" for username users with no known phone number; absent on `user_changed_user_id` system messages.
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  context: contextSchema.optional(),
  referral: referralSchema.optional(),
  errors: z.array(whatsAppErrorSchema).optional(),
};

const message = <T extends string, S extends z.core.$ZodShape>(type: T, shape: S) =>
  z.looseObject({ ...base, type: z.literal(type), ...shape });

// A media message is a user message even if a descriptive key is missing: require only what fetching it needs.
const media = <S extends z.core.$ZodShape>(extra: S) =>
  z.looseObject({ id: z.string(), mime_type: z.string(), sha256: z.string().optional(), ...extra });

const sharedContactSchema = z.looseObject({
  name: z.looseObject({
    formatted_name: z.string(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    middle_name: z.string().optional(),
    prefix: z.string().optional(),
    suffix: z.string().optional(),
  }),
  phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() })).optional(),
  emails: z.array(z.looseObject({})).optional(),
  addresses: z.array(z.looseObject({})).optional(),
  urls: z.array(z.looseObject({})).optional(),
  org: z.looseObject({}).optional(),
  birthday: z.string().optional(),
});

const interactiveReplySchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('button_reply'), button_reply: z.looseObject({ id: z.string(), title: z.string() }) }),
  z.looseObject({
    type: z.literal('list_reply'),
    list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }),
  }),
  z.looseObject({
    type: z.literal('nfm_reply'),
    // `response_json` is a JSON document inside a string.
    nfm_reply: z.looseObject({ response_json: z.string(), body: z.string().optional(), name: z.string().optional() }),
  }),
]);

const LISTED_INTERACTIVE_TYPES: ReadonlySet<string> = new Set(interactiveReplySchema.options.map((o) => o.shape.type.value));

const interactiveSchema = z.union([
  interactiveReplySchema,
  // Replies to newer interactive messages are still the person answering.
  z.looseObject({ type: z.string().refine((t) => !LISTED_INTERACTIVE_TYPES.has(t), { abort: true }) }),
]);

const amount = z.union([z.number(), z.string()]);

export const listedMessageSchema = z.discriminatedUnion('type', [
  message('text', { text: z.looseObject({ body: z.string() }) }),
  message('image', { image: media({ caption: z.string().optional(), url: z.string().optional() }) }),
  message('video', { video: media({ caption: z.string().optional() }) }),
  message('audio', { audio: media({ voice: z.boolean().optional() }) }),
  message('document', { document: media({ filename: z.string().optional(), caption: z.string().optional() }) }),
  message('sticker', { sticker: media({ animated: z.boolean().optional() }) }),
  message('location', {
    location: z.looseObject({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    }),
  }),
  message('contacts', { contacts: z.array(sharedContactSchema).min(1) }),
  message('interactive', { interactive: interactiveSchema }),
  // Quick-reply button of a template; `context.id` is the template message.
  message('button', { button: z.looseObject({ payload: z.string(), text: z.string() }) }),
  // `emoji` is "" or absent when the user removes a reaction.
  message('reaction', { reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }) }),
  message('order', {
    order: z.looseObject({
      catalog_id: z.string(),
      text: z.string().optional(),
      product_items: z.array(
        z.looseObject({ product_retailer_id: z.string(), quantity: amount, item_price: amount, currency: z.string() }),
      ),
    }),
  }),
  message('system', {
    system: z.looseObject({
      type: z.string(),
      body: z.string().optional(),
      wa_id: z.string().optional(),
      user_id: z.string().optional(),
      parent_user_id: z.string().optional(),
      previous_user_id: z.string().optional(),
      previous_parent_user_id: z.string().optional(),
    }),
    identity: z
      .looseObject({ acknowledged: z.boolean().optional(), created_timestamp: amount.optional(), hash: z.string().optional() })
      .optional(),
  }),
  message('unsupported', { unsupported: z.looseObject({ type: z.string().optional() }).optional() }),
  message('edit', { edit: z.looseObject({ original_message_id: z.string(), message: z.looseObject({ type: z.string() }) }) }),
  message('revoke', { revoke: z.looseObject({ original_message_id: z.string() }) }),
  message('request_welcome', {}),
]);

export const LISTED_MESSAGE_TYPES: ReadonlySet<string> = new Set(listedMessageSchema.options.map((o) => o.shape.type.value));

/** A message whose `type` this schema does not list yet. Meta adds types; such a message is still the user writing. */
export const unlistedMessageSchema = z.looseObject({ ...base, type: z.string() });

export type ListedWhatsAppMessage = z.infer<typeof listedMessageSchema>;
export type UnlistedWhatsAppMessage = z.infer<typeof unlistedMessageSchema>;
export type WhatsAppMessage = ListedWhatsAppMessage | UnlistedWhatsAppMessage;
export type WhatsAppError = z.infer<typeof whatsAppErrorSchema>;

export const isListedMessage = (m: WhatsAppMessage): m is ListedWhatsAppMessage => LISTED_MESSAGE_TYPES.has(m.type);

/**
 * Parses one `messages[]` item. Dispatching on `type` first (rather than a union with a catch-all)
 * keeps a malformed listed message from passing as a generic one, and keeps its issues precise.
 */
const typeProbe = z.looseObject({ type: z.string() });

export const parseWhatsAppMessage = (raw: unknown) => {
  const probe = typeProbe.safeParse(raw);
  return probe.success && !LISTED_MESSAGE_TYPES.has(probe.data.type)
    ? unlistedMessageSchema.safeParse(raw)
    : listedMessageSchema.safeParse(raw);
};
