import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../domain/clock';
import type { AccountRef } from '../../domain/events';
import type { AutomationConfigStore } from '../../ports/automation-config-store';
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
    const id = `${account.channel}#${account.accountId}`;
    const now = this.clock();
    const cached = this.cache.get(id);
    if (cached && now - cached.at < CACHE_MS) return cached.config;
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: automationConfigKey(account) }));
    // Stored through the schema; a stored item the schema no longer accepts is a bug to see, not to skip.
    const config = Item === undefined ? undefined : AutomationConfigSchema.parse(Item.config);
    this.cache.set(id, { at: now, config });
    return config;
  }

  async put(account: AccountRef, config: AutomationConfig): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...automationConfigKey(account), entity: 'automation_config', config, updatedAt: this.clock() } }),
    );
    this.cache.delete(`${account.channel}#${account.accountId}`);
  }
}
