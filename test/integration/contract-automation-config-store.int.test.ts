/**
 * Interface under test: the AutomationConfigStore port, on the DynamoDB adapter against dynalite;
 * then what only that adapter does: each instance caches what automation reads for a minute, while
 * the admin API's read is never cached.
 */
import { DynamoDbAutomationConfigStore } from '../../lambdas/adapters/dynamodb/automation-config-store';
import type { AccountRef } from '../../lambdas/domain/events';
import { AutomationConfigSchema } from '../../lambdas/schemas/automation-config';
import { describeAutomationConfigStoreContract } from '../contract/automation-config-store.contract';
import { type ContractTable, freshStateTable } from '../contract/dynalite-table';

const tables: ContractTable[] = [];

afterAll(() => tables.forEach((t) => t.close()));

describeAutomationConfigStoreContract('DynamoDbAutomationConfigStore on dynalite', async (clock) => {
  const table = await freshStateTable('contract-automation-config');
  tables.push(table);
  return new DynamoDbAutomationConfigStore(table.client, table.tableName, clock);
});

describe('DynamoDbAutomationConfigStore across instances', () => {
  const SHOP: AccountRef = { channel: 'whatsapp', accountId: '109876543210987' };
  const GREETING = AutomationConfigSchema.parse({ greeting: { texts: { en: 'Hi {firstName}!' } } });
  const AWAY = AutomationConfigSchema.parse({ away: { texts: { en: 'We are closed.' } } });

  it("shows another instance's put to automation within a minute, and to the admin API's read at once", async () => {
    const table = await freshStateTable('automation-config-cache');
    tables.push(table);
    const now = { value: Date.UTC(2026, 11, 6, 9) };
    const automation = new DynamoDbAutomationConfigStore(table.client, table.tableName, () => now.value);
    const admin = new DynamoDbAutomationConfigStore(table.client, table.tableName, () => now.value);
    await admin.put(SHOP, GREETING);
    expect(await automation.get(SHOP)).toEqual(GREETING);

    now.value += 1000;
    await admin.put(SHOP, AWAY);
    expect(await automation.get(SHOP)).toEqual(GREETING);
    expect((await automation.read(SHOP))?.config).toEqual(AWAY);

    now.value += 59_000;
    expect(await automation.get(SHOP)).toEqual(AWAY);
  });
});
