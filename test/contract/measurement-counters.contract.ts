/**
 * The MeasurementCounters and ConversationTurnStore contracts: what responsiveness and growth rely
 * on. Run against the DynamoDB adapters on dynalite (integration project) and the in-memory ones
 * (unit project). Each test uses an account of its own, so a subject may share one table.
 */
import type { AccountRef } from '../../lambdas/domain/events';
import { emptyTurnLog, noteTurnEvent } from '../../lambdas/domain/measurement/conversation-turns';
import type { ConversationTurnStore } from '../../lambdas/ports/conversation-turns';
import type { MeasurementCounters } from '../../lambdas/ports/measurement-counters';

export const describeMeasurementContract = (name: string, make: () => { counters: MeasurementCounters; turns: ConversationTurnStore } | Promise<{ counters: MeasurementCounters; turns: ConversationTurnStore }>): void => {
  describe(`measurement storage contract: ${name}`, () => {
    let counters: MeasurementCounters;
    let turns: ConversationTurnStore;
    let account: AccountRef;
    beforeEach(async () => {
      ({ counters, turns } = await make());
      account = { channel: 'whatsapp', accountId: String(100_000_000_000_000 + Math.floor(Math.random() * 1e14)) };
    });

    it('adds a contribution once however often it is offered, negative deltas included', async () => {
      expect(await counters.add(account, { key: 'k1', day: '2026-12-06', deltas: { opened: 1, rt_30: 1 } })).toBe(true);
      expect(await counters.add(account, { key: 'k1', day: '2026-12-06', deltas: { opened: 1, rt_30: 1 } })).toBe(false);
      expect(await counters.add(account, { key: 'k2', day: '2026-12-06', deltas: { opened: -1, 'optIn_Angebote & News': 1 } })).toBe(true);

      expect(await counters.days(account, '2026-12-06', '2026-12-06')).toEqual([{ day: '2026-12-06', counts: { opened: 0, rt_30: 1, 'optIn_Angebote & News': 1 } }]);
    });

    it('sums many keys of one day over its shards, and reads only the days asked, in order', async () => {
      for (let i = 0; i < 40; i += 1) await counters.add(account, { key: `key-${i}`, day: '2026-12-05', deltas: { answered: 1, responseMs: 1500 } });
      await counters.add(account, { key: 'other-day', day: '2026-12-07', deltas: { answered: 1 } });
      await counters.add(account, { key: 'earlier', day: '2026-12-04', deltas: { answered: 1 } });

      expect(await counters.days(account, '2026-12-05', '2026-12-07')).toEqual([
        { day: '2026-12-05', counts: { answered: 40, responseMs: 60_000 } },
        { day: '2026-12-07', counts: { answered: 1 } },
      ]);
      expect(await counters.days({ ...account, channel: 'messenger' }, '2026-12-01', '2026-12-31')).toEqual([]);
    });

    it('stores a turn log under its version: a write from a stale read is refused', async () => {
      const contact = { ...account, userId: '4915100000001' };
      const first = noteTurnEvent(emptyTurnLog('salt'), { kind: 'in', at: Date.UTC(2026, 11, 6, 9), eventKey: 'e1' }, 'Europe/Berlin')!;

      expect(await turns.read(contact)).toBeUndefined();
      expect(await turns.write(contact, first, 0)).toBe(true);
      expect(await turns.write(contact, first, 0)).toBe(false);
      const second = noteTurnEvent(first, { kind: 'reply', at: Date.UTC(2026, 11, 6, 9, 5), eventKey: 'e2' }, 'Europe/Berlin')!;
      expect(await turns.write(contact, second, first.version)).toBe(true);
      expect(await turns.write(contact, { ...second, version: second.version + 1 }, first.version)).toBe(false);

      expect(await turns.read(contact)).toEqual(second);
    });
  });
};
