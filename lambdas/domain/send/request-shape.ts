import type { Channel } from '../events';
import type { BsuidRecipientField, MarketingProductPolicy, PolicyRule } from './policy-rule-types';
import { POLICY_RULES } from './policy-rules';
import { ruleBook } from './rule-book';

/** What the rule table says about the shape of a Graph API request (not whether to send it). */
export interface RequestShape {
  /** WhatsApp: where a BSUID goes when the person has no known phone number (`whatsapp.bsuid_recipient_field`). */
  bsuidRecipientField?: BsuidRecipientField;
  /** WhatsApp Marketing Messages API: its `product_policy` (`whatsapp.marketing_template_route.*`). */
  marketingProductPolicy?: MarketingProductPolicy;
}

/** The request-shape rows in effect for one channel at one instant. Pure: time is a parameter. */
export const requestShape = (channel: Channel, now: number, rules: readonly PolicyRule[] = POLICY_RULES): RequestShape => {
  const book = ruleBook(rules, channel, now);
  return {
    bsuidRecipientField: book.find('bsuid_recipient')?.params.field,
    marketingProductPolicy: book.find('marketing_template_route')?.params.productPolicy,
  };
};
