/**
 * The QuarantineStore contract: what the webhook's quarantine and `GET /admin/quarantine` rely on.
 * Run against the DynamoDB adapter on dynalite (integration project) and the in-memory adapter (unit
 * project). The listing is global, so each test gets a store of its own (`makeStore`).
 */
import type { QuarantineEntry, QuarantineStore } from '../../lambdas/ports/quarantine';
import { InvalidQuarantineCursor } from '../../lambdas/ports/quarantine';

const T0 = Date.UTC(2026, 4, 17, 12);
const DAY = 86_400_000;
const RETENTION_DAYS = 30;

const entry = (n: number, extra: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
  quarantineId: `q${String(n).padStart(4, '0')}-contract-entry-x`.slice(0, 24),
  reason: 'time_out_of_range',
  issues: [{ path: 'occurredAt', message: 'at most 300 s after the time of receipt' }],
  type: 'inbound',
  channel: 'messenger',
  accountId: '1234567890123456',
  userId: '6543210987654321',
  item: JSON.stringify({ type: 'inbound', n }),
  itemTruncated: false,
  ...extra,
});

export const describeQuarantineContract = (name: string, makeStore: (options: { retentionDays: number }) => Promise<QuarantineStore>): void => {
  describe(`QuarantineStore contract: ${name}`, () => {
    let store: QuarantineStore;
    beforeEach(async () => {
      store = await makeStore({ retentionDays: RETENTION_DAYS });
    });

    it('lists nothing, without a cursor, when nothing was quarantined', async () => {
      expect(await store.list({ limit: 10, now: T0 })).toEqual({ items: [] });
    });

    it('keeps an entry as it came, with its receipt time and an expiry of receipt + retention (whole seconds)', async () => {
      await store.put([entry(1)], T0 + 123);
      const { items, cursor } = await store.list({ limit: 10, now: T0 + 1000 });
      expect(cursor).toBeUndefined();
      expect(items).toEqual([{ ...entry(1), receivedAt: T0 + 123, expiresAt: T0 + RETENTION_DAYS * DAY }]);
    });

    it('keeps an entry that names no valid ids without them, and a truncated item flagged', async () => {
      const bare: QuarantineEntry = { quarantineId: 'bare-entry-000000000000', reason: 'invalid_id', issues: [], type: 'noted', item: '{"x":', itemTruncated: true };
      await store.put([bare], T0);
      expect((await store.list({ limit: 10, now: T0 })).items).toEqual([{ ...bare, receivedAt: T0, expiresAt: T0 + RETENTION_DAYS * DAY }]);
    });

    it('lists newest first, page by page, each entry exactly once', async () => {
      for (let n = 0; n < 23; n += 1) await store.put([entry(n)], T0 + n * 1000);
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit: 5, now: T0 + DAY, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.items.map((i) => i.receivedAt));
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== undefined && pages < 10);
      expect(pages).toBe(5);
      expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => T0 + (22 - i) * 1000));
    });

    it('ends without a cursor when the last page is exactly full', async () => {
      for (let n = 0; n < 4; n += 1) await store.put([entry(n)], T0 + n);
      const first = await store.list({ limit: 2, now: T0 });
      const second = await store.list({ limit: 2, now: T0, cursor: first.cursor });
      expect(first.cursor).toBeDefined();
      expect(second.items).toHaveLength(2);
      expect(second.cursor).toBeUndefined();
    });

    it('keeps one entry per item: a later delivery of the same item moves it to its new receipt time', async () => {
      await store.put([entry(1), entry(2)], T0);
      await store.put([entry(1)], T0 + 5000);
      const { items } = await store.list({ limit: 10, now: T0 + 5000 });
      expect(items.map((i) => [i.quarantineId, i.receivedAt])).toEqual([
        [entry(1).quarantineId, T0 + 5000],
        [entry(2).quarantineId, T0],
      ]);
    });

    it('no longer lists an entry once it has expired', async () => {
      await store.put([entry(1)], T0);
      await store.put([entry(2)], T0 + 10 * DAY);
      const later = await store.list({ limit: 10, now: T0 + RETENTION_DAYS * DAY + 1 });
      expect(later.items.map((i) => i.quarantineId)).toEqual([entry(2).quarantineId]);
    });

    it('refuses a cursor it did not hand out', async () => {
      await expect(store.list({ limit: 10, now: T0, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(InvalidQuarantineCursor);
    });
  });
};
