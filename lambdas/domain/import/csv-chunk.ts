import { CsvError, parse } from 'csv-parse/sync';
import type { ImportSettings } from './import-job';

export interface CsvRecord {
  /** The file's line number where the record starts (a quoted cell may hold line breaks). */
  line: number;
  cells: string[];
}

export type ChunkResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; reason: string };

/**
 * A chunk's records (RFC 4180, csv-parse; `\r\n`, `\n` or `\r` line ends), blank ones left out.
 * Rows of a different length parse (the row parser says which line has how many), and a stray quote
 * inside an unquoted cell is kept as text; but a quote left open can't be cut into lines: the chunk
 * is refused, naming the line where the record holding it starts.
 */
export const parseChunk = (csv: string, firstLine: number, delimiter: ImportSettings['delimiter']): ChunkResult => {
  const bytes = Buffer.from(csv, 'utf8');
  const records: CsvRecord[] = [];
  // Lines are counted here, in the text each record took: csv-parse's own count takes a CRLF inside a quoted cell for two.
  let line = firstLine;
  let consumed = 0;
  /** Where the record being read starts: the line after the previous one, past blank lines. */
  const startOf = (text: string): number => line + (LEADING_BREAKS.exec(text)?.[0].match(LINE_BREAK)?.length ?? 0);
  try {
    parse(bytes, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      on_record: (cells: string[], context: { bytes: number }) => {
        const text = bytes.subarray(consumed, context.bytes).toString('utf8');
        // A spreadsheet's trailing `,,,` rows are blank lines, not rows with every value missing.
        if (cells.some((cell) => cell.trim() !== '')) records.push({ line: startOf(text), cells });
        line += text.match(LINE_BREAK)?.length ?? 0;
        consumed = context.bytes;
        return null;
      },
    });
    return { ok: true, records };
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, line: startOf(bytes.subarray(consumed).toString('utf8')), reason: reasonOf(error.code) };
    throw error;
  }
};

const LINE_BREAK = /\r\n|\n|\r/g;
const LEADING_BREAKS = /^(?:\r\n|\n|\r)+/;

const reasonOf = (code: string): string => {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote closes a cell and is followed by more than the delimiter';
    default:
      return `not valid CSV (${code})`;
  }
};
