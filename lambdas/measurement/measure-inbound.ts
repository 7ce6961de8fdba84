import type { AutomationInbound } from '../domain/automation/keyword-opt-out';
import type { TurnEvent } from '../domain/measurement/conversation-turns';
import { inboundGrowthCounters } from '../domain/measurement/inbound-growth';
import type { RegisterWrite } from '../domain/state-writes';
import { countGrowthEvent, type MeasurementDeps, noteConversationEvent } from './note-conversation';

/**
 * What automation's consumer measures of one handed-off event (README "Responsiveness", "Audience
 * growth"): a person's message opens or joins a conversation turn, a human's reply from another tool
 * (an echo automation's handoff takes for one: hand-off.ts) answers it, and the keyword or consent
 * the rules wrote moves the growth counters. Events on standby are the thread holder's conversation,
 * whose replies reach afterchat only on standby, where a person can't be told from another app: they
 * open no turn.
 */
export const measureInbound = async (
  deps: MeasurementDeps,
  inbound: AutomationInbound,
  before: { state: Record<string, unknown>; writes: readonly RegisterWrite[] },
  timeZone: string,
): Promise<void> => {
  if (inbound.standby === true) return;
  const event: TurnEvent = { kind: inbound.kind === 'echo' ? 'reply' : 'in', at: inbound.occurredAt, eventKey: inbound.eventKey };
  await noteConversationEvent(deps, inbound.contact, event, timeZone);
  if (inbound.kind === 'echo') return;
  const account = { channel: inbound.contact.channel, accountId: inbound.contact.accountId };
  for (const counter of inboundGrowthCounters(inbound, before.state, before.writes)) {
    await countGrowthEvent(deps.counters, account, { eventKey: inbound.eventKey, at: inbound.occurredAt, counter }, timeZone);
  }
};
