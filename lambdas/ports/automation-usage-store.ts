import type { AutomatedSendUsage, UsageTally } from '../domain/automation/usage';
import type { AccountRef } from '../domain/events';

/** What automation sent per account and day (README "Automation", cost). */
export interface AutomationUsageStore {
  /**
   * Counts one automated send, once however often it is recorded: true when this call counted it,
   * false when it was counted before. The send's day and rule derive from its outbox job (its
   * creation time and idempotency key), so every recording of one job names the same ones.
   */
  record(send: AutomatedSendUsage): Promise<boolean>;
  /** The account's sends on its local days `fromDay`..`toDay` (inclusive), tallied; in no particular order. */
  tally(account: AccountRef, fromDay: string, toDay: string): Promise<UsageTally[]>;
}
