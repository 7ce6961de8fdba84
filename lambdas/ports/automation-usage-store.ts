import type { AutomatedSendUsage, UsageTally } from '../domain/automation/usage';
import type { AccountRef } from '../domain/events';

/** What automation sent per account and day (README "Automation", cost). */
export interface AutomationUsageStore {
  /**
   * Counts one automated send, once however often it is recorded: true when this call counted it,
   * false when it was counted before. The send's rule and day are the same on every recording of
   * one job: the rule from its idempotency key, the day from the cause's time (the inbound event's,
   * or the outbox job's creation for a business event), read in the account's zone.
   */
  record(send: AutomatedSendUsage): Promise<boolean>;
  /** The account's sends on its local days `fromDay`..`toDay` (inclusive), tallied; in no particular order. */
  tally(account: AccountRef, fromDay: string, toDay: string): Promise<UsageTally[]>;
}
