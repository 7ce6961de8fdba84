import { conversationOf, conversationStep } from './conversation';
import { automatedReply } from './automated-reply';
import type { AutomationRule } from './rule';
import { textFor } from './texts';

/**
 * The greeting, on a new conversation only (conversation.ts). Every message moves the conversation
 * register while the greeting is on, answered or not, so a message during a handoff or one a keyword
 * or the away message answered still counts as the conversation having started: the person is not
 * greeted in the middle of it later.
 */
export const greetingRule: AutomationRule = ({ inbound, state, config, silenced, handled }) => {
  const greeting = config.greeting;
  // An echo is the business writing, not the person: it neither starts nor continues their conversation.
  if (greeting?.enabled !== true || inbound.kind === 'echo') return undefined;
  const step = conversationStep(inbound, conversationOf(state), greeting.quietGapHours);
  const answers = step.starts && !silenced && !handled;
  return {
    rule: 'greeting',
    writes: [step.write],
    ...(answers ? { send: automatedReply('greeting', inbound, textFor(greeting.texts, config.defaultLanguage, state)) } : {}),
    handled: answers,
  };
};
