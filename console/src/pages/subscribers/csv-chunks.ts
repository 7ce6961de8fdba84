/**
 * A CSV file's text cut into the chunks `PUT /admin/imports/{importId}/chunks/{seq}` takes, as the
 * CLI's cli/import/csv-chunks.ts cuts a file: whole records only (a quoted cell may hold delimiters
 * and line breaks), each chunk at most 1 MiB of UTF-8, told the file line its first record starts
 * on. Only the record boundaries are found here; the cells are the stack's to read and report on.
 * Pure: no DOM, so the unit project tests it.
 */

export const MAX_CHUNK_BYTES = 1024 * 1024;

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvChunk {
  seq: number;
  /** The file line the chunk's first record starts on (the header is line 1). */
  firstLine: number;
  /** Whole records joined by `\n`; blank lines between them kept, so the stack counts the same lines. */
  csv: string;
  records: number;
}

export type CsvFile = { ok: true; header: string[]; chunks: CsvChunk[]; rows: number } | { ok: false; problem: string };

interface CsvRecord {
  line: number;
  text: string;
}

const encoder = new TextEncoder();
const utf8Bytes = (text: string): number => encoder.encode(text).length;

const breaksIn = (text: string): number => text.match(/\r\n|\n|\r/g)?.length ?? 0;

/**
 * The records and the line each starts on. A quote opens a quoted cell only at the cell's start (a
 * stray quote inside an unquoted cell is text, as the stack reads it); `""` inside one is a quote.
 */
const recordsOf = (text: string, delimiter: CsvDelimiter): { records: CsvRecord[] } | { unclosedAt: number } => {
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const start = i;
    const startLine = line;
    let quoted = false;
    let cellStart = true;
    for (; i < text.length; i += 1) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') i += 1;
          else quoted = false;
        }
      } else if (c === '"' && cellStart) {
        quoted = true;
        cellStart = false;
      } else if (c === delimiter) cellStart = true;
      else if (c === '\n' || c === '\r') break;
      else cellStart = false;
    }
    if (quoted) return { unclosedAt: startLine };
    const record = text.slice(start, i);
    line = startLine + breaksIn(record);
    if (i < text.length) {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
    }
    // A blank line: one line, no record.
    if (record !== '') records.push({ line: startLine, text: record });
  }
  return { records };
};

/** The header's cells, quotes taken off. */
const cellsOf = (record: string, delimiter: CsvDelimiter): string[] => {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let cellStart = true;
  for (let i = 0; i < record.length; i += 1) {
    const c = record[i];
    if (quoted) {
      if (c === '"' && record[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cellStart) {
      quoted = true;
      cellStart = false;
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
      cellStart = true;
    } else {
      cell += c;
      cellStart = false;
    }
  }
  cells.push(cell);
  return cells;
};

/** Reads a file's text (a UTF-8 BOM allowed) into its header and chunks, or the problem that stops the import before it starts. */
export const csvChunks = (text: string, delimiter: CsvDelimiter, maxChunkBytes = MAX_CHUNK_BYTES): CsvFile => {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const read = recordsOf(body, delimiter);
  if ('unclosedAt' in read) return { ok: false, problem: `line ${read.unclosedAt}: a quoted cell never closes (nothing was imported)` };
  const [header, ...rows] = read.records;
  if (header === undefined) return { ok: false, problem: 'the file is empty: its first line must be the header' };
  if (rows.length === 0) return { ok: false, problem: 'the file has a header and no rows: nothing to import' };
  // The browser decoded bytes that aren't UTF-8 as U+FFFD: names would be imported garbled.
  const garbled = read.records.find((r) => r.text.includes('\uFFFD'));
  if (garbled) return { ok: false, problem: `line ${garbled.line} is not UTF-8 text: save the file as UTF-8 (Excel: “CSV UTF-8”)` };

  const chunks: CsvChunk[] = [];
  let parts: string[] = [];
  let firstLine = 0;
  let lastLine = 0;
  let bytes = 0;
  const cut = () => {
    chunks.push({ seq: chunks.length, firstLine, csv: parts.join('\n'), records: parts.length });
    parts = [];
    bytes = 0;
  };
  for (const record of rows) {
    const recordBytes = utf8Bytes(record.text);
    if (recordBytes > maxChunkBytes) return { ok: false, problem: `line ${record.line}: the record is over ${maxChunkBytes} bytes, more than one chunk may hold` };
    // Blank lines before a record stay as line breaks, except at a chunk's start: firstLine says where it is.
    const blank = parts.length === 0 ? 0 : record.line - lastLine - 1;
    if (parts.length > 0 && bytes + 1 + blank + recordBytes > maxChunkBytes) cut();
    if (parts.length === 0) {
      firstLine = record.line;
      bytes = recordBytes;
      parts.push(record.text);
    } else {
      bytes += 1 + blank + recordBytes;
      parts.push(`${'\n'.repeat(blank)}${record.text}`);
    }
    lastLine = record.line + breaksIn(record.text);
  }
  if (parts.length > 0) cut();
  return { ok: true, header: cellsOf(header.text, delimiter), chunks, rows: rows.length };
};
