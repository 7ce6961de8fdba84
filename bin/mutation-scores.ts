/**
 * `npm run test:mutation` ends here: the mutation score per file, from StrykerJS's JSON report.
 *
 *   tsx bin/mutation-scores.ts                      # the table (reports/mutation/mutation.json)
 *   tsx bin/mutation-scores.ts --json               # the same as JSON, one object per file
 *   tsx bin/mutation-scores.ts --survivors          # and every surviving or uncovered mutant, by line
 *   tsx bin/mutation-scores.ts --report other.json
 *
 * The score is Stryker's: (killed + timed out) / (killed + timed out + survived + no coverage). Mutants the
 * type checker refused (compile errors) and static mutants Stryker skipped (`ignoreStatic`) don't count.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ReportMutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: ReportMutant[] }>;
}

interface FileScore {
  file: string;
  score: number | null;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  compileErrors: number;
  ignored: number;
}

const scoresOf = (report: Report, cwd = process.cwd()): FileScore[] =>
  Object.entries(report.files)
    .map(([file, { mutants }]) => {
      const count = (status: string) => mutants.filter((m) => m.status === status).length;
      const killed = count('Killed');
      const timeout = count('Timeout');
      const survived = count('Survived');
      const noCoverage = count('NoCoverage');
      const valid = killed + timeout + survived + noCoverage;
      return {
        file: relative(cwd, file) || file,
        score: valid === 0 ? null : Math.round(((killed + timeout) / valid) * 10_000) / 100,
        killed,
        timeout,
        survived,
        noCoverage,
        compileErrors: count('CompileError'),
        ignored: count('Ignored'),
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));

const total = (scores: FileScore[]): FileScore => {
  const sum = (key: keyof Omit<FileScore, 'file' | 'score'>) => scores.reduce((n, s) => n + s[key], 0);
  const detected = sum('killed') + sum('timeout');
  const valid = detected + sum('survived') + sum('noCoverage');
  return {
    file: 'All files',
    score: valid === 0 ? null : Math.round((detected / valid) * 10_000) / 100,
    killed: sum('killed'),
    timeout: sum('timeout'),
    survived: sum('survived'),
    noCoverage: sum('noCoverage'),
    compileErrors: sum('compileErrors'),
    ignored: sum('ignored'),
  };
};

const table = (rows: FileScore[]): string => {
  const head = ['file', 'score %', 'killed', 'timeout', 'survived', 'no cov', 'compile err', 'ignored'];
  const cells = rows.map((r) => [
    r.file,
    r.score === null ? 'n/a' : r.score.toFixed(2),
    ...[r.killed, r.timeout, r.survived, r.noCoverage, r.compileErrors, r.ignored].map(String),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
};

const main = () => {
  const args = process.argv.slice(2);
  const at = args.indexOf('--report');
  const path = at >= 0 ? (args[at + 1] ?? '') : 'reports/mutation/mutation.json';
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  const scores = scoresOf(report);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ files: scores, total: total(scores) }, null, 2));
  } else {
    console.log(table([...scores, total(scores)]));
  }
  if (args.includes('--survivors')) {
    for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
      const left = mutants
        .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
        .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
      for (const m of left) {
        const where = `${relative(process.cwd(), file)}:${m.location.start.line}:${m.location.start.column}`;
        console.log(`${m.status.padEnd(10)} ${where} ${m.mutatorName}: ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120)}`);
      }
    }
  }
};

main();
