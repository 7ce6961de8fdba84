/**
 * The AutomationUsageStore contract: what the cost report relies on. Run against the DynamoDB
 * adapter on dynalite (integration project) and the in-memory adapter (unit project). Each test uses
 * an account of its own, so a subject may share one table.
 */
import type { AutomatedSendUsage } from '../../lambdas/domain/automation/usage';
import type { AccountRef } from '../../lambdas/domain/events';
import type { AutomationUsageStore } from '../../lambdas/ports/automation-usage-store';

const byKey = <T extends { day: string; rule: string; market: string; pricing: string | null }>(tallies: T[]): T[] =>
  [...tallies].sort((a, b) => `${a.day}${a.rule}${a.pricing}${a.market}`.localeCompare(`${b.day}${b.rule}${b.pricing}${b.market}`));

export const describeAutomationUsageStoreContract = (name: string, makeStore: () => AutomationUsageStore | Promise<AutomationUsageStore>): void => {
  describe(`AutomationUsageStore contract: ${name}`, () => {
    let store: AutomationUsageStore;
    let account: AccountRef;
    let n = 0;
    beforeEach(async () => {
      store = await makeStore();
      account = { channel: 'whatsapp', accountId: String(100_000_000_000_000 + Math.floor(Math.random() * 1e14)) };
    });

    const send = (over: Partial<AutomatedSendUsage> = {}): AutomatedSendUsage => {
      n += 1;
      return { account, day: '2026-12-06', rule: 'keyword', outboxId: `ob_${String(n).padStart(24, 'x')}`, pricing: 'service', market: 'DE', ...over };
    };

    it('counts a send once however often it is recorded', async () => {
      const once = send();

      expect(await store.record(once)).toBe(true);
      expect(await store.record(once)).toBe(false);
      expect(await store.record({ ...once })).toBe(false);

      expect(await store.tally(account, '2026-12-06', '2026-12-06')).toEqual([{ day: '2026-12-06', rule: 'keyword', pricing: 'service', market: 'DE', count: 1 }]);
    });

    it('tallies by day, rule, pricing and market, refused sends apart (pricing null)', async () => {
      for (const s of [
        send(),
        send(),
        send({ market: 'NL' }),
        send({ rule: 'greeting' }),
        send({ rule: 'greeting', pricing: null }),
        send({ day: '2026-12-07', pricing: 'free' }),
      ]) {
        await store.record(s);
      }

      expect(byKey(await store.tally(account, '2026-12-06', '2026-12-07'))).toEqual(
        byKey([
          { day: '2026-12-06', rule: 'keyword', pricing: 'service', market: 'DE', count: 2 },
          { day: '2026-12-06', rule: 'keyword', pricing: 'service', market: 'NL', count: 1 },
          { day: '2026-12-06', rule: 'greeting', pricing: 'service', market: 'DE', count: 1 },
          { day: '2026-12-06', rule: 'greeting', pricing: null, market: 'DE', count: 1 },
          { day: '2026-12-07', rule: 'keyword', pricing: 'free', market: 'DE', count: 1 },
        ]),
      );
    });

    it('answers only the days asked, both ends included, and only the account asked', async () => {
      for (const day of ['2026-11-30', '2026-12-01', '2026-12-15', '2026-12-31', '2027-01-01']) await store.record(send({ day }));
      await store.record(send({ day: '2026-12-10', account: { channel: 'whatsapp', accountId: String(Number(account.accountId) + 1) } }));
      await store.record(send({ day: '2026-12-10', account: { channel: 'messenger', accountId: account.accountId } }));

      const days = (await store.tally(account, '2026-12-01', '2026-12-31')).map((t) => t.day).sort();

      expect(days).toEqual(['2026-12-01', '2026-12-15', '2026-12-31']);
      expect(await store.tally(account, '2026-12-02', '2026-12-14')).toEqual([]);
    });

    it('counts each of many sends of one day', async () => {
      const sends = Array.from({ length: 60 }, () => send());
      await Promise.all(sends.map((s) => store.record(s)));
      await Promise.all(sends.slice(0, 20).map((s) => store.record(s)));

      expect(await store.tally(account, '2026-12-06', '2026-12-06')).toEqual([{ day: '2026-12-06', rule: 'keyword', pricing: 'service', market: 'DE', count: 60 }]);
    });
  });
};
