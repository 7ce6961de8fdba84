import type { ThreadControlCall } from './thread-control';

export type Channel = 'messenger' | 'instagram' | 'whatsapp';

export type MessageKind = 'text' | 'template' | 'interactive' | 'marketing_message' | 'opt_in_request' | 'other';

export interface AcceptedMessage {
  /** mid, wamid, or the Marketing Message API's tracking id: what the client was (or would have been) answered. */
  id: string;
  channel: Channel;
  /** Page id, Instagram account id or phone_number_id (the Page of the token for the Marketing Message API). */
  accountId: string;
  /** PSID, IGSID, wa_id (E.164 digits without `+`) or, for a WhatsApp person known only by it, the BSUID. */
  recipient: string;
  /** WhatsApp: the edge the message was sent on (`/messages`, or the Marketing Messages API's `/marketing_messages`). */
  endpoint?: 'messages' | 'marketing_messages';
  /** WhatsApp: what Meta bills it as (`pricing.category` of its status webhooks), when it is billed. */
  pricingCategory?: string;
  kind: MessageKind;
  messagingType?: string;
  tag?: string;
  template?: { name: string; language: string };
  /** Messenger `metadata` / WhatsApp `biz_opaque_callback_data`. */
  callbackData?: string;
  at: number;
  body: unknown;
}

export type TemplateStatus = 'APPROVED' | 'PAUSED' | 'DISABLED' | 'PENDING' | 'REJECTED';
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type TemplateQuality = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

export interface TemplateRecord {
  status: TemplateStatus;
  category: TemplateCategory;
  /** What the template listings show besides status and category (Meta fills these in; tests may). */
  id?: string;
  quality?: TemplateQuality;
  components?: unknown[];
  /** The WABA (WhatsApp) or Page the template belongs to, when the test names it. */
  owner?: string;
}

/** A template as registered: under the sending account (Page id or phone_number_id), with its name and language. */
export interface RegisteredTemplate extends TemplateRecord {
  accountId: string;
  name: string;
  language: string;
}

export interface OptInToken {
  /** The Page the token belongs to. */
  accountId: string;
  userId: string;
  status: 'active' | 'stopped';
}

/** WhatsApp names people by wa_id; tests and callers may write it with the E.164 `+`. */
export const toWaId = (userId: string): string => userId.replace(/^\+/, '');

const userKey = (channel: Channel, accountId: string, userId: string): string =>
  `${channel}#${accountId}#${channel === 'whatsapp' ? toWaId(userId) : userId}`;

/** What Meta remembers between requests: accepted messages, windows, templates, consent, rate counters. */
export class SimulatorState {
  private readonly messages: AcceptedMessage[] = [];
  private readonly lastUserMessageAt = new Map<string, number>();
  private readonly templates = new Map<string, RegisteredTemplate>();
  private readonly marketingOptOuts = new Set<string>();
  private readonly marketingLimited = new Set<string>();
  private readonly optInTokens = new Map<string, OptInToken>();
  private readonly sendsPerSecond = new Map<string, { second: number; count: number }>();
  private readonly lastSendToPair = new Map<string, number>();
  private readonly marketingMessagesOnboarded = new Set<string>();
  private readonly cloudApiMarketingDisabled = new Set<string>();
  private readonly threadCalls: ThreadControlCall[] = [];
  /** The app a Page passed a person's thread to; absent: the simulator's own app holds it. */
  private readonly threadOwners = new Map<string, string>();

  recordThreadControl(call: ThreadControlCall): void {
    this.threadCalls.push(call);
    const key = `${call.accountId}#${call.userId}`;
    if (call.action === 'pass' && call.targetAppId !== undefined) this.threadOwners.set(key, call.targetAppId);
    else this.threadOwners.delete(key);
  }

  threadControlCalls(): ThreadControlCall[] {
    return [...this.threadCalls];
  }

  threadOwner(accountId: string, userId: string): string | undefined {
    return this.threadOwners.get(`${accountId}#${userId}`);
  }

  record(message: AcceptedMessage): void {
    this.messages.push(message);
    if (message.channel !== 'whatsapp') return;
    const second = Math.floor(message.at / 1000);
    const current = this.sendsPerSecond.get(message.accountId);
    this.sendsPerSecond.set(message.accountId, { second, count: current?.second === second ? current.count + 1 : 1 });
    this.lastSendToPair.set(userKey('whatsapp', message.accountId, message.recipient), message.at);
  }

  accepted(): AcceptedMessage[] {
    return [...this.messages];
  }

  countFor(recipient: string): number {
    const wanted = toWaId(recipient);
    return this.messages.filter((m) => m.recipient === wanted || m.recipient === recipient).length;
  }

  userMessaged(channel: Channel, accountId: string, userId: string, at: number): void {
    const key = userKey(channel, accountId, userId);
    this.lastUserMessageAt.set(key, Math.max(at, this.lastUserMessageAt.get(key) ?? at));
  }

  /** A WhatsApp person's new id keeps what Meta knew under the old one: when they last wrote, and their marketing stop. */
  userChangedId(accountId: string, previous: string, current: string): void {
    const last = this.lastUserMessageAt.get(userKey('whatsapp', accountId, previous));
    if (last !== undefined) this.userMessaged('whatsapp', accountId, current, last);
    if (this.isOptedOut(accountId, previous)) this.optOutMarketing(accountId, current);
    if (this.isMarketingLimited(accountId, previous)) this.setMarketingLimited(accountId, current);
  }

  /** ms since the person last wrote to the account, or undefined if they never did. */
  sinceUserMessage(channel: Channel, accountId: string, userId: string, now: number): number | undefined {
    const at = this.lastUserMessageAt.get(userKey(channel, accountId, userId));
    return at === undefined ? undefined : now - at;
  }

  setTemplate(accountId: string, name: string, language: string, record: TemplateRecord): void {
    this.templates.set(`${accountId}#${name}#${language}`, { ...record, accountId, name, language });
  }

  /** Every registered template, in the order they were first registered (the listings' order). */
  allTemplates(): RegisteredTemplate[] {
    return [...this.templates.values()];
  }

  template(accountId: string, name: string, language: string): TemplateRecord | undefined {
    return this.templates.get(`${accountId}#${name}#${language}`);
  }

  optOutMarketing(accountId: string, userId: string): void {
    this.marketingOptOuts.add(userKey('whatsapp', accountId, userId));
  }

  isOptedOut(accountId: string, userId: string): boolean {
    return this.marketingOptOuts.has(userKey('whatsapp', accountId, userId));
  }

  setMarketingLimited(accountId: string, userId: string): void {
    this.marketingLimited.add(userKey('whatsapp', accountId, userId));
  }

  isMarketingLimited(accountId: string, userId: string): boolean {
    return this.marketingLimited.has(userKey('whatsapp', accountId, userId));
  }

  addOptInToken(token: string, record: OptInToken): void {
    this.optInTokens.set(token, record);
  }

  optInToken(token: string): OptInToken | undefined {
    return this.optInTokens.get(token);
  }

  /** The phone number's WABA accepted the Marketing Messages API terms (Meta's `marketing_messages_lite_api_status` ONBOARDED). */
  setMarketingMessagesOnboarded(accountId: string, onboarded: boolean): void {
    if (onboarded) this.marketingMessagesOnboarded.add(accountId);
    else this.marketingMessagesOnboarded.delete(accountId);
  }

  isMarketingMessagesOnboarded(accountId: string): boolean {
    return this.marketingMessagesOnboarded.has(accountId);
  }

  /** The WABA set `disable_marketing_messages_on_cloud_api`: marketing templates on `/messages` fail 131063. */
  disableCloudApiMarketing(accountId: string): void {
    this.cloudApiMarketingDisabled.add(accountId);
  }

  isCloudApiMarketingDisabled(accountId: string): boolean {
    return this.cloudApiMarketingDisabled.has(accountId);
  }

  /** WhatsApp messages accepted for the phone number in the second `now` falls in. */
  sentThisSecond(accountId: string, now: number): number {
    const current = this.sendsPerSecond.get(accountId);
    return current?.second === Math.floor(now / 1000) ? current.count : 0;
  }

  lastSendTo(accountId: string, userId: string): number | undefined {
    return this.lastSendToPair.get(userKey('whatsapp', accountId, userId));
  }
}
