/**
 * The AuditLog contract: what the admin API's audit trail and `GET /admin/audit` rely on. Run against
 * the DynamoDB adapter on dynalite (integration project) and the in-memory adapter (unit project).
 *
 * Port level only: no keys. Subjects are made with a retention of 30 days, and each test writes
 * entries at times of its own (a distinct year), so a subject may share one table.
 */
import { randomUUID } from 'node:crypto';
import { type AuditEntry, auditId } from '../../lambdas/domain/audit/audit-entry';
import { type AuditLog, InvalidAuditCursor, type StoredAuditEntry } from '../../lambdas/ports/audit-log';

export const CONTRACT_AUDIT_RETENTION_DAYS = 30;
const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

export const describeAuditLogContract = (name: string, makeLog: () => AuditLog | Promise<AuditLog>): void => {
  describe(`AuditLog contract: ${name}`, () => {
    let log: AuditLog;
    let year = 2030;
    let T0: number;
    beforeEach(async () => {
      log = await makeLog();
      // Every test in a year of its own, so tests sharing a table never list each other's entries.
      year += 1;
      T0 = Date.UTC(year, 4, 17, 12);
    });

    const entry = (at: number, changes: Partial<AuditEntry> = {}): AuditEntry => ({
      id: auditId(at, randomUUID()),
      at,
      principal: 'arn:aws:iam::123456789012:user/operator',
      callerId: 'AIDAEXAMPLE',
      callerAccount: '123456789012',
      action: 'PUT /admin/accounts/{channel}/{accountId}',
      target: { channel: 'whatsapp', accountId: '106540352242922' },
      requestId: 'req-1',
      ...changes,
    });

    /** Every entry of the range, page after page. */
    const listAll = async (query: { from?: number; to: number; limit: number; now: number }): Promise<{ entries: StoredAuditEntry[]; pages: number }> => {
      const entries: StoredAuditEntry[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await log.list({ ...query, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.entries.length).toBeLessThanOrEqual(query.limit);
        entries.push(...page.entries);
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== undefined && pages < 100);
      return { entries, pages };
    };

    it('records an entry without a status, with its expiry the retention after its time, and settles it with the status', async () => {
      const written = entry(T0);
      await log.append(written);

      const listed = await log.list({ to: T0, limit: 10, now: T0 });
      expect(listed.entries).toEqual([{ ...written, expiresAt: T0 + CONTRACT_AUDIT_RETENTION_DAYS * DAY }]);

      await log.settle(written, { status: 202, at: T0 + 150 });
      expect((await log.list({ to: T0 + 1000, limit: 10, now: T0 + 1000 })).entries).toEqual([
        { ...written, status: 202, finishedAt: T0 + 150, expiresAt: T0 + CONTRACT_AUDIT_RETENTION_DAYS * DAY },
      ]);
    });

    it('keeps an entry of its own for each of two requests in the same millisecond, and refuses to record one id twice', async () => {
      const first = entry(T0);
      const second = entry(T0, { action: 'DELETE /admin/campaigns/{campaignId}', target: { campaignId: 'weekly-deals' } });
      await Promise.all([log.append(first), log.append(second)]);

      await expect(log.append({ ...first, action: 'POST /admin/sends' })).rejects.toThrow();

      const { entries } = await listAll({ to: T0, limit: 10, now: T0 });
      expect(entries.map((e) => e.id).sort()).toEqual([first.id, second.id].sort());
      expect(entries.find((e) => e.id === first.id)?.action).toBe('PUT /admin/accounts/{channel}/{accountId}');
    });

    it('refuses to settle an entry it never recorded', async () => {
      await expect(log.settle(entry(T0), { status: 200, at: T0 })).rejects.toThrow();
      expect((await log.list({ to: T0, limit: 10, now: T0 })).entries).toEqual([]);
    });

    it('lists newest first across days, in pages of at most `limit`, every entry exactly once', async () => {
      // 23 entries over five days, 7 hours apart, written out of order.
      const times = Array.from({ length: 23 }, (_, i) => T0 + i * 7 * HOUR);
      const shuffled = [...times].sort((a, b) => ((a * 7919) % 23) - ((b * 7919) % 23));
      const written = new Map<number, AuditEntry>();
      for (const at of shuffled) {
        const e = entry(at);
        written.set(at, e);
        await log.append(e);
      }
      const now = (times.at(-1) as number) + HOUR;

      const { entries, pages } = await listAll({ to: now, limit: 5, now });

      expect(entries.map((e) => e.at)).toEqual([...times].reverse());
      expect(new Set(entries.map((e) => e.id)).size).toBe(23);
      expect(pages).toBeGreaterThanOrEqual(5);
      expect(entries[0]).toEqual({ ...written.get(times.at(-1) as number), expiresAt: (times.at(-1) as number) + CONTRACT_AUDIT_RETENTION_DAYS * DAY });
    });

    it('lists only entries from `from` to `to`, both included', async () => {
      const times = [T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY, T0 + 4 * DAY];
      for (const at of times) await log.append(entry(at));
      const now = T0 + 5 * DAY;

      const { entries } = await listAll({ from: T0 + DAY, to: T0 + 3 * DAY, limit: 2, now });

      expect(entries.map((e) => e.at)).toEqual([T0 + 3 * DAY, T0 + 2 * DAY, T0 + DAY]);
      expect((await listAll({ to: T0 + DAY - 1, limit: 10, now })).entries.map((e) => e.at)).toEqual([T0]);
    });

    it('lists no entry past its expiry, though storage may still hold it', async () => {
      await log.append(entry(T0));
      await log.append(entry(T0 + 2 * DAY));
      const now = T0 + CONTRACT_AUDIT_RETENTION_DAYS * DAY + DAY;

      const { entries } = await listAll({ from: T0 - DAY, to: now, limit: 10, now });

      expect(entries.map((e) => e.at)).toEqual([T0 + 2 * DAY]);
    });

    it('refuses a cursor it did not hand out', async () => {
      await log.append(entry(T0));
      for (const cursor of ['not-a-cursor', Buffer.from('{"d":"x"}').toString('base64url'), Buffer.from('mem').toString('base64url')]) {
        await expect(log.list({ to: T0, limit: 10, now: T0, cursor })).rejects.toBeInstanceOf(InvalidAuditCursor);
      }
    });
  });
};
