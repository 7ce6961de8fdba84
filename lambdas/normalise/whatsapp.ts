/**
 * WhatsApp Business Account webhook entries → normalised events. Every change, message, status,
 * value error and preference is parsed on its own, so an unknown or malformed one becomes a
 * SkippedItem and the rest of the body is kept. Skip reasons are built from key names and zod issue
 * paths/codes only: payloads carry personal data, reasons get logged.
 */
import { saidOf } from '../domain/automation/said';
import { digest, eventKey } from '../domain/event-key';
import type {
  AccountRef,
  ContactRef,
  NormalisedBatch,
  NotedEvent,
  SkippedItem,
  WebhookEvent,
  WhatsAppIdentities,
  WindowOpener,
} from '../domain/events';
import * as wa from '../schemas/whatsapp';
import { toMillis } from './timestamps';

type WabaChange = Exclude<wa.WhatsAppChange, { field: 'messages' | 'user_preferences' | 'standby' | 'messaging_handovers' | 'smb_message_echoes' }>;
type HandoverValue = Extract<wa.WhatsAppChange, { field: 'messaging_handovers' }>['value'];

/** One parsed item, kept until the whole body's contacts are known. `standby`: delivered on the standby field. */
type Item = { path: string; standby?: boolean } & (
  | { kind: 'message'; phoneNumberId: string; message: wa.WhatsAppMessage }
  | { kind: 'status'; phoneNumberId: string; wabaId: string; status: wa.WhatsAppStatus }
  | { kind: 'value_error'; phoneNumberId: string; error: wa.WhatsAppError; at: number | undefined }
  | { kind: 'preference'; phoneNumberId: string; preference: wa.WhatsAppUserPreference }
  | { kind: 'echo'; phoneNumberId: string; echo: wa.WhatsAppEcho }
  | { kind: 'smb_echo'; phoneNumberId: string; echo: wa.WhatsAppSmbEcho }
  | { kind: 'handover'; phoneNumberId: string; wabaId: string; handover: HandoverValue }
  | { kind: 'waba'; wabaId: string; entryTime: number | undefined; change: WabaChange }
);

type Outcome = { events: WebhookEvent[] } | { reason: string };

interface Issue {
  path: PropertyKey[];
  code: string;
}

type ParseResult<T> = { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };

interface Identity {
  userId: string;
  identities: WhatsAppIdentities;
}

const CHANNEL = 'whatsapp';

const ok = (...events: WebhookEvent[]): Outcome => ({ events });
const skip = (reason: string): Outcome => ({ reason });

/** Key names are Meta's identifiers; anything else is not echoed into logs. */
const safeName = (name: string): string => (/^[\w.-]{1,64}$/.test(name) ? name : '?');

const invalid = (path: string, issues: readonly Issue[]): SkippedItem => ({
  path,
  reason: `invalid (${issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map((part) => safeName(String(part))).join('.') || '(root)'} ${issue.code}`)
    .join(', ')})`,
});

const nonEmpty = (id: string | undefined): string | undefined => (id ? id : undefined);

/**
 * Both ids of each person that some `contacts[]` entry of the body names together. With usernames
 * (2026) one item may name a person by BSUID only while another names their wa_id; resolving
 * through the whole body keys both to the same contact.
 */
class Directory {
  private readonly waIdOf = new Map<string, string>();
  private readonly bsuidOf = new Map<string, string>();

  learn(contacts: readonly wa.WhatsAppContact[] = []): void {
    for (const { wa_id: waId, user_id: bsuid } of contacts) {
      if (waId && bsuid) {
        this.waIdOf.set(bsuid, waId);
        this.bsuidOf.set(waId, bsuid);
      }
    }
  }

  /** A contact is keyed by its wa_id when one is known, else by its BSUID. */
  identify(waIdSent: string | undefined, bsuidSent: string | undefined): Identity | undefined {
    const waId = nonEmpty(waIdSent) ?? (bsuidSent ? this.waIdOf.get(bsuidSent) : undefined);
    const bsuid = nonEmpty(bsuidSent) ?? (waId ? this.bsuidOf.get(waId) : undefined);
    const userId = waId ?? bsuid;
    return userId === undefined ? undefined : { userId, identities: { waId, bsuid } };
  }
}

export function normaliseWhatsAppEntries(entries: unknown[]): NormalisedBatch {
  const skipped: SkippedItem[] = [];
  const directory = new Directory();
  const items = entries.flatMap((rawEntry, i) => {
    const entry = wa.whatsAppEntrySchema.safeParse(rawEntry);
    if (!entry.success) {
      skipped.push(invalid(`entry[${i}]`, entry.error.issues));
      return [];
    }
    return entry.data.changes.flatMap((rawChange, j) =>
      itemsOfChange(rawChange, `entry[${i}].changes[${j}]`, entry.data, directory, skipped),
    );
  });
  const events: WebhookEvent[] = [];
  for (const item of items) {
    const outcome = eventsOf(item, directory);
    if ('reason' in outcome) skipped.push({ path: item.path, reason: outcome.reason });
    else events.push(...(item.standby ? outcome.events.map((event) => ({ ...event, standby: true })) : outcome.events));
  }
  return { events, skipped };
}

// ── Pass 1: parse, and learn every contact of the body ──────────────────────────────────────────

const itemsOfChange = (
  rawChange: unknown,
  path: string,
  entry: wa.WhatsAppEntry,
  directory: Directory,
  skipped: SkippedItem[],
): Item[] => {
  const shell = wa.whatsAppChangeShellSchema.safeParse(rawChange);
  if (!shell.success) {
    skipped.push(invalid(path, shell.error.issues));
    return [];
  }
  if (!wa.WHATSAPP_FIELDS.has(shell.data.field)) {
    skipped.push({ path, reason: `unknown field ${safeName(shell.data.field)}` });
    return [];
  }
  const parsed = wa.whatsAppChangeSchema.safeParse(rawChange);
  if (!parsed.success) {
    skipped.push(invalid(path, parsed.error.issues));
    return [];
  }
  const change = parsed.data;
  switch (change.field) {
    case 'messages':
      return messagesItems(change.value, `${path}.value`, entry, directory, skipped);
    case 'standby': {
      // The same items as `messages`, nested one level down, plus the other sender's echoes.
      const value = { ...change.value, ...change.value.standby };
      const phoneNumberId = change.value.metadata.phone_number_id;
      const echoes = parseEach(change.value.standby.message_echoes, `${path}.value.standby.message_echoes`, wa.whatsAppEchoSchema, skipped).map(
        ({ path: p, data }): Item => ({ kind: 'echo', path: p, phoneNumberId, echo: data }),
      );
      return [...messagesItems(value, `${path}.value.standby`, entry, directory, skipped), ...echoes].map((item) => ({ ...item, standby: true }));
    }
    case 'smb_message_echoes': {
      const phoneNumberId = change.value.metadata.phone_number_id;
      return parseEach(change.value.message_echoes, `${path}.value.message_echoes`, wa.whatsAppSmbEchoSchema, skipped).map(
        ({ path: p, data }): Item => ({ kind: 'smb_echo', path: p, phoneNumberId, echo: data }),
      );
    }
    case 'messaging_handovers': {
      const phoneNumberId = change.value.recipient?.phone_number_id ?? change.value.metadata?.phone_number_id;
      if (phoneNumberId === undefined) {
        skipped.push({ path, reason: 'no phone_number_id' });
        return [];
      }
      return [{ kind: 'handover', path, phoneNumberId, wabaId: entry.id, handover: change.value }];
    }
    case 'user_preferences': {
      const phoneNumberId = change.value.metadata.phone_number_id;
      directory.learn(change.value.contacts);
      return parseEach(change.value.user_preferences, `${path}.value.user_preferences`, wa.whatsAppUserPreferenceSchema, skipped).map(
        ({ path: itemPath, data }): Item => ({ kind: 'preference', path: itemPath, phoneNumberId, preference: data }),
      );
    }
    default:
      return [{ kind: 'waba', path, wabaId: entry.id, entryTime: entry.time, change }];
  }
};

const messagesItems = (
  value: wa.WhatsAppMessagesValue,
  path: string,
  entry: wa.WhatsAppEntry,
  directory: Directory,
  skipped: SkippedItem[],
): Item[] => {
  const phoneNumberId = value.metadata.phone_number_id;
  directory.learn(value.contacts);
  const messages = parseEach(value.messages, `${path}.messages`, { safeParse: wa.parseWhatsAppMessage }, skipped);
  const statuses = parseEach(value.statuses, `${path}.statuses`, wa.whatsAppStatusSchema, skipped);
  for (const { data } of statuses) directory.learn(data.contacts);
  const errors = parseEach(value.errors, `${path}.errors`, wa.whatsAppErrorSchema, skipped);
  // Value errors carry no time of their own: the entry's, else that of the first message or status
  // beside them, read even from one that failed its schema (Meta pairs errors with such items).
  const firstTimestamp = [...(value.messages ?? []), ...(value.statuses ?? [])]
    .map((raw) => wa.whatsAppItemTimeSchema.safeParse(raw))
    .find((time) => time.success)?.data?.timestamp;
  const at = entry.time ?? firstTimestamp;
  return [
    ...messages.map(({ path: p, data }): Item => ({ kind: 'message', path: p, phoneNumberId, message: data })),
    ...statuses.map(({ path: p, data }): Item => ({ kind: 'status', path: p, phoneNumberId, wabaId: entry.id, status: data })),
    ...errors.map(
      ({ path: p, data }): Item => ({
        kind: 'value_error',
        path: p,
        phoneNumberId,
        error: data,
        at: at === undefined ? undefined : toMillis(at),
      }),
    ),
  ];
};

const parseEach = <T>(
  list: readonly unknown[] | undefined,
  path: string,
  parser: { safeParse: (raw: unknown) => ParseResult<T> },
  skipped: SkippedItem[],
): { path: string; data: T }[] =>
  (list ?? []).flatMap((raw, k) => {
    const result = parser.safeParse(raw);
    if (result.success) return [{ path: `${path}[${k}]`, data: result.data }];
    skipped.push(invalid(`${path}[${k}]`, result.error.issues));
    return [];
  });

// ── Pass 2: items → events ──────────────────────────────────────────────────────────────────────

const eventsOf = (item: Item, directory: Directory): Outcome => {
  switch (item.kind) {
    case 'message':
      return fromMessage(item.message, item.phoneNumberId, directory);
    case 'status':
      return fromStatus(item.status, item.phoneNumberId, item.wabaId, directory);
    case 'value_error':
      return item.at === undefined
        ? skip('no time')
        : ok({
            type: 'account_error',
            eventKey: eventKey(CHANNEL, item.phoneNumberId, 'value-error', item.at, item.error.code),
            occurredAt: item.at,
            account: phoneAccount(item.phoneNumberId),
            code: item.error.code,
            title: item.error.title,
          });
    case 'preference':
      return fromPreference(item.preference, item.phoneNumberId, directory);
    case 'echo':
      return fromEcho(item.echo, item.phoneNumberId, directory);
    case 'smb_echo':
      return fromSmbEcho(item.echo, item.phoneNumberId, directory);
    case 'handover':
      return fromHandover(item.handover, item.phoneNumberId);
    case 'waba':
      return fromWabaChange(item.change, item.wabaId, item.entryTime);
  }
};

const phoneAccount = (phoneNumberId: string): AccountRef => ({ channel: CHANNEL, accountId: phoneNumberId });
const contactOf = (phoneNumberId: string, userId: string): ContactRef => ({ channel: CHANNEL, accountId: phoneNumberId, userId });

const noted = (account: AccountRef, key: string, occurredAt: number, what: string): NotedEvent => ({
  type: 'noted',
  eventKey: key,
  occurredAt,
  account,
  what,
});

/** What a message that is not the person writing to the business is noted as; such messages never open the window. */
const notOpening = (message: wa.WhatsAppMessage): string | undefined => {
  if (!wa.isListedMessage(message)) return undefined;
  switch (message.type) {
    case 'system':
      return IDENTITY_CHANGES.has(message.system.type) ? undefined : `system:${safeName(message.system.type)}`;
    case 'unsupported':
      return 'unsupported';
    case 'reaction':
      return message.reaction.emoji ? undefined : 'reaction_removed';
    case 'revoke':
      return 'revoke';
    // Sent when the person opens the chat without writing anything.
    case 'request_welcome':
      return 'request_welcome';
    // An `edit` is the person typing to the business again, so it opens the window like any message.
    default:
      return undefined;
  }
};

const openerOf = (message: wa.WhatsAppMessage): WindowOpener => {
  if (message.referral) return 'ad_referral';
  return message.type === 'reaction' ? 'reaction' : 'message';
};

const fromMessage = (message: wa.WhatsAppMessage, phoneNumberId: string, directory: Directory): Outcome => {
  const at = toMillis(message.timestamp);
  if (at === undefined) return skip('unreadable timestamp');
  const key = eventKey(CHANNEL, phoneNumberId, 'wamid', message.id);
  if (wa.isListedMessage(message) && message.type === 'system' && IDENTITY_CHANGES.has(message.system.type)) {
    return fromIdentityChange(message.system, message, phoneNumberId, key, at);
  }
  const what = notOpening(message);
  if (what !== undefined) return ok(noted(phoneAccount(phoneNumberId), key, at, what));
  const sender = directory.identify(message.from, message.from_user_id);
  if (sender === undefined) return skip('no sender id');
  const { referral } = message;
  return ok({
    type: 'inbound',
    eventKey: key,
    occurredAt: at,
    contact: contactOf(phoneNumberId, sender.userId),
    opener: openerOf(message),
    messageId: message.id,
    adReferral: referral && { adId: referral.source_id, source: referral.source_type, ctwaClid: referral.ctwa_clid },
    identities: sender.identities,
    ...saidOfMessage(message),
    ...answersOf(message),
  });
};

/** A template's quick-reply button or an interactive reply names the message it answers (`context.id`). */
const answersOf = (message: wa.WhatsAppMessage): { answers?: string } => {
  if (!wa.isListedMessage(message)) return {};
  if (message.type !== 'button' && !(message.type === 'interactive' && replyId(message.interactive) !== undefined)) return {};
  const id = message.context?.id;
  return id ? { answers: id } : {};
};

/** A text's body, a template button's payload, an interactive button's or list row's id. */
const saidOfMessage = (message: wa.WhatsAppMessage) => {
  if (!wa.isListedMessage(message)) return {};
  switch (message.type) {
    case 'text':
      return saidOf(message.text.body, undefined);
    case 'button':
      return saidOf(message.button.text, message.button.payload);
    case 'interactive':
      return saidOf(undefined, replyId(message.interactive));
    default:
      return {};
  }
};

const replyId = (reply: Record<string, unknown>): string | undefined => {
  const chosen = reply.type === 'button_reply' ? reply.button_reply : reply.type === 'list_reply' ? reply.list_reply : undefined;
  return typeof chosen === 'object' && chosen !== null && 'id' in chosen && typeof chosen.id === 'string' ? chosen.id : undefined;
};

/** System messages that give the person a new phone number or business-scoped user id (Meta, 2026-08-11). */
const IDENTITY_CHANGES = new Set(['user_changed_number', 'user_changed_user_id']);

type SystemBody = Extract<wa.WhatsAppMessage, { type: 'system' }>['system'];

/**
 * `user_changed_number`: `from` is the old number, `system.wa_id` the new one. `user_changed_user_id`:
 * no number is shared, `system.user_id` is the new BSUID. Both carry the previous BSUID and parent
 * BSUID since 2026-08-11. The person is keyed by the new wa_id when there is one, else the new BSUID.
 */
const fromIdentityChange = (system: SystemBody, message: { from?: string; from_user_id?: string }, phoneNumberId: string, key: string, at: number): Outcome => {
  const change = system.type === 'user_changed_number' ? 'number' : 'user_id';
  const current = {
    waId: change === 'number' ? nonEmpty(system.wa_id) : undefined,
    bsuid: nonEmpty(system.user_id) ?? (change === 'user_id' ? nonEmpty(message.from_user_id) : undefined),
    parentBsuid: nonEmpty(system.parent_user_id),
  };
  const previous = {
    waId: change === 'number' ? nonEmpty(message.from) : undefined,
    bsuid: nonEmpty(system.previous_user_id) ?? (change === 'number' ? nonEmpty(message.from_user_id) : undefined),
    parentBsuid: nonEmpty(system.previous_parent_user_id),
  };
  const userId = current.waId ?? current.bsuid;
  if (userId === undefined) return skip('no new user id');
  return ok({ type: 'identity_change', eventKey: key, occurredAt: at, contact: contactOf(phoneNumberId, userId), change, current, previous });
};

const fromStatus = (status: wa.WhatsAppStatus, phoneNumberId: string, wabaId: string, directory: Directory): Outcome => {
  const at = toMillis(status.timestamp);
  if (at === undefined) return skip('unreadable timestamp');
  const error = status.errors?.[0];
  const recipient = directory.identify(status.recipient_id, status.recipient_user_id);
  const { pricing } = status;
  return ok({
    type: 'message_status',
    eventKey:
      status.status === 'failed'
        ? eventKey(CHANNEL, phoneNumberId, 'status', status.id, status.status, error?.code)
        : eventKey(CHANNEL, phoneNumberId, 'status', status.id, status.status),
    occurredAt: at,
    messageId: status.id,
    status: status.status,
    contact: recipient && contactOf(phoneNumberId, recipient.userId),
    account: phoneAccount(phoneNumberId),
    businessAccountId: wabaId,
    error: error && { code: error.code, title: error.title },
    pricing: pricing && {
      category: pricing.category,
      type: pricing.type,
      pricingModel: pricing.pricing_model,
      billable: pricing.billable,
    },
    callbackData: status.biz_opaque_callback_data,
    identities: recipient?.identities,
  });
};

/** What another sender on the number (Meta Business Agent) sent: an echo, never opening the window. */
const fromEcho = (echo: wa.WhatsAppEcho, phoneNumberId: string, directory: Directory): Outcome => {
  const at = toMillis(echo.timestamp);
  if (at === undefined) return skip('unreadable timestamp');
  const to = echo.message.to?.replace(/^\+/, '');
  const person = directory.identify(to && /^\d+$/.test(to) ? to : undefined, echo.message.recipient ?? (to && !/^\d+$/.test(to) ? to : undefined));
  if (person === undefined) return skip('no recipient id');
  return ok({
    type: 'echo',
    eventKey: eventKey(CHANNEL, phoneNumberId, 'echo', echo.id),
    occurredAt: at,
    contact: contactOf(phoneNumberId, person.userId),
    messageId: echo.id,
  });
};

/** What the business sent from the WhatsApp Business app (coexistence): a person at the business answering. */
const fromSmbEcho = (echo: wa.WhatsAppSmbEcho, phoneNumberId: string, directory: Directory): Outcome => {
  const at = toMillis(echo.timestamp);
  if (at === undefined) return skip('unreadable timestamp');
  const to = echo.to?.replace(/^\+/, '');
  const person = directory.identify(to === '' ? undefined : to, echo.to_user_id);
  if (person === undefined) return skip('no recipient id');
  return ok({
    type: 'echo',
    eventKey: eventKey(CHANNEL, phoneNumberId, 'smb-echo', echo.id),
    occurredAt: at,
    contact: contactOf(phoneNumberId, person.userId),
    messageId: echo.id,
    origin: 'business_app',
  });
};

/** Roles Meta names in `messaging_handovers`; `ai_agent` is Meta Business Agent. */
const META_AGENT_ROLE = 'ai_agent';

/**
 * `control_passed` reaches the app that now owns the thread; `control_taken` the one that lost it
 * to the role named. Meta names the person only by phone number, and not always.
 */
const fromHandover = (value: HandoverValue, phoneNumberId: string): Outcome => {
  const at = toMillis(value.timestamp);
  if (at === undefined) return skip('unreadable timestamp');
  const waId = nonEmpty(value.sender?.phone_number?.replace(/^\+/, ''));
  const userId = waId ?? nonEmpty(value.sender?.user_id);
  const detail = value.type === 'control_passed' ? value.control_passed : value.control_taken;
  const key = eventKey(CHANNEL, phoneNumberId, 'handover', userId ?? 'unknown', value.type, value.timestamp);
  if (userId === undefined) return ok(noted(phoneAccount(phoneNumberId), key, at, `handover:${value.type}`));
  const passedToUs = value.type === 'control_passed';
  const newRole = detail?.new_owner_role;
  return ok({
    type: 'thread_control',
    eventKey: key,
    occurredAt: at,
    contact: contactOf(phoneNumberId, userId),
    action: passedToUs ? 'pass' : 'take',
    previousOwnerAppId: detail?.previous_owner_app_id,
    holder: passedToUs ? 'this_app' : newRole === META_AGENT_ROLE ? 'meta_business_agent' : 'other_app',
    newOwnerRole: newRole,
    previousOwnerRole: detail?.previous_owner_role,
  });
};

const fromPreference = (preference: wa.WhatsAppUserPreference, phoneNumberId: string, directory: Directory): Outcome => {
  const at = toMillis(preference.timestamp);
  if (at === undefined) return skip('unreadable timestamp');
  const person = directory.identify(preference.wa_id, preference.user_id);
  if (person === undefined) return skip('no user id');
  const key = eventKey(CHANNEL, phoneNumberId, 'pref', person.userId, preference.timestamp, preference.value);
  // A signup link says nothing about stopping or resuming marketing messages.
  if (preference.value === 'signup') return ok(noted(phoneAccount(phoneNumberId), key, at, 'marketing_signup'));
  return ok({
    type: 'marketing_preference',
    eventKey: key,
    occurredAt: at,
    contact: contactOf(phoneNumberId, person.userId),
    value: preference.value,
    category: preference.category,
    identities: person.identities,
  });
};

/** Template name and language are business-chosen text, so they are hashed when no template id names the template. */
type TemplateNaming = { message_template_id?: string; message_template_name: string; message_template_language: string };

const templateRef = (value: TemplateNaming) =>
  value.message_template_id ?? digest(`${value.message_template_name}#${value.message_template_language}`);

const templateIdentity = (value: TemplateNaming) => ({
  templateId: value.message_template_id,
  name: value.message_template_name,
  language: value.message_template_language,
});

const fromWabaChange = (change: WabaChange, wabaId: string, entryTime: number | undefined): Outcome => {
  // These payloads have no time of their own; `entry.time` is the only time Meta gives.
  const at = entryTime === undefined ? undefined : toMillis(entryTime);
  if (at === undefined) return skip('no time');
  const account: AccountRef = { channel: CHANNEL, accountId: wabaId };
  const key = (...parts: (string | number | undefined)[]) => eventKey(CHANNEL, wabaId, ...parts, entryTime);
  const base = { occurredAt: at, account };
  switch (change.field) {
    case 'message_template_status_update': {
      const v = change.value;
      return ok({
        ...base,
        type: 'template_status',
        eventKey: key('tpl-status', templateRef(v), v.event),
        ...templateIdentity(v),
        status: v.event,
        reason: v.reason ?? undefined,
        category: v.message_template_category,
      });
    }
    case 'message_template_quality_update': {
      const v = change.value;
      return ok({
        ...base,
        type: 'template_quality',
        eventKey: key('tpl-quality', templateRef(v), v.new_quality_score),
        ...templateIdentity(v),
        quality: v.new_quality_score,
        previousQuality: v.previous_quality_score,
      });
    }
    case 'template_category_update': {
      const v = change.value;
      return ok({
        ...base,
        type: 'template_category',
        eventKey: key('tpl-category', templateRef(v), v.new_category),
        ...templateIdentity(v),
        category: v.new_category,
        previousCategory: v.previous_category,
        correctCategory: v.correct_category,
      });
    }
    case 'phone_number_quality_update': {
      const v = change.value;
      return ok({
        ...base,
        type: 'phone_quality',
        // A WABA can hold several numbers, so the number is part of the key.
        eventKey: key('phone-quality', v.display_phone_number, v.event),
        event: v.event,
        messagingLimit: v.max_daily_conversations_per_business,
        displayPhoneNumber: v.display_phone_number,
      });
    }
    case 'account_update': {
      const v = change.value;
      return ok({
        ...base,
        type: 'account_update',
        eventKey: key('account', v.event),
        event: v.event,
        restrictions: v.restriction_info?.map((r) => ({
          type: r.restriction_type,
          expiresAt: r.expiration === undefined ? undefined : toMillis(r.expiration),
        })),
        violationType: v.violation_info?.violation_type,
        banState: v.ban_info?.waba_ban_state,
      });
    }
  }
};
