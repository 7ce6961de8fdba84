/**
 * `npm run build:console`: builds the console (console/ → console/dist/) with Vite and prints the
 * production JavaScript's size, raw and gzipped; fails when the gzipped JavaScript passes 300 KB.
 * `--json` prints the figures as JSON.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST } from '../lambdas/local/console-files';

const ROOT = join(__dirname, '..', 'console');
const BUDGET_GZIP_BYTES = 300 * 1024;

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

export interface ConsoleSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  jsBytes: number;
  jsGzipBytes: number;
  budgetGzipBytes: number;
}

export const measureConsole = (dist = CONSOLE_DIST): ConsoleSize => {
  const files = filesUnder(dist)
    .filter((path) => path.endsWith('.js'))
    .map((path) => {
      const bytes = readFileSync(path);
      return { file: relative(dist, path), bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    });
  return {
    files,
    jsBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    jsGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    budgetGzipBytes: BUDGET_GZIP_BYTES,
  };
};

/** Vite's own CLI (Vite is ESM-only; this script runs as CommonJS), with console/vite.config.mts. */
export const buildConsole = (options: { quiet?: boolean } = {}): ConsoleSize => {
  const vite = join(__dirname, '..', 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', options.quiet ? 'error' : 'warn'], { cwd: ROOT, stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`vite build failed (exit ${String(run.status)})`);
  return measureConsole();
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const main = () => {
  const json = process.argv.includes('--json');
  const size = buildConsole({ quiet: json });
  if (json) console.log(JSON.stringify(size));
  else {
    for (const f of size.files) console.log(`  ${f.file.padEnd(40)} ${kb(f.bytes).padStart(10)}  ${kb(f.gzipBytes).padStart(9)} gzipped`);
    console.log(`console JavaScript: ${kb(size.jsBytes)}, ${kb(size.jsGzipBytes)} gzipped (budget ${kb(size.budgetGzipBytes)} gzipped)`);
  }
  if (size.jsGzipBytes > size.budgetGzipBytes) {
    console.error(`over budget by ${kb(size.jsGzipBytes - size.budgetGzipBytes)}`);
    process.exit(1);
  }
};

if (require.main === module) main();
