import Table from 'cli-table3';
import type { CliContext } from '../context';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: '  ',
};

/** How long a list cell may grow before it is cut: whole values are in `show`, and in `--json`. */
const CELL_MAX = 60;

/**
 * What a command prints: with `--json`, the stack's answer as it came (for scripts and jq); else
 * tables for a person. Notes (progress, what happens next) go to stderr, so stdout stays the result.
 */
export interface Output {
  readonly json: boolean;
  /** `answer` as JSON with --json; otherwise `render` draws it. */
  result(answer: unknown, render: () => void): void;
  table<T>(rows: readonly T[], columns: readonly Column<T>[], empty?: string): void;
  /** One object as `field │ value` rows, nested fields dotted (`policy.sendingPause.until`). */
  record(value: object, title?: string): void;
  line(text: string): void;
  note(text: string): void;
}

export const createOutput = (ctx: CliContext, json: boolean): Output => {
  const colour = ctx.stdout.isTTY === true;
  const print = (text: string) => void ctx.stdout.write(`${text}\n`);
  const head = (text: string) => (colour ? `\u001b[1m${text}\u001b[22m` : text);
  const layout = (rows: string[][]) => {
    // Borderless, two spaces between columns: a row is one line to read, grep or cut.
    const table = new Table({ chars: BORDERLESS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
    table.push(...rows);
    print(table.toString().split('\n').map((line) => line.trimEnd()).join('\n'));
  };
  return {
    json,
    result(answer, render) {
      if (json) print(JSON.stringify(answer, null, 2));
      else render();
    },
    table(rows, columns, empty = '(none)') {
      if (rows.length === 0) return print(empty);
      const cells = rows.map((row) => columns.map((c) => cut(cell(c.value(row)))));
      const rule = columns.map((c, i) => '─'.repeat(Math.max(c.header.length, ...cells.map((r) => (r[i] as string).length))));
      layout([columns.map((c) => head(c.header)), rule, ...cells]);
    },
    record(value, title) {
      if (title !== undefined) print(title);
      layout(flatten(value as Record<string, unknown>).map(([field, shown]) => [head(field), shown]));
    },
    line: print,
    note: (text) => void ctx.stderr.write(`${text}\n`),
  };
};

/** A value as a person reads it: `—` for nothing, lists joined, small objects as compact JSON. */
const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.length === 0 ? '—' : value.map(cell).join(', ');
  return JSON.stringify(value);
};

const cut = (text: string): string => (text.length > CELL_MAX ? `${text.slice(0, CELL_MAX - 1)}…` : text);

/** Nested objects as dotted fields; lists of objects stay one JSON value. */
const flatten = (value: Record<string, unknown>, prefix = ''): [string, string][] =>
  Object.entries(value).flatMap(([key, v]): [string, string][] => {
    const field = `${prefix}${key}`;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) return flatten(v as Record<string, unknown>, `${field}.`);
    return [[field, cell(v)]];
  });
