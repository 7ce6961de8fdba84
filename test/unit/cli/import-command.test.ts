/**
 * `afterchat import <file.csv>` against a stand-in admin API: the header creates the job, the rows
 * go up as whole-record chunks with their first line, the job is started and followed, and the
 * summary, the first errors and the errors file come from the completed job.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAfterchat } from '../../helpers/cli-run';

interface Chunk {
  firstLine: number;
  csv: string;
}

interface Stand {
  created: Record<string, unknown>[];
  chunks: Map<number, Chunk>;
  started?: number;
  polls: number;
  errors: { line: number; column: string; reason: string }[];
  counts: Record<string, unknown>;
  refuse?: string[];
  /** Polls answered `running` before `completed`. */
  runningPolls: number;
  /** Chunk uploads answered 503 before one is stored. */
  failures: number;
  /** Polls answered 503 before one is answered. */
  pollFailures: number;
  uploads: number;
}

let server: Server;
let port: string;
let stand: Stand;

const COUNTS = {
  rows: 6,
  created: 3,
  updated: 0,
  unchanged: 1,
  skipped: { erased: 1 },
  failed: 1,
  errors: 2,
  sendable: { whatsapp_template: 2, messenger_marketing: 0, none: 3 },
  sendableByRoute: { 'whatsapp.template': 2 },
  notSendable: { no_marketing_consent: 2, no_opt_in_token: 1 },
};

const view = (status: string, processed: number) => {
  const request = stand.created[0] ?? {};
  const header = (request.header as string[] | undefined) ?? [];
  return {
    importId: 'imp_1',
    name: request.name,
    status,
    dryRun: request.dryRun ?? false,
    purpose: request.purpose ?? 'add_and_update',
    doNotOverwrite: request.doNotOverwrite ?? [],
    restoreErased: request.restoreErased ?? false,
    delimiter: request.delimiter ?? ',',
    defaults: request.defaults ?? {},
    header,
    mapping: Object.fromEntries(header.map((cell) => [cell, cell === 'Notes' ? 'ignore' : cell === 'phone' ? 'userId' : `attribute:${cell}`])),
    ignored: header.filter((cell) => cell === 'Notes'),
    createdAt: '2026-12-06T22:00:00.000Z',
    chunks: { total: stand.started ?? null, processed: status === 'completed' ? (stand.started ?? 0) : 0 },
    rows: { total: stand.started === undefined ? null : 6, processed },
    counts: status === 'completed' ? stand.counts : { ...COUNTS, rows: processed },
  };
};

const answer = (method: string, url: URL, body: unknown): [number, unknown] => {
  const path = url.pathname;
  if (method === 'POST' && path === '/admin/imports') {
    if (stand.refuse) return [400, { error: 'the mapping can’t work for this header', problems: stand.refuse }];
    stand.created.push(body as Record<string, unknown>);
    return [201, view('uploading', 0)];
  }
  const chunk = /^\/admin\/imports\/imp_1\/chunks\/(\d+)$/.exec(path);
  if (method === 'PUT' && chunk) {
    stand.uploads += 1;
    if (stand.failures > 0) {
      stand.failures -= 1;
      return [503, { error: 'Service Unavailable' }];
    }
    stand.chunks.set(Number(chunk[1]), body as Chunk);
    return [200, { importId: 'imp_1', seq: Number(chunk[1]), records: 1, bytes: 1, stored: 'stored' }];
  }
  if (method === 'POST' && path === '/admin/imports/imp_1/start') {
    stand.started = (body as { chunks: number }).chunks;
    return [202, view('queued', 0)];
  }
  if (method === 'GET' && path === '/admin/imports/imp_1') {
    if (stand.pollFailures > 0) {
      stand.pollFailures -= 1;
      return [503, { error: 'Service Unavailable' }];
    }
    stand.polls += 1;
    return [200, stand.polls <= stand.runningPolls ? view('running', 3) : view('completed', 6)];
  }
  if (method === 'GET' && path === '/admin/imports/imp_1/errors') {
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const from = Number(url.searchParams.get('cursor') ?? 0);
    const page = stand.errors.slice(from, from + limit);
    return [200, { importId: 'imp_1', errors: page, ...(from + limit < stand.errors.length ? { cursor: String(from + limit) } : {}) }];
  }
  return [404, { error: 'no such route' }];
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (part: Buffer) => (text += part.toString('utf8')));
    req.on('end', () => {
      const [status, body] = answer(req.method ?? 'GET', new URL(req.url ?? '/', 'http://stand'), text === '' ? undefined : JSON.parse(text));
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = String((server.address() as AddressInfo).port);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  stand = {
    created: [],
    chunks: new Map(),
    polls: 0,
    runningPolls: 2,
    failures: 0,
    pollFailures: 0,
    uploads: 0,
    counts: COUNTS,
    errors: [
      { line: 4, column: 'phone', reason: 'not a phone number in E.164 (+ and 8–15 digits)' },
      { line: 4, column: 'consent_captured_at', reason: 'not an ISO-8601 time' },
    ],
  };
});

const CSV = '\ufeffphone,first_name,consent_text,Notes\n+4915112345678,Lena,"Ja,\nbitte",x\n+4915112345679,Jonas,,y\nnot-a-phone,Mia,,z\n';

const fileWith = (text: string): { dir: string; file: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'afterchat-import-'));
  writeFileSync(join(dir, 'contacts.csv'), text);
  return { dir, file: 'contacts.csv' };
};

const afterchat = (args: string[], cwd: string) => runAfterchat(['import', ...args], { env: { PORT: port }, cwd, sleep: () => Promise.resolve() });

describe('afterchat import', () => {
  it('creates the job from the header, uploads the rows as chunks with their first line, and prints the dry run’s summary', async () => {
    // Prepare
    const { dir, file } = fileWith(CSV);

    // Act
    const { code, stdout, stderr } = await afterchat([file, '--dry-run', '--channel', 'whatsapp', '--account', '109876543210987', '--map', 'Notes=ignore', '--do-not-overwrite', 'attribute:first_name'], dir);

    // Assess
    expect(code).toBe(0);
    expect(stand.created).toEqual([
      {
        header: ['phone', 'first_name', 'consent_text', 'Notes'],
        name: 'contacts.csv',
        purpose: 'add_and_update',
        dryRun: true,
        restoreErased: false,
        delimiter: ',',
        mapping: { Notes: 'ignore' },
        doNotOverwrite: ['attribute:first_name'],
        defaults: { channel: 'whatsapp', accountId: '109876543210987' },
      },
    ]);
    expect([...stand.chunks.values()]).toEqual([{ firstLine: 2, csv: '+4915112345678,Lena,"Ja,\nbitte",x\n+4915112345679,Jonas,,y\nnot-a-phone,Mia,,z' }]);
    expect(stand.started).toBe(1);
    expect(stderr).toContain('uploaded contacts.csv: 1 chunk, 1 KiB; import imp_1 (dry run)');
    expect(stdout).toContain('dry run of contacts.csv (imp_1): 6 rows read, nothing written');
    expect(stdout).toMatch(/^phone +userId$/m);
    expect(stdout).toMatch(/^Notes +ignore$/m);
    expect(stdout).toMatch(/^would be created +3$/m);
    expect(stdout).toMatch(/^unchanged +1$/m);
    expect(stdout).toMatch(/^skipped: erased +1$/m);
    expect(stdout).toMatch(/^failed +1$/m);
    expect(stdout).toMatch(/^whatsapp_template +2$/m);
    expect(stdout).toMatch(/^by route +rows\n─+ +─+\nwhatsapp\.template +2$/m);
    expect(stdout).toMatch(/^not sendable because +rows\n─+ +─+\nno_marketing_consent +2\nno_opt_in_token +1$/m);
    expect(stdout).toContain('2 errors in 1 row:');
    expect(stdout).toMatch(/^4 +phone +not a phone number in E\.164/m);
    expect(stdout).toMatch(/^4 +consent_captured_at +not an ISO-8601 time$/m);
  });

  it('shows the first 20 errors and writes every one to --errors-file as CSV, following the pages', async () => {
    // Prepare
    const { dir, file } = fileWith(CSV);
    stand.errors = Array.from({ length: 130 }, (_, i) => ({ line: i + 2, column: i % 2 === 0 ? 'phone' : '', reason: i === 5 ? 'says "no", then more' : 'not a phone number' }));
    stand.counts = { ...COUNTS, errors: 130, failed: 130 };

    // Act
    const { code, stdout, stderr } = await afterchat([file, '--errors-file', 'errors.csv'], dir);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('imported contacts.csv (imp_1): 6 rows');
    expect(stdout).toMatch(/^created +3$/m);
    expect(stdout).toContain('130 errors in 130 rows, the first 20:');
    expect(stdout).toMatch(/^21 +\(row\) +not a phone number$/m);
    expect(stdout).not.toMatch(/^22 /m);
    expect(stdout).toMatch(/^3 +\(row\) +not a phone number$/m);
    expect(stderr).toContain('all 130 errors are in errors.csv');
    const lines = readFileSync(join(dir, 'errors.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(131);
    expect(lines[0]).toBe('line,column,reason');
    expect(lines[6]).toBe('7,,"says ""no"", then more"');
    expect(lines[130]).toBe('131,,not a phone number');
  });

  it('says where the other errors are without --errors-file', async () => {
    const { dir, file } = fileWith(CSV);
    stand.errors = Array.from({ length: 25 }, (_, i) => ({ line: i + 2, column: 'phone', reason: 'not a phone number' }));
    stand.counts = { ...COUNTS, errors: 25, failed: 25 };

    const { code, stderr } = await afterchat([file], dir);

    expect(code).toBe(0);
    expect(stderr).toContain('the other 5: GET /admin/imports/imp_1/errors lists them; --errors-file errors.csv writes them all to a file');
  });

  it('prints the completed job as the stack answers it with --json', async () => {
    const { dir, file } = fileWith(CSV);

    const { code, stdout } = await afterchat([file, '--json', '--delimiter', 'comma'], dir);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ importId: 'imp_1', status: 'completed', rows: { total: 6, processed: 6 }, counts: COUNTS });
  });

  it('reads a semicolon file and cuts a large one into several chunks, each starting at a whole record', async () => {
    // Prepare: ~2.4 MiB of rows with a quoted multi-line cell each
    const rows = Array.from({ length: 12_000 }, (_, i) => `+49151${String(i).padStart(8, '0')};"Zeile eins;\n${'x'.repeat(180)}"`);
    const { dir, file } = fileWith(`phone;note\n${rows.join('\n')}\n`);

    // Act
    const { code } = await afterchat([file, '--delimiter', ';', '--channel', 'whatsapp', '--account', '109876543210987'], dir);

    // Assess
    expect(code).toBe(0);
    const chunks = [...stand.chunks.entries()].sort(([a], [b]) => a - b).map(([, chunk]) => chunk);
    expect(chunks.length).toBe(3);
    expect(stand.started).toBe(3);
    let line = 2;
    for (const chunk of chunks) {
      expect(chunk.firstLine).toBe(line);
      expect(Buffer.byteLength(chunk.csv)).toBeLessThanOrEqual(1024 * 1024);
      expect(chunk.csv.startsWith('+49151')).toBe(true);
      line += chunk.csv.split('\n').length;
    }
    expect(line).toBe(2 + 12_000 * 2);
  });

  it('sends a chunk again when the stack failed it, and gives up after four tries; a failed poll is asked again', async () => {
    const { dir, file } = fileWith(CSV);
    stand.failures = 2;
    stand.pollFailures = 3;

    const retried = await afterchat([file], dir);

    expect(retried.code).toBe(0);
    expect(stand.uploads).toBe(3);
    expect(stand.chunks.size).toBe(1);
    expect(retried.stdout).toContain('imported contacts.csv (imp_1): 6 rows');

    stand.failures = 4;
    stand.uploads = 0;
    const failed = await afterchat([file], dir);

    expect(failed.code).toBe(1);
    expect(stand.uploads).toBe(4);
    expect(failed.stderr).toContain('PUT /admin/imports/imp_1/chunks/0: 503 Service Unavailable');
  });

  it('stops following after --timeout, exit 1, saying where the import goes on', async () => {
    const { dir, file } = fileWith(CSV);
    stand.runningPolls = Number.POSITIVE_INFINITY;
    let now = 0;

    const { code, stderr } = await runAfterchat(['import', file, '--timeout', '2'], {
      env: { PORT: port },
      cwd: dir,
      now: () => now,
      sleep: (ms) => {
        now += ms;
        return Promise.resolve();
      },
    });

    expect(code).toBe(1);
    expect(stderr).toContain('afterchat: import imp_1: still not finished after 2 s (rows, running)\n  the import goes on in the stack: GET /admin/imports/imp_1 shows it');
  });

  it('answers the stack’s mapping problems one per line, exit 1', async () => {
    const { dir, file } = fileWith(CSV);
    stand.refuse = ['no column maps to channel and no default channel is given', 'no column maps to accountId and no default account is given'];

    const { code, stderr } = await afterchat([file], dir);

    expect(code).toBe(1);
    expect(stderr).toContain("afterchat: the import can't start with this header and mapping\n  no column maps to channel and no default channel is given\n  no column maps to accountId");
    expect(stand.chunks.size).toBe(0);
  });

  it('refuses a file with a header and no rows, a missing file and an unknown delimiter, creating nothing (exit 2)', async () => {
    const { dir, file } = fileWith('phone,first_name\n\n');

    const empty = await afterchat([file], dir);
    const missing = await afterchat(['nope.csv'], dir);
    const delimiter = await afterchat([file, '--delimiter', '|'], dir);

    expect([empty.code, missing.code, delimiter.code]).toEqual([2, 2, 2]);
    expect(empty.stderr).toContain('contacts.csv has a header and no rows: nothing to import');
    expect(missing.stderr).toContain("can't read nope.csv: no such file");
    expect(delimiter.stderr).toContain('expected , ; or tab.');
    expect(stand.created).toEqual([]);
  });
});
