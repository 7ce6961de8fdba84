import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountRef } from '../../domain/events';
import type { Clock } from '../../domain/clock';
import type { Account, AccountRegistry } from '../../ports/account-registry';
import { AccountSchema } from '../../schemas/account';
import { ACCOUNTS_PK, accountSk } from './keys';
import { queryPartition } from './requests';

/** Accounts are few and read on every webhook, so the list is cached per Lambda instance. */
const CACHE_MS = 60_000;

export class DynamoDbAccountRegistry implements AccountRegistry {
  private cache?: { at: number; accounts: Account[] };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<Account[]> {
    const now = this.clock();
    if (this.cache && now - this.cache.at < CACHE_MS) return this.cache.accounts;
    const accounts: Account[] = [];
    for (const item of await queryPartition(this.client, this.tableName, ACCOUNTS_PK)) {
      const parsed = AccountSchema.safeParse(item);
      if (parsed.success) accounts.push(parsed.data);
    }
    this.cache = { at: now, accounts };
    return accounts;
  }

  async get(account: AccountRef): Promise<Account | undefined> {
    return (await this.list()).find((a) => a.channel === account.channel && a.accountId === account.accountId);
  }

  async put(account: Account): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: ACCOUNTS_PK, sk: accountSk(account), entity: 'account', ...account } }),
    );
    this.cache = undefined;
  }

  async remove(account: AccountRef): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: ACCOUNTS_PK, sk: accountSk(account) }, ReturnValues: 'ALL_OLD' }),
    );
    this.cache = undefined;
    return Attributes !== undefined;
  }
}
