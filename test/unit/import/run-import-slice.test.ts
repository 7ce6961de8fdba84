/**
 * Interface under test: the import's use cases as the admin routes and the worker call them
 * (createImport, putChunk, startImport, runImportSlice), with the import jobs in memory, contacts
 * as the state store's registers and the profile adapter keep them, and a queue whose messages the
 * test delivers: once, twice, late, or after a crash.
 */
import { createImport } from '../../../lambdas/import/create-import';
import { putChunk } from '../../../lambdas/import/put-chunk';
import { type ImportSliceDeps, runImportSlice, type SliceResult } from '../../../lambdas/import/run-import-slice';
import { startImport } from '../../../lambdas/import/start-import';
import { erasureHash } from '../../../lambdas/domain/erasure/tombstone';
import type { ContactRef } from '../../../lambdas/domain/events';
import { ImportRequestSchema } from '../../../lambdas/schemas/import-request';
import { importRig, PAGE } from './fakes';

const HEADER = ['channel', 'page_id', 'psid', 'tags', 'first_name'];
const psid = (n: number): string => String(7_000_000_000_000_000 + n);
const person = (n: number): ContactRef => ({ channel: 'messenger', accountId: PAGE, userId: psid(n) });
const line = (n: number, tags = 'vip'): string => `messenger,${PAGE},${psid(n)},${tags},Name${n}`;
/** Rows n..n+count-1 as one chunk's CSV. */
const rows = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => line(from + i));

type Rig = ReturnType<typeof importRig>;

/** Creates, uploads and starts an import of these chunks (each a list of CSV lines); answers its id. */
const started = async (rig: Rig, chunks: string[][], options: { dryRun?: boolean; restoreErased?: boolean } = {}): Promise<string> => {
  const created = await createImport({ jobs: rig.jobs, clock: rig.deps.clock }, ImportRequestSchema.parse({ header: HEADER, ...options }));
  if (!created.ok) throw new Error(created.problems.join('; '));
  const { importId } = created.job;
  let firstLine = 2;
  for (const [seq, lines] of chunks.entries()) {
    const put = await putChunk({ jobs: rig.jobs }, { importId, seq, firstLine, csv: `${lines.join('\n')}\n` });
    if (!put.ok) throw new Error(put.error);
    firstLine += lines.length;
  }
  const start = await startImport({ jobs: rig.jobs, queue: rig.queue, clock: rig.deps.clock }, importId, chunks.length);
  if (!start.ok) throw new Error(start.error);
  return importId;
};

/** Delivers every message, as the queue would, until none is left. */
const drain = async (rig: Rig, deps: ImportSliceDeps = rig.deps): Promise<SliceResult[]> => {
  const results: SliceResult[] = [];
  for (let message = rig.queue.take(); message !== undefined; message = rig.queue.take()) {
    results.push(await runImportSlice(deps, message));
    if (results.length > 1000) throw new Error('the chain does not end');
  }
  return results;
};

describe('an import, slice by slice', () => {
  it('runs its chunks as a chain of messages to completion, counts each row once, and drops its chunks', async () => {
    const rig = importRig({ tuning: { sliceRecords: 4, waveRecords: 2 } });
    const importId = await started(rig, [rows(0, 6), rows(6, 3)]);

    const results = await drain(rig);

    // 6 records: slices of 4 and 2; then 3 in the second chunk, the last one completing the job.
    expect(results).toEqual(['advanced', 'advanced', 'completed']);
    const job = await rig.jobs.get(importId);
    expect(job).toMatchObject({ status: 'completed', cursor: { chunk: 2, record: 0 }, rowsTotal: 9 });
    expect(job?.counts).toMatchObject({ rows: 9, created: 9, updated: 0, unchanged: 0, failed: 0 });
    expect(await rig.jobs.chunkInfos(importId)).toEqual([]);
    expect(rig.contacts.state(person(8))).toMatchObject({ profileTags: ['vip'], profileAttributes: { firstName: 'Name8' }, origin: 'import' });
  });

  it('a duplicate of a slice counts nothing twice and dies out while the chain is alive', async () => {
    const rig = importRig({ tuning: { sliceRecords: 2 } });
    const importId = await started(rig, [rows(0, 4)]);
    const first = rig.queue.take()!;

    expect(await runImportSlice(rig.deps, first)).toBe('advanced');
    const next = rig.queue.take();
    rig.now.value += 5_000;
    expect(await runImportSlice(rig.deps, first)).toBe('stale');

    // The chain moved seconds ago and its next message is out: the duplicate sends nothing.
    expect(rig.queue.sent).toEqual([]);
    await runImportSlice(rig.deps, next!);
    await drain(rig);
    expect((await rig.jobs.get(importId))?.counts).toMatchObject({ rows: 4, created: 4 });
  });

  it('a completed job ignores a late copy of its last message', async () => {
    const rig = importRig();
    const importId = await started(rig, [rows(0, 2)]);
    const last = rig.queue.take()!;
    await runImportSlice(rig.deps, last);

    expect(await runImportSlice(rig.deps, last)).toBe('stale');

    expect(rig.queue.sent).toEqual([]);
    expect((await rig.jobs.get(importId))?.counts.rows).toBe(2);
  });

  it('a message the cursor has left sends one for the cursor: a crash between the advance and the next send does not stall the chain', async () => {
    const rig = importRig({ tuning: { sliceRecords: 2 } });
    const importId = await started(rig, [rows(0, 6)]);
    const first = rig.queue.take()!;
    await runImportSlice(rig.deps, first);
    // The next message was lost (the worker died before SendMessage returned); SQS redelivers the first
    // once its visibility timeout (30 minutes) has passed.
    rig.queue.sent.length = 0;
    rig.now.value += 30 * 60_000;

    expect(await runImportSlice(rig.deps, first)).toBe('stale');

    expect(rig.queue.sent).toEqual([{ importId, chunk: 0, record: 2 }]);
    await drain(rig);
    expect((await rig.jobs.get(importId))?.status).toBe('completed');
  });

  it('a slice that crashed after recording a row, before writing its contact, reports the row created when retried', async () => {
    const rig = importRig();
    const importId = await started(rig, [rows(0, 3)]);
    const message = rig.queue.take()!;
    rig.contacts.failNextProfile = true;

    await expect(runImportSlice(rig.deps, message)).rejects.toThrow('worker stopped');
    expect((await rig.jobs.get(importId))?.counts.rows).toBe(0);
    await runImportSlice(rig.deps, message);

    const job = await rig.jobs.get(importId);
    expect(job?.counts).toMatchObject({ rows: 3, created: 3, unchanged: 0 });
    expect(rig.contacts.state(person(0))).toMatchObject({ origin: 'import', profileTags: ['vip'] });
  });

  it('a slice retried after its contacts were written still reports them created, not unchanged', async () => {
    const rig = importRig();
    const importId = await started(rig, [rows(0, 2)]);
    const message = rig.queue.take()!;
    // The whole slice lands, then the cursor's advance fails.
    const advance = rig.jobs.advance.bind(rig.jobs);
    let failAdvance = true;
    const deps: ImportSliceDeps = {
      ...rig.deps,
      jobs: Object.assign(Object.create(rig.jobs) as typeof rig.jobs, {
        advance: (...args: Parameters<typeof advance>) => {
          if (!failAdvance) return advance(...args);
          failAdvance = false;
          return Promise.reject(new Error('throttled'));
        },
      }),
    };

    await expect(runImportSlice(deps, message)).rejects.toThrow('throttled');
    await runImportSlice(deps, message);

    expect((await rig.jobs.get(importId))?.counts).toMatchObject({ rows: 2, created: 2, unchanged: 0 });
  });

  it('the same file imported again changes nothing and says so', async () => {
    const rig = importRig();
    await started(rig, [rows(0, 3)]);
    await drain(rig);
    const before = structuredClone([...rig.contacts.model.items.entries()]);
    const puts = rig.contacts.profilePuts;

    const again = await started(rig, [rows(0, 3)]);
    await drain(rig);

    expect((await rig.jobs.get(again))?.counts).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 3 });
    expect([...rig.contacts.model.items.entries()]).toEqual(before);
    expect(rig.contacts.profilePuts).toBe(puts);
  });

  it('a chunk of bad rows only completes, with an error for each line and nothing written', async () => {
    const rig = importRig();
    const bad = ['messenger,not-a-page,1,vip,A', `messenger,${PAGE},,vip,B`, `telegram,${PAGE},${psid(1)},vip,C`];
    const importId = await started(rig, [bad]);

    expect(await drain(rig)).toEqual(['completed']);

    expect((await rig.jobs.get(importId))?.counts).toMatchObject({ rows: 3, failed: 3, created: 0 });
    const { errors } = await rig.jobs.listErrors(importId, undefined, 100);
    expect([...new Set(errors.map((e) => e.line))]).toEqual([2, 3, 4]);
    expect(rig.contacts.model.items.size).toBe(0);
  });

  it('reports the bad lines and imports the good ones around them', async () => {
    const rig = importRig();
    const importId = await started(rig, [[line(0), 'messenger,x,y,vip,Bad', line(2)]]);

    await drain(rig);

    expect((await rig.jobs.get(importId))?.counts).toMatchObject({ rows: 3, created: 2, failed: 1 });
    expect((await rig.jobs.listErrors(importId, undefined, 100)).errors.map((e) => e.line)).toEqual([3, 3]);
  });

  it('a dry run counts what the rows would do and writes nothing to any contact', async () => {
    const rig = importRig({ tuning: { sliceRecords: 2 } });
    const importId = await started(rig, [rows(0, 3), ['messenger,x,y,vip,Bad']], { dryRun: true });

    await drain(rig);

    const job = await rig.jobs.get(importId);
    expect(job?.counts).toMatchObject({ rows: 4, created: 3, failed: 1 });
    expect(job?.counts.sendable).toEqual({ whatsapp_template: 0, messenger_marketing: 0, none: 3 });
    expect(rig.contacts.model.items.size).toBe(0);
    expect(rig.contacts.profilePuts).toBe(0);
    expect(await rig.jobs.rowOutcomes(importId, [2, 3, 4])).toEqual(new Map());
  });

  it("rows of one contact apply in line order, the later one on the earlier's result", async () => {
    const rig = importRig();
    const importId = await started(rig, [[line(0, 'vip'), line(0, 'newsletter'), line(0, 'vip')]]);

    await drain(rig);

    expect((await rig.jobs.get(importId))?.counts).toMatchObject({ rows: 3, created: 1, updated: 1, unchanged: 1 });
    expect(rig.contacts.state(person(0))?.profileTags).toEqual(['vip', 'newsletter']);
  });

  it('stops a slice when its time budget is spent and carries on from there in the next message', async () => {
    const rig = importRig();
    const ticking = { ...rig.deps, clock: () => (rig.now.value += 1000), tuning: { sliceRecords: 500, waveRecords: 2, budgetMs: 1500 } };
    const importId = await started(rig, [rows(0, 5)]);

    await runImportSlice(ticking, rig.queue.take()!);

    expect(rig.queue.sent).toEqual([{ importId, chunk: 0, record: 2 }]);
    await drain(rig, ticking);
    expect((await rig.jobs.get(importId))?.counts).toMatchObject({ rows: 5, created: 5 });
  });

  it('skips a person an erasure left a tombstone for, unless the import restores them', async () => {
    const rig = importRig();
    await rig.erasure.putTombstones([{ hash: erasureHash(person(1)), erasedAt: 0 }]);
    const importId = await started(rig, [rows(0, 2)]);

    await drain(rig);

    expect((await rig.jobs.get(importId))?.counts).toMatchObject({ rows: 2, created: 1, skipped: { erased: 1 } });
    expect(rig.contacts.state(person(1))).toBeUndefined();

    const restoring = await started(rig, [rows(1, 1)], { restoreErased: true });
    await drain(rig);
    expect((await rig.jobs.get(restoring))?.counts).toMatchObject({ rows: 1, created: 1 });
    expect(rig.contacts.state(person(1))).toMatchObject({ origin: 'import' });
  });

  it('drops a message for an import that is gone or not started', async () => {
    const rig = importRig();
    const created = await createImport({ jobs: rig.jobs, clock: rig.deps.clock }, ImportRequestSchema.parse({ header: HEADER }));
    if (!created.ok) throw new Error('not created');

    expect(await runImportSlice(rig.deps, { importId: created.job.importId, chunk: 0, record: 0 })).toBe('not_running');
    expect(await runImportSlice(rig.deps, { importId: 'gone', chunk: 0, record: 0 })).toBe('not_running');
    expect(rig.queue.sent).toEqual([]);
  });
});
