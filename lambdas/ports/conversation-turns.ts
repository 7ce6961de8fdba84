import type { ContactRef } from '../domain/events';
import type { TurnLog } from '../domain/measurement/conversation-turns';

/** A person's conversation-turn log (domain/measurement/conversation-turns.ts), kept with the person and erased with them. */
export interface ConversationTurnStore {
  /** The stored log, read consistently; undefined when the person has none. */
  read(contact: ContactRef): Promise<TurnLog | undefined>;
  /** Stores `log` if the stored one is still at `expectedVersion` (0: none stored); false when another write got there first. */
  write(contact: ContactRef, log: TurnLog, expectedVersion: number): Promise<boolean>;
}
