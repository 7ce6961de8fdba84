import { planConsent } from '../consent/consent-capture';
import { optInRequestSend, saysOneOf } from './opt-in-request';
import type { AutomationRule } from './rule';

/**
 * Opt-in requests (README "Automation"). Messenger and Instagram: one of the account's words asks
 * for the marketing-message opt-in request, which the policy engine lets through or refuses with
 * its reason. WhatsApp: the consent button or word records a consent with its provenance and
 * confirms once. An event an earlier rule handled (STOP, START, a handoff word) is not one of these.
 */
export const optInRequestRule: AutomationRule = ({ inbound, state, config, silenced, handled }) => {
  const section = config.optInRequest;
  // The business's own message (an echo) is never the person's consent or request.
  if (handled || !section || inbound.kind === 'echo') return undefined;
  if (inbound.contact.channel === 'whatsapp') {
    if (!section.whatsapp?.enabled) return undefined;
    const plan = planConsent(inbound, section.whatsapp, state, { silenced, defaultLanguage: config.defaultLanguage });
    if (!plan) return undefined;
    return { rule: 'opt_in_request', writes: plan.writes, ...(plan.confirmation ? { send: plan.confirmation } : {}), handled: true };
  }
  const messenger = section.messenger;
  if (!messenger?.enabled || !saysOneOf(inbound.text, messenger.keywords)) return undefined;
  // Whoever holds the conversation asks for subscriptions there; the word is theirs to answer.
  if (silenced || inbound.standby === true) return { rule: 'opt_in_request', writes: [], handled: true };
  return { rule: 'opt_in_request', writes: [], send: optInRequestSend(inbound.contact, messenger, inbound.eventKey), handled: true };
};
