/**
 * Interface under test: the CSV import's admin routes (`/admin/imports…`) through the admin handler,
 * the jobs in memory and a recording import queue (admin-rig.ts). Every answer is held to the
 * contract by the rig's `call`.
 */
import { createAdminHandler } from '../../../lambdas/admin/admin-api';
import { accessOf } from '../../../lambdas/admin/contract/match';
import type { AdminRouteKey } from '../../../lambdas/admin/contract';
import { MAX_CHUNK_BYTES } from '../../../lambdas/schemas/import-request';
import { httpEvent } from '../../helpers/api-gateway-event';
import { loadEvent } from '../../helpers/events';
import { DE_WA, PHONE } from '../../helpers/sample-ids';
import { adminRig, NOW } from './admin-rig';

const UNKNOWN = '0f8a2c34-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const REQUEST = { header: ['phone', 'first_name'], defaults: { channel: 'whatsapp', accountId: PHONE }, name: 'crm.csv' };
const ROW = `${DE_WA},Lena\n`;

/** The rig with one import created: `importId` and calls on it. */
const withImport = async (request: Record<string, unknown> = REQUEST) => {
  const rig = adminRig();
  const created = await rig.call('POST', '/admin/imports', request);
  expect(created.status).toBe(201);
  const importId = String(created.body.importId);
  const put = (seq: number | string, csv: string, firstLine = 2) => rig.call('PUT', `/admin/imports/${importId}/chunks/${seq}`, { firstLine, csv });
  const start = (chunks: number) => rig.call('POST', `/admin/imports/${importId}/start`, { chunks });
  return { ...rig, importId, created, put, start };
};

describe('POST /admin/imports', () => {
  it('creates the job waiting for its chunks: 201 with the header mapped by name', async () => {
    // Act
    const { created, importId } = await withImport();

    // Assess
    expect(importId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body).toEqual({
      importId,
      name: 'crm.csv',
      status: 'uploading',
      dryRun: false,
      purpose: 'add_and_update',
      doNotOverwrite: [],
      restoreErased: false,
      delimiter: ',',
      defaults: { channel: 'whatsapp', accountId: PHONE },
      header: ['phone', 'first_name'],
      mapping: { phone: 'userId', first_name: 'attribute:firstName' },
      ignored: [],
      createdAt: new Date(NOW).toISOString(),
      chunks: { total: null, processed: 0 },
      rows: { total: null, processed: 0 },
      counts: expect.objectContaining({ rows: 0, created: 0, failed: 0 }) as unknown,
    });
  });

  it('takes the sample request (events/admin/import-request.json) as it is', async () => {
    // Act
    const { created } = await withImport(loadEvent('admin/import-request.json'));

    // Assess
    expect(created.body).toMatchObject({ name: 'import-contacts.csv', dryRun: true, ignored: ['last_name'], mapping: { customer_no: 'attribute:customerNo', user_id: 'userId' } });
  });

  it('answers 400 with every problem when the mapping can’t work, and creates nothing', async () => {
    // Prepare
    const { call, importJobs } = adminRig();

    // Act
    const answer = await call('POST', '/admin/imports', { header: ['first_name', 'first_name', 'email'], mapping: { email: 'ignore' } });

    // Assess
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'the column mapping can’t work',
        problems: [
          'the header names "first_name" twice',
          'no column maps to userId (a PSID, IGSID, WhatsApp phone number in E.164 or BSUID)',
          'no column maps to channel and no default channel is given',
          'no column maps to accountId and no default account is given',
        ],
      },
    });
    expect((await importJobs.list(undefined, 10)).jobs).toEqual([]);
  });

  it.each([
    [{ ...REQUEST, mapping: { phone: 'mobile' } }, 'mapping.phone', /unknown target/],
    [{ ...REQUEST, mapping: { first_name: 'attribute:constructor' } }, 'mapping.first_name', /attribute name constructor is reserved/],
    [{ ...REQUEST, doNotOverwrite: ['email'] }, 'doNotOverwrite.0', /attribute:<name>/],
    [{ ...REQUEST, defaults: { channel: 'whatsapp', accountId: '+49 151' } }, 'defaults.accountId', /phone_number_id/],
    [{ ...REQUEST, defaults: { channel: 'telegram' } }, 'defaults.channel', /./],
    [{ ...REQUEST, purpose: 'replace_all' }, 'purpose', /./],
    [{ ...REQUEST, delimiter: '|' }, 'delimiter', /./],
    [{ ...REQUEST, header: ['phone', '__proto__'] }, 'header.1', /reserved/],
    [{ ...REQUEST, header: ['phone', ''] }, 'header.1', /must not be empty/],
    [{ ...REQUEST, header: ['phone', 'first\uD800'] }, 'header.1', /lone surrogates/],
    [{ ...REQUEST, header: [] }, 'header', /./],
    [{ ...REQUEST, dryrun: true }, '', /dryrun/],
  ])('refuses %j naming %s (400 invalid import)', async (body, path, message) => {
    // Prepare
    const { call } = adminRig();

    // Act
    const answer = await call('POST', '/admin/imports', body);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid import');
    expect(answer.body.detail).toContainEqual({ path, message: expect.stringMatching(message) as unknown });
  });
});

describe('PUT /admin/imports/{importId}/chunks/{seq}', () => {
  it('stores a chunk (200 stored), and the same chunk again is `same`', async () => {
    // Prepare
    const { put, importId } = await withImport();

    // Act
    const first = await put(0, `${ROW}${ROW}`);
    const again = await put(0, `${ROW}${ROW}`);

    // Assess
    expect(first).toEqual({ status: 200, body: { importId, seq: 0, records: 2, bytes: 2 * ROW.length, stored: 'stored' } });
    expect(again.body).toMatchObject({ stored: 'same' });
  });

  it('takes a chunk of exactly 1 MiB of UTF-8 and refuses one byte more, counted in bytes, not characters', async () => {
    // Prepare: 2-byte characters, so 1 MiB + 1 byte is far fewer than 1 Mi characters
    const { put } = await withImport();
    const row = `${DE_WA},${'é'.repeat(40)}\n`;
    const rows = row.repeat(Math.floor(MAX_CHUNK_BYTES / Buffer.byteLength(row)));
    const full = rows + 'x'.repeat(MAX_CHUNK_BYTES - Buffer.byteLength(rows) - 1) + '\n';
    expect(Buffer.byteLength(full)).toBe(MAX_CHUNK_BYTES);

    // Act
    const fits = await put(0, full);
    const over = await put(1, `é${full.slice(1)}`);

    // Assess
    expect(fits).toMatchObject({ status: 200, body: { bytes: MAX_CHUNK_BYTES, stored: 'stored' } });
    expect(over.status).toBe(400);
    expect(over.body).toEqual({ error: 'invalid chunk', detail: [{ path: 'csv', message: `chunk over 1 MiB: at most ${MAX_CHUNK_BYTES} bytes as UTF-8 (got ${MAX_CHUNK_BYTES + 1})` }] });
  });

  it('answers 400 with the line and reason when the chunk isn’t valid CSV', async () => {
    // Prepare
    const { put } = await withImport();

    // Act
    const answer = await put(3, `${ROW}${DE_WA},"Lena\n`, 40);

    // Assess
    expect(answer).toEqual({ status: 400, body: { error: 'chunk is not valid CSV', line: 41, reason: 'a quoted cell is never closed' } });
  });

  it('answers 409 when the seq holds other text, and keeps the first', async () => {
    // Prepare
    const { put, importJobs, importId } = await withImport();
    await put(0, ROW);

    // Act
    const answer = await put(0, `${ROW}${ROW}`);

    // Assess
    expect(answer).toEqual({ status: 409, body: { error: 'this chunk number holds other text', detail: { importId, seq: 0 } } });
    expect(await importJobs.readChunk(importId, 0)).toEqual({ firstLine: 2, csv: ROW });
  });

  it('answers 409 once the import is started: its chunks are fixed', async () => {
    // Prepare
    const { put, start } = await withImport();
    await put(0, ROW);
    await start(1);

    // Act
    const answer = await put(1, ROW, 3);

    // Assess
    expect(answer).toEqual({ status: 409, body: { error: 'the import was started: its chunks are fixed', status: 'queued' } });
  });

  it.each([
    ['01', 'seq'],
    ['10000', 'seq'],
    ['-1', 'seq'],
  ])('refuses the chunk number %s (400 invalid path)', async (seq, path) => {
    // Prepare
    const { put } = await withImport();

    // Act
    const answer = await put(seq, ROW);

    // Assess
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid path', detail: [{ path }] } });
  });

  it.each([
    [{ firstLine: 1, csv: ROW }, 'firstLine'],
    [{ firstLine: 2, csv: '' }, 'csv'],
    [{ firstLine: 2 }, 'csv'],
    [{ firstLine: 2, csv: ROW, header: ['phone'] }, ''],
  ])('refuses the chunk body %j naming %s (400 invalid chunk)', async (body, path) => {
    // Prepare
    const { call, importId } = await withImport();

    // Act
    const answer = await call('PUT', `/admin/imports/${importId}/chunks/0`, body);

    // Assess
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid chunk', detail: [{ path }] } });
  });
});

describe('POST /admin/imports/{importId}/start', () => {
  it('queues the job with its chunks and rows (202) and sends the first slice to the worker', async () => {
    // Prepare
    const { put, start, importQueue, importId } = await withImport();
    await put(0, `${ROW}${ROW}`);
    await put(1, ROW, 4);

    // Act
    const answer = await start(2);

    // Assess
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ importId, status: 'queued', startedAt: new Date(NOW).toISOString(), chunks: { total: 2, processed: 0 }, rows: { total: 3, processed: 0 } });
    expect(importQueue.sent).toEqual([{ importId, chunk: 0, record: 0 }]);
  });

  it('answers 202 with the job as it stands when started again with the same count, 409 with another', async () => {
    // Prepare
    const { put, start } = await withImport();
    await put(0, ROW);
    const first = await start(1);

    // Act
    const again = await start(1);
    const other = await start(2);

    // Assess
    expect(again).toEqual(first);
    expect(other).toEqual({ status: 409, body: { error: 'the import was started with another chunk count', chunks: 1 } });
  });

  it('answers 409 naming the chunks that start on a line an earlier chunk holds, and starts nothing', async () => {
    // Prepare
    const { put, start, importQueue } = await withImport();
    await put(0, ROW);
    await put(1, ROW);

    // Act
    const answer = await start(2);

    // Assess
    expect(answer).toEqual({ status: 409, body: { error: expect.stringContaining('firstLine') as string, seqs: [1] } });
    expect(importQueue.sent).toEqual([]);
  });

  it('answers 409 naming the chunks missing, and those beyond the count, and starts nothing', async () => {
    // Prepare
    const { put, start, call, importQueue, importId } = await withImport();
    await put(0, ROW);
    await put(2, ROW, 3);
    await put(4, ROW, 4);

    // Act
    const answer = await start(4);

    // Assess
    expect(answer).toEqual({ status: 409, body: { error: 'the uploaded chunks are not 0 to chunks − 1', missing: [1, 3], beyond: [4] } });
    expect((await call('GET', `/admin/imports/${importId}`)).body).toMatchObject({ status: 'uploading' });
    expect(importQueue.sent).toEqual([]);
  });

  it.each([[{ chunks: 0 }], [{ chunks: 10_001 }], [{ chunks: 1.5 }], [{}]])('refuses %j (400 invalid start)', async (body) => {
    // Prepare
    const { call, importId } = await withImport();

    // Act
    const answer = await call('POST', `/admin/imports/${importId}/start`, body);

    // Assess
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid start', detail: [{ path: 'chunks' }] } });
  });
});

describe('reading imports', () => {
  it('answers the job, its errors by line in pages, and the jobs newest first', async () => {
    // Prepare: two jobs; the worker's errors on the second
    const rig = adminRig();
    const older = await rig.call('POST', '/admin/imports', { ...REQUEST, name: 'older.csv' });
    rig.deps.clock = () => NOW + 60_000;
    const { importId } = (await rig.call('POST', '/admin/imports', { ...REQUEST, name: 'newer.csv' })).body as { importId: string };
    await rig.importJobs.putErrors(importId, [
      { line: 7, column: 'phone', reason: 'not a wa_id or BSUID' },
      { line: 3, column: '', reason: 'has 3 cells, the header 2' },
    ]);

    // Act
    const job = await rig.call('GET', `/admin/imports/${importId}`);
    const page1 = await rig.call('GET', `/admin/imports/${importId}/errors`, undefined, { limit: '1' });
    const page2 = await rig.call('GET', `/admin/imports/${importId}/errors`, undefined, { limit: '1', cursor: String(page1.body.cursor) });
    const list = await rig.call('GET', '/admin/imports');

    // Assess
    expect(job).toMatchObject({ status: 200, body: { importId, name: 'newer.csv', status: 'uploading' } });
    expect(page1).toEqual({ status: 200, body: { importId, errors: [{ line: 3, column: '', reason: 'has 3 cells, the header 2' }], cursor: expect.any(String) as unknown } });
    expect(page2).toEqual({ status: 200, body: { importId, errors: [{ line: 7, column: 'phone', reason: 'not a wa_id or BSUID' }] } });
    expect((list.body.imports as { importId: string }[]).map((i) => i.importId)).toEqual([importId, older.body.importId]);
  });

  it('answers 400 for a cursor no list gave', async () => {
    // Prepare
    const { call, importId } = await withImport();

    // Act
    const errors = await call('GET', `/admin/imports/${importId}/errors`, undefined, { cursor: 'bm90LWEtY3Vyc29y' });
    const list = await call('GET', '/admin/imports', undefined, { cursor: 'bm90LWEtY3Vyc29y' });

    // Assess
    expect([errors.status, list.status]).toEqual([400, 400]);
  });
});

describe('an import that doesn’t exist', () => {
  it.each([
    ['PUT', `/admin/imports/${UNKNOWN}/chunks/0`, { firstLine: 2, csv: ROW }],
    ['POST', `/admin/imports/${UNKNOWN}/start`, { chunks: 1 }],
    ['GET', `/admin/imports/${UNKNOWN}`, undefined],
    ['GET', `/admin/imports/${UNKNOWN}/errors`, undefined],
  ])('%s %s answers 404', async (method, path, body) => {
    // Act
    const answer = await adminRig().call(method, path, body);

    // Assess
    expect(answer).toEqual({ status: 404, body: { error: 'import not found', detail: { importId: UNKNOWN } } });
  });

  it('refuses an id that isn’t one POST /admin/imports gives (400 invalid path)', async () => {
    // Act
    const answer = await adminRig().call('GET', '/admin/imports/IMPORT%23x');

    // Assess
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid path', detail: [{ path: 'importId' }] } });
  });
});

describe('access and configuration', () => {
  it('lets only an admin create, upload and start an import; a viewer reads them', () => {
    // Assess
    const levels = (['POST /admin/imports', 'PUT /admin/imports/{importId}/chunks/{seq}', 'POST /admin/imports/{importId}/start', 'GET /admin/imports/{importId}', 'GET /admin/imports/{importId}/errors', 'GET /admin/imports'] as AdminRouteKey[]).map(
      (key) => accessOf(key),
    );
    expect(levels).toEqual(['admin', 'admin', 'admin', 'viewer', 'viewer', 'viewer']);
  });

  it('answers 503 on every import route where imports aren’t configured', async () => {
    // Prepare
    const { deps } = adminRig();
    const handler = createAdminHandler({ ...deps, imports: undefined });

    // Act
    const answers = await Promise.all([
      handler(httpEvent({ method: 'POST', path: '/admin/imports', body: JSON.stringify(REQUEST) })),
      handler(httpEvent({ method: 'GET', path: '/admin/imports' })),
      handler(httpEvent({ method: 'GET', path: `/admin/imports/${UNKNOWN}` })),
    ]);

    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    expect(JSON.parse(String(answers[0]?.body))).toEqual({ error: 'imports are not configured for this admin API' });
  });
});
