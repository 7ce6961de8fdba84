/**
 * Interface under test: decide() for WhatsApp MARKETING templates — Meta's routing by category
 * (2026-09-21) to the Marketing Messages API for onboarded accounts, the reported 2027-10-13 end of
 * marketing on Cloud API `/messages`, Meta's 134102 / 131063 answers — and requestShape() for BSUID sends.
 */
import { createPolicyEngine, decide } from '../../../lambdas/domain/send/policy-engine';
import type { PolicyRule } from '../../../lambdas/domain/send/policy-rule-types';
import { POLICY_RULES } from '../../../lambdas/domain/send/policy-rules';
import type { AccountPolicyState, ContactPolicyState } from '../../../lambdas/domain/send/policy-types';
import { requestShape } from '../../../lambdas/domain/send/request-shape';
import type { SendIntent, SendKind } from '../../../lambdas/domain/send/send-intent';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);
const BEFORE_ROUTING = at('2026-09-20T23:59:59Z');
const ROUTING = at('2026-09-21T00:00:00Z');
const DECEMBER = at('2026-12-06T12:00:00Z');
const SUNSET = at('2027-10-13T00:00:00Z');

const send = (name: string, kind: SendKind = 'marketing'): SendIntent => ({
  channel: 'whatsapp',
  accountId: '109876543210987',
  userId: '4915112345678',
  kind,
  author: 'bot',
  content: { type: 'template', name, language: 'de' },
});
const outside: ContactPolicyState = { optIns: [] };
const account = (over: Partial<AccountPolicyState> = {}): AccountPolicyState => ({
  channel: 'whatsapp',
  accountId: '109876543210987',
  templates: { 'spring_sale#de': { status: 'APPROVED', category: 'MARKETING' }, 'order_update#de': { status: 'APPROVED', category: 'UTILITY' } },
  ...over,
});
const onboarded = (over: Partial<AccountPolicyState> = {}) => account({ marketingMessagesOnboarded: true, ...over });

describe('WhatsApp MARKETING templates: routing by category', () => {
  it('go to /messages before 2026-09-21, onboarded or not', () => {
    expect(decide(send('spring_sale'), outside, onboarded(), BEFORE_ROUTING)).toEqual({
      outcome: 'allow',
      route: 'whatsapp.template',
      pricing: 'marketing',
      rule: 'template.status',
    });
  });

  it('go to the Marketing Messages API from 2026-09-21 for an onboarded account, priced marketing_lite', () => {
    for (const now of [ROUTING, DECEMBER, SUNSET]) {
      expect(decide(send('spring_sale'), outside, onboarded(), now)).toEqual({
        outcome: 'allow',
        route: 'whatsapp.marketing_message',
        pricing: 'marketing_lite',
        rule: now >= SUNSET ? 'whatsapp.marketing_template_route.cloud_api_sunset' : 'whatsapp.marketing_template_route.by_category',
      });
    }
  });

  it('keep going to /messages for an account not onboarded, until the reported 2027-10-13 end, then are refused marketing_api_required', () => {
    expect(decide(send('spring_sale'), outside, account(), SUNSET - 1)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template', pricing: 'marketing' });
    const refused = decide(send('spring_sale'), outside, account(), SUNSET);
    expect(refused).toMatchObject({ outcome: 'refuse', reason: 'marketing_api_required', rule: 'whatsapp.marketing_template_route.cloud_api_sunset' });
    expect(refused).not.toHaveProperty('earliestAt');
    expect(refused.outcome === 'refuse' && refused.detail).toMatch(/not onboarded.*marketingMessagesOnboarded/);
  });

  it('never route other categories to the Marketing Messages API', () => {
    expect(decide(send('order_update', 'utility'), outside, onboarded(), DECEMBER)).toMatchObject({ route: 'whatsapp.template', pricing: 'utility' });
    expect(decide(send('order_update', 'utility'), outside, account(), SUNSET)).toMatchObject({ route: 'whatsapp.template' });
  });

  it('keep the marketing gates before the door: an opted-out person is refused on either', () => {
    expect(decide(send('spring_sale'), { optIns: [], marketingOptOut: true }, onboarded(), DECEMBER)).toMatchObject({ reason: 'marketing_opted_out' });
  });

  it('after 134102 stop trusting the onboarded flag until the pause ends: /messages meanwhile, nothing after the sunset', () => {
    const pausedUntil = DECEMBER + DAY;
    expect(decide(send('spring_sale'), outside, onboarded({ marketingMessagesPausedUntil: pausedUntil }), DECEMBER)).toMatchObject({
      route: 'whatsapp.template',
      pricing: 'marketing',
    });
    const later = SUNSET + HOUR;
    const refused = decide(send('spring_sale'), outside, onboarded({ marketingMessagesPausedUntil: later + DAY }), later);
    expect(refused).toMatchObject({ reason: 'marketing_api_required', earliestAt: later + DAY });
    expect(refused.outcome === 'refuse' && refused.detail).toMatch(/134102/);
    expect(decide(send('spring_sale'), outside, onboarded({ marketingMessagesPausedUntil: later + DAY }), later + DAY)).toMatchObject({
      route: 'whatsapp.marketing_message',
    });
  });

  it('after 131063 stop using /messages for marketing: onboarded accounts still go through the Marketing Messages API', () => {
    const closedUntil = DECEMBER + DAY;
    expect(decide(send('spring_sale'), outside, onboarded({ cloudApiMarketingClosedUntil: closedUntil }), DECEMBER)).toMatchObject({
      route: 'whatsapp.marketing_message',
    });
    const refused = decide(send('spring_sale'), outside, account({ cloudApiMarketingClosedUntil: closedUntil }), DECEMBER);
    expect(refused).toMatchObject({ reason: 'marketing_api_required', earliestAt: closedUntil });
    expect(refused.outcome === 'refuse' && refused.detail).toMatch(/131063/);
    // Before Meta's routing guidance afterchat has no other door for it.
    expect(decide(send('spring_sale'), outside, onboarded({ cloudApiMarketingClosedUntil: BEFORE_ROUTING + DAY }), BEFORE_ROUTING)).toMatchObject({
      reason: 'marketing_api_required',
      earliestAt: BEFORE_ROUTING + DAY,
    });
  });

  it('changes through data alone: a confirmed sunset date moves the refusal', () => {
    const moved = POLICY_RULES.map((rule): PolicyRule => {
      if (rule.id === 'whatsapp.marketing_template_route.by_category') return { ...rule, effectiveUntil: '2027-12-01' };
      if (rule.id === 'whatsapp.marketing_template_route.cloud_api_sunset') return { ...rule, effectiveFrom: '2027-12-01' };
      return rule;
    });
    expect(createPolicyEngine(moved)(send('spring_sale'), outside, account(), SUNSET)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
  });

  it('marks the reported 2027-10-13 row unconfirmed and names both its source and the routing page', () => {
    const sunset = POLICY_RULES.find((rule) => rule.id === 'whatsapp.marketing_template_route.cloud_api_sunset');
    expect(sunset).toMatchObject({ effectiveFrom: '2027-10-13', params: { cloudApi: false } });
    expect(sunset?.note).toMatch(/UNCONFIRMED/);
    expect(sunset?.source).toMatch(/\[3P\].*chatwoot.*route-template-messages/);
    expect(POLICY_RULES.find((rule) => rule.id === 'whatsapp.marketing_template_route.by_category')).toMatchObject({ effectiveFrom: '2026-09-21' });
  });
});

describe('request shapes from the rule table', () => {
  it('puts a BSUID in a separate recipient field by default, and names both sources', () => {
    expect(requestShape('whatsapp', DECEMBER)).toEqual({ bsuidRecipientField: 'recipient', marketingProductPolicy: 'STRICT' });
    const row = POLICY_RULES.find((rule) => rule.id === 'whatsapp.bsuid_recipient_field');
    expect(row?.source).toMatch(/whatsapp-cloud-api\.md .*§9 \(1\).*meta-and-peers-2026h2\.md §2\.3.*whatsapp-api-js.*ChatbotX #965/);
  });

  it('follows the row when Meta confirms `to`', () => {
    const confirmed = POLICY_RULES.map((rule): PolicyRule => (rule.topic === 'bsuid_recipient' ? { ...rule, params: { field: 'to' } } : rule));
    expect(requestShape('whatsapp', DECEMBER, confirmed).bsuidRecipientField).toBe('to');
  });
});
