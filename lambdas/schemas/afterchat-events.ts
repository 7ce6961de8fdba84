/**
 * The events afterchat puts on the business bus about its messages and its contacts' consent
 * (README "Events afterchat emits"), so a shop's systems react with an EventBridge rule. Ids only:
 * the contact's ids as `handoff.requested` carries them, afterchat's and Meta's message ids; never a
 * message's text, a link's target or a phone number beyond the id Meta uses for the person.
 */
import * as z from 'zod';
import { ChannelSchema } from './account';

export const MESSAGE_DELIVERED = 'message.delivered';
export const MESSAGE_READ = 'message.read';
export const MESSAGE_CLICKED = 'message.clicked';
export const CONTACT_OPTED_OUT = 'contact.opted_out';
export const CONTACT_OPTED_IN = 'contact.opted_in';

export const MESSAGE_EVENT_TYPES = [MESSAGE_DELIVERED, MESSAGE_READ, MESSAGE_CLICKED] as const;
export const CONSENT_EVENT_TYPES = [CONTACT_OPTED_OUT, CONTACT_OPTED_IN] as const;

const Iso = z.iso.datetime();

const ContactIds = {
  channel: ChannelSchema,
  accountId: z.string().min(1).max(128),
  userId: z.string().min(1).max(256),
  /** The admin API's path of the person. */
  contactPath: z.string().startsWith('/admin/contacts/'),
};

export const MessageEventDetailSchema = z
  .object({
    ...ContactIds,
    /** afterchat's id of the send (the outbox record). */
    outboxId: z.string().min(1).max(128),
    /** Meta's id of the message: wamid, mid, or the Marketing Message API's tracking id. */
    messageId: z.string().min(1).max(512).optional(),
    /** The campaign and occurrence that sent it; absent for one-off and automated sends. */
    campaignId: z.string().min(1).max(128).optional(),
    occurrenceKey: z.string().min(1).max(128).optional(),
    /** When it happened, as Meta (or the redirect, for a click) reported it. */
    at: Iso,
    /** `<outboxId>#<milestone>`: the same on a repeat, so a consumer dedupes on it. */
    eventKey: z.string().min(1).max(1024),
  })
  .strict();

export const ConsentEventDetailSchema = z
  .object({
    ...ContactIds,
    /**
     * What the person said it about: `marketing` (a STOP / START keyword, WhatsApp `user_preferences`)
     * or `topic` (a Messenger / Instagram marketing-message opt-in, stop or resume).
     */
    scope: z.enum(['marketing', 'topic']),
    /** Where it came from: the keyword the person wrote, or Meta's webhook. */
    source: z.enum(['keyword', 'user_preferences', 'messaging_optins']),
    /** The keyword as matched (`STOP`, `START`, …), for `source: keyword`. */
    keyword: z.string().min(1).max(64).optional(),
    /** The opt-in's topic (its title), for `scope: topic`. */
    topic: z.string().min(1).max(200).optional(),
    at: Iso,
    /** The webhook event's key: the same on a redelivery, so a consumer dedupes on it. */
    eventKey: z.string().min(1).max(1024),
  })
  .strict();

export type MessageEventDetail = z.infer<typeof MessageEventDetailSchema>;
export type ConsentEventDetail = z.infer<typeof ConsentEventDetailSchema>;
export type MessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];
export type ConsentEventType = (typeof CONSENT_EVENT_TYPES)[number];

/** The detail schema of each of these events, by `detail-type`. */
export const AFTERCHAT_EVENT_DETAILS = {
  [MESSAGE_DELIVERED]: MessageEventDetailSchema,
  [MESSAGE_READ]: MessageEventDetailSchema,
  [MESSAGE_CLICKED]: MessageEventDetailSchema,
  [CONTACT_OPTED_OUT]: ConsentEventDetailSchema,
  [CONTACT_OPTED_IN]: ConsentEventDetailSchema,
} as const;

export type AfterchatEventType = keyof typeof AFTERCHAT_EVENT_DETAILS;

export const isAfterchatEventType = (detailType: string): detailType is AfterchatEventType => Object.hasOwn(AFTERCHAT_EVENT_DETAILS, detailType);
