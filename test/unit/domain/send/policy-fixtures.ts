/** Builders shared by the policy engine's unit tests in this folder. Time is always a parameter. */
import type { PolicyRule } from '../../../../lambdas/domain/send/policy-rule-types';
import { POLICY_RULES } from '../../../../lambdas/domain/send/policy-rules';
import type { AccountPolicyState, ContactPolicyState, Decision, OptInPolicyState, TemplatePolicyState } from '../../../../lambdas/domain/send/policy-types';
import type { SendContent, SendIntent } from '../../../../lambdas/domain/send/send-intent';

export const SECOND = 1000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const at = (iso: string): number => Date.parse(iso);
/** Inside the Cloud API marketing route's dates, after Messenger's tags were retired. */
export const NOW = at('2026-05-18T12:00:00Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

export const TEXT: SendContent = { type: 'text', text: 'Hello' };
export const template = (name: string, language = 'en'): SendContent => ({ type: 'template', name, language });
export const optInContent = (title: string): SendContent => ({ type: 'opt_in_request', title, payload: 'topic:deals' });

export const TEMPLATES: Record<string, TemplatePolicyState> = {
  'order_shipped#en': { status: 'APPROVED', category: 'UTILITY' },
  'spring_sale#en': { status: 'APPROVED', category: 'MARKETING' },
  'lower_sale#en': { status: 'APPROVED', category: 'marketing' },
  'login_code#en': { status: 'APPROVED', category: 'AUTHENTICATION' },
  'uncategorised#en': { status: 'APPROVED' },
};

export const intent = (over: Partial<SendIntent> = {}): SendIntent => ({
  channel: 'messenger',
  accountId: '111',
  userId: 'user-1',
  kind: 'reply',
  author: 'bot',
  content: TEXT,
  ...over,
});
export const wa = (over: Partial<SendIntent> = {}): SendIntent => intent({ channel: 'whatsapp', userId: '4915112345678', ...over });
export const contact = (over: Partial<ContactPolicyState> = {}): ContactPolicyState => ({ optIns: [], ...over });
export const account = (over: Partial<AccountPolicyState> = {}): AccountPolicyState => ({ channel: 'messenger', accountId: '111', templates: TEMPLATES, ...over });
export const waAccount = (over: Partial<AccountPolicyState> = {}): AccountPolicyState => account({ channel: 'whatsapp', ...over });
/** The person wrote `ago` ms before `now`. */
export const wrote = (ago: number, now = NOW): Partial<ContactPolicyState> => ({ lastInboundAt: now - ago, lastMessageAt: now - ago, openedBy: 'message' });
export const token = (over: Partial<OptInPolicyState> = {}): OptInPolicyState => ({ token: 'tok-1', topic: 'deals', status: 'active', ...over });

export const detailOf = (decision: Decision): string | undefined => (decision.outcome === 'refuse' ? decision.detail : undefined);
export const earliestOf = (decision: Decision): number | undefined => (decision.outcome === 'refuse' ? decision.earliestAt : undefined);

/** Meta's rule table with one row's params changed, or rows removed: a deployment's or a future date's table. */
export const withParams = (id: string, params: Record<string, unknown>): PolicyRule[] =>
  POLICY_RULES.map((rule) => (rule.id === id && 'params' in rule ? ({ ...rule, params: { ...rule.params, ...params } } as PolicyRule) : rule));
export const without = (...topics: string[]): PolicyRule[] => POLICY_RULES.filter((rule) => !topics.includes(rule.topic));
export const withoutEffectiveFrom = (id: string): PolicyRule[] =>
  POLICY_RULES.map((rule) => (rule.id === id ? { ...rule, effectiveFrom: undefined } : rule));
