/** Interface under test: decide() on WhatsApp — which door a send takes, or why not and until when, as the operator reads it. */
import { createPolicyEngine, decide } from '../../../../lambdas/domain/send/policy-engine';
import { at, contact, detailOf, HOUR, iso, NOW, template, wa, waAccount, withoutEffectiveFrom, withParams, wrote } from './policy-fixtures';

const BSUID = 'DE.88201734659910273645';
const outside = contact();
const inside = contact(wrote(HOUR));

describe('a human agent reply on WhatsApp outside the window', () => {
  it('from a person: WhatsApp has no HUMAN_AGENT tag', () => {
    expect(decide(wa({ kind: 'human_agent_reply', author: 'human' }), outside, waAccount(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'human_agent_not_on_channel',
      rule: 'human_agent',
      detail: 'WhatsApp has no HUMAN_AGENT tag: outside the 24 h window only an approved template can be sent.',
    });
  });

  it('from a bot: a bot may only reply inside the window', () => {
    expect(decide(wa({ kind: 'human_agent_reply', author: 'bot' }), outside, waAccount(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'human_agent_needs_human',
      rule: 'human_agent',
      detail: 'A bot may only reply inside the 24 h window, and WhatsApp has no HUMAN_AGENT tag: send an approved template.',
    });
  });
});

describe('free-form on WhatsApp', () => {
  it('answers someone who stopped marketing: the stop holds promotions only', () => {
    const optedOut = contact({ ...wrote(HOUR), marketingOptOut: true });
    expect(decide(wa({ kind: 'reply' }), optedOut, waAccount(), NOW)).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
    expect(decide(wa({ kind: 'marketing' }), optedOut, waAccount(), NOW)).toMatchObject({ outcome: 'refuse', reason: 'marketing_opted_out' });
  });

  it('outside the window says only an approved template can go', () => {
    expect(decide(wa(), outside, waAccount(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'window_closed',
      rule: 'whatsapp.window.standard',
      detail: 'The 24 h customer service window is closed: only an approved template can be sent.',
    });
  });
});

describe('a template of the wrong category', () => {
  const utility = (name: string) => decide(wa({ kind: 'utility', content: template(name) }), outside, waAccount(), NOW);

  it("names the template's category, whatever its case, and the category the kind needs", () => {
    expect(utility('spring_sale')).toEqual({
      outcome: 'refuse',
      reason: 'template_category_mismatch',
      rule: 'whatsapp.template.category',
      detail: 'Template "spring_sale#en" is MARKETING: a utility send needs UTILITY.',
    });
    expect(detailOf(utility('lower_sale'))).toBe('Template "lower_sale#en" is MARKETING: a utility send needs UTILITY.');
  });

  it('says a template of unknown category is counted as MARKETING', () => {
    expect(detailOf(utility('uncategorised'))).toBe('Template "uncategorised#en" is of unknown category (counted as MARKETING): a utility send needs UTILITY.');
  });

  it('lists every category the kind accepts when the table allows more than one', () => {
    const engine = createPolicyEngine(withParams('whatsapp.template.category', { requiredByKind: { utility: ['UTILITY', 'AUTHENTICATION'], marketing: ['MARKETING'] } }));
    const decision = engine(wa({ kind: 'utility', content: template('spring_sale') }), outside, waAccount(), NOW);
    expect(detailOf(decision)).toBe('Template "spring_sale#en" is MARKETING: a utility send needs UTILITY or AUTHENTICATION.');
  });
});

describe('templates to a person known only by their BSUID', () => {
  const bsuid = (name: string) => decide(wa({ userId: BSUID, kind: 'utility', content: template(name) }), outside, waAccount(), NOW);

  it('sends a utility template', () => {
    expect(bsuid('order_shipped')).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
  });

  it('refuses an authentication template, which needs the phone number', () => {
    expect(decide(wa({ userId: BSUID, kind: 'proactive_update', content: template('login_code') }), outside, waAccount(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'auth_template_to_bsuid',
      rule: 'whatsapp.authentication_recipient',
      detail: 'This person is known only by their WhatsApp username id (BSUID): authentication templates need their phone number.',
    });
  });
});

describe('the door for a MARKETING template', () => {
  const marketing = wa({ kind: 'marketing', content: template('spring_sale') });

  it('before routing by category, a 131063 on Cloud API holds it until then, and says the Marketing Messages API is not used yet', () => {
    const until = NOW + HOUR;
    const decision = decide(marketing, outside, waAccount({ cloudApiMarketingClosedUntil: until }), NOW);
    expect(decision).toEqual({
      outcome: 'refuse',
      reason: 'marketing_api_required',
      rule: 'whatsapp.marketing_template_route.cloud_api',
      detail: `Meta refused marketing templates on Cloud API /messages for this account (131063) until ${iso(until)}, and afterchat does not use the Marketing Messages API before Meta routes by category.`,
      earliestAt: until,
    });
    expect(decide(marketing, outside, waAccount({ cloudApiMarketingClosedUntil: until }), until)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
  });

  it('with both doors shut for a while, says when the first reopens', () => {
    const now = at('2026-10-05T12:00:00Z');
    const mmReopens = now + HOUR;
    const cloudReopens = now + 3 * HOUR;
    const state = waAccount({ marketingMessagesOnboarded: true, marketingMessagesPausedUntil: mmReopens, cloudApiMarketingClosedUntil: cloudReopens });
    const decision = decide(marketing, outside, state, now);
    expect(decision).toEqual({
      outcome: 'refuse',
      reason: 'marketing_api_required',
      rule: 'whatsapp.marketing_template_route.by_category',
      detail: `Meta refused marketing templates on Cloud API /messages for this account (131063) until ${iso(cloudReopens)}, and Meta refused the Marketing Messages API for this account (134102) until ${iso(mmReopens)}.`,
      earliestAt: mmReopens,
    });
    expect(decide(marketing, outside, state, mmReopens)).toMatchObject({ outcome: 'allow', route: 'whatsapp.marketing_message' });
  });

  it('after Cloud API stops taking marketing, names the dated rule to an account not onboarded; waiting does not help', () => {
    const now = at('2027-11-01T12:00:00Z');
    expect(decide(marketing, outside, waAccount(), now)).toEqual({
      outcome: 'refuse',
      reason: 'marketing_api_required',
      rule: 'whatsapp.marketing_template_route.cloud_api_sunset',
      detail:
        "Meta no longer takes marketing templates on Cloud API /messages (rule whatsapp.marketing_template_route.cloud_api_sunset, from 2027-10-13; reported, unconfirmed), and this account is not onboarded to the Marketing Messages API: once its WABA accepted Meta's terms, set marketingMessagesOnboarded on its registration.",
    });
    const undated = createPolicyEngine(withoutEffectiveFrom('whatsapp.marketing_template_route.cloud_api_sunset'));
    expect(detailOf(undated(marketing, outside, waAccount(), now))).toContain('(rule whatsapp.marketing_template_route.cloud_api_sunset, from ever; reported, unconfirmed)');
  });
});

describe('account restrictions', () => {
  it('a business-initiated restriction holds templates, naming when it ends', () => {
    const until = NOW + HOUR;
    const decision = decide(wa({ kind: 'utility', content: template('order_shipped') }), outside, waAccount({ businessInitiatedRestrictedUntil: until }), NOW);
    expect(decision).toEqual({
      outcome: 'refuse',
      reason: 'account_restricted',
      rule: 'whatsapp.business_initiated_restriction',
      detail: `Meta restricts business-initiated messages from this WhatsApp account until ${iso(until)}.`,
      earliestAt: until,
    });
  });

  it('holds templates inside the window too, unless the table says the restriction spares them', () => {
    const send = wa({ kind: 'utility', content: template('order_shipped') });
    const state = waAccount({ businessInitiatedRestrictedUntil: NOW + HOUR });
    expect(decide(send, inside, state, NOW)).toMatchObject({ outcome: 'refuse', reason: 'account_restricted' });
    const spares = createPolicyEngine(withParams('whatsapp.business_initiated_restriction', { includesTemplatesInsideWindow: false }));
    expect(spares(send, inside, state, NOW)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    expect(spares(send, outside, state, NOW)).toMatchObject({ outcome: 'refuse', reason: 'account_restricted' });
  });

  it("a country restriction names the person's country and when it is tried again", () => {
    const until = NOW + HOUR;
    const decision = decide(wa(), inside, waAccount({ restrictedCountries: { DE: until } }), NOW);
    expect(decision).toEqual({
      outcome: 'refuse',
      reason: 'recipient_country_restricted',
      rule: 'whatsapp.country_restriction',
      detail: `Meta restricts this WhatsApp account from messaging people in DE (130497): tried again at ${iso(until)}.`,
      earliestAt: until,
    });
  });

  it('a customer-initiated restriction holds replies in the window until it ends, and from that instant on they go', () => {
    const until = NOW + HOUR;
    expect(decide(wa(), inside, waAccount({ customerInitiatedRestrictedUntil: until }), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'account_restricted',
      rule: 'whatsapp.customer_initiated_restriction',
      detail: `Meta restricts this WhatsApp account from answering people who wrote to it until ${iso(until)}.`,
      earliestAt: until,
    });
    expect(decide(wa(), inside, waAccount({ customerInitiatedRestrictedUntil: NOW }), NOW)).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
    expect(decide(wa(), inside, waAccount({ customerInitiatedRestrictedUntil: NOW - HOUR }), NOW)).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
  });
});

describe('marketing templates to +1 numbers', () => {
  const marketing = (waId: string) => decide(wa({ userId: waId, kind: 'marketing', content: template('spring_sale') }), contact({ waId }), waAccount(), NOW);

  it('are refused to a US number, naming the country', () => {
    expect(marketing('12125550123')).toEqual({
      outcome: 'refuse',
      reason: 'marketing_to_us_number',
      rule: 'whatsapp.marketing.us_numbers',
      detail: 'WhatsApp delivers no marketing templates to US numbers: use another channel for this person.',
    });
  });

  it('are refused to a +1 number whose area code matches no country, saying so', () => {
    expect(detailOf(marketing('19995550123'))).toBe('WhatsApp delivers no marketing templates to +1 numbers whose area code matches no country: use another channel for this person.');
  });

  it('go to a Caribbean +1 number', () => {
    expect(marketing('18095550123')).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
  });
});
