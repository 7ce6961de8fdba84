import { automationIdempotencyKey, type AutomationInbound, KEYWORD_OPT_OUT_REGISTER, keywordOptOutOf } from '../automation/keyword-opt-out';
import type { KeywordLanguage } from '../automation/keywords';
import { saysOneOf } from '../automation/opt-in-request';
import { languageOf, textFor } from '../automation/texts';
import type { AutomatedSend } from '../automation/rule';
import type { SendIntent } from '../send/send-intent';
import { orderOf, type RegisterWrite } from '../state-writes';
import type { WhatsAppConsentConfig } from '../../schemas/automation-config';
import { CONSENT_CONFIRMATIONS } from './consent-confirmations';
import { consentOf, consentRegister, type ConsentRecord, type ConsentSource, consentWrite } from './consent-record';

export interface ConsentPlan {
  record: ConsentRecord;
  writes: RegisterWrite[];
  /** The one confirmation; absent when nothing changed for the person or someone else answers them. */
  confirmation?: AutomatedSend;
}

/** How a WhatsApp message gives consent: the business's button (its id or payload), else a configured word. */
const sourceOf = (inbound: AutomationInbound, config: WhatsAppConsentConfig): ConsentSource | undefined => {
  if (inbound.payload !== undefined && inbound.payload === config.payload) return 'whatsapp_button';
  if (saysOneOf(inbound.text, config.keywords)) return 'whatsapp_keyword';
  return undefined;
};

/**
 * A WhatsApp person's consent: the consent record with its provenance, and the keyword opt-out
 * register set back to "not opted out" at the same event order. An explicit consent is the person's
 * latest word on marketing, as START is: it wins over a STOP written before it and loses to one
 * written after it, whatever order the events are processed in (both are ordered registers).
 * Meta's own `user_preferences` stop is Meta's register and stays as Meta last said.
 *
 * It confirms once: not when the person had already consented on this topic (by another event) and
 * hadn't stopped since, not when a newer consent or keyword is already stored, and not while someone
 * else holds the conversation. A redelivery of the capturing event confirms again under the same key.
 */
export const planConsent = (
  inbound: AutomationInbound,
  config: WhatsAppConsentConfig,
  state: Record<string, unknown>,
  options: { silenced: boolean; defaultLanguage: string },
): ConsentPlan | undefined => {
  const source = sourceOf(inbound, config);
  if (!source) return undefined;
  const answer = source === 'whatsapp_button' ? config.payload : (inbound.text ?? '').trim();
  const record: ConsentRecord = {
    topic: config.topic,
    basis: 'express',
    source,
    capturedAt: inbound.occurredAt,
    textShown: config.promptText,
    answer,
    eventKey: inbound.eventKey,
  };
  const order = orderOf(inbound.occurredAt, inbound.eventKey);
  const writes: RegisterWrite[] = [
    consentWrite(inbound.contact, record, order),
    {
      target: { entity: 'contact', contact: inbound.contact },
      register: KEYWORD_OPT_OUT_REGISTER,
      order,
      wins: 'later',
      fields: { keywordOptOut: false, keywordOptOutKeyword: answer, keywordOptOutEventKey: inbound.eventKey, keywordOptOutAt: inbound.occurredAt },
    },
  ];
  const stored = consentOf(state, config.topic);
  const keyword = keywordOptOutOf(state);
  const storedOrder = state[`${consentRegister(config.topic)}Order`];
  const overtaken = (typeof storedOrder === 'string' && storedOrder > order) || (keyword?.order !== undefined && keyword.order > order);
  const already = stored !== undefined && stored.eventKey !== inbound.eventKey && keyword?.optedOut !== true;
  if (overtaken || already || options.silenced || inbound.standby === true) return { record, writes };
  const intent: SendIntent = {
    channel: inbound.contact.channel,
    accountId: inbound.contact.accountId,
    userId: inbound.contact.userId,
    kind: 'reply',
    author: 'bot',
    content: { type: 'text', text: confirmationText(config, state, options.defaultLanguage) },
  };
  return { record, writes, confirmation: { intent, idempotencyKey: automationIdempotencyKey('opt_in_request', inbound.eventKey) } };
};

/** The account's confirmation in the contact's language (texts.ts), else the built-in one in it, else English. */
const confirmationText = (config: WhatsAppConsentConfig, state: Record<string, unknown>, defaultLanguage: string): string => {
  if (config.confirmation) return textFor(config.confirmation, defaultLanguage, state);
  const attributes = state.profileAttributes;
  const locale = typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, unknown>).locale : undefined;
  const wanted = [languageOf(typeof locale === 'string' ? locale : undefined), defaultLanguage];
  return CONSENT_CONFIRMATIONS[wanted.find((l): l is KeywordLanguage => l !== undefined && l in CONSENT_CONFIRMATIONS) ?? 'en'];
};
