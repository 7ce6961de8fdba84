import { addToTallies, type AutomatedSendUsage, type UsageTally } from '../../domain/automation/usage';
import type { AccountRef } from '../../domain/events';
import type { AutomationUsageStore } from '../../ports/automation-usage-store';

const accountKey = (a: AccountRef): string => `${a.channel}#${a.accountId}`;

/** Automated sends in memory, with the DynamoDB adapter's rules (the contract suite in test/contract runs against both). */
export class InMemoryAutomationUsageStore implements AutomationUsageStore {
  private readonly sends = new Map<string, AutomatedSendUsage>();

  record(send: AutomatedSendUsage): Promise<boolean> {
    const key = `${accountKey(send.account)}#${send.day}#${send.rule}#${send.outboxId}`;
    if (this.sends.has(key)) return Promise.resolve(false);
    this.sends.set(key, structuredClone(send));
    return Promise.resolve(true);
  }

  tally(account: AccountRef, fromDay: string, toDay: string): Promise<UsageTally[]> {
    const tallies = new Map<string, UsageTally>();
    for (const send of this.sends.values()) {
      if (accountKey(send.account) === accountKey(account) && send.day >= fromDay && send.day <= toDay) addToTallies(tallies, send);
    }
    return Promise.resolve([...tallies.values()]);
  }
}
