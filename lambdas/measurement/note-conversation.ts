import { randomUUID } from 'node:crypto';
import { localDate } from '../domain/campaign/local-time';
import type { AccountRef, ContactRef } from '../domain/events';
import { emptyTurnLog, noteTurnEvent, type TurnEvent, type TurnLog } from '../domain/measurement/conversation-turns';
import { growthContribution } from '../domain/measurement/audience-growth';
import type { ConversationTurnStore } from '../ports/conversation-turns';
import type { MeasurementCounters } from '../ports/measurement-counters';

export interface MeasurementDeps {
  turns: ConversationTurnStore;
  counters: MeasurementCounters;
}

/** Writers racing on one person's log retry this often before the caller's own retry (SQS, Meta, the API client) takes over. */
const ATTEMPTS = 5;

/**
 * Counts a person's message or a human reply (README "Responsiveness"): the log and the contributions
 * it causes are written together (one conditional put), then the contributions are added to the day
 * counters and cleared. A crash in between leaves them pending on the log: the person's next event,
 * or this one's redelivery, adds them (each once: counters keep their keys) before anything else.
 */
export const noteConversationEvent = async (deps: MeasurementDeps, contact: ContactRef, event: TurnEvent, timeZone: string): Promise<void> => {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const stored = (await deps.turns.read(contact)) ?? emptyTurnLog(randomUUID());
    const next = noteTurnEvent(stored, event, timeZone);
    if (next && !(await deps.turns.write(contact, next, stored.version))) continue;
    await flush(deps, contact, next ?? stored);
    return;
  }
  throw new Error('conversation turn log kept changing under this write; retry');
};

const flush = async (deps: MeasurementDeps, contact: ContactRef, log: TurnLog): Promise<void> => {
  if (log.pending.length === 0) return;
  const account: AccountRef = { channel: contact.channel, accountId: contact.accountId };
  for (const contribution of log.pending) await deps.counters.add(account, contribution);
  // Lost to a concurrent write, the contributions stay pending there and are added again: once, by key.
  await deps.turns.write(contact, { ...log, version: log.version + 1, pending: [] }, log.version);
};

/** Counts one opt-in or opt-out event once, under its event key, on the account's local day of its time. */
export const countGrowthEvent = (counters: MeasurementCounters, account: AccountRef, event: { eventKey: string; at: number; counter: string }, timeZone: string): Promise<boolean> =>
  counters.add(account, growthContribution(event.eventKey, localDate(event.at, timeZone), event.counter));
