import type { AccountRef } from '../domain/events';
import type { AutomationConfig } from '../schemas/automation-config';

/** Each account's automation configuration (README "Automation"). */
export interface AutomationConfigStore {
  /** The stored configuration, or undefined when the account never configured automation. */
  get(account: AccountRef): Promise<AutomationConfig | undefined>;
  put(account: AccountRef, config: AutomationConfig): Promise<void>;
}
