/**
 * The MarketingLedger contract: what the frequency cap across campaigns relies on. Run against the
 * DynamoDB adapter on dynalite (integration project) and the in-memory adapter (unit project).
 *
 * The port only writes; a planner reads the ledger with the contact (`read`: for DynamoDB the state
 * store's `getPerson` through `ledgerSnapshotOf`, as the dispatcher does). Each test uses a contact of
 * its own, so a subject may share one table.
 */
import { randomUUID } from 'node:crypto';
import { LEDGER_RETENTION_HOURS } from '../../lambdas/domain/campaign/frequency-cap';
import type { ContactRef } from '../../lambdas/domain/events';
import type { LedgerEntry, LedgerSnapshot, MarketingLedger } from '../../lambdas/ports/marketing-ledger';

const T0 = Date.UTC(2026, 4, 17, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RETENTION_MS = LEDGER_RETENTION_HOURS * HOUR;

export interface LedgerSubject {
  ledger: MarketingLedger;
  /** The contact's ledger as a planner reads it before reserving. */
  read(contact: ContactRef): Promise<LedgerSnapshot>;
}

/** Entries in key order: the ledger is a map, its order is not part of the contract. */
const sorted = (snapshot: LedgerSnapshot): LedgerSnapshot => ({ ...snapshot, entries: [...snapshot.entries].sort((a, b) => a.key.localeCompare(b.key)) });

export const describeMarketingLedgerContract = (name: string, makeSubject: () => LedgerSubject | Promise<LedgerSubject>): void => {
  describe(`MarketingLedger contract: ${name}`, () => {
    let subject: LedgerSubject;
    let contact: ContactRef;
    beforeEach(async () => {
      subject = await makeSubject();
      contact = { channel: 'whatsapp', accountId: String(100_000_000_000_000 + Math.floor(Math.random() * 1e14)), userId: `49151${Math.floor(Math.random() * 1e8)}` };
    });

    const read = async (who = contact): Promise<LedgerSnapshot> => sorted(await subject.read(who));

    /** Reserves on the ledger as just read, as a planner does; it must land. */
    const reserve = async (entry: LedgerEntry, who = contact): Promise<void> => {
      const result = await subject.ledger.reserve(who, entry, await subject.read(who));
      if (!result.ok) throw new Error(`reservation of ${entry.key} refused: ${JSON.stringify(result.current)}`);
    };

    const key = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

    it('reads a contact never reserved for as empty at version 0, and takes a first reservation at that version', async () => {
      expect(await read()).toEqual({ entries: [], version: 0 });
      const entry = { key: key('first'), atMs: T0 };

      expect(await subject.ledger.reserve(contact, entry, { entries: [], version: 0 })).toEqual({ ok: true });

      const after = await read();
      expect(after.entries).toEqual([entry]);
      expect(after.version).not.toBe(0);
    });

    it('moves the version with every reservation', async () => {
      const versions = [(await read()).version];
      for (let i = 0; i < 3; i += 1) {
        await reserve({ key: key(`k${i}`), atMs: T0 + i * HOUR });
        versions.push((await read()).version);
      }

      expect(new Set(versions).size).toBe(4);
    });

    it('keeps every entry still inside the longest cap window, so a cap of 2 or more sees them all', async () => {
      const entries = [
        { key: key('a'), atMs: T0 },
        { key: key('b'), atMs: T0 + DAY },
        { key: key('c'), atMs: T0 + 7 * DAY },
        { key: key('d'), atMs: T0 + RETENTION_MS - 1 },
      ];
      for (const entry of entries) await reserve(entry);

      expect((await read()).entries).toEqual(sorted({ entries, version: 0 }).entries);
    });

    it('keeps newer entries when an entry earlier than them is reserved (a send planned for later, recorded first)', async () => {
      const later = { key: key('later'), atMs: T0 + 10 * DAY };
      const earlier = { key: key('earlier'), atMs: T0 };
      await reserve(later);
      await reserve(earlier);

      expect((await read()).entries).toEqual(sorted({ entries: [later, earlier], version: 0 }).entries);
    });

    it('drops entries older than the longest cap window as a new one is reserved, and only those', async () => {
      const old = { key: key('old'), atMs: T0 };
      const recent = { key: key('recent'), atMs: T0 + 2 * DAY };
      await reserve(old);
      await reserve(recent);
      const next = { key: key('next'), atMs: T0 + RETENTION_MS + 1 };

      await reserve(next);

      expect((await read()).entries).toEqual(sorted({ entries: [recent, next], version: 0 }).entries);
    });

    it('counts a key once: the same key again is a success and writes nothing, from a fresh or a stale snapshot', async () => {
      const entry = { key: key('once'), atMs: T0 };
      const empty = await read();
      expect(await subject.ledger.reserve(contact, entry, empty)).toEqual({ ok: true });
      const after = await read();

      // A retried page with the snapshot it read before its first try.
      expect(await subject.ledger.reserve(contact, entry, empty)).toEqual({ ok: true });
      // A retried page that read the ledger again.
      expect(await subject.ledger.reserve(contact, entry, after)).toEqual({ ok: true });
      // The same key with another time is still the same send.
      expect(await subject.ledger.reserve(contact, { ...entry, atMs: T0 + HOUR }, empty)).toEqual({ ok: true });

      expect(await read()).toEqual(after);
    });

    it('counts a key once among others: a page retried with its old snapshot after more reservations landed is a success', async () => {
      const entry = { key: key('mine'), atMs: T0 };
      const before = await read();
      await reserve(entry);
      await reserve({ key: key('later-a'), atMs: T0 + HOUR });
      await reserve({ key: key('later-b'), atMs: T0 + 2 * HOUR });
      const after = await read();

      expect(await subject.ledger.reserve(contact, entry, before)).toEqual({ ok: true });
      expect(await read()).toEqual(after);
    });

    it('refuses another key at a stale version, answering with the current ledger, and takes it at that one', async () => {
      const first = { key: key('first'), atMs: T0 };
      const stale = await read();
      await reserve(first);
      const second = { key: key('second'), atMs: T0 + HOUR };

      const refused = await subject.ledger.reserve(contact, second, stale);

      if (refused.ok) throw new Error('a reservation at a stale version must be refused');
      expect(sorted(refused.current)).toEqual(await read());
      expect(refused.current.entries).toEqual([first]);
      expect(await subject.ledger.reserve(contact, second, refused.current)).toEqual({ ok: true });
      expect((await read()).entries).toEqual(sorted({ entries: [first, second], version: 0 }).entries);
    });

    it('lets exactly one of two reservations made from the same snapshot land', async () => {
      await reserve({ key: key('seed'), atMs: T0 });
      const snapshot = await read();

      const results = await Promise.all([
        subject.ledger.reserve(contact, { key: key('campaign-a'), atMs: T0 + HOUR }, snapshot),
        subject.ledger.reserve(contact, { key: key('campaign-b'), atMs: T0 + HOUR }, snapshot),
      ]);

      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await read()).entries).toHaveLength(2);
    });

    it('keeps one ledger per contact', async () => {
      const other: ContactRef = { ...contact, userId: `${contact.userId}9` };
      const messenger: ContactRef = { ...contact, channel: 'messenger' };
      const entry = { key: key('shared'), atMs: T0 };
      await reserve(entry);

      expect(await read(other)).toEqual({ entries: [], version: 0 });
      expect(await read(messenger)).toEqual({ entries: [], version: 0 });
      await reserve(entry, other);
      expect((await read(other)).entries).toEqual([entry]);
      expect((await read()).entries).toEqual([entry]);
    });
  });
};
