/**
 * Interface under test: stateChanges for `template_category_update` — only a completed notice moves
 * the category in force (which routes and prices sends); an impending one records the coming change.
 */
import type { TemplateCategoryEvent } from '../../../lambdas/domain/events';
import { stateChanges } from '../../../lambdas/domain/state-changes';
import { normaliseWebhookBody } from '../../../lambdas/normalise/webhook-body';
import { loadEvent } from '../../helpers/events';

const WABA = { channel: 'whatsapp' as const, accountId: '102290129340398' };
const at = Date.UTC(2026, 11, 6, 9);
const notice = (over: Partial<TemplateCategoryEvent>): TemplateCategoryEvent => ({
  type: 'template_category',
  eventKey: `whatsapp#${WABA.accountId}#tpl-category#${over.category ?? 'x'}#${at}`,
  occurredAt: at,
  account: WABA,
  templateId: '1543098217764530',
  name: 'loyalty_points_update',
  language: 'de',
  category: 'UTILITY',
  ...over,
});
const registers = (event: TemplateCategoryEvent) => stateChanges(event).filter((w) => w.target.entity === 'template');

describe('template_category_update', () => {
  it('a completed notice (previous_category) sets the category in force and clears a coming change', () => {
    const writes = registers(notice({ category: 'MARKETING', previousCategory: 'UTILITY' }));
    expect(writes.find((w) => w.register === 'templateCategory')?.fields).toEqual({ category: 'MARKETING', categoryAt: at });
    expect(writes.find((w) => w.register === 'templateRecategorisation')?.fields).toMatchObject({ previousCategory: 'UTILITY', correctCategory: undefined });
  });

  it('an impending notice (correct_category, its new_category the current one) leaves the category in force alone and records the coming one', () => {
    const writes = registers(notice({ category: 'UTILITY', correctCategory: 'MARKETING' }));
    expect(writes.map((w) => w.register)).not.toContain('templateCategory');
    expect(writes.find((w) => w.register === 'templateRecategorisation')?.fields).toMatchObject({ correctCategory: 'MARKETING', recategorisedAt: at });
  });
});

describe('template_category_update samples, end to end', () => {
  const templateWrites = (file: string) =>
    normaliseWebhookBody(loadEvent(`meta/whatsapp/${file}`)).events.flatMap(stateChanges).filter((w) => w.target.entity === 'template');

  it('the impending sample records MARKETING as coming and writes no category', () => {
    const writes = templateWrites('template-category-update-impending.json');
    expect(writes.map((w) => w.register)).not.toContain('templateCategory');
    expect(writes.find((w) => w.register === 'templateRecategorisation')?.fields).toMatchObject({ correctCategory: 'MARKETING' });
  });

  it('the completed sample moves the category in force to MARKETING', () => {
    expect(templateWrites('template-category-update.json').find((w) => w.register === 'templateCategory')?.fields).toMatchObject({ category: 'MARKETING' });
  });
});
