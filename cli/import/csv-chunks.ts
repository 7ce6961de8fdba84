/**
 * A CSV file read as a stream and cut into the chunks `PUT /admin/imports/{importId}/chunks/{seq}`
 * takes: whole records only (a quoted field may hold commas and line breaks), each chunk at most
 * 1 MiB of UTF-8 and told the file line its first record starts on. At most one chunk is held at a
 * time, so memory doesn't grow with the file.
 */
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { UsageError } from '../errors';

export const MAX_CHUNK_BYTES = 1024 * 1024;

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvChunk {
  seq: number;
  /** The file line the chunk's first record starts on (the header is line 1). */
  firstLine: number;
  /** Whole records joined by `\n`; blank lines between them kept, so the server counts the same lines. */
  csv: string;
  records: number;
  /** UTF-8 bytes of `csv`. */
  bytes: number;
}

export interface CsvChunks {
  /** The header's cells, a UTF-8 BOM stripped. */
  header: string[];
  /** The records after the header, chunk by chunk; read once. */
  chunks: AsyncGenerator<CsvChunk, void, undefined>;
}

interface RawRecord {
  record: string[];
  raw: string;
}

/**
 * One line break as a person's editor counts it. csv-parse's own `info.lines` counts a CRLF inside a
 * quoted field twice, so lines are counted here, in each record's raw text. Blank lines are read as
 * records of their own (skip_empty_lines off): the raw text csv-parse gives a record after skipped
 * blank lines loses some of their breaks (`\n\r\n\n` comes back as `\r\n`).
 */
const LINE_BREAK = /\r\n|\n|\r/g;
const TRAILING_BREAK = /(?:\r\n|\n|\r)$/;
const LEADING_BREAKS = /^(?:\r\n|\n|\r)+/;

const breaks = (text: string): number => text.match(LINE_BREAK)?.length ?? 0;

/** A record's own text: its raw text without the line break that ended it (csv-parse keeps part of a CRLF there). */
const textOf = (raw: string): string => raw.replace(TRAILING_BREAK, '').replace(LEADING_BREAKS, '');

/** csv-parse's words name the line it stopped at; an import whose file can't be read is never started. */
const readError = (error: unknown): UsageError =>
  new UsageError(`the CSV can't be read: ${error instanceof CsvError ? error.message : (error as Error).message} (nothing was imported)`);

/**
 * Opens `source` as CSV: answers its header once the first record is read, and the chunks of the
 * rest as they are pulled. A record that can't be parsed (an unclosed quote) stops the reading.
 */
export const openCsvChunks = async (source: Readable, options: { delimiter: CsvDelimiter; maxChunkBytes?: number }): Promise<CsvChunks> => {
  const maxChunkBytes = options.maxChunkBytes ?? MAX_CHUNK_BYTES;
  // The options the server's parseChunk reads a chunk with: a stray quote inside an unquoted cell is
  // text, a row of another length is the server's to report. The record delimiters are named, since
  // csv-parse would otherwise take the first line break it meets, even one inside a quoted cell.
  const parser = source.pipe(
    parse({ bom: true, delimiter: options.delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, relax_quotes: true, skip_empty_lines: false, raw: true }),
  );
  source.once('error', (error) => parser.destroy(error));
  // Parsed to the end, failed or given up on: the file is closed either way.
  parser.once('close', () => source.destroy());
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<RawRecord>;
  /** The line the last record read ended on. */
  let line = 0;
  const next = async (): Promise<{ line: number; text: string; cells: string[] } | undefined> => {
    let step: IteratorResult<RawRecord>;
    let text: string;
    for (;;) {
      try {
        step = await records.next();
      } catch (error) {
        throw readError(error);
      }
      if (step.done === true) return undefined;
      text = textOf(step.value.raw);
      if (text !== '') break;
      // A blank line: one line, no record.
      line += 1;
    }
    const start = line + 1;
    // Bytes that aren't UTF-8 were decoded as U+FFFD: names would be imported garbled.
    if (text.includes('\uFFFD')) throw new UsageError(`line ${start} is not UTF-8 text: save the file as UTF-8 (Excel: "CSV UTF-8"), nothing was imported`);
    line = start + breaks(text);
    return { line: start, text, cells: step.value.record };
  };

  const header = await next();
  if (header === undefined) throw new UsageError('the CSV is empty: its first line must be the header');

  async function* chunks(): AsyncGenerator<CsvChunk, void, undefined> {
    let seq = 0;
    let parts: string[] = [];
    let firstLine = 0;
    let lastLine = 0;
    let bytes = 0;
    const cut = (): CsvChunk => {
      const chunk = { seq, firstLine, csv: parts.join('\n'), records: parts.length, bytes };
      seq += 1;
      parts = [];
      bytes = 0;
      return chunk;
    };
    try {
      for (let record = await next(); record !== undefined; record = await next()) {
        const recordBytes = Buffer.byteLength(record.text, 'utf8');
        if (recordBytes > maxChunkBytes) throw new UsageError(`line ${record.line}: the record is over ${maxChunkBytes} bytes, more than one chunk may hold`);
        // Blank lines before a record stay as line breaks, except at a chunk's start: firstLine says where it is.
        const blank = parts.length === 0 ? 0 : record.line - lastLine - 1;
        if (parts.length > 0 && bytes + 1 + blank + recordBytes > maxChunkBytes) yield cut();
        if (parts.length === 0) {
          firstLine = record.line;
          bytes = recordBytes;
          parts.push(record.text);
        } else {
          bytes += 1 + blank + recordBytes;
          parts.push(`${'\n'.repeat(blank)}${record.text}`);
        }
        lastLine = record.line + breaks(record.text);
      }
      if (parts.length > 0) yield cut();
    } finally {
      // The caller stopped early (an upload failed): stop parsing, which closes the file.
      await records.return?.();
    }
  }

  return { header: header.cells, chunks: chunks() };
};
