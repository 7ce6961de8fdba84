import { consentRefusal, pauseRefusal } from './marketing-gates';
import { countryOfPhone } from './phone-country';
import { allow, inWindow, isoTime, refuse, standardWindow, type PolicyContext, type StandardWindow } from './policy-context';
import { TEMPLATE_CATEGORIES, type RuleOf, type TemplateCategory } from './policy-rule-types';
import type { Decision, PricingCategory } from './policy-types';
import { templateKey, templateRefusal, type TemplateRef } from './template-gates';

/** WhatsApp Cloud API: free-form inside the customer service window, approved templates anywhere. */
export const decideWhatsApp = (ctx: PolicyContext): Decision => {
  const window = standardWindow(ctx);
  const { content, kind, author } = ctx.intent;
  const restricted = countryRestriction(ctx) ?? customerRestriction(ctx, window);
  if (restricted !== undefined) return restricted;
  if (content.type === 'template') return template(ctx, window, content);
  if (kind === 'human_agent_reply' && !window.open) {
    return author === 'human'
      ? refuse('human_agent_not_on_channel', 'human_agent', 'WhatsApp has no HUMAN_AGENT tag: outside the 24 h window only an approved template can be sent.')
      : refuse('human_agent_needs_human', 'human_agent', 'A bot may only reply inside the 24 h window, and WhatsApp has no HUMAN_AGENT tag: send an approved template.');
  }
  // Meta's per-person marketing limit (131049) counts only templates outside a window the person
  // opened, so its back-off never holds what is sent inside the window.
  const held = kind === 'marketing' ? consentRefusal(ctx) : undefined;
  if (held !== undefined) return held;
  return (
    inWindow(ctx, window, () => allow('whatsapp.free_form', ctx.rules.get('pricing').params.freeForm, window.rule)) ??
    refuse('window_closed', window.rule, 'The 24 h customer service window is closed: only an approved template can be sent.')
  );
};

const template = (ctx: PolicyContext, window: StandardWindow, ref: TemplateRef): Decision => {
  const restricted = businessRestriction(ctx, window);
  if (restricted !== undefined) return restricted;
  const known = ctx.account.templates[templateKey(ref)];
  const refusal = templateRefusal(ctx, ref, known);
  if (refusal !== undefined) return refusal;
  const rule = ctx.rules.get('template.category');
  const category = categoryOf(known?.category, rule);
  const required = rule.params.requiredByKind[ctx.intent.kind];
  if (required !== undefined && !required.includes(category)) {
    const shown = category === known?.category?.toUpperCase() ? category : `of unknown category (counted as ${category})`;
    return refuse(
      'template_category_mismatch',
      rule.id,
      `Template "${templateKey(ref)}" is ${shown}: a ${ctx.intent.kind} send needs ${required.join(' or ')}.`,
    );
  }
  if (category === 'MARKETING') {
    const gate = consentRefusal(ctx) ?? (window.open ? undefined : pauseRefusal(ctx)) ?? usNumberRefusal(ctx);
    if (gate !== undefined) return gate;
    return marketingDoor(ctx);
  }
  if (category === 'AUTHENTICATION') {
    const gate = authenticationRecipientRefusal(ctx);
    if (gate !== undefined) return gate;
  }
  return allow('whatsapp.template', pricingOf(ctx, category, window), ctx.rules.get('template.status').id);
};

/**
 * Where a MARKETING template goes (Meta's routing by category, 2026-09-21): the Marketing Messages
 * API for an account the operator says is onboarded, unless Meta refused it there lately (134102);
 * else Cloud API `/messages` while that still takes marketing (the dated row, and no recent 131063).
 */
const marketingDoor = (ctx: PolicyContext): Decision => {
  const rule = ctx.rules.get('marketing_template_route');
  const { account, now } = ctx;
  const mmPausedUntil = stillAhead(account.marketingMessagesPausedUntil, now);
  const cloudClosedUntil = stillAhead(account.cloudApiMarketingClosedUntil, now);
  const onboarded = rule.params.marketingMessagesApi && account.marketingMessagesOnboarded === true;
  if (onboarded && mmPausedUntil === undefined) return allow('whatsapp.marketing_message', 'marketing_lite', rule.id);
  if (rule.params.cloudApi && cloudClosedUntil === undefined) return allow('whatsapp.template', 'marketing', ctx.rules.get('template.status').id);

  const cloud =
    !rule.params.cloudApi || cloudClosedUntil === undefined
      ? `Meta no longer takes marketing templates on Cloud API /messages (rule ${rule.id}, from ${rule.effectiveFrom ?? 'ever'}; reported, unconfirmed)`
      : `Meta refused marketing templates on Cloud API /messages for this account (131063) until ${isoTime(cloudClosedUntil)}`;
  const mm = !rule.params.marketingMessagesApi
    ? 'afterchat does not use the Marketing Messages API before Meta routes by category'
    : !onboarded
      ? 'this account is not onboarded to the Marketing Messages API: once its WABA accepted Meta\'s terms, set marketingMessagesOnboarded on its registration'
      : `Meta refused the Marketing Messages API for this account (134102) until ${isoTime(mmPausedUntil ?? now)}`;
  const reopens = [onboarded ? mmPausedUntil : undefined, rule.params.cloudApi ? cloudClosedUntil : undefined].filter((at): at is number => at !== undefined);
  return refuse('marketing_api_required', rule.id, `${cloud}, and ${mm}.`, reopens.length > 0 ? Math.min(...reopens) : undefined);
};

const stillAhead = (until: number | undefined, now: number): number | undefined => (until !== undefined && until > now ? until : undefined);

/** An account barred from business-initiated messaging waits, out of the window and (conservatively) in it. */
const businessRestriction = (ctx: PolicyContext, window: StandardWindow): Decision | undefined => {
  const rule = ctx.rules.find('account.business_initiated_restriction');
  const until = ctx.account.businessInitiatedRestrictedUntil;
  if (rule === undefined || until === undefined || until <= ctx.now) return undefined;
  if (window.open && !rule.params.includesTemplatesInsideWindow) return undefined;
  return refuse('account_restricted', rule.id, `Meta restricts business-initiated messages from this WhatsApp account until ${isoTime(until)}.`, until);
};

/** Meta refused this account's messages to the person's country (130497): the country waits. */
const countryRestriction = (ctx: PolicyContext): Decision | undefined => {
  const rule = ctx.rules.find('account.country_restriction');
  const waId = ctx.contact.waId ?? (/^\+?\d+$/.test(ctx.intent.userId) ? ctx.intent.userId : undefined);
  const country = waId === undefined ? undefined : countryOfPhone(waId);
  const until = country === undefined ? undefined : ctx.account.restrictedCountries?.[country];
  if (rule === undefined || until === undefined || until <= ctx.now) return undefined;
  return refuse('recipient_country_restricted', rule.id, `Meta restricts this WhatsApp account from messaging people in ${country} (130497): tried again at ${isoTime(until)}.`, until);
};

/** An account barred from answering customer-initiated conversations sends nothing inside the window. */
const customerRestriction = (ctx: PolicyContext, window: StandardWindow): Decision | undefined => {
  const rule = ctx.rules.find('account.customer_initiated_restriction');
  const until = ctx.account.customerInitiatedRestrictedUntil;
  if (rule === undefined || until === undefined || until <= ctx.now || !window.open) return undefined;
  return refuse('account_restricted', rule.id, `Meta restricts this WhatsApp account from answering people who wrote to it until ${isoTime(until)}.`, until);
};

/** Meta refuses marketing templates to US numbers: +1 with a US area code (Canada and the Caribbean keep them). */
const usNumberRefusal = (ctx: PolicyContext): Decision | undefined => {
  const rule = ctx.rules.find('marketing.us_numbers');
  const waId = ctx.contact.waId?.replace(/^\+/, '');
  if (rule === undefined || waId === undefined || !waId.startsWith(rule.params.callingCode)) return undefined;
  const country = countryOfPhone(waId);
  if (country === undefined ? !rule.params.blockUnknownAreaCodes : !rule.params.blockedCountries.includes(country)) return undefined;
  const where = country === undefined ? `+${rule.params.callingCode} numbers whose area code matches no country` : `${country} numbers`;
  return refuse('marketing_to_us_number', rule.id, `WhatsApp delivers no marketing templates to ${where}: use another channel for this person.`);
};

/** Authentication templates need the person's phone number: Meta refuses them to a BSUID (131062). */
const authenticationRecipientRefusal = (ctx: PolicyContext): Decision | undefined => {
  const rule = ctx.rules.find('template.authentication_recipient');
  if (rule === undefined || ctx.contact.waId !== undefined || /^\+?\d+$/.test(ctx.intent.userId)) return undefined;
  return refuse('auth_template_to_bsuid', rule.id, 'This person is known only by their WhatsApp username id (BSUID): authentication templates need their phone number.');
};

const categoryOf = (category: string | undefined, rule: RuleOf<'template.category'>): TemplateCategory => {
  const upper = category?.toUpperCase();
  return TEMPLATE_CATEGORIES.find((known) => known === upper) ?? rule.params.assumeWhenUnknown;
};

const pricingOf = (ctx: PolicyContext, category: TemplateCategory, window: StandardWindow): PricingCategory => {
  const pricing = ctx.rules.get('pricing').params;
  const byCategory: Record<TemplateCategory, PricingCategory> = {
    MARKETING: 'marketing',
    AUTHENTICATION: 'authentication',
    UTILITY: window.open ? pricing.utilityInWindow : pricing.utilityOutsideWindow,
  };
  return byCategory[category];
};
