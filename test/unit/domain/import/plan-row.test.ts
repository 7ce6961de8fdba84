import { consentOf } from '../../../../lambdas/domain/consent/consent-record';
import type { ImportSettings } from '../../../../lambdas/domain/import/import-job';
import type { ImportRow } from '../../../../lambdas/domain/import/import-row';
import { planImportRow } from '../../../../lambdas/domain/import/plan-row';
import type { ContactRecord } from '../../../../lambdas/ports/state-store';

const CONTACT = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' } as const;
const settings = (over: Partial<ImportSettings> = {}): ImportSettings => ({
  purpose: 'add_and_update',
  mapping: { tags: 'tags' },
  header: ['tags'],
  doNotOverwrite: [],
  dryRun: false,
  defaults: {},
  delimiter: ',',
  restoreErased: false,
  ...over,
});
const row = (over: Partial<ImportRow> = {}): ImportRow => ({ line: 2, contact: CONTACT, attributes: {}, ...over });
const stored = (state: Record<string, unknown> = {}): ContactRecord => ({ ...CONTACT, state, optIns: [] });
const consent = (capturedAt: number, eventKey = `import#${capturedAt}`) => ({ topic: 'offers', basis: 'express' as const, source: 'import' as const, capturedAt, textShown: 'Yes please', eventKey });
const plan = (r: ImportRow, s: ContactRecord | undefined, over: Partial<ImportSettings> = {}, erased = false) => planImportRow(r, s, { settings: settings(over), erased });

/** The stored state after a plan's writes land, as the adapters would leave it. */
const landed = (before: ContactRecord | undefined, p: ReturnType<typeof plan>): ContactRecord => p.resulting;

describe('planImportRow', () => {
  it('creates a contact the table lacks, marked as the import\'s', () => {
    const p = plan(row({ tags: ['vip'], attributes: { firstName: 'Anna' } }), undefined);
    expect(p).toMatchObject({ outcome: 'created', created: true, profile: { tags: ['vip'], attributes: { firstName: 'Anna' } }, fields: ['tags', 'attribute:firstName'] });
    expect(p.resulting.state).toMatchObject({ origin: 'import', profileTags: ['vip'] });
  });

  it('skips by purpose and erasure', () => {
    expect(plan(row(), stored(), { purpose: 'add_new' })).toMatchObject({ outcome: 'skipped', skipReason: 'exists', writes: [] });
    expect(plan(row(), undefined, { purpose: 'update_existing' })).toMatchObject({ outcome: 'skipped', skipReason: 'not_found' });
    expect(plan(row(), undefined, {}, true)).toMatchObject({ outcome: 'skipped', skipReason: 'erased' });
    expect(plan(row(), undefined, { restoreErased: true }, true)).toMatchObject({ outcome: 'created' });
    // A person erased who wrote again has a record: they're updated like anyone.
    expect(plan(row({ tags: ['vip'] }), stored(), {}, true)).toMatchObject({ outcome: 'updated' });
  });

  it('adds tags and sets filled fields; an empty cell (absent) changes nothing', () => {
    const before = stored({ profileTags: ['newsletter'], profileAttributes: { firstName: 'Anna', city: 'Berlin' }, timeZone: 'Europe/Berlin' });
    const p = plan(row({ tags: ['vip', 'newsletter'], attributes: { firstName: 'Ann' }, country: 'DE' }), before);
    expect(p).toMatchObject({
      outcome: 'updated',
      profile: { tags: ['newsletter', 'vip'], attributes: { firstName: 'Ann', city: 'Berlin' }, timeZone: 'Europe/Berlin', country: 'DE' },
      fields: ['tags', 'attribute:firstName', 'country'],
    });
  });

  it('keeps a stored value of a "do not overwrite" field, and fills an empty one', () => {
    const before = stored({ profileTags: ['a'], profileAttributes: { firstName: 'Anna' }, country: 'NL' });
    const p = plan(row({ tags: ['b'], attributes: { firstName: 'Ann', city: 'Köln' }, country: 'DE', timeZone: 'Europe/Berlin' }), before, {
      doNotOverwrite: ['tags', 'attribute:firstName', 'country', 'timeZone'],
    });
    expect(p).toMatchObject({ outcome: 'updated', profile: { tags: ['a'], attributes: { firstName: 'Anna', city: 'Köln' }, country: 'NL', timeZone: 'Europe/Berlin' }, fields: ['attribute:city', 'timeZone'] });
    expect(plan(row({ attributes: { firstName: 'Ann' } }), before, { doNotOverwrite: ['attributes'] })).toMatchObject({ outcome: 'unchanged', fields: [] });
  });

  it('changes nothing the second time: the same row planned on what the first left is unchanged', () => {
    const r = row({ tags: ['vip'], attributes: { firstName: 'Anna' }, timeZone: 'Europe/Berlin', consent: consent(Date.parse('2026-03-01T00:00:00Z')) });
    const first = plan(r, undefined);
    const second = plan(r, landed(undefined, first));
    expect(second).toMatchObject({ outcome: 'unchanged', writes: [], fields: [] });
    expect(second.profile).toBeUndefined();
  });

  it('writes a consent only when it is newer than the topic\'s stored one', () => {
    const older = plan(row({ consent: consent(1000) }), undefined);
    const state = landed(undefined, older);
    expect(consentOf(state.state, 'offers')?.capturedAt).toBe(1000);
    const newer = plan(row({ consent: consent(2000) }), state);
    expect(newer).toMatchObject({ outcome: 'updated', fields: ['consent:offers'] });
    expect(newer.writes).toHaveLength(1);
    expect(plan(row({ consent: consent(500) }), landed(state, newer))).toMatchObject({ outcome: 'unchanged', writes: [] });
    expect(plan(row({ consent: consent(3000) }), landed(state, newer), { doNotOverwrite: ['consent'] })).toMatchObject({ outcome: 'unchanged', writes: [] });
  });

  it('lands on a WhatsApp person\'s main record when the row names their BSUID', () => {
    const main: ContactRecord = { ...CONTACT, state: {}, optIns: [] };
    const p = plan(row({ contact: { ...CONTACT, userId: 'DE.88201734659910273645' }, tags: ['vip'] }), main);
    expect(p.contact).toEqual(CONTACT);
  });

  it('fails a row that would carry more than 50 attributes, as the profile API refuses them', () => {
    const names = (prefix: string, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'x']));
    const p = plan(row({ attributes: names('new', 11) }), stored({ profileAttributes: names('old', 40) }));
    expect(p).toMatchObject({ outcome: 'failed', error: { line: 2, column: '', reason: 'the contact would carry 51 attributes, at most 50' }, writes: [] });
    expect(p.profile).toBeUndefined();
    expect(plan(row({ attributes: names('new', 10) }), stored({ profileAttributes: names('old', 40) }))).toMatchObject({ outcome: 'updated' });
  });

  it('fails a row that would carry more than 50 tags, naming the tags column', () => {
    const many = Array.from({ length: 45 }, (_, i) => `t${i}`);
    const p = plan(row({ tags: Array.from({ length: 10 }, (_, i) => `n${i}`) }), stored({ profileTags: many }));
    expect(p).toMatchObject({ outcome: 'failed', error: { line: 2, column: 'tags', reason: 'the contact would carry 55 tags, at most 50' }, writes: [] });
  });
});
