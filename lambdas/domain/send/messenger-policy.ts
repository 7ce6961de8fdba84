import { consentRefusal, pauseRefusal } from './marketing-gates';
import { marketingOutsideWindow } from './messenger-marketing';
import { allow, channelLabel, describeDuration, inWindow, refuse, standardWindow, type PolicyContext, type StandardWindow } from './policy-context';
import type { Decision } from './policy-types';
import type { SendContent } from './send-intent';
import { templateKey, templateRefusal, type TemplateRef } from './template-gates';

type InboxChannel = 'messenger' | 'instagram';

/** Messenger and Instagram (the Page inbox doors). Content already matches the channel and the kind. */
export const decideInbox = (ctx: PolicyContext, channel: InboxChannel): Decision => {
  const window = standardWindow(ctx);
  const { content } = ctx.intent;
  if (content.type === 'template') return utilityTemplate(ctx, window, content);
  if (content.type === 'opt_in_request') return optInRequest(ctx, channel, window, content);
  const freeForm = ctx.rules.get('pricing').params.freeForm;
  const response = () => allow(`${channel}.response`, freeForm, window.rule);
  const update = () => allow(`${channel}.update`, freeForm, window.rule);
  switch (ctx.intent.kind) {
    case 'human_agent_reply':
      // A bot's "human agent reply" is an ordinary reply: only a person may use HUMAN_AGENT.
      if (ctx.intent.author !== 'human') {
        return (
          inWindow(ctx, window, response) ??
          refuse('human_agent_needs_human', 'human_agent', 'HUMAN_AGENT replies must be written by a person: a bot may only reply inside the 24 h window.')
        );
      }
      // In the window's last moments the tag carries a person's answer safely past its end.
      return window.open && !window.closing ? response() : humanAgent(ctx, channel);
    case 'marketing':
      return consentRefusal(ctx) ?? pauseRefusal(ctx) ?? inWindow(ctx, window, update) ?? marketingOutsideWindow(ctx);
    case 'reply':
      return inWindow(ctx, window, response) ?? replyOutsideWindow(ctx, window);
    default: // proactive_update and utility: opt-in kinds carry opt-in content, routed above
      return inWindow(ctx, window, update) ?? updateOutsideWindow(ctx, window);
  }
};

const humanAgent = (ctx: PolicyContext, channel: InboxChannel): Decision => {
  const rule = ctx.rules.find('human_agent');
  if (rule === undefined) {
    return refuse('human_agent_not_on_channel', 'human_agent', 'This channel has no HUMAN_AGENT tag: a human can only answer inside the 24 h window.');
  }
  const { lastMessageAt } = ctx.contact;
  if (lastMessageAt !== undefined && ctx.now < lastMessageAt + rule.params.windowMs) {
    return allow(`${channel}.human_agent`, ctx.rules.get('pricing').params.freeForm, rule.id);
  }
  // What the agent can do next, in the sentence they read: how long ago, how long the tag lasts, the other doors.
  const wrote = lastMessageAt === undefined ? 'The person has not written yet' : `The person last wrote ${describeAgo(ctx.now - lastMessageAt, rule.params.windowMs)} ago`;
  const door =
    ctx.rules.find('utility_template') === undefined
      ? 'Ask them to write again: this channel has no templates.'
      : 'Ask them to write again, or send an approved UTILITY template.';
  return refuse(
    'human_agent_window_closed',
    rule.id,
    `${wrote}; ${channelLabel(channel)} lets a human agent answer for ${describeDuration(rule.params.windowMs)} after the person's last message. ${door}`,
  );
};

/**
 * Whole hours under two days, whole days after: "8 days", never rounded up. Just past the limit
 * ("7 days" beside a 7-day limit would read as allowed) it says "more than 7 days".
 */
const describeAgo = (ms: number, limitMs: number): string => {
  const [unit, label] = ms < 48 * 3_600_000 ? [3_600_000, ' h'] : [86_400_000, ' days'];
  const whole = Math.floor(ms / unit) * unit;
  return whole <= limitMs && ms > limitMs ? `more than ${describeDuration(limitMs)}` : `${whole / unit}${label}`;
};

const replyOutsideWindow = (ctx: PolicyContext, window: StandardWindow): Decision => {
  const humanRoute = ctx.intent.author === 'human' && ctx.rules.find('human_agent') !== undefined;
  const hint = humanRoute ? 'a human agent can still answer as a human_agent_reply' : 'wait for the person to write again';
  return refuse('window_closed', window.rule, `The 24 h window is closed: ${hint}.`);
};

/** Proactive updates lost their tags: outside the window only a utility template remains. */
const updateOutsideWindow = (ctx: PolicyContext, window: StandardWindow): Decision => {
  const door =
    ctx.rules.find('utility_template') === undefined
      ? 'this channel has no utility templates, so wait for the person to write'
      : 'send an approved UTILITY template instead';
  const retired = ctx.rules.find('tags.retired');
  if (retired === undefined) return refuse('window_closed', window.rule, `The 24 h window is closed: ${door}.`);
  return refuse(
    'window_closed',
    retired.id,
    `The 24 h window is closed and the ${retired.params.tags.join(', ')} tags are retired since ${retired.effectiveFrom ?? 'ever'}: ${door}.`,
  );
};

/** Messenger utility templates; the channel rules keep templates off Instagram. */
const utilityTemplate = (ctx: PolicyContext, window: StandardWindow, ref: TemplateRef): Decision => {
  const rule = ctx.rules.get('utility_template');
  if (ctx.intent.kind === 'marketing') {
    return refuse('template_category_mismatch', rule.id, 'Messenger templates are for utility messages only: send promotions as marketing text under an opt-in.');
  }
  const template = ctx.account.templates[templateKey(ref)];
  const refusal = templateRefusal(ctx, ref, template);
  if (refusal !== undefined) return refusal;
  const category = template?.category?.toUpperCase();
  if (category !== rule.params.category) {
    return refuse(
      'template_category_mismatch',
      rule.id,
      `Template "${templateKey(ref)}" is ${category ?? 'of unknown category'}: Messenger only sends ${rule.params.category} templates.`,
    );
  }
  const pricing = ctx.rules.get('pricing').params;
  return allow('messenger.utility_template', window.open ? pricing.utilityInWindow : pricing.utilityOutsideWindow, rule.id);
};

type OptInContent = Extract<SendContent, { type: 'opt_in_request' }>;

/** Inside the window only, one per title per week, within the channel's daily/weekly caps. */
const optInRequest = (ctx: PolicyContext, channel: InboxChannel, window: StandardWindow, content: OptInContent): Decision => {
  const rule = ctx.rules.get('opt_in_request');
  if (!window.open) {
    return refuse('opt_in_request_outside_window', rule.id, 'Opt-in requests may only be sent inside the 24 h window: wait for the person to write.');
  }
  const closing = inWindow(ctx, window, () => allow(`${channel}.opt_in_request`, ctx.rules.get('pricing').params.freeForm, rule.id));
  if (closing?.outcome === 'refuse') return closing;
  const sentAt = ctx.contact.optInRequestsAt ?? {};
  const last = sentAt[content.title];
  if (last !== undefined && ctx.now < last + rule.params.perTitleCooldownMs) {
    return refuse(
      'opt_in_request_too_soon',
      rule.id,
      `An opt-in request titled "${content.title}" was sent less than ${describeDuration(rule.params.perTitleCooldownMs)} ago.`,
      last + rule.params.perTitleCooldownMs,
    );
  }
  for (const cap of rule.params.caps) {
    const recent = Object.values(sentAt)
      .filter((at) => at > ctx.now - cap.periodMs)
      .sort((a, b) => a - b);
    const oldestCounted = recent.length >= cap.max ? recent[recent.length - cap.max] : undefined;
    if (oldestCounted !== undefined) {
      return refuse(
        'opt_in_request_too_soon',
        rule.id,
        `${cap.max} opt-in requests in ${describeDuration(cap.periodMs)} is the most this person may get.`,
        oldestCounted + cap.periodMs,
      );
    }
  }
  return allow(`${channel}.opt_in_request`, ctx.rules.get('pricing').params.freeForm, rule.id);
};
