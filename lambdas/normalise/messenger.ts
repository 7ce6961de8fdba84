/**
 * Messenger and Instagram webhook entries → normalised events. Each item is parsed on its own, so an
 * unknown or malformed item becomes a SkippedItem and the rest of the batch is kept. Skip reasons are
 * built from key names and zod issue paths/codes only: payloads carry personal data, reasons get logged.
 */
import type { z } from 'zod';
import { saidOf } from '../domain/automation/said';
import { digest, eventKey } from '../domain/event-key';
import type {
  AccountRef,
  Channel,
  ContactRef,
  InboundEvent,
  MessageStatusValue,
  NormalisedBatch,
  NotedEvent,
  ThreadControlEvent,
  WatermarkEvent,
  WebhookEvent,
} from '../domain/events';
import * as schema from '../schemas/messenger';
import { toMillis } from './timestamps';

/** What all items of one entry share. */
interface Scope {
  channel: Channel;
  accountId: string;
  /** `entry.time`: the occurrence time of items that carry none. */
  entryTime: number | undefined;
}

type Outcome = { events: WebhookEvent[] } | { reason: string };
type Handler = (raw: unknown, scope: Scope) => Outcome;

/** The fields every messaging/standby item may have, as the schemas output them. */
interface ItemBase {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number | string;
}

interface Issue {
  path: PropertyKey[];
  code: string;
}

const ok = (...events: WebhookEvent[]): Outcome => ({ events });
const skip = (reason: string): Outcome => ({ reason });

/** Key names are Meta's identifiers; anything else is not echoed into logs. */
const safeName = (name: string): string => (/^[\w.-]{1,64}$/.test(name) ? name : '?');

const describeIssues = (issues: readonly Issue[]): string =>
  issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map((part) => safeName(String(part))).join('.') || '(root)'} ${issue.code}`)
    .join(', ');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const key = (scope: Scope, ...parts: (string | number | undefined)[]): string =>
  eventKey(scope.channel, scope.accountId, ...parts);

const accountOf = ({ channel, accountId }: Scope): AccountRef => ({ channel, accountId });
const contactOf = ({ channel, accountId }: Scope, userId: string): ContactRef => ({ channel, accountId, userId });

const noted = (scope: Scope, eventKey: string, occurredAt: number, what: string): NotedEvent => ({
  type: 'noted',
  eventKey,
  occurredAt,
  account: accountOf(scope),
  what,
});

const occurredAt = (timestamp: number | string | undefined, scope: Scope): number | undefined =>
  (timestamp === undefined ? undefined : toMillis(timestamp)) ?? scope.entryTime;

/** For events about the Page / IG account as a whole. */
const forAccount = (item: ItemBase, scope: Scope, build: (at: number) => WebhookEvent[]): Outcome => {
  const at = occurredAt(item.timestamp, scope);
  return at === undefined ? skip('no timestamp') : { events: build(at) };
};

/** For events about one person: `sender` on inbound items, `recipient` on echoes. */
const forContact = (
  item: ItemBase,
  scope: Scope,
  side: 'sender' | 'recipient',
  build: (contact: ContactRef, at: number) => WebhookEvent[],
): Outcome => {
  const at = occurredAt(item.timestamp, scope);
  if (at === undefined) return skip('no timestamp');
  // Chat-plugin guests are named by a user_ref only, which is no contact we can message.
  const userId = item[side]?.id;
  if (userId === undefined) return skip(`missing ${side}.id`);
  return { events: build(contactOf(scope, userId), at) };
};

const parsedWith =
  <T>(itemSchema: z.ZodType<T>, map: (item: T, scope: Scope) => Outcome): Handler =>
  (raw, scope) => {
    const result = itemSchema.safeParse(raw);
    return result.success ? map(result.data, scope) : skip(`invalid (${describeIssues(result.error.issues)})`);
  };

const adReferralOf = (referral: schema.Referral | undefined): InboundEvent['adReferral'] =>
  referral && (referral.source?.toUpperCase() === 'ADS' || referral.ad_id !== undefined)
    ? { adId: referral.ad_id, source: referral.source }
    : undefined;

// ── messaging[] / standby[] items ───────────────────────────────────────────────────────────────

const fromMessage = (item: schema.MessageItem, scope: Scope): Outcome => {
  const { message } = item;
  if (message.is_echo) {
    // Echoes reverse the direction: the person is the recipient. They never open a window.
    return forContact(item, scope, 'recipient', (contact, at) => [
      {
        type: 'echo',
        eventKey: key(scope, 'echo', message.mid),
        occurredAt: at,
        contact,
        messageId: message.mid,
        appId: message.app_id,
        metadata: message.metadata,
      },
    ]);
  }
  if (message.is_deleted) {
    return forAccount(item, scope, (at) => [noted(scope, key(scope, 'deleted', message.mid), at, 'message_deleted')]);
  }
  return forContact(item, scope, 'sender', (contact, at) => {
    const adReferral = adReferralOf(message.referral);
    return [
      {
        type: 'inbound',
        eventKey: key(scope, 'mid', message.mid),
        occurredAt: at,
        contact,
        opener: adReferral ? 'ad_referral' : 'message',
        messageId: message.mid,
        adReferral,
        ...saidOf(message.text, message.quick_reply?.payload),
        // A quick reply tapped as a reply to one message names it: that message's click.
        ...(message.quick_reply && message.reply_to?.mid ? { answers: message.reply_to.mid } : {}),
      },
    ];
  });
};

const fromPostback = (item: schema.PostbackItem, scope: Scope): Outcome =>
  forContact(item, scope, 'sender', (contact, at) => {
    const { mid, payload, title, referral } = item.postback;
    const adReferral = adReferralOf(referral);
    return [
      {
        type: 'inbound',
        // Postbacks before Instagram v11 / old Messenger clients carry no mid.
        eventKey: mid
          ? key(scope, 'mid', mid)
          : key(scope, 'postback', contact.userId, at, digest(payload ?? title ?? '')),
        occurredAt: at,
        contact,
        opener: adReferral ? 'ad_referral' : 'postback',
        messageId: mid,
        adReferral,
        ...saidOf(undefined, payload),
      },
    ];
  });

const fromReferral = (item: schema.ReferralItem, scope: Scope): Outcome =>
  forContact(item, scope, 'sender', (contact, at) => {
    const adReferral = adReferralOf(item.referral);
    return [
      {
        type: 'inbound',
        eventKey: key(scope, 'referral', contact.userId, at, digest(item.referral.ref ?? '')),
        occurredAt: at,
        contact,
        opener: adReferral ? 'ad_referral' : 'referral',
        adReferral,
      },
    ];
  });

const fromReaction = (item: schema.ReactionItem, scope: Scope): Outcome =>
  forContact(item, scope, 'sender', (contact, at) => {
    const { mid, action } = item.reaction;
    const reactionKey = key(scope, 'reaction', mid, contact.userId, at, action);
    return [
      action === 'react'
        ? { type: 'inbound', eventKey: reactionKey, occurredAt: at, contact, opener: 'reaction' }
        : noted(scope, reactionKey, at, 'reaction_removed'),
    ];
  });

const STATUS_CHANGE = { STOP_NOTIFICATIONS: 'stop', RESUME_NOTIFICATIONS: 'resume' } as const;

const fromOptin = (item: schema.OptinItem, scope: Scope): Outcome => {
  const { optin } = item;
  const token = optin.notification_messages_token;
  if (token === undefined) {
    // Send-to-Messenger names the person (PSID) and opens the window (§4.1); the checkbox plugin gives
    // only a user_ref, which no send can use as a recipient here: noted. Neither is marketing consent.
    const who = item.sender?.id ?? digest(item.sender?.user_ref ?? optin.user_ref ?? '');
    const eventKeyAt = (at: number) => key(scope, 'plugin-optin', who, at, digest(optin.ref ?? ''));
    if (item.sender?.id !== undefined && scope.channel === 'messenger') {
      return forContact(item, scope, 'sender', (contact, at) => [{ type: 'inbound', eventKey: eventKeyAt(at), occurredAt: at, contact, opener: 'plugin_optin' }]);
    }
    return forAccount(item, scope, (at) => [noted(scope, eventKeyAt(at), at, 'plugin_optin')]);
  }
  return forContact(item, scope, 'sender', (contact, at) => {
    const status = optin.notification_messages_status;
    const change = status === undefined ? 'opt_in' : STATUS_CHANGE[status];
    return [
      {
        type: 'opt_in',
        // The token is a send credential: hashed like free text so it never appears in keys or logs.
        eventKey: key(scope, 'optin', contact.userId, at, digest(token), change),
        occurredAt: at,
        contact,
        token,
        change,
        title: optin.title,
        payload: optin.payload,
        timezone: optin.notification_messages_timezone,
        frequency: optin.notification_messages_frequency,
        tokenExpiresAt: optin.token_expiry_timestamp === undefined ? undefined : toMillis(optin.token_expiry_timestamp),
        userTokenStatus: optin.user_token_status,
      },
    ];
  });
};

const watermarkEvent = (
  scope: Scope,
  contact: ContactRef,
  at: number,
  kind: WatermarkEvent['kind'],
  watermark: number,
): WatermarkEvent => ({
  type: 'watermark',
  eventKey: key(scope, `watermark-${kind}`, contact.userId, watermark),
  occurredAt: at,
  contact,
  kind,
  watermark,
});

const fromDelivery = (item: schema.DeliveryItem, scope: Scope): Outcome => {
  const watermark = toMillis(item.delivery.watermark);
  if (watermark === undefined) return skip('invalid (delivery.watermark not a time)');
  // Deliveries usually carry no timestamp; everything they confirm happened by the watermark.
  return forContact({ ...item, timestamp: item.timestamp ?? watermark }, scope, 'sender', (contact, at) => [
    ...(item.delivery.mids ?? []).map(
      (mid): WebhookEvent => ({
        type: 'message_status',
        eventKey: key(scope, 'status', mid, 'delivered'),
        occurredAt: at,
        messageId: mid,
        status: 'delivered',
        contact,
      }),
    ),
    watermarkEvent(scope, contact, at, 'delivered', watermark),
  ]);
};

const fromReadWatermark = (item: schema.ReadWatermarkItem, scope: Scope): Outcome => {
  const watermark = toMillis(item.read.watermark);
  if (watermark === undefined) return skip('invalid (read.watermark not a time)');
  return forContact(item, scope, 'sender', (contact, at) => [watermarkEvent(scope, contact, at, 'read', watermark)]);
};

const fromSeen = (item: schema.SeenItem, scope: Scope): Outcome =>
  forContact(item, scope, 'sender', (contact, at) => [
    {
      type: 'message_status',
      eventKey: key(scope, 'status', item.read.mid, 'read'),
      occurredAt: at,
      messageId: item.read.mid,
      status: 'read',
      contact,
    },
  ]);

const readSeen = parsedWith(schema.seenItem, fromSeen);
const readWatermark = parsedWith(schema.readWatermarkItem, fromReadWatermark);

const threadControl = (
  item: ItemBase,
  scope: Scope,
  action: ThreadControlEvent['action'],
  owners: { new_owner_app_id?: string | null; previous_owner_app_id?: string | null },
): Outcome =>
  forContact(item, scope, 'sender', (contact, at) => [
    {
      type: 'thread_control',
      eventKey: key(scope, 'thread', action, contact.userId, at),
      occurredAt: at,
      contact,
      action,
      newOwnerAppId: owners.new_owner_app_id ?? undefined,
      previousOwnerAppId: owners.previous_owner_app_id ?? undefined,
      // pass_thread_control reaches the app given the thread, take_thread_control the one it was taken from.
      ...(action === 'pass' ? { holder: 'this_app' as const } : action === 'take' ? { holder: 'other_app' as const } : {}),
    },
  ]);

/** Dispatch by the key an item carries; the first match wins, so order matters. */
const ITEM_HANDLERS: Record<string, Handler> = {
  message: parsedWith(schema.messageItem, fromMessage),
  postback: parsedWith(schema.postbackItem, fromPostback),
  referral: parsedWith(schema.referralItem, fromReferral),
  optin: parsedWith(schema.optinItem, fromOptin),
  delivery: parsedWith(schema.deliveryItem, fromDelivery),
  // Messenger reads are watermarks; Instagram's messaging_seen names one message.
  read: (raw, scope) => (scope.channel === 'instagram' ? readSeen(raw, scope) : readWatermark(raw, scope)),
  reaction: parsedWith(schema.reactionItem, fromReaction),
  message_edit: parsedWith(schema.messageEditItem, (item, scope) =>
    forAccount(item, scope, (at) => [
      noted(scope, key(scope, 'edit', item.message_edit.mid, item.message_edit.num_edit), at, 'message_edit'),
    ]),
  ),
  pass_thread_control: parsedWith(schema.passThreadControlItem, (item, scope) =>
    threadControl(item, scope, 'pass', item.pass_thread_control),
  ),
  take_thread_control: parsedWith(schema.takeThreadControlItem, (item, scope) =>
    threadControl(item, scope, 'take', item.take_thread_control),
  ),
  release_thread_control: parsedWith(schema.releaseThreadControlItem, (item, scope) =>
    threadControl(item, scope, 'release', item.release_thread_control),
  ),
  // The requester is the app that wants to become the owner.
  request_thread_control: parsedWith(schema.requestThreadControlItem, (item, scope) =>
    threadControl(item, scope, 'request', { new_owner_app_id: item.request_thread_control.requested_owner_app_id }),
  ),
  app_roles: parsedWith(schema.appRolesItem, (item, scope) =>
    forAccount(item, scope, (at) => [noted(scope, key(scope, 'app-roles', at), at, 'app_roles')]),
  ),
  policy_enforcement: parsedWith(schema.policyEnforcementItem, (item, scope) =>
    forAccount(item, scope, (at) => [
      {
        type: 'page_policy',
        eventKey: key(scope, 'policy', at, item.policy_enforcement.action),
        occurredAt: at,
        account: accountOf(scope),
        action: item.policy_enforcement.action,
        reason: item.policy_enforcement.reason,
      },
    ]),
  ),
  response_feedback: parsedWith(schema.responseFeedbackItem, (item, scope) =>
    forAccount(item, scope, (at) => [
      // A person may change their verdict on the same message.
      noted(scope, key(scope, 'feedback', item.response_feedback.mid, at), at, 'response_feedback'),
    ]),
  ),
};

const ITEM_KINDS = Object.keys(ITEM_HANDLERS);

const normaliseItem = (raw: unknown, scope: Scope): Outcome => {
  if (!isRecord(raw)) return skip('not an object');
  const kind = ITEM_KINDS.find((name) => Object.hasOwn(raw, name));
  const handler = kind === undefined ? undefined : ITEM_HANDLERS[kind];
  if (kind === undefined || handler === undefined) {
    return skip(`unknown event (keys: ${Object.keys(raw).slice(0, 10).map(safeName).join(',')})`);
  }
  const outcome = handler(raw, scope);
  return 'reason' in outcome ? skip(`${kind}: ${outcome.reason}`) : outcome;
};

// ── changes[]: Marketing Message API ────────────────────────────────────────────────────────────

/**
 * The per-recipient message: the tracking id the send API answers with (what the outbox will hold),
 * else `mid`, else the campaign's `message_id` narrowed by the recipient's hashed subscription token.
 * The bare `message_id` may name the campaign message shared by every recipient, so it never
 * identifies a message on its own.
 */
const marketingMessageId = (value: schema.MarketingMessageValue): string | undefined => {
  if (value.marketing_message_tracking_id !== undefined) return value.marketing_message_tracking_id;
  if (value.mid !== undefined) return value.mid;
  if (value.message_id !== undefined && value.messenger_subscription_token !== undefined) {
    return `${value.message_id}#${digest(value.messenger_subscription_token)}`;
  }
  return undefined;
};

/**
 * What tells one recipient's send apart: `message_id` may name the campaign message shared by many.
 * The send API answers with the tracking id; `delivery_failed` has only the subscription token (hashed:
 * it is a send credential).
 */
const marketingSendRef = (value: schema.MarketingMessageValue): string | undefined =>
  value.marketing_message_tracking_id ??
  (value.messenger_subscription_token === undefined ? undefined : digest(value.messenger_subscription_token));

const marketingStatus =
  (status: MessageStatusValue) =>
  (value: schema.MarketingMessageValue, scope: Scope): Outcome => {
    const at = occurredAt(value.timestamp, scope);
    if (at === undefined) return skip('no timestamp');
    const messageId = marketingMessageId(value);
    if (messageId === undefined) return skip('no per-recipient message id');
    return ok({
      type: 'message_status',
      eventKey: key(scope, 'mm-status', messageId, status, marketingSendRef(value)),
      occurredAt: at,
      messageId,
      status,
      contact: value.recipient_id === undefined ? undefined : contactOf(scope, value.recipient_id),
      // Meta's failure report has a message but no code: kept as the title, so the reason can be read back.
      ...(status === 'failed' && value.error_message ? { error: { title: value.error_message.slice(0, 300) } } : {}),
      // The send API answers with the tracking id only, so it is what correlates with the outbox.
      callbackData: value.marketing_message_tracking_id,
    });
  };

type ChangeHandler = (value: schema.MarketingMessageValue, scope: Scope) => Outcome;

const CHANGE_HANDLERS: Record<schema.MarketingMessageField, ChangeHandler> = {
  marketing_message_deliveries: marketingStatus('delivered'),
  marketing_message_reads: marketingStatus('read'),
  marketing_message_delivery_failed: marketingStatus('failed'),
  marketing_message_echoes: (value, scope) => {
    const at = occurredAt(value.timestamp, scope);
    if (at === undefined) return skip('no timestamp');
    const messageId = marketingMessageId(value);
    const echoKey = key(scope, 'mm-echo', messageId, marketingSendRef(value));
    // Custom-audience subscribers have no recipient_id: there is no contact to attach the echo to.
    if (value.recipient_id === undefined) return ok(noted(scope, echoKey, at, 'marketing_message_echo'));
    if (messageId === undefined) return skip('no per-recipient message id');
    return ok({
      type: 'echo',
      eventKey: echoKey,
      occurredAt: at,
      contact: contactOf(scope, value.recipient_id),
      messageId,
      appId: value.app_id,
      origin: 'marketing_message',
    });
  },
  marketing_message_clicks: (value, scope) => {
    const at = occurredAt(value.timestamp, scope);
    if (at === undefined) return skip('no timestamp');
    const clickKey = key(scope, 'mm-click', marketingMessageId(value), marketingSendRef(value), at);
    // Custom-audience subscribers have no recipient_id: no contact, so no send of ours to count it on.
    if (value.recipient_id === undefined) return ok(noted(scope, clickKey, at, 'marketing_message_click'));
    return ok({
      type: 'marketing_click',
      eventKey: clickKey,
      occurredAt: at,
      contact: contactOf(scope, value.recipient_id),
      ...(value.marketing_message_tracking_id === undefined ? {} : { messageId: value.marketing_message_tracking_id }),
      ...(value.message_id === undefined ? {} : { campaignMessageId: value.message_id }),
    });
  },
};

const isMarketingField = (field: string): field is schema.MarketingMessageField =>
  Object.hasOwn(CHANGE_HANDLERS, field);

const normaliseChange = (raw: unknown, scope: Scope): Outcome => {
  const parsed = schema.change.safeParse(raw);
  if (!parsed.success) return skip(`invalid change (${describeIssues(parsed.error.issues)})`);
  const { field, value } = parsed.data;
  if (!isMarketingField(field)) return skip(`unknown field ${safeName(field)}`);
  const parsedValue = schema.marketingMessageValue.safeParse(value);
  const outcome = parsedValue.success
    ? CHANGE_HANDLERS[field](parsedValue.data, scope)
    : skip(`invalid (${describeIssues(parsedValue.error.issues)})`);
  return 'reason' in outcome ? skip(`${field}: ${outcome.reason}`) : outcome;
};

// ── Entry point ─────────────────────────────────────────────────────────────────────────────────

export function normalisePageEntries(object: 'page' | 'instagram', entries: unknown[]): NormalisedBatch {
  const channel: Channel = object === 'page' ? 'messenger' : 'instagram';
  const batch: NormalisedBatch = { events: [], skipped: [] };
  const collect = (path: string, outcome: Outcome, standby: boolean): void => {
    if ('reason' in outcome) {
      batch.skipped.push({ path, reason: outcome.reason });
    } else {
      batch.events.push(...(standby ? outcome.events.map((event) => ({ ...event, standby: true })) : outcome.events));
    }
  };

  entries.forEach((raw, i) => {
    const path = `entry[${i}]`;
    const entry = schema.pageEntry.safeParse(raw);
    if (!entry.success) {
      batch.skipped.push({ path, reason: `invalid entry (${describeIssues(entry.error.issues)})` });
      return;
    }
    const { id, time, messaging, standby, changes } = entry.data;
    const scope: Scope = { channel, accountId: id, entryTime: toMillis(time) };
    messaging?.forEach((item, j) => collect(`${path}.messaging[${j}]`, normaliseItem(item, scope), false));
    standby?.forEach((item, j) => collect(`${path}.standby[${j}]`, normaliseItem(item, scope), true));
    changes?.forEach((item, j) => collect(`${path}.changes[${j}]`, normaliseChange(item, scope), false));
  });
  return batch;
}
