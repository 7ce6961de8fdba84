/**
 * Interface under test: creating an import, uploading its chunks and starting it (createImport,
 * putChunk, startImport) and the job's view, with the import jobs in memory and a recording queue:
 * what the admin routes answer 201, 200, 202, 400, 404 and 409 from.
 */
import { createImport } from '../../../lambdas/import/create-import';
import { importJobView } from '../../../lambdas/import/import-view';
import { putChunk } from '../../../lambdas/import/put-chunk';
import { startImport } from '../../../lambdas/import/start-import';
import { ImportRequestSchema, MAX_CHUNK_BYTES } from '../../../lambdas/schemas/import-request';
import { importRig, PAGE, T0 } from './fakes';

const HEADER = ['Phone', 'First Name', 'Notes'];

const rigWithImport = async (request: Record<string, unknown> = {}) => {
  const rig = importRig();
  const created = await createImport(
    { jobs: rig.jobs, clock: rig.deps.clock },
    ImportRequestSchema.parse({ header: HEADER, defaults: { channel: 'whatsapp', accountId: PAGE }, mapping: { Notes: 'ignore' }, name: 'crm.csv', ...request }),
  );
  if (!created.ok) throw new Error(created.problems.join('; '));
  const { importId } = created.job;
  const put = (seq: number, csv: string, firstLine = 2) => putChunk({ jobs: rig.jobs }, { importId, seq, firstLine, csv });
  const start = (chunks: number) => startImport({ jobs: rig.jobs, queue: rig.queue, clock: rig.deps.clock }, importId, chunks);
  return { rig, importId, put, start };
};

describe('creating an import', () => {
  it('maps the header by name, takes the overrides, and shows the job waiting for its chunks', async () => {
    const { rig, importId } = await rigWithImport();

    const view = importJobView((await rig.jobs.get(importId))!);

    expect(view).toEqual({
      importId,
      name: 'crm.csv',
      status: 'uploading',
      dryRun: false,
      purpose: 'add_and_update',
      doNotOverwrite: [],
      restoreErased: false,
      delimiter: ',',
      defaults: { channel: 'whatsapp', accountId: PAGE },
      header: HEADER,
      mapping: { Phone: 'userId', 'First Name': 'attribute:firstName', Notes: 'ignore' },
      ignored: ['Notes'],
      createdAt: new Date(T0).toISOString(),
      chunks: { total: null, processed: 0 },
      rows: { total: null, processed: 0 },
      counts: expect.objectContaining({ rows: 0 }) as unknown,
    });
    expect(importId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a mapping that cannot say whom a row is about, with every problem', async () => {
    const rig = importRig();

    const created = await createImport({ jobs: rig.jobs, clock: rig.deps.clock }, ImportRequestSchema.parse({ header: ['First Name', 'First Name'] }));

    expect(created.ok).toBe(false);
    expect(!created.ok && created.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/twice/), expect.stringMatching(/userId/), expect.stringMatching(/channel/), expect.stringMatching(/accountId/)]),
    );
    expect((await rig.jobs.list(undefined, 10)).jobs).toEqual([]);
  });
});

describe('uploading chunks', () => {
  it('stores a chunk, counts its records, and recognises the same chunk uploaded again', async () => {
    const { put, importId } = await rigWithImport();
    const csv = '+4915123456789,Ada,x\n"+4915123456790","Grace\nHopper",y\n';

    expect(await put(0, csv)).toEqual({ ok: true, importId, seq: 0, records: 2, bytes: Buffer.byteLength(csv), stored: 'stored' });
    expect(await put(0, csv)).toMatchObject({ ok: true, stored: 'same' });
    expect(await put(0, '+4915123456791,Alan,z\n')).toEqual({ ok: false, error: 'conflict' });
  });

  it('refuses a chunk over 1 MiB, one that does not parse, and one for an unknown import', async () => {
    const { put, rig } = await rigWithImport();

    expect(await put(0, `${'x'.repeat(MAX_CHUNK_BYTES)}\n`)).toMatchObject({ ok: false, error: 'too_large' });
    expect(await put(0, '+4915123456789,Ada,x\n+4915123456790,"Grace,y\n', 10)).toEqual({ ok: false, error: 'unparseable', line: 11, reason: expect.any(String) as unknown });
    expect(await putChunk({ jobs: rig.jobs }, { importId: 'unknown', seq: 0, firstLine: 2, csv: 'a,b,c\n' })).toEqual({ ok: false, error: 'not_found' });
  });

  it('refuses chunks once the import has started', async () => {
    const { put, start } = await rigWithImport();
    await put(0, '+4915123456789,Ada,x\n');
    await start(1);

    expect(await put(1, '+4915123456790,Grace,y\n')).toEqual({ ok: false, error: 'not_uploading', status: 'queued' });
  });
});

describe('starting an import', () => {
  it('needs every chunk from 0 to chunks − 1 and none beyond', async () => {
    const { put, start, rig } = await rigWithImport();
    await put(0, '+4915123456789,Ada,x\n');
    await put(2, '+4915123456790,Grace,y\n', 3);

    expect(await start(3)).toEqual({ ok: false, error: 'chunks_mismatch', missing: [1], beyond: [] });
    expect(await start(1)).toEqual({ ok: false, error: 'chunks_mismatch', missing: [], beyond: [2] });
    expect(rig.queue.sent).toEqual([]);
  });

  it('refuses chunks whose line numbers overlap: their rows would share error and outcome keys', async () => {
    const { put, start, rig, importId } = await rigWithImport();
    await put(0, '+4915123456789,Ada,x\n+4915123456790,Grace,y\n');
    // A client numbering chunks wrongly: chunk 1 from line 2 again, chunk 2 from line 3, lines chunk 0 holds.
    await put(1, '+4915123456791,Alan,z\n');
    await put(2, '+4915123456792,Edsger,w\n', 3);

    expect(await start(3)).toEqual({ ok: false, error: 'lines_overlap', seqs: [1, 2] });
    expect(await rig.jobs.get(importId)).toMatchObject({ status: 'uploading' });
    expect(rig.queue.sent).toEqual([]);
  });

  it('queues the first slice with the rows counted, and answers the same when started again with the same count', async () => {
    const { put, start, rig, importId } = await rigWithImport();
    await put(0, '+4915123456789,Ada,x\n+4915123456790,Grace,y\n');
    await put(1, '+4915123456791,Alan,z\n', 4);
    rig.now.value = T0 + 60_000;

    const first = await start(2);

    expect(first.ok && importJobView(first.job)).toMatchObject({ status: 'queued', startedAt: new Date(T0 + 60_000).toISOString(), chunks: { total: 2, processed: 0 }, rows: { total: 3, processed: 0 } });
    expect(rig.queue.sent).toEqual([{ importId, chunk: 0, record: 0 }]);
    // A start retried while still queued sends the first slice again: the first send may never have happened.
    expect(await start(2)).toMatchObject({ ok: true, job: { status: 'queued' } });
    expect(rig.queue.sent).toHaveLength(2);
    expect(await start(3)).toEqual({ ok: false, error: 'already_started', chunks: 2 });
  });

  it('answers a running import as it stands without sending another slice', async () => {
    const { put, start, rig, importId } = await rigWithImport();
    await put(0, '+4915123456789,Ada,x\n+4915123456790,Grace,y\n');
    await start(1);
    await rig.jobs.advance(importId, { chunk: 0, record: 0 }, { chunk: 0, record: 1 }, (await rig.jobs.get(importId))!.counts, T0, false);
    rig.queue.sent.length = 0;

    expect(await start(1)).toMatchObject({ ok: true, job: { status: 'running', cursor: { chunk: 0, record: 1 } } });
    expect(rig.queue.sent).toEqual([]);
    expect(await startImport({ jobs: rig.jobs, queue: rig.queue, clock: rig.deps.clock }, 'unknown', 1)).toEqual({ ok: false, error: 'not_found' });
  });
});
