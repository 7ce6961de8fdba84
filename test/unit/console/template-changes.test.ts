import { type Template, templateChanges } from '../../../console/src/pages/templates/template-changes';

const template = (name: string, language: string, fields: Partial<Template> = {}): Template => ({
  name,
  language,
  templateId: '1',
  status: 'APPROVED',
  statusReason: null,
  category: 'UTILITY',
  previousCategory: null,
  correctCategory: null,
  quality: 'GREEN',
  components: null,
  syncedAt: '2026-12-07T09:00:00.000Z',
  updatedAt: '2026-12-07T09:00:00.000Z',
  ...fields,
});

describe('what a template sync changed', () => {
  it('names new, changed and gone templates with what moved, and leaves out the unchanged', () => {
    const before = [template('order_update', 'de'), template('winter_sale', 'en', { category: 'MARKETING' }), template('old_promo', 'en'), template('order_update', 'en')];
    const after = [
      template('order_update', 'de', { syncedAt: '2026-12-07T10:00:00.000Z' }),
      template('winter_sale', 'en', { category: 'MARKETING', status: 'PAUSED', quality: 'YELLOW' }),
      template('old_promo', 'en', { status: 'DELETED' }),
      template('order_update', 'en'),
      template('welcome', 'de', { quality: null }),
    ];
    expect(templateChanges(before, after)).toEqual([
      { name: 'old_promo', language: 'en', kind: 'gone', what: ['status APPROVED → DELETED'] },
      { name: 'welcome', language: 'de', kind: 'new', what: ['status APPROVED', 'category UTILITY', 'quality –'] },
      { name: 'winter_sale', language: 'en', kind: 'changed', what: ['status APPROVED → PAUSED', 'quality GREEN → YELLOW'] },
    ]);
  });
});
