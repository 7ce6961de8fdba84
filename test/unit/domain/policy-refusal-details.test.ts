/**
 * Interface under test: decide(...) refusal details an operator reads (send preview, outbox record,
 * campaign skips), and the opt-in token a Messenger marketing send goes out on (marketingToken, which
 * the sender puts on the Graph request). Written for mutants StrykerJS found surviving
 * (README, "Mutation testing").
 */
import { marketingToken, optInsFor } from '../../../lambdas/domain/send/marketing-gates';
import { createPolicyEngine, decide } from '../../../lambdas/domain/send/policy-engine';
import type { PolicyRule } from '../../../lambdas/domain/send/policy-rule-types';
import { POLICY_RULES } from '../../../lambdas/domain/send/policy-rules';
import type { AccountPolicyState, ContactPolicyState, OptInPolicyState, TemplatePolicyState } from '../../../lambdas/domain/send/policy-types';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-05-18T12:00:00Z');

const TEMPLATES: Record<string, TemplatePolicyState> = {
  'order_shipped#en': { status: 'APPROVED', category: 'UTILITY' },
  'old_promo#en': { status: 'PAUSED', category: 'MARKETING' },
  'banned#en': { status: 'DISABLED', category: 'UTILITY' },
  'draft#en': { status: 'PENDING', category: 'UTILITY' },
  'odd#en': { status: 'something_new', category: 'UTILITY' },
};

const whatsappTemplate = (name: string, kind: SendIntent['kind'] = 'utility'): SendIntent => ({
  channel: 'whatsapp',
  accountId: '111',
  userId: '4915112345678',
  kind,
  author: 'bot',
  content: { type: 'template', name, language: 'en' },
});
const waAccount: AccountPolicyState = { channel: 'whatsapp', accountId: '111', templates: TEMPLATES };
const nobody: ContactPolicyState = { optIns: [] };

describe('what a refused template send tells the operator', () => {
  it('names a template the account does not know, and how to make it known', () => {
    expect(decide(whatsappTemplate('missing'), nobody, waAccount, NOW)).toEqual({
      outcome: 'refuse',
      reason: 'template_unknown',
      rule: 'template.status',
      detail: 'Template "missing#en" is not known for this account: create it or sync the templates.',
    });
  });

  it('names the template and its status, and adds the remedy Meta documents for that status', () => {
    expect(decide(whatsappTemplate('old_promo', 'marketing'), nobody, waAccount, NOW)).toMatchObject({
      reason: 'template_paused',
      detail: 'Template "old_promo#en" is PAUSED, which Meta does not send: Meta unpauses it after 3 or 6 hours, or edit it.',
    });
    expect(decide(whatsappTemplate('banned'), nobody, waAccount, NOW)).toMatchObject({
      reason: 'template_disabled',
      detail: 'Template "banned#en" is DISABLED, which Meta does not send: create a new template.',
    });
  });

  it('adds the remedy to statuses not in the table too, and ends the sentence without one where a row has none', () => {
    expect(decide(whatsappTemplate('draft'), nobody, waAccount, NOW)).toMatchObject({
      reason: 'template_not_approved',
      detail: 'Template "draft#en" is PENDING, which Meta does not send: wait for Meta to approve it, or sync the templates.',
    });
    expect(decide(whatsappTemplate('odd'), nobody, waAccount, NOW)).toMatchObject({
      reason: 'template_not_approved',
      detail: 'Template "odd#en" is SOMETHING_NEW, which Meta does not send: wait for Meta to approve it, or sync the templates.',
    });
    // The status table is data: a row may come without a remedy (and without a refusal of its own).
    const bare = POLICY_RULES.map((rule): PolicyRule =>
      rule.topic === 'template.status' ? { ...rule, params: { ...rule.params, statuses: { ...rule.params.statuses, PENDING: { sendable: false, quote: '' } } } } : rule,
    );
    expect(createPolicyEngine(bare)(whatsappTemplate('draft'), nobody, waAccount, NOW)).toMatchObject({
      reason: 'template_not_approved',
      detail: 'Template "draft#en" is PENDING, which Meta does not send.',
    });
  });
});

describe('the opt-in token a Messenger marketing send goes out on', () => {
  const token = (over: Partial<OptInPolicyState>): OptInPolicyState => ({ token: 'tok', topic: 'deals', status: 'active', ...over });
  const marketing = (topic?: string): SendIntent => ({
    channel: 'messenger',
    accountId: '222',
    userId: 'psid-1',
    kind: 'marketing',
    author: 'bot',
    content: { type: 'text', text: 'Spring sale' },
    ...(topic === undefined ? {} : { topic }),
  });

  it("matches a campaign's topic against an opt-in's topic or its title", () => {
    const byTopic = token({ token: 'by-topic', topic: 'deals', title: 'Weekly deals' });
    const byTitle = token({ token: 'by-title', topic: 'news', title: 'deals' });
    const other = token({ token: 'other', topic: 'news', title: 'Newsletter' });
    const contact: ContactPolicyState = { optIns: [byTopic, byTitle, other] };

    expect(optInsFor(marketing('deals'), contact).map((o) => o.token)).toEqual(['by-topic', 'by-title']);
    expect(optInsFor(marketing(), contact)).toHaveLength(3);
  });

  it('never uses a stopped token, and among active ones takes the one rested longest, whatever their order', () => {
    const stopped = token({ token: 'stopped', status: 'stopped' });
    const rested = token({ token: 'rested', lastSentAt: NOW - 3 * DAY });
    const recent = token({ token: 'recent', lastSentAt: NOW - DAY });

    expect(marketingToken(marketing('deals'), { optIns: [stopped, rested, recent] })?.token).toBe('rested');
    expect(marketingToken(marketing('deals'), { optIns: [recent, stopped, rested] })?.token).toBe('rested');
    expect(marketingToken(marketing('deals'), { optIns: [stopped] })).toBeUndefined();
  });

  it('prefers a token never used over one used before', () => {
    const used = token({ token: 'used', lastSentAt: NOW - 30 * DAY });
    const fresh = token({ token: 'fresh' });

    expect(marketingToken(marketing('deals'), { optIns: [used, fresh] })?.token).toBe('fresh');
  });
});
