import { orderOf } from '../state-writes';
import { handoffLive, handoffOf, handoffRequested, handoffWrite, type HandoffStart } from './handoff';
import { matchHandoff } from './handoff-keywords';
import { acknowledgementIn } from './handoff-texts';
import { automationIdempotencyKey } from './keyword-opt-out';
import type { AutomationRule, AutomationSituation, RulePlan } from './rule';
import { threadMoveOf, threadMoveWrite, threadPassedAway, threadRouted } from './thread-move';

/**
 * The person asks for a human (a handoff word, or the `AFTERCHAT_HUMAN` payload), or the business
 * answered them from another tool (an echo): automation goes quiet for `handoff.timeoutHours`.
 *
 * A request that starts a handoff is announced on the business bus and, unless someone else holds
 * the thread, acknowledged once; one while a handoff is live only moves its timeout. An echo is a
 * human already in the conversation: it pauses automation silently (no acknowledgement, and no bus
 * event, which would page a team about a conversation one of them is answering). A redelivered event
 * repeats what its first delivery decided (the register keeps it), under the same outbox key.
 *
 * Where the account routes the thread to another app, a handoff that acknowledges passes it there
 * once the acknowledgement is done with: Meta lets only the thread's holder send, so the pass rides on
 * the acknowledgement's job and the sender makes it (`afterSend`), once per job, so a redelivered
 * request passes nothing twice. The `threadMove` register records the pass now: a take before the
 * sender got to it cancels it. The person's first message after the handoff ended that still comes on
 * standby (the other app holds the thread) takes it back (takeBackPlan).
 */
export const handoffRule: AutomationRule = (situation) => {
  const { inbound } = situation;
  if (inbound.kind === 'echo') return echoPlan(situation);
  const match = matchHandoff(inbound, situation.config);
  if (!match) return takeBackPlan(situation);
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
  const target = acknowledged && threadRouted(situation.config, inbound.contact.channel) ? situation.config.handoff.threadControl?.targetAppId : undefined;
  const text = acknowledgementIn(match.language, situation.config.defaultLanguage, situation.config.handoff.texts);
  return {
    ...plan,
    ...(target === undefined ? {} : { writes: [...plan.writes, threadMoveWrite(inbound.contact, 'pass', inbound.occurredAt, inbound.eventKey)] }),
    ...(acknowledged
      ? {
          send: {
            intent: { channel: inbound.contact.channel, accountId: inbound.contact.accountId, userId: inbound.contact.userId, kind: 'reply', author: 'bot', content: { type: 'text', text } },
            idempotencyKey: automationIdempotencyKey('handoff', inbound.eventKey),
            ...(target === undefined ? {} : { afterSend: { passThreadTo: target, eventKey: inbound.eventKey } }),
          },
        }
      : {}),
    ...(started ? { busEvents: [handoffRequested(start)] } : {}),
  };
};

/**
 * The handoff is over (timed out, resumed, or the thread came back) but the thread afterchat passed
 * is still with the other app: Meta delivers the person's message on standby, and nothing would ever
 * answer them again. The first such message takes the thread back, once (the register records the
 * take before the call). That message itself stays unanswered: it came on standby, so silence holds
 * for it and the other app may have answered it; the person's next message reaches afterchat on the
 * main field and automation answers it. A redelivery of the message that took repeats the take.
 */
const takeBackPlan = ({ inbound, state, config }: AutomationSituation): RulePlan | undefined => {
  if (!threadRouted(config, inbound.contact.channel)) return undefined;
  const move = threadMoveOf(state);
  const redelivered = move?.action === 'take' && move.eventKey === inbound.eventKey;
  const due =
    inbound.standby === true && move !== undefined && inbound.occurredAt > move.at && threadPassedAway(state) && !handoffLive(handoffOf(state), inbound.occurredAt);
  if (!redelivered && !due) return undefined;
  return { rule: 'handoff', writes: [threadMoveWrite(inbound.contact, 'take', inbound.occurredAt, inbound.eventKey)], threadControl: 'take', handled: false };
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
