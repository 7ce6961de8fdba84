import { orderOf } from '../state-writes';
import { handoffLive, handoffOf, handoffRequested, handoffWrite, type HandoffStart } from './handoff';
import { matchHandoff } from './handoff-keywords';
import { acknowledgementIn } from './handoff-texts';
import { automationIdempotencyKey } from './keyword-opt-out';
import type { AutomationRule, AutomationSituation, RulePlan } from './rule';

/**
 * The person asks for a human (a handoff word, or the `AFTERCHAT_HUMAN` payload), or the business
 * answered them from another tool (an echo): automation goes quiet for `handoff.timeoutHours`.
 *
 * A request that starts a handoff is announced on the business bus and, unless someone else holds
 * the thread, acknowledged once; one while a handoff is live only moves its timeout. An echo is a
 * human already in the conversation: it pauses automation silently (no acknowledgement, and no bus
 * event, which would page a team about a conversation one of them is answering). A redelivered event
 * repeats what its first delivery decided (the register keeps it), under the same outbox key.
 */
export const handoffRule: AutomationRule = (situation) => {
  const { inbound } = situation;
  if (inbound.kind === 'echo') return echoPlan(situation);
  const match = matchHandoff(inbound, situation.config);
  if (!match) return undefined;
  const stored = handoffOf(situation.state);
  const redelivered = stored?.eventKey === inbound.eventKey;
  const overtaken = !redelivered && stored !== undefined && stored.order > orderOf(inbound.occurredAt, inbound.eventKey);
  const started = redelivered ? stored.started : !handoffLive(stored, inbound.occurredAt);
  // On standby, or while another app or Meta's agent holds the thread, the holder answers the person.
  const acknowledged = redelivered ? stored.acknowledged : started && !situation.silenced && inbound.standby !== true;
  const start: HandoffStart = {
    contact: inbound.contact,
    eventKey: inbound.eventKey,
    at: inbound.occurredAt,
    source: match.via === 'payload' ? 'payload' : 'keyword',
    timeoutHours: situation.config.handoff.timeoutHours,
    keyword: match.keyword,
    started,
    acknowledged,
  };
  const plan: RulePlan = { rule: 'handoff', writes: [handoffWrite(start)], handled: true };
  // A resume or a newer request already stored decides the state: this older event changes nothing.
  if (overtaken) return plan;
  const text = acknowledgementIn(match.language, situation.config.defaultLanguage, situation.config.handoff.texts);
  return {
    ...plan,
    ...(acknowledged
      ? {
          send: {
            intent: { channel: inbound.contact.channel, accountId: inbound.contact.accountId, userId: inbound.contact.userId, kind: 'reply', author: 'bot', content: { type: 'text', text } },
            idempotencyKey: automationIdempotencyKey('handoff', inbound.eventKey),
          },
        }
      : {}),
    ...(started ? { busEvents: [handoffRequested(start)] } : {}),
    // Where the account routes conversations to an inbox app, the thread goes there while we hold it.
    ...(acknowledged ? { threadControl: 'pass' as const } : {}),
  };
};

const echoPlan = ({ inbound, config }: AutomationSituation): RulePlan => ({
  rule: 'handoff',
  writes: [
    handoffWrite({
      contact: inbound.contact,
      eventKey: inbound.eventKey,
      at: inbound.occurredAt,
      source: 'echo',
      timeoutHours: config.handoff.timeoutHours,
      started: false,
      acknowledged: false,
    }),
  ],
  handled: true,
});
