/**
 * `npm run bench:import [-- --rows N[,N…]] [--no-again] [--json]`: the CSV import end to end (issue 14:
 * "`npm run bench:import` prints rows/s and peak memory for 50,000 rows"). For each size: generates a
 * CRM list (60 % WhatsApp E.164 numbers in five countries, two in three with an express consent and
 * every 7th consent text on two lines; 30 % Messenger PSIDs, every 4th with a consent; 10 % Instagram
 * IGSIDs; tags and attributes on every row; one row in 200 with a user id that can't be one), then
 * runs the CLI's import (cli/import/run-import.ts: the file streamed into 1 MiB chunks) against the
 * local stack: the real admin routes, and the real import worker fed by its SQS queue, slice after
 * slice. A dry run first, then the real run, then the same file again (every good row unchanged).
 *
 * Prints per run the rows/s from start to completed (the worker's own startedAt → completedAt), the
 * phase times, and the process's peak RSS and heap, sampled every 20 ms, with the heap's growth over
 * the run's start. dynalite (the table) runs in a child process, so what is measured is this
 * process's: the CLI, the admin API and the worker; the table's data is not in it. Exits 1 when a
 * count isn't what the file holds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { createAfterchatClient, type AfterchatClient } from '../cli/client/afterchat-client';
import { resolveTarget } from '../cli/client/target';
import { createTransport } from '../cli/client/transport';
import type { CliContext } from '../cli/context';
import { type ImportOutcome, runImport } from '../cli/import/run-import';
import { startLocalStack } from '../lambdas/local/local-stack';

const ROOT = join(__dirname, '..');
const HEADER = 'channel,account_id,user_id,first_name,last_name,locale,tags,time_zone,country,city,customer_no,consent_basis,consent_source,consent_captured_at,consent_text,consent_topic';
const WHATSAPP = '109876543210987';
const PAGE = '1234567890123456';
const INSTAGRAM = '17841400000000001';
const BAD_EVERY = 200;
const FIRST = ['Lena', 'Jonas', 'Sanne', 'Mia', 'Tom', 'Ana', 'Chloe', 'Max', 'Eva', 'Oliver', 'Paul', 'Léa'];
const LAST = ['Schmidt', 'Weber', 'de Vries', 'Keller', 'Baker', 'Silva', 'Martin', 'Braun', 'Smith', 'Wagner', 'Dubois'];
const CITIES = ['Berlin', 'Leipzig', 'Amsterdam', 'London', 'Paris', 'Lisbon', 'Palo Alto'];
const TAGS = ['vip', 'newsletter', 'b2b', 'lapsed', 'summer-sale'];
const COUNTRIES = [
  { country: 'DE', zone: 'Europe/Berlin', locale: 'de', phone: (n: string) => `+49 151 ${n.slice(-8)}` },
  { country: 'NL', zone: 'Europe/Amsterdam', locale: 'nl', phone: (n: string) => `+316${n.slice(-8)}` },
  { country: 'GB', zone: 'Europe/London', locale: 'en', phone: (n: string) => `+44 7${n}` },
  { country: 'FR', zone: 'Europe/Paris', locale: 'fr', phone: (n: string) => `+33 6 ${n.slice(-8)}` },
  { country: 'US', zone: 'America/Los_Angeles', locale: 'en', phone: (n: string) => `+1 650 ${n.slice(-7)}` },
];
const TEXT = 'Yes, send me offers on WhatsApp. Reply STOP to end.';
const TEXT_TWO_LINES = '"Ja, schickt mir Angebote per WhatsApp.\nAbmelden jederzeit mit STOP."';

const argValue = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at < 0 ? undefined : process.argv[at + 1];
};

/** Row i of the list: its line is i + 2. Distinct ids for distinct i below 10^7. */
const rowOf = (i: number): string => {
  const n = String(100_000_000 + i);
  const place = COUNTRIES[i % COUNTRIES.length] as (typeof COUNTRIES)[number];
  const tags = [TAGS[i % TAGS.length], ...(i % 3 === 0 ? [TAGS[(i + 2) % TAGS.length]] : [])].join(';');
  const person = [FIRST[i % FIRST.length], LAST[i % LAST.length], place.locale, tags, place.zone, place.country, CITIES[i % CITIES.length], `C-${n}`];
  const kind = i % 10;
  let account: [string, string];
  let user: string;
  let consent = ['', '', '', '', ''];
  if (kind < 6) {
    account = ['whatsapp', WHATSAPP];
    user = place.phone(n);
    if (i % 3 !== 0) consent = ['express', 'checkout form', `2026-0${1 + (i % 9)}-1${i % 10}T09:30:00+01:00`, i % 7 === 0 ? TEXT_TWO_LINES : `"${TEXT}"`, 'marketing'];
    else if (i % 9 === 0) consent = ['implied', 'existing customer', '2025-11-20', '', 'marketing'];
  } else if (kind < 9) {
    account = ['messenger', PAGE];
    user = String(7_200_000_000_000_000 + i);
    if (i % 4 === 0) consent = ['express', 'website popup', '2026-01-10T12:00:00Z', 'Get our deals in Messenger? Yes', 'deals'];
  } else {
    account = ['instagram', INSTAGRAM];
    user = String(7_300_000_000_000_000 + i);
  }
  if (i % BAD_EVERY === BAD_EVERY - 1) user = 'not-an-id';
  return [...account, user, ...person, ...consent].join(',');
};

/** The list written to a file as it is generated: the bench holds no more of it than the CLI would. */
const writeList = async (file: string, rows: number): Promise<number> => {
  const out = createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve)));
  await write(`${HEADER}\n`);
  for (let i = 0; i < rows; i += 1) await write(`${rowOf(i)}\n`);
  await new Promise<void>((resolve, reject) => out.once('error', reject).end(resolve));
  return out.bytesWritten;
};

/** dynalite in a child process: the table's data stays out of the measured heap. */
const startDynaliteChild = async (): Promise<{ endpoint: string; child: ChildProcess }> => {
  const child = spawn(
    process.execPath,
    ['-e', "const s = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }); s.listen(0, '127.0.0.1', () => console.log(s.address().port));"],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (data: Buffer) => resolve(data.toString('utf8').trim()));
  });
  return { endpoint: `http://127.0.0.1:${port}`, child };
};

/** CPU seconds a process has used, from /proc (Linux; clock ticks of 10 ms): dynalite's share of the work. */
const childCpuSeconds = (pid: number | undefined): number | undefined => {
  try {
    const fields = readFileSync(`/proc/${pid ?? ''}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
};

const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

interface Peak {
  rss: number;
  heap: number;
  /** The heap right after a full collection: what is held, not what awaits collection. */
  live: number;
}

const NO_PEAK: Peak = { rss: 0, heap: 0, live: 0 };

/**
 * process.memoryUsage() every 20 ms, and once a second the heap after a full collection (with
 * --expose-gc): the peak of each since the last `take`.
 */
const startSampler = () => {
  let peak: Peak = NO_PEAK;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peak = { ...peak, rss: Math.max(peak.rss, rss), heap: Math.max(peak.heap, heapUsed) };
  };
  const sampleLive = () => {
    collectGarbage();
    peak = { ...peak, live: Math.max(peak.live, process.memoryUsage().heapUsed) };
  };
  const timers = [setInterval(sample, 20), setInterval(sampleLive, 1000)];
  return {
    take: (): Peak => {
      sample();
      sampleLive();
      const taken = peak;
      peak = NO_PEAK;
      return taken;
    },
    stop: () => timers.forEach(clearInterval),
  };
};

const mib = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;
const seconds = (ms: number): number => Math.round(ms / 100) / 10;

interface RunFigures {
  rows: number;
  run: 'dry run' | 'real run' | 'again';
  rowsPerSecond: number;
  phases: { readAndCreateS: number; uploadS: number; startS: number; processS: number };
  chunks: number;
  /** CPU seconds of this process (CLI, API, worker) and of dynalite's, over the run. */
  cpuS: { bench: number; dynalite?: number };
  peakRssMiB: number;
  peakHeapMiB: number;
  heapGrowthMiB: number;
  peakLiveHeapMiB: number;
  liveHeapGrowthMiB: number;
  uploadPeakLiveHeapMiB: number;
  workerLiveHeapGrowthMiB: number;
  counts: ImportOutcome['job']['counts'];
}

const quietContext = (): CliContext => ({
  env: {},
  cwd: ROOT,
  stdout: { write: () => true },
  stderr: { write: () => true },
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  interrupted: () => new Promise(() => undefined),
});

const measureRun = async (client: AfterchatClient, file: string, rows: number, run: RunFigures['run'], dynalitePid: number | undefined): Promise<RunFigures> => {
  const sampler = startSampler();
  const cpuAtStart = process.cpuUsage();
  const dynaliteAtStart = childCpuSeconds(dynalitePid);
  try {
    collectGarbage();
    const base = process.memoryUsage().heapUsed;
    sampler.take();
    let uploadPeak: Peak = NO_PEAK;
    let workerBase = base;
    const ctx = quietContext();
    // The upload's peak ends where the job is started; the worker's growth is measured from there.
    const startImport = client.startImport;
    const probe: AfterchatClient = {
      ...client,
      startImport: async (importId, chunks) => {
        uploadPeak = sampler.take();
        collectGarbage();
        workerBase = process.memoryUsage().heapUsed;
        return startImport(importId, chunks);
      },
    };
    const outcome = await runImport(ctx, probe, { file, timeoutMs: 3_600_000, request: { dryRun: run === 'dry run', purpose: 'add_and_update', delimiter: ',', doNotOverwrite: [], defaults: {}, restoreErased: false } });
    const workerPeak = sampler.take();
    const cpu = process.cpuUsage(cpuAtStart);
    const dynaliteAtEnd = childCpuSeconds(dynalitePid);
    const { job, times } = outcome;
    const processMs = Date.parse(job.completedAt ?? '') - Date.parse(job.startedAt ?? '');
    return {
      rows,
      run,
      rowsPerSecond: Math.round(rows / (processMs / 1000)),
      phases: { readAndCreateS: seconds(times.created - times.began), uploadS: seconds(times.uploaded - times.created), startS: seconds(times.started - times.uploaded), processS: seconds(processMs) },
      chunks: outcome.chunks,
      cpuS: {
        bench: seconds((cpu.user + cpu.system) / 1000),
        ...(dynaliteAtStart === undefined || dynaliteAtEnd === undefined ? {} : { dynalite: Math.round((dynaliteAtEnd - dynaliteAtStart) * 10) / 10 }),
      },
      peakRssMiB: mib(Math.max(uploadPeak.rss, workerPeak.rss)),
      peakHeapMiB: mib(Math.max(uploadPeak.heap, workerPeak.heap)),
      heapGrowthMiB: mib(Math.max(uploadPeak.heap, workerPeak.heap) - base),
      peakLiveHeapMiB: mib(Math.max(uploadPeak.live, workerPeak.live)),
      liveHeapGrowthMiB: mib(Math.max(uploadPeak.live, workerPeak.live) - base),
      uploadPeakLiveHeapMiB: mib(uploadPeak.live),
      workerLiveHeapGrowthMiB: mib(workerPeak.live - workerBase),
      counts: job.counts,
    };
  } finally {
    sampler.stop();
  }
};

/** What the generated list must come to: every bad row one error, the rest created once, then unchanged. */
const problems = (figures: RunFigures): string[] => {
  const bad = Math.floor(figures.rows / BAD_EVERY);
  const good = figures.rows - bad;
  const { counts } = figures;
  const expected = {
    rows: figures.rows,
    failed: bad,
    errors: bad,
    created: figures.run === 'again' ? 0 : good,
    unchanged: figures.run === 'again' ? good : 0,
    updated: 0,
  };
  return Object.entries(expected)
    .filter(([key, value]) => counts[key as keyof typeof expected] !== value)
    .map(([key, value]) => `${figures.rows} rows, ${figures.run}: ${key} ${String(counts[key as keyof typeof expected])}, expected ${value}`);
};

const main = async (): Promise<void> => {
  const sizes = (argValue('--rows') ?? '50000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--rows takes whole numbers ≥ 1, comma-separated');
  const json = process.argv.includes('--json');
  const again = !process.argv.includes('--no-again');
  const log = (line: string) => void (json ? process.stderr : process.stdout).write(`${line}\n`);
  const dynalite = await startDynaliteChild();
  const dir = mkdtempSync(join(tmpdir(), 'afterchat-bench-import-'));
  const all: RunFigures[] = [];
  const gcNote = (globalThis as { gc?: unknown }).gc === undefined ? ' (no --expose-gc: heap growth includes garbage not yet collected)' : '';
  log(`node ${process.version}, ${availableParallelism()} CPUs, load average ${(loadavg()[0] ?? 0).toFixed(2)}; dynalite in a child process${gcNote}`);
  try {
    for (const rows of sizes) {
      const file = join(dir, `contacts-${rows}.csv`);
      const bytes = await writeList(file, rows);
      log(`${rows.toLocaleString('en')} rows, ${mib(bytes)} MiB: ${file}`);
      const stack = await startLocalStack({
        appSecret: 'bench-app-secret',
        verifyToken: 'bench-verify-token',
        dynamoEndpoint: dynalite.endpoint,
        tableName: `bench-import-${rows}`,
        schedulerTickMs: false,
        logger: new Logger({ serviceName: 'afterchat-bench', logLevel: 'ERROR' }),
      });
      try {
        const client = createAfterchatClient(createTransport({ target: resolveTarget(stack.url, {}), env: {} }));
        const accounts = JSON.parse(readFileSync(join(ROOT, 'events/admin/accounts.json'), 'utf8')) as (Parameters<AfterchatClient['putAccount']>[1] & { channel: 'messenger' | 'instagram' | 'whatsapp'; accountId: string })[];
        for (const { channel, accountId, ...account } of accounts) await client.putAccount({ channel, accountId }, account);
        for (const run of ['dry run', 'real run', ...(again ? ['again'] : [])] as RunFigures['run'][]) {
          const figures = await measureRun(client, file, rows, run, dynalite.child.pid);
          all.push(figures);
          const { phases, cpuS } = figures;
          log(
            `  ${run}: ${figures.rowsPerSecond} rows/s (read+create ${phases.readAndCreateS} s, upload ${phases.uploadS} s, start ${phases.startS} s, process ${phases.processS} s; ` +
              `CPU ${cpuS.bench} s here, ${cpuS.dynalite ?? '?'} s dynalite); peak RSS ${figures.peakRssMiB} MiB, heap ${figures.peakHeapMiB} MiB, live heap ${figures.peakLiveHeapMiB} MiB (+${figures.liveHeapGrowthMiB})`,
          );
        }
      } finally {
        await stack.close();
      }
      rmSync(file);
    }
  } finally {
    dynalite.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }

  const failures = all.flatMap(problems);
  if (json) {
    process.stdout.write(`${JSON.stringify({ runs: all, failures }, null, 2)}\n`);
  } else {
    const table: string[][] = [
      ['rows', 'run', 'rows/s', 'read+create s', 'upload s', 'start s', 'process s', 'chunks', 'CPU s (bench / dynalite)', 'peak RSS MiB', 'peak heap MiB', 'live heap MiB', 'live growth MiB', 'upload live MiB', 'worker live growth MiB', 'created', 'unchanged', 'errors'],
      ...all.map((f) => [
        f.rows.toLocaleString('en'),
        f.run,
        String(f.rowsPerSecond),
        String(f.phases.readAndCreateS),
        String(f.phases.uploadS),
        String(f.phases.startS),
        String(f.phases.processS),
        String(f.chunks),
        `${f.cpuS.bench} / ${f.cpuS.dynalite ?? '?'}`,
        String(f.peakRssMiB),
        String(f.peakHeapMiB),
        String(f.peakLiveHeapMiB),
        String(f.liveHeapGrowthMiB),
        String(f.uploadPeakLiveHeapMiB),
        String(f.workerLiveHeapGrowthMiB),
        String(f.counts.created),
        String(f.counts.unchanged),
        String(f.counts.errors),
      ]),
    ];
    const widths = table[0]?.map((_, col) => Math.max(...table.map((row) => (row[col] ?? '').length))) ?? [];
    log('');
    for (const row of table) log(row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ').trimEnd());
    const last = all.filter((f) => f.run !== 'again').at(-1);
    if (last) {
      log(`\nsendable after the ${last.run} of ${last.rows.toLocaleString('en')} rows: ${JSON.stringify(last.counts.sendable)}; routes ${JSON.stringify(last.counts.sendableByRoute)}; not sendable ${JSON.stringify(last.counts.notSendable)}`);
    }
    log(
      "\nNotes: rows/s is the worker's, from the job's startedAt to its completedAt (slices of 500 records chained through the local SQS queue).\n" +
        'Memory is this process: the CLI reading and uploading, the admin API storing chunks, and the worker; dynalite holds the table in a child process.\n' +
        "Peak heap is heapUsed sampled every 20 ms (garbage included: V8 collects lazily); live heap is heapUsed after a full collection, once a second: what is held.\n" +
        'Growth is over the heap before the run (live growth) and, for the worker, over the heap when the job was started.',
    );
  }
  for (const failure of failures) process.stderr.write(`MISMATCH ${failure}\n`);
  if (failures.length > 0) process.exitCode = 1;
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
