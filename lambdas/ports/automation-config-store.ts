import type { AccountRef } from '../domain/events';
import type { AutomationConfig } from '../schemas/automation-config';

/** A stored configuration and when it was last written (who wrote it is the admin API's audit log). */
export interface StoredAutomationConfig {
  config: AutomationConfig;
  /** Epoch ms of the put, on the store's clock. */
  updatedAt: number;
}

/**
 * Each account's automation configuration (README "Automation"). Contract suite:
 * test/contract/automation-config-store.contract.ts, run against every adapter.
 */
export interface AutomationConfigStore {
  /**
   * The configuration automation acts on, or undefined when the account never configured it. An
   * adapter may cache it for a minute; a put on the same instance shows at once.
   */
  get(account: AccountRef): Promise<AutomationConfig | undefined>;
  /** The stored configuration with its time, read now (never cached): what the admin API shows. */
  read(account: AccountRef): Promise<StoredAutomationConfig | undefined>;
  /** Replaces the account's configuration. */
  put(account: AccountRef, config: AutomationConfig): Promise<StoredAutomationConfig>;
}
