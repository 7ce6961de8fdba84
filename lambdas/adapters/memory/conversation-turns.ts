import type { ContactRef } from '../../domain/events';
import type { TurnLog } from '../../domain/measurement/conversation-turns';
import type { ConversationTurnStore } from '../../ports/conversation-turns';

/** Turn logs in memory, with the DynamoDB adapter's rules. */
export class InMemoryConversationTurns implements ConversationTurnStore {
  private readonly logs = new Map<string, TurnLog>();

  read(contact: ContactRef): Promise<TurnLog | undefined> {
    const log = this.logs.get(keyOf(contact));
    return Promise.resolve(log && structuredClone(log));
  }

  write(contact: ContactRef, log: TurnLog, expectedVersion: number): Promise<boolean> {
    const stored = this.logs.get(keyOf(contact));
    if ((stored?.version ?? 0) !== expectedVersion) return Promise.resolve(false);
    this.logs.set(keyOf(contact), structuredClone(log));
    return Promise.resolve(true);
  }

  /** Erasure: the person's log goes with them. */
  erase(contact: ContactRef): void {
    this.logs.delete(keyOf(contact));
  }
}

const keyOf = (c: ContactRef): string => `${c.channel}#${c.accountId}#${c.userId}`;
