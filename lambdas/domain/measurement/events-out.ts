/**
 * afterchat's own events about its messages and its contacts' consent, as they go on the business
 * bus (lambdas/schemas/afterchat-events.ts). Pure: the callers decide when (a milestone recorded the
 * first time, a fresh consent event) and the stage switch whether (lambdas/measurement/events-out.ts).
 */
import { contactPath } from '../automation/handoff';
import type { BusinessBusEvent } from '../automation/rule';
import type { KeywordMatch } from '../automation/keywords';
import type { ContactRef, WebhookEvent } from '../events';
import type { Milestone } from '../../ports/funnel-milestones';
import {
  CONTACT_OPTED_IN,
  CONTACT_OPTED_OUT,
  type ConsentEventDetail,
  MESSAGE_CLICKED,
  MESSAGE_DELIVERED,
  MESSAGE_READ,
  type MessageEventDetail,
  type MessageEventType,
} from '../../schemas/afterchat-events';

const MESSAGE_EVENT_OF: Partial<Record<Milestone, MessageEventType>> = { delivered: MESSAGE_DELIVERED, read: MESSAGE_READ, clicked: MESSAGE_CLICKED };

/** Whether a shop is told about the milestone: delivered, read and clicked. */
export const isAnnounced = (milestone: Milestone): boolean => MESSAGE_EVENT_OF[milestone] !== undefined;

/** What a message event names of the send: the outbox record's recipient, ids and group. */
export interface SentMessage {
  outboxId: string;
  intent: ContactRef;
  /** Meta's id, as the sender or a status webhook recorded it. */
  messageId?: string;
  /** `<campaignId>#<occurrenceKey>` for a campaign's send. */
  group?: string;
}

const contactIds = (contact: ContactRef) => ({
  channel: contact.channel,
  accountId: contact.accountId,
  userId: contact.userId,
  contactPath: contactPath(contact),
});

/** The event of a milestone, for those a shop is told about (delivered, read, clicked); undefined for the others. */
export const messageEvent = (milestone: Milestone, sent: SentMessage, at: number): BusinessBusEvent | undefined => {
  const detailType = MESSAGE_EVENT_OF[milestone];
  if (detailType === undefined) return undefined;
  const split = sent.group?.indexOf('#') ?? -1;
  const detail: MessageEventDetail = {
    ...contactIds(sent.intent),
    outboxId: sent.outboxId,
    ...(sent.messageId === undefined ? {} : { messageId: sent.messageId }),
    ...(sent.group === undefined || split < 1 ? {} : { campaignId: sent.group.slice(0, split), occurrenceKey: sent.group.slice(split + 1) }),
    at: new Date(at).toISOString(),
    eventKey: `${sent.outboxId}#${milestone}`,
  };
  return { detailType, detail: { ...detail } };
};

const consentEvent = (optedOut: boolean, detail: Omit<ConsentEventDetail, 'at'> & { at: number }): BusinessBusEvent => ({
  detailType: optedOut ? CONTACT_OPTED_OUT : CONTACT_OPTED_IN,
  detail: { ...detail, at: new Date(detail.at).toISOString() },
});

/**
 * A consent change Meta's webhook reported: WhatsApp `user_preferences` (marketing stop / resume), a
 * Messenger or Instagram marketing-message opt-in, stop or resume (`messaging_optins`). Undefined for
 * every other event.
 */
export const webhookConsentEvent = (event: WebhookEvent): BusinessBusEvent | undefined => {
  if (event.type === 'marketing_preference') {
    return consentEvent(event.value === 'stop', { ...contactIds(event.contact), scope: 'marketing', source: 'user_preferences', at: event.occurredAt, eventKey: event.eventKey });
  }
  if (event.type === 'opt_in') {
    return consentEvent(event.change === 'stop', {
      ...contactIds(event.contact),
      scope: 'topic',
      source: 'messaging_optins',
      ...(event.title === undefined ? {} : { topic: event.title.slice(0, 200) }),
      at: event.occurredAt,
      eventKey: event.eventKey,
    });
  }
  return undefined;
};

/** A STOP or START keyword that changed the person's marketing consent. */
export const keywordConsentEvent = (inbound: { contact: ContactRef; occurredAt: number; eventKey: string }, match: Pick<KeywordMatch, 'action' | 'keyword'>): BusinessBusEvent =>
  consentEvent(match.action === 'stop', {
    ...contactIds(inbound.contact),
    scope: 'marketing',
    source: 'keyword',
    keyword: match.keyword.slice(0, 64),
    at: inbound.occurredAt,
    eventKey: inbound.eventKey,
  });
