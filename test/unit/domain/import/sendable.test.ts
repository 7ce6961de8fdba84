import type { ImportSettings } from '../../../../lambdas/domain/import/import-job';
import type { ImportRow } from '../../../../lambdas/domain/import/import-row';
import { planImportRow } from '../../../../lambdas/domain/import/plan-row';
import { sendableOf } from '../../../../lambdas/domain/import/sendable';
import type { AccountPolicyState } from '../../../../lambdas/domain/send/policy-types';
import { KEYWORD_OPT_OUT_REGISTER } from '../../../../lambdas/domain/automation/keyword-opt-out';
import type { ContactRecord } from '../../../../lambdas/ports/state-store';

const NOW = Date.parse('2026-12-06T10:00:00Z');
const WA = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' } as const;
const PAGE = { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' } as const;
const settings: ImportSettings = { purpose: 'add_and_update', mapping: {}, header: [], doNotOverwrite: [], dryRun: false, defaults: {}, delimiter: ',', restoreErased: false };
const waAccount: AccountPolicyState = { channel: 'whatsapp', accountId: WA.accountId, templates: {} };
const pageAccount: AccountPolicyState = { channel: 'messenger', accountId: PAGE.accountId, templates: {}, country: 'DE' };
const consent = (basis: 'express' | 'implied') => ({ topic: 'offers', basis, source: 'import' as const, capturedAt: NOW - 86_400_000, textShown: 'Yes', eventKey: `import#${basis}` });
const imported = (r: Partial<ImportRow>, stored?: ContactRecord): ContactRecord =>
  planImportRow({ line: 2, contact: WA, attributes: {}, ...r }, stored, { settings, erased: false }).resulting;

describe('sendableOf: whether the contact an import leaves could get a marketing message', () => {
  it('a WhatsApp contact the import created is sendable only with an express consent', () => {
    expect(sendableOf(imported({ consent: consent('express') }), waAccount, NOW)).toEqual({ bucket: 'whatsapp_template', route: 'whatsapp.template' });
    expect(sendableOf(imported({}), waAccount, NOW)).toEqual({ bucket: 'none', reason: 'no_marketing_consent' });
    expect(sendableOf(imported({ consent: consent('implied') }), waAccount, NOW)).toEqual({ bucket: 'none', reason: 'no_marketing_consent' });
  });

  it('a WhatsApp contact who wrote to the business keeps today\'s rules, consent or not', () => {
    const wrote: ContactRecord = { ...WA, state: { lastInboundAt: NOW - 3 * 86_400_000 }, optIns: [] };
    expect(sendableOf(imported({ tags: ['vip'] }, wrote), waAccount, NOW)).toEqual({ bucket: 'whatsapp_template', route: 'whatsapp.template' });
  });

  it('an imported consent never lifts a STOP, nor makes a US number sendable', () => {
    const stopped: ContactRecord = { ...WA, state: { lastInboundAt: NOW - 86_400_000, keywordOptOut: true, keywordOptOutKeyword: 'STOP', [`${KEYWORD_OPT_OUT_REGISTER}Order`]: '1' }, optIns: [] };
    expect(sendableOf(imported({ consent: consent('express') }, stopped), waAccount, NOW)).toEqual({ bucket: 'none', reason: 'marketing_opted_out' });
    expect(sendableOf(imported({ contact: { ...WA, userId: '16505551234' }, consent: consent('express') }), waAccount, NOW)).toEqual({ bucket: 'none', reason: 'marketing_to_us_number' });
  });

  it('a Messenger person needs Meta\'s opt-in token, whatever the import says (a German Page: recurring notifications)', () => {
    const row = { contact: PAGE, consent: consent('express') };
    expect(sendableOf(imported(row), pageAccount, NOW)).toEqual({ bucket: 'none', reason: 'no_active_opt_in' });
    const withToken: ContactRecord = { ...PAGE, state: {}, optIns: [{ token: 'tok', topic: 'offers', status: 'active', optedInAt: NOW - 86_400_000 }] };
    expect(sendableOf(imported(row, withToken), pageAccount, NOW)).toEqual({ bucket: 'messenger_marketing', route: 'messenger.recurring_notification' });
  });
});
