/**
 * RFC 4180 CSV for `--csv`: a header line, then a line per row, CRLF. A text cell a spreadsheet
 * would run as a formula (CSV injection: Meta's error titles and topics come from outside) gets a
 * leading `'`; numbers stay numbers, so a net of -2 is still -2.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | null | undefined;

const cell = (value: CsvValue): string => {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const toCsv = (header: readonly string[], rows: readonly (readonly CsvValue[])[]): string =>
  [header, ...rows].map((row) => `${row.map(cell).join(',')}\r\n`).join('');
