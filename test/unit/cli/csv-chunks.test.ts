/**
 * The CLI's CSV reader (cli/import/csv-chunks.ts): a file cut into upload chunks of whole records,
 * each told the file line its first record starts on, read as the chunks are pulled.
 */
import { createReadStream, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { type CsvChunk, openCsvChunks } from '../../../cli/import/csv-chunks';
import { parseChunk } from '../../../lambdas/domain/import/csv-chunk';

/** The text arriving in pieces of `size` bytes, so records and characters straddle reads. */
const streamOf = (text: string, size = 7): Readable => {
  const bytes = Buffer.from(text, 'utf8');
  return Readable.from((function* () {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  })());
};

const collect = async (text: string, options: { maxChunkBytes?: number; delimiter?: ',' | ';' | '\t'; size?: number } = {}) => {
  const { header, chunks } = await openCsvChunks(streamOf(text, options.size), { delimiter: options.delimiter ?? ',', maxChunkBytes: options.maxChunkBytes });
  const all: CsvChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return { header, chunks: all };
};

/** Each record of a chunk with the line it starts on, as the server reads a chunk: blank lines skipped but counted. */
const recordsOf = (chunk: CsvChunk, delimiter = ','): { line: number; cells: string[] }[] => {
  const out: { line: number; cells: string[] }[] = [];
  let line = chunk.firstLine;
  for (const { raw, record } of parse(chunk.csv, { delimiter, raw: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as unknown as { raw: string; record: string[] }[]) {
    const body = raw.replace(/(?:\r\n|\n|\r)$/, '');
    if (body !== '') out.push({ line, cells: record });
    line += (body.match(/\r\n|\n|\r/g)?.length ?? 0) + 1;
  }
  return out;
};

const allRecords = (chunks: CsvChunk[]) => chunks.flatMap((chunk) => recordsOf(chunk));

describe('openCsvChunks', () => {
  it('answers the header without its BOM and every record with the line it starts on, multi-line quoted fields included', async () => {
    const text = '\ufeffchannel,userId,consent.textShown\r\nwhatsapp,+4915112345678,"Yes, send me offers.\r\nStop any time: reply STOP"\r\nmessenger,6543210987654321,\r\n';

    const { header, chunks } = await collect(text);

    expect(header).toEqual(['channel', 'userId', 'consent.textShown']);
    expect(chunks).toEqual([expect.objectContaining({ seq: 0, firstLine: 2, records: 2 })]);
    expect(allRecords(chunks)).toEqual([
      { line: 2, cells: ['whatsapp', '+4915112345678', 'Yes, send me offers.\r\nStop any time: reply STOP'] },
      { line: 4, cells: ['messenger', '6543210987654321', ''] },
    ]);
  });

  it('never splits a record: quoted commas and line breaks stay in one chunk, each chunk within the byte limit', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `${i},"a, b\nc ""quoted""\nd",x` : `${i},plain,ü€`));
    const text = `id,text,more\n${rows.join('\n')}\n`;

    const { chunks } = await collect(text, { maxChunkBytes: 300, size: 5 });

    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    for (const chunk of chunks) {
      expect(chunk.bytes).toBe(Buffer.byteLength(chunk.csv, 'utf8'));
      expect(chunk.bytes).toBeLessThanOrEqual(300);
      expect(chunk.records).toBe(recordsOf(chunk).length);
    }
    const records = allRecords(chunks);
    expect(records.map((r) => r.cells[0])).toEqual(rows.map((_, i) => String(i)));
    expect(records.find((r) => r.cells[0] === '3')).toEqual({ line: 7, cells: ['3', 'a, b\nc "quoted"\nd', 'x'] });
    // Every chunk's firstLine is the line its first record starts on, also after a multi-line record.
    for (const chunk of chunks) expect(recordsOf(chunk)[0]?.line).toBe(chunk.firstLine);
  });

  it('counts a CRLF inside a quoted field as one line, and keeps blank lines between records so later lines stay right', async () => {
    const text = 'a,b\n"x\r\ny",1\n\n\n2,3\n"p\nq",4\n';

    const { chunks } = await collect(text, { size: 1 });

    expect(chunks).toHaveLength(1);
    expect(allRecords(chunks)).toEqual([
      { line: 2, cells: ['x\r\ny', '1'] },
      { line: 6, cells: ['2', '3'] },
      { line: 7, cells: ['p\nq', '4'] },
    ]);
  });

  it('starts a chunk at its first record, never at blank lines before it', async () => {
    const text = 'a,b\n1,one\n\n\n2,two\n';

    const { chunks } = await collect(text, { maxChunkBytes: 6 });

    expect(chunks.map(({ firstLine, csv }) => ({ firstLine, csv }))).toEqual([
      { firstLine: 2, csv: '1,one' },
      { firstLine: 5, csv: '2,two' },
    ]);
  });

  it('reads the delimiter it is given', async () => {
    const { header, chunks } = await collect('name;tags\nLena;"vip;new"\n', { delimiter: ';' });
    expect(header).toEqual(['name', 'tags']);
    expect(chunks.flatMap((chunk) => recordsOf(chunk, ';'))).toEqual([{ line: 2, cells: ['Lena', 'vip;new'] }]);
  });

  it('refuses an empty file, a record over the limit, and an unclosed quote, naming the line', async () => {
    await expect(collect('')).rejects.toThrow('the CSV is empty');
    await expect(collect(`a\nshort\n${'x'.repeat(50)}\n`, { maxChunkBytes: 20 })).rejects.toThrow('line 3: the record is over 20 bytes');
    await expect(collect('a,b\n1,2\n3,"open\n4,5\n')).rejects.toThrow("the CSV can't be read: Quote Not Closed: the parsing is finished with an opening quote at line 4 (nothing was imported)");
  });

  it('refuses a file that is not UTF-8 (a Windows-1252 export), naming the line', async () => {
    const latin1 = Buffer.concat([Buffer.from('name,city\nLena,Berlin\nJos', 'utf8'), Buffer.from([0xe9]), Buffer.from(',K\xf6ln\n', 'latin1')]);
    const { chunks } = await openCsvChunks(Readable.from([latin1]), { delimiter: ',' });

    await expect(chunks.next()).rejects.toThrow('line 3 is not UTF-8 text: save the file as UTF-8 (Excel: "CSV UTF-8"), nothing was imported');
  });

  it('reads a large file as the chunks are pulled, not at once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'afterchat-chunks-')), 'big.csv');
    const shown = `"Ja, bitte: Angebote per WhatsApp.\n${'Abmelden jederzeit mit STOP. '.repeat(3)}"`;
    const row = (i: number) => `whatsapp,+49151${String(i).padStart(8, '0')},vip newsletter,${shown}`;
    writeFileSync(file, `channel,userId,tags,consent.textShown\n${Array.from({ length: 40_000 }, (_, i) => row(i)).join('\n')}\n`);
    const size = statSync(file).size;
    const source = createReadStream(file);

    const { chunks } = await openCsvChunks(source, { delimiter: ',' });
    const first = await chunks.next();
    const readForFirst = source.bytesRead;
    let count = 1;
    let lastLine = 0;
    for await (const chunk of chunks) {
      count += 1;
      lastLine = chunk.firstLine + chunk.records * 2 - 2;
    }

    expect(size).toBeGreaterThan(5 * 1024 * 1024);
    expect(first.value).toMatchObject({ seq: 0, firstLine: 2 });
    // One chunk (≤ 1 MiB) and the stream's read-ahead, not the file.
    expect(readForFirst).toBeLessThan(2 * 1024 * 1024);
    expect(count).toBeGreaterThanOrEqual(Math.ceil(size / (1024 * 1024)));
    expect(lastLine).toBe(1 + 40_000 * 2 - 1);
  });

  it('closes the file when the caller stops pulling', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'afterchat-chunks-')), 'stop.csv');
    writeFileSync(file, `a,b\n${Array.from({ length: 100_000 }, (_, i) => `${i},x`).join('\n')}\n`);
    const source = createReadStream(file);
    const { chunks } = await openCsvChunks(source, { delimiter: ',', maxChunkBytes: 1024 });

    for await (const chunk of chunks) if (chunk.seq === 1) break;

    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });

  it('numbers records after blank lines of mixed line ends as the server does (an editor appended to a Windows file)', async () => {
    // Lines: 1 header, 2 `1,a`, 3 blank (CRLF), 4 blank (LF), 5 `2,b`, 6 and 7 blank (CRLF), 8 blank (LF), 9 `3,c`.
    const text = 'user,name\r\n1,a\n\r\n\n2,b\r\n\r\n\r\n\n3,c\r\n';

    for (const size of [1, 7, 64]) {
      const { chunks } = await collect(text, { size, maxChunkBytes: 8 });
      const lines = chunks.flatMap((chunk) => {
        const parsed = parseChunk(chunk.csv, chunk.firstLine, ',');
        return parsed.ok ? parsed.records.map((r) => r.line) : [];
      });

      expect(lines).toEqual([2, 5, 9]);
    }
  });
});
