import { marketingToken } from './marketing-gates';
import { allow, channelLabel, describeDuration, inRegion, isoTime, refuse, type PolicyContext } from './policy-context';
import type { RuleOf } from './policy-rule-types';
import type { Decision, OptInPolicyState } from './policy-types';

/**
 * Marketing outside the window on Messenger/Instagram, through an opt-in token: the paid Marketing
 * Message API where Meta offers it to the business and the recipient, else the legacy recurring
 * notifications where they survive. The consent and back-off gates have already run.
 */
export const marketingOutsideWindow = (ctx: PolicyContext): Decision => {
  const api = ctx.rules.find('marketing_message_api');
  const legacy = ctx.rules.find('recurring_notification');
  const door = api ?? legacy;
  if (door === undefined) {
    return refuse(
      'marketing_messages_unavailable',
      'marketing_message_api',
      `${channelLabel(ctx.intent.channel)} offers no marketing messages outside the 24 h window: send promotions only while the person is writing.`,
    );
  }
  const token = marketingToken(ctx.intent, ctx.contact);
  if (token === undefined) {
    const topic = ctx.intent.topic === undefined ? '' : ` for the topic "${ctx.intent.topic}"`;
    return refuse('no_active_opt_in', ctx.rules.get('marketing.consent').id, `This person has not opted in to marketing messages${topic}: send an opt-in request while they are writing.`);
  }
  const country = ctx.account.country;
  if (country === undefined || country.trim() === '') {
    return refuse(
      'marketing_messages_unavailable',
      door.id,
      "The account's country is not set: set it so afterchat knows which marketing messages Meta offers this business.",
    );
  }
  if (api !== undefined && inRegion(country, api.params.businessCountries) && !recipientExcluded(ctx, api)) {
    // The API sends a campaign message created in Ads Manager, never free text: without its id Meta refuses the call.
    if (ctx.intent.campaignMessageId === undefined) {
      return refuse(
        'content_not_supported',
        api.id,
        'Outside the window this person is reached through the Marketing Message API, which sends a campaign message: give its campaignMessageId (campaign content type marketing_message).',
      );
    }
    return viaMarketingMessageApi(ctx, api, token);
  }
  if (legacy === undefined || !inRegion(country, legacy.params.businessCountries)) {
    const since = legacy?.effectiveFrom === undefined ? '' : ` since ${legacy.effectiveFrom}`;
    return refuse(
      'recurring_notifications_discontinued',
      legacy?.id ?? 'recurring_notification',
      `Recurring notifications are discontinued for businesses in ${country.toUpperCase()}${since}, and the Marketing Message API cannot reach this person from there.`,
    );
  }
  return viaRecurringNotification(ctx, legacy, token);
};

/** Messenger does not tell where the person is: only a country the operator recorded can exclude them. */
const recipientExcluded = (ctx: PolicyContext, api: RuleOf<'marketing_message_api'>): boolean => {
  const { country } = ctx.contact;
  return country !== undefined && inRegion(country, api.params.excludedRecipientCountries);
};

const viaMarketingMessageApi = (ctx: PolicyContext, api: RuleOf<'marketing_message_api'>, token: OptInPolicyState): Decision =>
  cadence(ctx, token, api.params.minGapMs, api.id, 'marketing_limit_backoff', (gap, end) =>
    `Meta allows one marketing message per subscription every ${gap}; this person's gap ends at ${end}.`) ??
  allow('messenger.marketing_message', api.params.pricing, api.id);

const viaRecurringNotification = (ctx: PolicyContext, legacy: RuleOf<'recurring_notification'>, token: OptInPolicyState): Decision =>
  cadence(ctx, token, legacy.params.cooldownMs, legacy.id, 'recurring_notification_cooldown', (gap, end) =>
    `Recurring notifications allow one message per token every ${gap}; this person's cooldown ends at ${end}.`) ??
  allow('messenger.recurring_notification', legacy.params.pricing, legacy.id);

/** One message per token per `gapMs`: a refusal saying when the gap ends, or undefined when it has. */
const cadence = (
  ctx: PolicyContext,
  token: OptInPolicyState,
  gapMs: number,
  rule: string,
  reason: 'marketing_limit_backoff' | 'recurring_notification_cooldown',
  explain: (gap: string, end: string) => string,
): Decision | undefined => {
  const eligibleAt = eligibleFrom(token, gapMs);
  return ctx.now < eligibleAt ? refuse(reason, rule, explain(describeDuration(gapMs), isoTime(eligibleAt)), eligibleAt) : undefined;
};

const eligibleFrom = (token: OptInPolicyState, gapMs: number): number =>
  token.lastSentAt === undefined ? Number.NEGATIVE_INFINITY : token.lastSentAt + gapMs;
