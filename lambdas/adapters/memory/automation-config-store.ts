import type { Clock } from '../../domain/clock';
import type { AccountRef } from '../../domain/events';
import type { AutomationConfigStore, StoredAutomationConfig } from '../../ports/automation-config-store';
import type { AutomationConfig } from '../../schemas/automation-config';

/**
 * Automation configurations in memory, for unit tests: the DynamoDB adapter's twin (the shared
 * contract suite in test/contract runs against both). Nothing is cached, so every put shows at once.
 */
export class InMemoryAutomationConfigStore implements AutomationConfigStore {
  private readonly configs = new Map<string, StoredAutomationConfig>();

  constructor(private readonly clock: Clock) {}

  async get(account: AccountRef): Promise<AutomationConfig | undefined> {
    return (await this.read(account))?.config;
  }

  read(account: AccountRef): Promise<StoredAutomationConfig | undefined> {
    const stored = this.configs.get(keyOf(account));
    return Promise.resolve(stored === undefined ? undefined : structuredClone(stored));
  }

  put(account: AccountRef, config: AutomationConfig): Promise<StoredAutomationConfig> {
    const stored = { config: structuredClone(config), updatedAt: this.clock() };
    this.configs.set(keyOf(account), stored);
    return Promise.resolve(structuredClone(stored));
  }
}

const keyOf = (account: AccountRef): string => `${account.channel}#${account.accountId}`;
