import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../domain/clock';
import type { AccountRef } from '../../domain/events';
import type { AutomationConfigStore, StoredAutomationConfig } from '../../ports/automation-config-store';
import { type AutomationConfig, AutomationConfigSchema } from '../../schemas/automation-config';
import { automationConfigKey } from './keys';

/** How long an automation instance trusts a configuration it read: an admin change shows within it. */
const CACHE_MS = 60_000;

/** One item per account beside its policy (`A#<channel>#<accountId>` / `AUTOMATION`). */
export class DynamoDbAutomationConfigStore implements AutomationConfigStore {
  private readonly cache = new Map<string, { at: number; config: AutomationConfig | undefined }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async get(account: AccountRef): Promise<AutomationConfig | undefined> {
    const now = this.clock();
    const cached = this.cache.get(cacheKey(account));
    if (cached && now - cached.at < CACHE_MS) return cached.config;
    const stored = await this.load(account, false);
    this.cache.set(cacheKey(account), { at: now, config: stored?.config });
    return stored?.config;
  }

  /** Strongly consistent: the admin API shows a put made a moment ago on another instance. */
  read(account: AccountRef): Promise<StoredAutomationConfig | undefined> {
    return this.load(account, true);
  }

  async put(account: AccountRef, config: AutomationConfig): Promise<StoredAutomationConfig> {
    const stored = { config, updatedAt: this.clock() };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...automationConfigKey(account), entity: 'automation_config', ...stored } }));
    this.cache.delete(cacheKey(account));
    return stored;
  }

  private async load(account: AccountRef, consistent: boolean): Promise<StoredAutomationConfig | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: automationConfigKey(account), ConsistentRead: consistent }));
    if (Item === undefined) return undefined;
    // Stored through the schema; a stored item the schema no longer accepts is a bug to see, not to skip.
    return { config: AutomationConfigSchema.parse(Item.config), updatedAt: Number(Item.updatedAt) };
  }
}

const cacheKey = (account: AccountRef): string => `${account.channel}#${account.accountId}`;
