import { resolveMapping } from '../../../../lambdas/domain/import/column-mapping';

describe('resolveMapping', () => {
  it('maps the usual CRM headers by name, whatever their case and separators', () => {
    const result = resolveMapping(['Channel', 'Page ID', 'phone_number', 'First Name', 'Tags', 'Consent Basis', 'captured_at', 'Consent text', 'Topic', 'Source', 'TZ', 'country'], undefined, {});
    expect(result).toEqual({
      ok: true,
      ignored: [],
      mapping: {
        Channel: 'channel',
        'Page ID': 'accountId',
        phone_number: 'userId',
        'First Name': 'attribute:firstName',
        Tags: 'tags',
        'Consent Basis': 'consent.basis',
        captured_at: 'consent.capturedAt',
        'Consent text': 'consent.textShown',
        Topic: 'consent.topic',
        Source: 'consent.source',
        TZ: 'timeZone',
        country: 'country',
      },
    });
  });

  it('makes an unknown header an attribute of its own name, and attr: prefixes name one', () => {
    const result = resolveMapping(['psid', 'loyalty tier', 'attr:customer_id'], undefined, { channel: 'messenger', accountId: '1' });
    expect(result).toMatchObject({ ok: true, mapping: { psid: 'userId', 'loyalty tier': 'attribute:loyalty tier', 'attr:customer_id': 'attribute:customer_id' } });
  });

  it('lets the caller override any column, including to ignore it', () => {
    const result = resolveMapping(['id', 'notes', 'lang'], { id: 'userId', notes: 'ignore', lang: 'attribute:locale' }, { channel: 'whatsapp', accountId: '1' });
    expect(result).toEqual({ ok: true, mapping: { id: 'userId', notes: 'ignore', lang: 'attribute:locale' }, ignored: ['notes'] });
  });

  it('names every problem: no user id, no account, two columns on one target, a bad override', () => {
    const result = resolveMapping(['channel', 'phone', 'mobile', 'x'], { x: 'nonsense', y: 'tags', phone: 'attribute:__proto__' }, {});
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"x" → "nonsense": unknown target'),
        expect.stringContaining('"y", which the header doesn\'t have'),
        expect.stringContaining('"phone" → "attribute:__proto__": attribute name __proto__ is reserved'),
        'no column maps to accountId and no default account is given',
      ]),
    );
    // phone's override was refused, so phone and mobile both still map to userId.
    expect(problems).toContain('"phone" and "mobile" all map to userId: map all but one to ignore');
  });

  it('refuses a header that names a column twice', () => {
    expect(resolveMapping(['psid', 'psid'], undefined, { channel: 'messenger', accountId: '1' })).toEqual({ ok: false, problems: ['the header names "psid" twice'] });
  });
});
