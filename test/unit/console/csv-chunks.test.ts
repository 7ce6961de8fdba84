import { Readable } from 'node:stream';
import { openCsvChunks } from '../../../cli/import/csv-chunks';
import { csvChunks } from '../../../console/src/pages/subscribers/csv-chunks';

/** The CLI's chunks of the same text: the console must upload what `afterchat import` uploads. */
const cliChunks = async (text: string, maxChunkBytes: number) => {
  const { header, chunks } = await openCsvChunks(Readable.from([Buffer.from(text, 'utf8')]), { delimiter: ',', maxChunkBytes });
  const all = [];
  for await (const chunk of chunks) all.push({ seq: chunk.seq, firstLine: chunk.firstLine, csv: chunk.csv, records: chunk.records });
  return { header, chunks: all };
};

describe('the console cutting a CSV file into chunks', () => {
  const FILES: Record<string, string> = {
    'CRLF, a BOM, quoted header cells': '\uFEFFphone,"first name",tags\r\n+4915100000001,Anna,a\r\n+4915100000002,Ben,b\r\n',
    'quoted cells holding commas, quotes and line breaks': 'phone,note\n1,"one, two"\n2,"line\nbreak"\n3,"say ""hi"""\n4,x',
    'blank lines between records and at the end': 'phone,name\n\n1,a\n\n\n2,b\r\n\r\n3,c\n\n',
    'a stray quote inside an unquoted cell': 'phone,name\n1,O"Brien\n2,b\n',
    'lone CRs': 'phone,name\r1,a\r2,b',
    'UTF-8 beyond ASCII': 'phone,name\n1,Zoë 🌷\n2,Jürgen\n3,李\n',
  };

  it.each(Object.entries(FILES))('cuts %s as the CLI does', async (_what, text) => {
    for (const max of [1024 * 1024, 48, 22]) {
      const mine = csvChunks(text, ',', max);
      expect(mine.ok).toBe(true);
      if (!mine.ok) return;
      expect({ header: mine.header, chunks: mine.chunks }).toEqual(await cliChunks(text, max));
    }
  });

  it('counts the rows and keeps every chunk under the limit', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `+49151${String(i).padStart(8, '0')},Name ${i}`);
    const file = csvChunks(['phone,name', ...rows].join('\n'), ',', 4096);
    expect(file.ok && file.rows).toBe(1000);
    if (!file.ok) return;
    expect(file.chunks.every((c) => new TextEncoder().encode(c.csv).length <= 4096)).toBe(true);
    expect(file.chunks.map((c) => c.csv).join('\n').split('\n')).toEqual(rows);
    expect(file.chunks[1]?.firstLine).toBe(2 + (file.chunks[0]?.records ?? 0));
  });

  it('stops before uploading at a quote that never closes, an empty file, a header alone, and text that isn’t UTF-8', () => {
    expect(csvChunks('phone,name\n1,a\n2,"b\n3,c\n', ',')).toEqual({ ok: false, problem: 'line 3: a quoted cell never closes (nothing was imported)' });
    expect(csvChunks('', ',')).toEqual({ ok: false, problem: 'the file is empty: its first line must be the header' });
    expect(csvChunks('phone,name\n', ',')).toEqual({ ok: false, problem: 'the file has a header and no rows: nothing to import' });
    expect(csvChunks('phone,name\n1,a\n2,J\uFFFDrgen\n', ',')).toEqual({ ok: false, problem: 'line 3 is not UTF-8 text: save the file as UTF-8 (Excel: “CSV UTF-8”)' });
  });

  it('reads a semicolon file’s header by its delimiter', () => {
    expect(csvChunks('phone;"name; full"\n1;a\n', ';')).toMatchObject({ ok: true, header: ['phone', 'name; full'] });
  });
});
