import type { ColumnTarget, ImportSettings } from '../../../../lambdas/domain/import/import-job';
import { parseImportRow } from '../../../../lambdas/domain/import/import-row';

const NOW = Date.parse('2026-12-06T10:00:00Z');
const HEADER = ['channel', 'account', 'user', 'tags', 'firstName', 'tz', 'country', 'basis', 'source', 'capturedAt', 'text', 'topic'];
const MAPPING: Record<string, ColumnTarget> = {
  channel: 'channel',
  account: 'accountId',
  user: 'userId',
  tags: 'tags',
  firstName: 'attribute:firstName',
  tz: 'timeZone',
  country: 'country',
  basis: 'consent.basis',
  source: 'consent.source',
  capturedAt: 'consent.capturedAt',
  text: 'consent.textShown',
  topic: 'consent.topic',
};
const settings = (over: Partial<ImportSettings> = {}): ImportSettings => ({
  purpose: 'add_and_update',
  mapping: MAPPING,
  header: HEADER,
  doNotOverwrite: [],
  dryRun: false,
  defaults: {},
  delimiter: ',',
  restoreErased: false,
  ...over,
});
const row = (cells: Partial<Record<string, string>>, line = 2) => ({ line, cells: HEADER.map((h) => cells[h] ?? '') });
const WA = { channel: 'whatsapp', account: '109876543210987' };

describe('parseImportRow', () => {
  it('reads a WhatsApp row with its consent and provenance', () => {
    const result = parseImportRow(
      row({ ...WA, user: '+49 151 1234-5678', tags: 'vip; newsletter|vip', firstName: ' Anna ', tz: 'Europe/Berlin', country: 'de', basis: 'Express', source: 'checkout form', capturedAt: '2026-03-01T09:30:00+01:00', text: 'Yes, send me offers on WhatsApp', topic: 'offers' }),
      settings(),
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      row: {
        line: 2,
        contact: { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' },
        tags: ['vip', 'newsletter'],
        attributes: { firstName: 'Anna' },
        timeZone: 'Europe/Berlin',
        country: 'DE',
        consent: {
          topic: 'offers',
          basis: 'express',
          source: 'import',
          sourceDetail: 'checkout form',
          capturedAt: Date.parse('2026-03-01T08:30:00Z'),
          textShown: 'Yes, send me offers on WhatsApp',
          eventKey: expect.stringMatching(/^import#[0-9a-f]{16}$/) as string,
        },
      },
    });
  });

  it('keys a consent by what the row says: the same row gives the same key, another capture time another', () => {
    const cells = { ...WA, user: '4915112345678', basis: 'implied', capturedAt: '2026-03-01', topic: 'offers' };
    const key = (c: Record<string, string>) => {
      const r = parseImportRow(row(c), settings(), NOW);
      return r.ok ? r.row.consent?.eventKey : undefined;
    };
    expect(key(cells)).toBe(key({ ...cells }));
    expect(key(cells)).not.toBe(key({ ...cells, capturedAt: '2026-03-02' }));
  });

  it('takes a BSUID, a PSID and an IGSID as they are, and the defaults where the row has no channel or account', () => {
    const defaults = settings({ defaults: { channel: 'messenger', accountId: '1234567890123456' } });
    expect(parseImportRow(row({ user: '6543210987654321' }), defaults, NOW)).toMatchObject({ ok: true, row: { contact: { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' } } });
    expect(parseImportRow(row({ ...WA, user: 'DE.88201734659910273645' }), settings(), NOW)).toMatchObject({ ok: true, row: { contact: { userId: 'DE.88201734659910273645' } } });
  });

  it('names every bad cell by line and column, never quoting the value', () => {
    const result = parseImportRow(
      row({ channel: 'sms', account: 'abc', user: '+49 77', tz: 'Mars/Olympus', country: 'Germany', tags: 'a#b' }, 7),
      settings(),
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 7, column: 'channel', reason: 'one of messenger, instagram, whatsapp' },
        { line: 7, column: 'tags', reason: 'each tag: a tag cannot contain #' },
        { line: 7, column: 'tz', reason: 'an IANA time zone such as Europe/Berlin' },
        { line: 7, column: 'country', reason: 'an ISO 3166-1 alpha-2 country such as DE' },
      ],
    });
    const phone = parseImportRow(row({ ...WA, user: '+49 77' }, 8), settings(), NOW);
    expect(phone).toEqual({ ok: false, errors: [{ line: 8, column: 'user', reason: expect.stringContaining('E.164') as string }] });
    expect(JSON.stringify(phone)).not.toContain('+49 77');
  });

  it('keys a WhatsApp phone by its wa_id whichever way a CRM wrote it, the "(0)" trunk prefix left out', () => {
    const waId = (user: string) => {
      const parsed = parseImportRow(row({ ...WA, user }), settings(), NOW);
      return parsed.ok ? parsed.row.contact.userId : undefined;
    };
    expect(['+49 151 23456789', '0049 151 23456789', '+49 (0)151 23456789', '+49 (0) 151-2345-6789', '4915123456789'].map(waId)).toEqual(Array(5).fill('4915123456789'));
    expect(waId('+44 (0)20 7946 0958')).toBe('442079460958');
    expect(waId('+33 (0)6 12 34 56 78')).toBe('33612345678');
  });

  it('holds a consent to its rules: basis, a past capture time with an offset, a topic, the text of an express one', () => {
    const errors = (cells: Record<string, string>) => {
      const r = parseImportRow(row({ ...WA, user: '4915112345678', ...cells }), settings(), NOW);
      return r.ok ? [] : r.errors.map((e) => `${e.column}: ${e.reason}`);
    };
    expect(errors({ basis: 'express', capturedAt: '2026-03-01T09:30:00', topic: 'offers', text: 'Yes' })).toEqual([expect.stringMatching(/^capturedAt: an ISO-8601 time with its offset/)]);
    expect(errors({ basis: 'express', capturedAt: '2027-01-01', topic: 'offers', text: 'Yes' })).toEqual(['capturedAt: a time in the past: a consent is captured before it is imported']);
    expect(errors({ basis: 'express', capturedAt: '2026-02-30', topic: 'offers', text: 'Yes' })).toEqual([expect.stringMatching(/^capturedAt: an ISO-8601/)]);
    expect(errors({ basis: 'express', capturedAt: '2026-03-01', topic: 'offers' })).toEqual([': an express consent needs the text the person was shown']);
    expect(errors({ basis: 'maybe', topic: 'offers' })).toEqual(['basis: one of express, implied', ': a consent needs the time it was captured']);
    expect(errors({ source: 'web form' })).toEqual([': a consent needs its basis', ': a consent needs the time it was captured', ': a consent needs its topic']);
  });

  it('refuses a row with another number of cells than the header', () => {
    expect(parseImportRow({ line: 4, cells: ['whatsapp', '1'] }, settings(), NOW)).toEqual({ ok: false, errors: [{ line: 4, column: '', reason: 'expected 12 cells (the header\'s), found 2' }] });
  });
});
