/**
 * The AutomationConfigStore contract: what automation and the admin API's
 * `/admin/accounts/{channel}/{accountId}/automation` rely on. Run against the DynamoDB adapter on
 * dynalite (integration project) and the in-memory adapter (unit project). Each test gets a store of
 * its own on a clock it moves (`makeStore`).
 */
import type { Clock } from '../../lambdas/domain/clock';
import type { AccountRef } from '../../lambdas/domain/events';
import type { AutomationConfigStore } from '../../lambdas/ports/automation-config-store';
import { type AutomationConfig, AutomationConfigSchema } from '../../lambdas/schemas/automation-config';
import { loadEvent } from '../helpers/events';

const T0 = Date.UTC(2026, 11, 6, 9);
const SHOP: AccountRef = { channel: 'whatsapp', accountId: '109876543210987' };
const PAGE: AccountRef = { channel: 'messenger', accountId: '1234567890123456' };

/** The sample an operator starts from: every section set. */
const FULL: AutomationConfig = AutomationConfigSchema.parse(loadEvent('admin/automation-config.json'));
const GREETING_ONLY: AutomationConfig = AutomationConfigSchema.parse({ defaultLanguage: 'de', greeting: { texts: { de: 'Hallo {firstName}!' } } });

export const describeAutomationConfigStoreContract = (name: string, makeStore: (clock: Clock) => Promise<AutomationConfigStore>): void => {
  describe(`AutomationConfigStore contract: ${name}`, () => {
    const now = { value: T0 };
    let store: AutomationConfigStore;
    beforeEach(async () => {
      now.value = T0;
      store = await makeStore(() => now.value);
    });

    it('knows no configuration for an account that never stored one', async () => {
      expect(await store.get(SHOP)).toBeUndefined();
      expect(await store.read(SHOP)).toBeUndefined();
    });

    it('gives back the configuration as it was put, with the time of the put', async () => {
      now.value = T0 + 1234;
      const stored = await store.put(SHOP, FULL);
      now.value = T0 + 5000;
      expect(stored).toEqual({ config: FULL, updatedAt: T0 + 1234 });
      expect(await store.get(SHOP)).toEqual(FULL);
      expect(await store.read(SHOP)).toEqual({ config: FULL, updatedAt: T0 + 1234 });
    });

    it('replaces the whole configuration on a put: a section left out is gone', async () => {
      await store.put(SHOP, FULL);
      now.value = T0 + 60_000;
      await store.put(SHOP, GREETING_ONLY);
      expect(await store.get(SHOP)).toEqual(GREETING_ONLY);
      expect(await store.read(SHOP)).toEqual({ config: GREETING_ONLY, updatedAt: T0 + 60_000 });
      expect((await store.get(SHOP))?.businessHours).toBeUndefined();
    });

    it('keeps each account its own: another id, or the same id on another channel, sees nothing of it', async () => {
      await store.put(SHOP, FULL);
      await store.put(PAGE, GREETING_ONLY);
      expect(await store.get(SHOP)).toEqual(FULL);
      expect(await store.get(PAGE)).toEqual(GREETING_ONLY);
      expect(await store.get({ channel: 'messenger', accountId: SHOP.accountId })).toBeUndefined();
      expect(await store.get({ channel: 'whatsapp', accountId: '109876543210988' })).toBeUndefined();
    });

    it('shows a put at once to the same instance, even where it read the account a moment before', async () => {
      expect(await store.get(SHOP)).toBeUndefined();
      await store.put(SHOP, GREETING_ONLY);
      expect(await store.get(SHOP)).toEqual(GREETING_ONLY);
      await store.put(SHOP, FULL);
      expect(await store.get(SHOP)).toEqual(FULL);
    });
  });
};
