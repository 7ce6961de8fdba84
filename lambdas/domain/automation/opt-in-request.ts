import type { ContactRef } from '../events';
import type { SendIntent } from '../send/send-intent';
import type { MessengerOptInRequest } from '../../schemas/automation-config';
import { automationIdempotencyKey } from './keyword-opt-out';
import { keywordForm } from './keywords';
import type { AutomatedSend } from './rule';

/** Whether a message is one of an account's words: the whole message, folded as STOP is (keywords.ts). */
export const saysOneOf = (text: string | undefined, words: readonly string[]): boolean => {
  if (text === undefined || words.length === 0) return false;
  const form = keywordForm(text);
  return words.some((word) => keywordForm(word) === form);
};

/**
 * Messenger's or Instagram's marketing-message opt-in request for a person, keyed by what caused it
 * (an inbound event's key, or a business event's send key), so a redelivered cause finds its job.
 * It goes to the send queue like any send: the policy engine refuses it outside the window
 * (`opt_in_request_outside_window`) or within the title's week (`opt_in_request_too_soon`), and the
 * refusal stays on the send record.
 */
export const optInRequestSend = (contact: ContactRef, config: MessengerOptInRequest, causeKey: string): AutomatedSend => {
  const intent: SendIntent = {
    channel: contact.channel,
    accountId: contact.accountId,
    userId: contact.userId,
    kind: 'opt_in_request',
    author: 'bot',
    content: { type: 'opt_in_request', title: config.title, payload: config.payload, ...(config.imageUrl ? { imageUrl: config.imageUrl } : {}) },
  };
  return { intent, idempotencyKey: automationIdempotencyKey('opt_in_request', causeKey) };
};
