/**
 * The ImportJobs contract: what the CSV import's admin routes and its worker rely on. Run against the
 * DynamoDB adapter on dynalite (integration project) and the in-memory adapter (unit project). Port
 * level only: no keys. The job listing is global, so each test gets a store of its own (`makeStore`).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { emptyImportCounts } from '../../lambdas/domain/import/import-counts';
import type { ImportCounts, ImportSettings, LineError } from '../../lambdas/domain/import/import-job';
import { type ImportJob, type ImportJobs, UnknownImportJob } from '../../lambdas/ports/import-jobs';
import { InvalidPageCursor } from '../../lambdas/ports/page-cursor';

const T0 = Date.UTC(2026, 11, 6, 20);
const PHONE = '109876543210987';

const SETTINGS: ImportSettings = {
  purpose: 'add_and_update',
  // An empty header cell too: a CSV header may hold any text.
  header: ['phone', 'first name', 'tags', ''],
  mapping: { phone: 'userId', 'first name': 'attribute:firstName', tags: 'tags', '': 'ignore' },
  doNotOverwrite: ['attribute:firstName'],
  dryRun: false,
  defaults: { channel: 'whatsapp', accountId: PHONE },
  delimiter: ',',
  restoreErased: false,
  name: 'crm-export.csv',
};

const counts = (changes: Partial<ImportCounts>): ImportCounts => ({ ...emptyImportCounts(), ...changes });

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const chunkOf = (csv: string, firstLine = 2, records = csv.split('\n').filter(Boolean).length) => ({ firstLine, csv, sha256: sha256(csv), records });

/** 1 MiB of random 7-bit characters: text gzip can't make much smaller than it is. */
const incompressibleText = (): string => {
  const bytes = randomBytes(1024 * 1024);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (bytes[i] as number) & 0x7f;
  return bytes.toString('latin1');
};

export const describeImportJobsContract = (name: string, makeStore: () => Promise<ImportJobs>): void => {
  describe(`ImportJobs contract: ${name}`, () => {
    let jobs: ImportJobs;
    let importId: string;
    beforeEach(async () => {
      jobs = await makeStore();
      importId = `imp-${randomUUID()}`;
    });

    const job = (changes: Partial<ImportJob> = {}): ImportJob => ({
      importId,
      settings: SETTINGS,
      status: 'uploading',
      createdAt: T0,
      cursor: { chunk: 0, record: 0 },
      counts: emptyImportCounts(),
      ...changes,
    });
    const stored = async (id = importId): Promise<ImportJob> => {
      const found = await jobs.get(id);
      if (found === undefined) throw new Error(`no job ${id}`);
      return found;
    };
    const started = async (chunks = 2, rows = 900): Promise<void> => {
      await jobs.create(job());
      await jobs.start(importId, chunks, rows, T0 + 1000);
    };

    it('creates a job once and reads it back as created, settings and all', async () => {
      expect(await jobs.create(job())).toBe(true);
      expect(await jobs.create(job({ createdAt: T0 + 5000, settings: { ...SETTINGS, dryRun: true } }))).toBe(false);

      expect(await jobs.get(importId)).toEqual(job());
      expect(await jobs.get(`imp-${randomUUID()}`)).toBeUndefined();
    });

    it('lists the most recent jobs first, page by page, with no cursor after the last page', async () => {
      expect(await jobs.list(undefined, 10)).toEqual({ jobs: [] });
      const ids = ['a', 'b', 'c', 'd', 'e'].map((letter) => `imp-${letter}-${randomUUID().slice(0, 8)}`);
      for (const [i, id] of ids.entries()) await jobs.create(job({ importId: id, createdAt: T0 + i * 60_000 }));

      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await jobs.list(cursor, 2);
        seen.push(page.jobs.map((j) => j.importId));
        cursor = page.cursor;
      } while (cursor !== undefined && seen.length < 10);

      expect(seen).toEqual([
        [ids[4], ids[3]],
        [ids[2], ids[1]],
        [ids[0]],
      ]);
      expect((await jobs.list(undefined, 1)).jobs[0]).toEqual(job({ importId: ids[4] as string, createdAt: T0 + 4 * 60_000 }));
      await expect(jobs.list(Buffer.from('not a cursor').toString('base64url'), 2)).rejects.toThrow(InvalidPageCursor);
    });

    it('stores a chunk once: the same text again is `same`, other text `conflict`, and the first stays', async () => {
      await jobs.create(job());
      const first = chunkOf('+4915100000001,Lena,vip\n+4915100000002,"Jonas ""JJ""",\n');
      const other = chunkOf('+4915100000003,Mia,\n');

      expect(await jobs.putChunk(importId, 0, first)).toBe('stored');
      expect(await jobs.putChunk(importId, 0, first)).toBe('same');
      expect(await jobs.putChunk(importId, 0, other)).toBe('conflict');
      expect(await jobs.putChunk(importId, 1, { ...other, firstLine: 4 })).toBe('stored');

      expect(await jobs.readChunk(importId, 0)).toEqual({ firstLine: 2, csv: first.csv });
      expect(await jobs.readChunk(importId, 1)).toEqual({ firstLine: 4, csv: other.csv });
      expect(await jobs.readChunk(importId, 2)).toBeUndefined();
      expect(await jobs.chunkInfos(importId)).toEqual([
        { seq: 0, sha256: first.sha256, records: 2, firstLine: 2 },
        { seq: 1, sha256: other.sha256, records: 1, firstLine: 4 },
      ]);
    });

    it('keeps a 1 MiB chunk of text gzip can’t shrink byte for byte', async () => {
      await jobs.create(job());
      const csv = incompressibleText();
      const chunk = chunkOf(csv, 2, 1);
      expect(Buffer.byteLength(csv, 'utf8')).toBe(1024 * 1024);

      expect(await jobs.putChunk(importId, 7, chunk)).toBe('stored');

      const read = await jobs.readChunk(importId, 7);
      expect(read?.firstLine).toBe(2);
      expect(Buffer.from(read?.csv ?? '', 'utf8').equals(Buffer.from(csv, 'utf8'))).toBe(true);
      expect(await jobs.putChunk(importId, 7, chunk)).toBe('same');
    });

    it('lets one of two uploads racing for a seq store its text, and reads back only that text', async () => {
      await jobs.create(job());
      const a = chunkOf('+4915100000001,Lena,\n');
      const b = chunkOf('+4915100000009,Ben,\n');

      const answers = await Promise.all([jobs.putChunk(importId, 0, a), jobs.putChunk(importId, 0, b)]);

      expect([...answers].sort()).toEqual(['conflict', 'stored']);
      const winner = answers[0] === 'stored' ? a : b;
      expect(await jobs.readChunk(importId, 0)).toEqual({ firstLine: 2, csv: winner.csv });
    });

    it('refuses chunks and errors for a job that doesn’t exist', async () => {
      await expect(jobs.putChunk(importId, 0, chunkOf('x\n'))).rejects.toThrow(UnknownImportJob);
      await expect(jobs.putErrors(importId, [{ line: 2, column: 'phone', reason: 'not a phone number' }])).rejects.toThrow(UnknownImportJob);
    });

    it('starts an uploading job once, answering the stored job when it had started already', async () => {
      expect(await jobs.start(importId, 2, 900, T0)).toBeUndefined();
      await jobs.create(job());

      const first = await jobs.start(importId, 2, 900, T0 + 1000);
      const again = await jobs.start(importId, 3, 1200, T0 + 2000);

      expect(first).toEqual(job({ status: 'queued', chunks: 2, rowsTotal: 900, startedAt: T0 + 1000 }));
      expect(again).toEqual(first);
      expect(await stored()).toEqual(first);
    });

    it('advances only from the stored cursor, counting a slice once, and completes', async () => {
      await started();
      const slice = counts({ rows: 500, created: 480, failed: 20, errors: 21, sendable: { whatsapp_template: 400, messenger_marketing: 0, none: 80 } });

      expect(await jobs.advance(importId, { chunk: 0, record: 0 }, { chunk: 0, record: 500 }, slice, T0 + 2000, false)).toBe(true);
      expect(await stored()).toMatchObject({ status: 'running', cursor: { chunk: 0, record: 500 }, counts: slice });
      // The same slice delivered again: the cursor has moved on, nothing is added.
      expect(await jobs.advance(importId, { chunk: 0, record: 0 }, { chunk: 0, record: 500 }, slice, T0 + 3000, false)).toBe(false);
      expect((await stored()).counts).toEqual(slice);

      const last = counts({ rows: 400, updated: 1, unchanged: 398, skipped: { erased: 1 }, sendableByRoute: { 'whatsapp.template': 3 }, notSendable: { no_marketing_consent: 2 } });
      expect(await jobs.advance(importId, { chunk: 0, record: 500 }, { chunk: 2, record: 0 }, last, T0 + 4000, true)).toBe(true);

      const done = await stored();
      expect(done).toEqual(
        job({
          status: 'completed',
          chunks: 2,
          rowsTotal: 900,
          startedAt: T0 + 1000,
          advancedAt: T0 + 4000,
          completedAt: T0 + 4000,
          cursor: { chunk: 2, record: 0 },
          counts: counts({
            rows: 900,
            created: 480,
            updated: 1,
            unchanged: 398,
            skipped: { erased: 1 },
            failed: 20,
            errors: 21,
            sendable: { whatsapp_template: 400, messenger_marketing: 0, none: 80 },
            sendableByRoute: { 'whatsapp.template': 3 },
            notSendable: { no_marketing_consent: 2 },
          }),
        }),
      );
      expect(await jobs.advance(`imp-${randomUUID()}`, { chunk: 0, record: 0 }, { chunk: 0, record: 1 }, slice, T0, false)).toBe(false);
    });

    it('lets one of two deliveries of a slice advancing at once count', async () => {
      await started();
      const slice = counts({ rows: 500, created: 500 });

      const answers = await Promise.all([0, 1].map(() => jobs.advance(importId, { chunk: 0, record: 0 }, { chunk: 0, record: 500 }, slice, T0 + 2000, false)));

      expect([...answers].sort()).toEqual([false, true]);
      expect((await stored()).counts).toEqual(slice);
    });

    it('keeps each error once and lists them by line, then column, page by page', async () => {
      await jobs.create(job());
      const e = (line: number, column: string, reason = 'invalid'): LineError => ({ line, column, reason });
      await jobs.putErrors(importId, [e(12, 'tags'), e(3, 'phone', 'not a phone number'), e(3, '', 'expected 4 cells, found 5'), e(12, 'tags')]);
      await jobs.putErrors(importId, [e(3, 'phone', 'not a phone number'), e(100, 'first name'), e(12, 'consent topic'), e(12, 'tags', 'over 50 tags')]);
      await jobs.putErrors(importId, []);

      const pages: LineError[][] = [];
      let cursor: string | undefined;
      do {
        const page = await jobs.listErrors(importId, cursor, 2);
        pages.push(page.errors);
        cursor = page.cursor;
      } while (cursor !== undefined && pages.length < 10);

      const listed = pages.flat();
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
      expect(listed.map((error) => [error.line, error.column])).toEqual([
        [3, ''],
        [3, 'phone'],
        [12, 'consent topic'],
        [12, 'tags'],
        [12, 'tags'],
        [100, 'first name'],
      ]);
      expect(listed.filter((error) => error.column === 'tags').map((error) => error.reason).sort()).toEqual(['invalid', 'over 50 tags']);
      expect(listed).toContainEqual(e(3, 'phone', 'not a phone number'));
      expect(await jobs.listErrors(`imp-${randomUUID()}`, undefined, 10)).toEqual({ errors: [] });
      await expect(jobs.listErrors(importId, Buffer.from('JOB').toString('base64url'), 2)).rejects.toThrow(InvalidPageCursor);
    });

    it('records the first outcome of a row and answers the recorded ones by line', async () => {
      const lena = { channel: 'whatsapp' as const, accountId: PHONE, userId: '4915100000001' };
      await jobs.putRowOutcome(importId, 2, lena, 'created', ['userId', 'attribute:firstName'], T0);
      await jobs.putRowOutcome(importId, 2, lena, 'updated', ['tags'], T0 + 1000);
      await jobs.putRowOutcome(importId, 4, { ...lena, userId: '4915100000002' }, 'updated', [], T0);
      await jobs.putRowOutcome(`imp-${randomUUID()}`, 3, lena, 'created', [], T0);

      const outcomes = await jobs.rowOutcomes(importId, [2, 3, 4, 2]);

      expect([...outcomes.entries()].sort(([a], [b]) => a - b)).toEqual([
        [2, 'created'],
        [4, 'updated'],
      ]);
      expect(await jobs.rowOutcomes(importId, [])).toEqual(new Map());
    });

    it('drops a job’s chunks, keeping the job and its errors', async () => {
      await jobs.create(job());
      await jobs.putChunk(importId, 0, chunkOf('+4915100000001,Lena,\n'));
      await jobs.putChunk(importId, 1, chunkOf(incompressibleText(), 3, 1));
      await jobs.putErrors(importId, [{ line: 2, column: 'phone', reason: 'not a phone number' }]);

      await jobs.dropChunks(importId);

      expect(await jobs.chunkInfos(importId)).toEqual([]);
      expect(await jobs.readChunk(importId, 0)).toBeUndefined();
      expect(await jobs.readChunk(importId, 1)).toBeUndefined();
      expect(await jobs.get(importId)).toEqual(job());
      expect((await jobs.listErrors(importId, undefined, 10)).errors).toHaveLength(1);
    });
  });
};
