import { parseChunk } from '../../../../lambdas/domain/import/csv-chunk';

describe('parseChunk', () => {
  it('numbers each record by the file line it starts on, across quoted line breaks and blank lines', () => {
    const csv = 'a,b\n"x\ny",c\n\nd,e\r\nf,"g\n\nh"\n,,\ni,j\n';
    expect(parseChunk(csv, 2, ',')).toEqual({
      ok: true,
      records: [
        { line: 2, cells: ['a', 'b'] },
        { line: 3, cells: ['x\ny', 'c'] },
        { line: 6, cells: ['d', 'e'] },
        { line: 7, cells: ['f', 'g\n\nh'] },
        { line: 11, cells: ['i', 'j'] },
      ],
    });
  });

  it('counts a CRLF inside a quoted cell as one line, and lines of any script', () => {
    const csv = 'ä,"Grüße\r\naus Köln"\r\n\r\nö,b\r\n';
    expect(parseChunk(csv, 2, ',')).toEqual({ ok: true, records: [{ line: 2, cells: ['ä', 'Grüße\r\naus Köln'] }, { line: 5, cells: ['ö', 'b'] }] });
  });

  it('reads semicolon and tab separated files', () => {
    expect(parseChunk('a;"b;c"\n', 5, ';')).toEqual({ ok: true, records: [{ line: 5, cells: ['a', 'b;c'] }] });
    expect(parseChunk('a\tb\n', 5, '\t')).toEqual({ ok: true, records: [{ line: 5, cells: ['a', 'b'] }] });
  });

  it('keeps rows of another length for the row check, and a stray quote as text', () => {
    expect(parseChunk('a,b,c\nx"y,z\n', 2, ',')).toEqual({ ok: true, records: [{ line: 2, cells: ['a', 'b', 'c'] }, { line: 3, cells: ['x"y', 'z'] }] });
  });

  it('refuses a chunk whose quote never closes, naming the line the record starts on', () => {
    expect(parseChunk('a,b\nc,d\n"open,e\nf,g\n', 10, ',')).toEqual({ ok: false, line: 12, reason: 'a quoted cell is never closed' });
  });
});
