/** Interface under test: decide(intent, contact, account, now), the send policy engine, and its dated rule table. */
import fc from 'fast-check';
import type { Channel } from '../../../lambdas/domain/events';
import { createPolicyEngine, decide } from '../../../lambdas/domain/send/policy-engine';
import type { PolicyRule } from '../../../lambdas/domain/send/policy-rule-types';
import { POLICY_RULES } from '../../../lambdas/domain/send/policy-rules';
import type {
  AccountPolicyState,
  ContactPolicyState,
  Decision,
  OptInPolicyState,
  RouteName,
  TemplatePolicyState,
} from '../../../lambdas/domain/send/policy-types';
import { appliesTo, inEffect } from '../../../lambdas/domain/send/rule-book';
import type { SendContent, SendIntent, SendKind } from '../../../lambdas/domain/send/send-intent';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);
const NOW = at('2026-05-18T12:00:00Z');

const TEXT: SendContent = { type: 'text', text: 'Hello' };
const template = (name: string, language = 'en'): SendContent => ({ type: 'template', name, language });
const optInContent = (title: string): SendContent => ({ type: 'opt_in_request', title, payload: 'topic:deals' });

const intent = (over: Partial<SendIntent> = {}): SendIntent => ({
  channel: 'messenger',
  accountId: '111',
  userId: 'user-1',
  kind: 'reply',
  author: 'bot',
  content: TEXT,
  ...over,
});
const contact = (over: Partial<ContactPolicyState> = {}): ContactPolicyState => ({ optIns: [], ...over });
const account = (over: Partial<AccountPolicyState> = {}): AccountPolicyState => ({ channel: 'messenger', accountId: '111', templates: {}, ...over });
/** The person wrote `ago` ms before `now`. */
const wrote = (ago: number, now = NOW): Partial<ContactPolicyState> => ({ lastInboundAt: now - ago, lastMessageAt: now - ago, openedBy: 'message' });
const token = (over: Partial<OptInPolicyState> = {}): OptInPolicyState => ({ token: 'tok-1', topic: 'deals', status: 'active', ...over });

const TEMPLATES: Record<string, TemplatePolicyState> = {
  'order_shipped#en': { status: 'APPROVED', category: 'UTILITY' },
  'spring_sale#en': { status: 'APPROVED', category: 'MARKETING' },
  'login_code#en': { status: 'APPROVED', category: 'AUTHENTICATION' },
  'old_promo#en': { status: 'PAUSED', category: 'MARKETING' },
  'banned#en': { status: 'DISABLED', category: 'UTILITY' },
  'draft#en': { status: 'PENDING', category: 'UTILITY' },
  'rejected#en': { status: 'REJECTED', category: 'UTILITY' },
  'uncategorised#en': { status: 'APPROVED' },
};
const wa = (over: Partial<SendIntent> = {}): SendIntent => intent({ channel: 'whatsapp', userId: '4915112345678', ...over });
const waAccount = (over: Partial<AccountPolicyState> = {}): AccountPolicyState =>
  account({ channel: 'whatsapp', templates: TEMPLATES, ...over });
const page = (over: Partial<AccountPolicyState> = {}): AccountPolicyState => account({ templates: TEMPLATES, country: 'US', ...over });

const refusal = (decision: Decision) => (decision.outcome === 'refuse' ? decision : undefined);

describe('the standard 24 h window', () => {
  it('allows a reply at 23:59:59 when no closing margin is set, and refuses it at 24:00:00 and 24:00:01, when waiting does not help', () => {
    const sent = (ago: number) => decide(intent(), contact(wrote(ago)), account(), NOW, { windowClosingMarginMs: 0 });
    expect(sent(DAY - SECOND)).toEqual({ outcome: 'allow', route: 'messenger.response', pricing: 'free', rule: 'messenger.window.standard' });
    for (const ago of [DAY, DAY + SECOND]) {
      const decision = sent(ago);
      expect(decision).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
      expect(refusal(decision)?.earliestAt).toBeUndefined();
    }
  });

  it('refuses free-form as window_closing within the default 30 s margin of the end, and allows it just before', () => {
    for (const channel of ['messenger', 'instagram', 'whatsapp'] as const) {
      const sent = (ago: number) => decide(intent({ channel }), contact(wrote(ago)), account({ channel }), NOW);
      expect(sent(DAY - 31 * SECOND)).toMatchObject({ outcome: 'allow' });
      const closing = sent(DAY - 30 * SECOND);
      expect(closing).toMatchObject({ outcome: 'refuse', reason: 'window_closing', rule: 'window.closing' });
      expect(refusal(closing)?.earliestAt).toBeUndefined();
      expect(sent(DAY - SECOND)).toMatchObject({ reason: 'window_closing' });
      expect(sent(DAY)).toMatchObject({ reason: 'window_closed' });
    }
  });

  it('takes the deployment’s closing margin over the rule’s default', () => {
    const decision = decide(intent(), contact(wrote(DAY - 50 * SECOND)), account(), NOW, { windowClosingMarginMs: 60_000 });
    expect(decision).toMatchObject({ reason: 'window_closing' });
    expect(refusal(decision)?.detail).toContain('60 s');
  });

  it('still sends an approved template in the window’s last seconds: templates do not rest on the window', () => {
    const decision = decide(wa({ kind: 'utility', content: template('order_shipped') }), contact(wrote(DAY - SECOND)), waAccount(), NOW);
    expect(decision).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
  });

  it('sends proactive updates and promotions inside the window as UPDATE on Messenger and Instagram', () => {
    for (const channel of ['messenger', 'instagram'] as const) {
      for (const kind of ['proactive_update', 'marketing'] as const) {
        expect(decide(intent({ channel, kind }), contact(wrote(HOUR)), account({ channel }), NOW)).toMatchObject({
          outcome: 'allow',
          route: `${channel}.update`,
        });
      }
    }
  });

  it('refuses free-form to someone who never wrote', () => {
    expect(decide(intent(), contact(), account(), NOW)).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
  });

  it('lets a WhatsApp reaction refresh nothing: the window runs from the last message', () => {
    const reacted = contact({ lastInboundAt: NOW - HOUR, openedBy: 'reaction', lastMessageAt: NOW - 2 * DAY });
    expect(decide(wa(), reacted, waAccount(), NOW)).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    expect(decide(intent(), reacted, account(), NOW)).toMatchObject({ outcome: 'allow', route: 'messenger.response' });
  });

  it('prices WhatsApp free-form as free until 2026-09-30 and as service from 2026-10-01', () => {
    const lastMinute = at('2026-09-30T23:59:59Z');
    const first = at('2026-10-01T00:00:00Z');
    expect(decide(wa(), contact(wrote(HOUR, lastMinute)), waAccount(), lastMinute)).toMatchObject({ route: 'whatsapp.free_form', pricing: 'free' });
    expect(decide(wa(), contact(wrote(HOUR, first)), waAccount(), first)).toMatchObject({ route: 'whatsapp.free_form', pricing: 'service' });
  });

  it('sends WhatsApp interactive messages only inside the window, and never on Messenger', () => {
    const interactive: SendContent = { type: 'interactive', interactive: { type: 'button' } };
    expect(decide(wa({ content: interactive }), contact(wrote(HOUR)), waAccount(), NOW)).toMatchObject({ route: 'whatsapp.free_form' });
    expect(decide(wa({ content: interactive }), contact(wrote(2 * DAY)), waAccount(), NOW)).toMatchObject({ reason: 'window_closed' });
    expect(decide(intent({ content: interactive }), contact(wrote(HOUR)), account(), NOW)).toMatchObject({ reason: 'content_not_supported' });
  });
});

describe('HUMAN_AGENT', () => {
  const human = intent({ kind: 'human_agent_reply', author: 'human' });

  it('lets a human answer up to 7 days after the last message, not a second later', () => {
    expect(decide(human, contact(wrote(7 * DAY - SECOND)), account(), NOW)).toEqual({
      outcome: 'allow',
      route: 'messenger.human_agent',
      pricing: 'free',
      rule: 'human_agent',
    });
    expect(decide(human, contact(wrote(7 * DAY)), account(), NOW)).toMatchObject({ reason: 'human_agent_window_closed' });
    expect(decide(human, contact(wrote(7 * DAY + SECOND)), account(), NOW)).toMatchObject({ reason: 'human_agent_window_closed' });
  });

  it('sends a human reply inside the 24 h window as a plain response, without the tag', () => {
    expect(decide(human, contact(wrote(HOUR)), account(), NOW)).toMatchObject({ route: 'messenger.response' });
    expect(decide({ ...human, channel: 'instagram' }, contact(wrote(3 * DAY)), account({ channel: 'instagram' }), NOW)).toMatchObject({
      route: 'instagram.human_agent',
    });
  });

  it('treats a bot’s human_agent_reply inside the window as an ordinary reply, and refuses it outside', () => {
    expect(decide({ ...human, author: 'bot' }, contact(wrote(HOUR)), account(), NOW)).toMatchObject({ outcome: 'allow', route: 'messenger.response' });
    expect(decide({ ...human, author: 'bot' }, contact(wrote(3 * DAY)), account(), NOW)).toMatchObject({ reason: 'human_agent_needs_human' });
    expect(decide(wa({ kind: 'human_agent_reply', author: 'bot' }), contact(wrote(HOUR)), waAccount(), NOW)).toMatchObject({
      outcome: 'allow',
      route: 'whatsapp.free_form',
    });
    expect(decide(wa({ kind: 'human_agent_reply', author: 'bot' }), contact(wrote(2 * DAY)), waAccount(), NOW)).toMatchObject({
      reason: 'human_agent_needs_human',
    });
  });

  it('lets a person’s reply in the window’s last seconds go out as HUMAN_AGENT, never as window_closing', () => {
    expect(decide(human, contact(wrote(DAY - 10 * SECOND)), account(), NOW)).toMatchObject({ outcome: 'allow', route: 'messenger.human_agent' });
    expect(decide({ ...human, author: 'bot' }, contact(wrote(DAY - 10 * SECOND)), account(), NOW)).toMatchObject({ reason: 'window_closing' });
  });

  it('counts only messages: a later reaction does not extend the 7 days', () => {
    const reacted = contact({ lastInboundAt: NOW - 2 * DAY, openedBy: 'reaction', lastMessageAt: NOW - 8 * DAY });
    expect(decide(human, reacted, account(), NOW)).toMatchObject({ reason: 'human_agent_window_closed' });
  });

  it('does not exist on WhatsApp outside the window', () => {
    expect(decide(wa({ kind: 'human_agent_reply', author: 'human' }), contact(wrote(2 * DAY)), waAccount(), NOW)).toMatchObject({
      reason: 'human_agent_not_on_channel',
    });
    expect(decide(wa({ kind: 'human_agent_reply', author: 'human' }), contact(wrote(HOUR)), waAccount(), NOW)).toMatchObject({
      route: 'whatsapp.free_form',
    });
  });

  it('points a human who sent a plain reply too late at the HUMAN_AGENT route', () => {
    const decision = decide(intent({ author: 'human' }), contact(wrote(2 * DAY)), account(), NOW);
    expect(decision).toMatchObject({ reason: 'window_closed' });
    expect(refusal(decision)?.detail).toContain('human_agent_reply');
  });

  it('carries text only', () => {
    expect(decide({ ...human, content: template('order_shipped') }, contact(wrote(HOUR)), page(), NOW)).toMatchObject({
      reason: 'content_not_supported',
    });
  });
});

describe('proactive updates after the tag retirement', () => {
  const update = intent({ kind: 'proactive_update' });

  it('refuses a text update outside the window before and after 2026-04-27, naming the retired tags from that day', () => {
    const before = at('2026-04-26T23:59:59Z');
    const after = at('2026-04-27T00:00:00Z');
    expect(decide(update, contact(wrote(2 * DAY, before)), account(), before)).toMatchObject({
      reason: 'window_closed',
      rule: 'messenger.window.standard',
    });
    const decision = decide(update, contact(wrote(2 * DAY, after)), account(), after);
    expect(decision).toMatchObject({ reason: 'window_closed', rule: 'messenger.tags.retired' });
    expect(refusal(decision)?.detail).toMatch(/POST_PURCHASE_UPDATE.*UTILITY template/);
  });

  it('sends it as an approved utility template on Messenger instead', () => {
    expect(decide({ ...update, content: template('order_shipped') }, contact(wrote(2 * DAY)), page(), NOW)).toEqual({
      outcome: 'allow',
      route: 'messenger.utility_template',
      pricing: 'utility',
      rule: 'messenger.utility_template',
    });
  });

  it('tells an Instagram sender there are no utility templates there', () => {
    const decision = decide({ ...update, channel: 'instagram' }, contact(wrote(2 * DAY)), account({ channel: 'instagram' }), NOW);
    expect(decision).toMatchObject({ reason: 'window_closed' });
    expect(refusal(decision)?.detail).toContain('no utility templates');
  });
});

describe('Messenger utility templates', () => {
  const utility = (name: string) => intent({ kind: 'utility', content: template(name) });
  const outside = contact(wrote(3 * DAY));

  it('sends only known, approved UTILITY templates', () => {
    expect(decide(utility('order_shipped'), outside, page(), NOW)).toMatchObject({ route: 'messenger.utility_template' });
    expect(decide(utility('missing'), outside, page(), NOW)).toMatchObject({ reason: 'template_unknown' });
    expect(decide(utility('draft'), outside, page(), NOW)).toMatchObject({ reason: 'template_not_approved' });
    expect(decide(utility('rejected'), outside, page(), NOW)).toMatchObject({ reason: 'template_not_approved' });
    expect(decide(utility('old_promo'), outside, page(), NOW)).toMatchObject({ reason: 'template_paused' });
    expect(decide(utility('banned'), outside, page(), NOW)).toMatchObject({ reason: 'template_disabled' });
    expect(decide(utility('spring_sale'), outside, page(), NOW)).toMatchObject({ reason: 'template_category_mismatch' });
  });

  it('refuses to carry marketing in a template', () => {
    expect(decide(intent({ kind: 'marketing', content: template('order_shipped') }), outside, page(), NOW)).toMatchObject({
      reason: 'template_category_mismatch',
    });
  });

  it('does not exist on Instagram', () => {
    expect(decide({ ...utility('order_shipped'), channel: 'instagram' }, outside, page({ channel: 'instagram' }), NOW)).toMatchObject({
      reason: 'content_not_supported',
    });
  });
});

describe('Messenger marketing outside the window', () => {
  const promo = intent({ kind: 'marketing', topic: 'deals', campaignMessageId: '120210000000000001' });
  /** Last wrote long ago: before any `now` these tests use. */
  const outside = (over: Partial<ContactPolicyState> = {}) => contact({ ...wrote(2 * 365 * DAY), ...over });

  it('needs an active opt-in for the topic', () => {
    expect(decide(promo, outside(), page(), NOW)).toMatchObject({ reason: 'no_active_opt_in' });
    expect(decide(promo, outside({ optIns: [token({ topic: 'news' })] }), page(), NOW)).toMatchObject({ reason: 'no_active_opt_in' });
    expect(decide(promo, outside({ optIns: [token({ status: 'stopped' })] }), page(), NOW)).toMatchObject({ reason: 'opt_in_stopped' });
    expect(decide(promo, outside({ optIns: [token({ topic: undefined, title: 'deals' })] }), page(), NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('sends nothing promotional to someone who stopped, not even inside the window', () => {
    const stopped = contact({ ...wrote(HOUR), optIns: [token({ status: 'stopped' })] });
    expect(decide(promo, stopped, page(), NOW)).toMatchObject({ reason: 'opt_in_stopped' });
    expect(decide(promo, contact({ ...wrote(HOUR), marketingOptOut: true }), page(), NOW)).toMatchObject({ reason: 'marketing_opted_out' });
    expect(decide(promo, contact(wrote(HOUR)), page(), NOW)).toMatchObject({ route: 'messenger.update' });
  });

  it('asks the operator for the business country when it is unknown', () => {
    const decision = decide(promo, outside({ optIns: [token()] }), page({ country: undefined }), NOW);
    expect(decision).toMatchObject({ reason: 'marketing_messages_unavailable' });
    expect(refusal(decision)?.detail).toContain('country');
  });

  it('uses the paid Marketing Message API for a business in an eligible country', () => {
    expect(decide(promo, outside({ optIns: [token()] }), page({ country: 'us' }), NOW)).toEqual({
      outcome: 'allow',
      route: 'messenger.marketing_message',
      pricing: 'marketing_message',
      rule: 'messenger.marketing_message_api',
    });
  });

  it('refuses free text through the Marketing Message API, which sends only a campaign message', () => {
    const text = intent({ kind: 'marketing', topic: 'deals' });
    const decision = decide(text, outside({ optIns: [token()] }), page({ country: 'us' }), NOW);
    expect(decision).toMatchObject({ outcome: 'refuse', reason: 'content_not_supported', rule: 'messenger.marketing_message_api' });
    expect(refusal(decision)?.detail).toContain('campaignMessageId');
  });

  it('keeps 24 h between marketing messages on a token (the reference says 12 h or one a day)', () => {
    const sentAt = NOW - DAY + SECOND;
    expect(decide(promo, outside({ optIns: [token({ lastSentAt: sentAt })] }), page(), NOW)).toMatchObject({
      reason: 'marketing_limit_backoff',
      earliestAt: sentAt + DAY,
    });
    expect(decide(promo, outside({ optIns: [token({ lastSentAt: NOW - DAY })] }), page(), NOW)).toMatchObject({ outcome: 'allow' });
    const fresh = [token({ lastSentAt: NOW - HOUR }), token({ token: 'tok-2', lastSentAt: undefined })];
    expect(decide(promo, outside({ optIns: fresh }), page(), NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('holds marketing during a Meta back-off, and for good when the pause has no end', () => {
    const until = NOW + 5 * HOUR;
    expect(decide(promo, outside({ optIns: [token()], marketingPausedUntil: until }), page(), NOW)).toMatchObject({
      reason: 'marketing_limit_backoff',
      earliestAt: until,
    });
    const forever = decide(promo, outside({ optIns: [token()], marketingPausedUntil: Number.MAX_SAFE_INTEGER }), page(), NOW);
    expect(forever).toMatchObject({ reason: 'marketing_limit_backoff' });
    expect(refusal(forever)?.earliestAt).toBeUndefined();
  });

  it('falls back to recurring notifications where the API does not reach the recipient, while they survive', () => {
    const german = outside({ optIns: [token()], country: 'DE' });
    expect(decide(promo, german, page({ country: 'US' }), at('2026-02-09T12:00:00Z'))).toMatchObject({
      route: 'messenger.recurring_notification',
      pricing: 'free',
    });
    expect(decide(promo, german, page({ country: 'US' }), at('2026-02-10T00:00:00Z'))).toMatchObject({
      reason: 'recurring_notifications_discontinued',
    });
  });

  it('discontinues recurring notifications on 2026-02-10 except for businesses in AU, the EU, JP, KR and the UK', () => {
    const subscriber = outside({ optIns: [token()] });
    const lastDay = at('2026-02-09T23:59:59Z');
    const cutOff = at('2026-02-10T00:00:00Z');
    expect(decide(promo, subscriber, page({ country: 'CA' }), lastDay)).toMatchObject({ route: 'messenger.recurring_notification' });
    expect(decide(promo, subscriber, page({ country: 'CA' }), cutOff)).toMatchObject({ reason: 'recurring_notifications_discontinued' });
    for (const country of ['DE', 'GB', 'JP', 'KR', 'FR']) {
      expect(decide(promo, subscriber, page({ country }), cutOff)).toMatchObject({ route: 'messenger.recurring_notification' });
    }
  });

  it('spaces recurring notifications 24 h apart before 2025-09-01 and 48 h apart from then', () => {
    const germany = page({ country: 'DE' });
    const before = at('2025-08-31T12:00:00Z');
    expect(decide(promo, outside({ optIns: [token({ lastSentAt: before - DAY })] }), germany, before)).toMatchObject({ outcome: 'allow' });
    const after = at('2025-09-01T12:00:00Z');
    const sentAt = after - DAY;
    expect(decide(promo, outside({ optIns: [token({ lastSentAt: sentAt })] }), germany, after)).toMatchObject({
      reason: 'recurring_notification_cooldown',
      earliestAt: sentAt + 2 * DAY,
    });
    expect(decide(promo, outside({ optIns: [token({ lastSentAt: after - 2 * DAY + SECOND })] }), germany, after)).toMatchObject({
      reason: 'recurring_notification_cooldown',
    });
    expect(decide(promo, outside({ optIns: [token({ lastSentAt: after - 2 * DAY })] }), germany, after)).toMatchObject({ outcome: 'allow' });
  });

  it('promises no time when the cooldown ends after the product is gone', () => {
    const now = at('2026-02-09T12:00:00Z');
    const decision = decide(promo, outside({ optIns: [token({ lastSentAt: now - HOUR })] }), page({ country: 'CA' }), now);
    expect(decision).toMatchObject({ reason: 'recurring_notification_cooldown' });
    expect(refusal(decision)?.earliestAt).toBeUndefined();
  });

  it('has no Marketing Message API before 2025-07-01', () => {
    expect(decide(promo, outside({ optIns: [token()] }), page(), at('2025-06-30T12:00:00Z'))).toMatchObject({
      route: 'messenger.recurring_notification',
    });
  });

  it('offers nothing on Instagram outside the window', () => {
    const decision = decide({ ...promo, channel: 'instagram' }, outside({ optIns: [token()] }), page({ channel: 'instagram' }), NOW);
    expect(decision).toMatchObject({ reason: 'marketing_messages_unavailable' });
  });
});

describe('opt-in requests', () => {
  const ask = (title = 'Weekly deals', channel: Channel = 'messenger') => intent({ channel, kind: 'opt_in_request', content: optInContent(title) });

  it('go only inside the window', () => {
    expect(decide(ask(), contact(wrote(HOUR)), account(), NOW)).toMatchObject({ route: 'messenger.opt_in_request', pricing: 'free' });
    expect(decide(ask(), contact(wrote(DAY)), account(), NOW)).toMatchObject({ reason: 'opt_in_request_outside_window' });
  });

  it('go at most once per title per 7 days', () => {
    const asked = (ago: number) => contact({ ...wrote(HOUR), optInRequestsAt: { 'Weekly deals': NOW - ago } });
    expect(decide(ask(), asked(7 * DAY - SECOND), account(), NOW)).toMatchObject({
      reason: 'opt_in_request_too_soon',
      earliestAt: NOW + SECOND,
    });
    expect(decide(ask(), asked(7 * DAY), account(), NOW)).toMatchObject({ outcome: 'allow' });
    expect(decide(ask('Restock alerts'), asked(HOUR), account(), NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('promise no time when the window closes before the week is over', () => {
    const decision = decide(ask(), contact({ ...wrote(HOUR), optInRequestsAt: { 'Weekly deals': NOW - DAY } }), account(), NOW);
    expect(decision).toMatchObject({ reason: 'opt_in_request_too_soon' });
    expect(refusal(decision)?.earliestAt).toBeUndefined();
  });

  it('stay within five a day on Instagram', () => {
    const titles = ['a', 'b', 'c', 'd', 'e'];
    const oldest = NOW - 20 * HOUR;
    const optInRequestsAt = Object.fromEntries(titles.map((title, i) => [title, oldest + i * HOUR]));
    const busy = contact({ ...wrote(HOUR), optInRequestsAt });
    expect(decide(ask('f', 'instagram'), busy, account({ channel: 'instagram' }), NOW)).toMatchObject({
      reason: 'opt_in_request_too_soon',
      earliestAt: oldest + DAY,
    });
    expect(decide(ask('f'), busy, account(), NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('do not exist on WhatsApp, and need opt-in content', () => {
    expect(decide(wa({ kind: 'opt_in_request', content: optInContent('Deals') }), contact(wrote(HOUR)), waAccount(), NOW)).toMatchObject({
      reason: 'content_not_supported',
    });
    expect(decide(intent({ kind: 'opt_in_request' }), contact(wrote(HOUR)), account(), NOW)).toMatchObject({ reason: 'content_not_supported' });
    expect(decide(intent({ content: optInContent('Deals') }), contact(wrote(HOUR)), account(), NOW)).toMatchObject({
      reason: 'content_not_supported',
    });
  });
});

describe('WhatsApp templates', () => {
  const send = (name: string, kind: SendKind = 'proactive_update') => wa({ kind, content: template(name) });
  const outside = (over: Partial<ContactPolicyState> = {}) => contact({ ...wrote(3 * DAY), ...over });

  it('go outside the window, priced by category', () => {
    expect(decide(send('order_shipped', 'utility'), outside(), waAccount(), NOW)).toEqual({
      outcome: 'allow',
      route: 'whatsapp.template',
      pricing: 'utility',
      rule: 'template.status',
    });
    expect(decide(send('spring_sale', 'marketing'), outside(), waAccount(), NOW)).toMatchObject({ pricing: 'marketing' });
    expect(decide(send('login_code'), outside(), waAccount(), NOW)).toMatchObject({ pricing: 'authentication' });
    expect(decide(send('uncategorised'), outside(), waAccount(), NOW)).toMatchObject({ pricing: 'marketing' });
  });

  it('price a utility template inside the window as free until 2026-09-30 and billable from 2026-10-01', () => {
    const lastMinute = at('2026-09-30T23:59:59Z');
    const first = at('2026-10-01T00:00:00Z');
    expect(decide(send('order_shipped'), contact(wrote(HOUR, lastMinute)), waAccount(), lastMinute)).toMatchObject({ pricing: 'free' });
    expect(decide(send('order_shipped'), contact(wrote(HOUR, first)), waAccount(), first)).toMatchObject({ pricing: 'utility' });
  });

  it('must be known and approved', () => {
    expect(decide(send('missing'), outside(), waAccount(), NOW)).toMatchObject({ reason: 'template_unknown' });
    expect(decide(send('old_promo'), outside(), waAccount(), NOW)).toMatchObject({ reason: 'template_paused' });
    expect(decide(send('banned'), outside(), waAccount(), NOW)).toMatchObject({ reason: 'template_disabled' });
    expect(decide(send('draft'), outside(), waAccount(), NOW)).toMatchObject({ reason: 'template_not_approved' });
    expect(decide(send('order_shipped'), outside(), waAccount({ templates: { 'order_shipped#de': { status: 'APPROVED' } } }), NOW)).toMatchObject({
      reason: 'template_unknown',
    });
  });

  it('must match the kind of send', () => {
    expect(decide(send('spring_sale', 'utility'), outside(), waAccount(), NOW)).toMatchObject({ reason: 'template_category_mismatch' });
    expect(decide(send('uncategorised', 'utility'), outside(), waAccount(), NOW)).toMatchObject({ reason: 'template_category_mismatch' });
    expect(decide(send('order_shipped', 'marketing'), outside(), waAccount(), NOW)).toMatchObject({ reason: 'template_category_mismatch' });
  });

  it('never bring marketing to someone who stopped it or is in a back-off', () => {
    expect(decide(send('spring_sale'), outside({ marketingOptOut: true }), waAccount(), NOW)).toMatchObject({ reason: 'marketing_opted_out' });
    expect(decide(send('order_shipped'), outside({ marketingOptOut: true }), waAccount(), NOW)).toMatchObject({ outcome: 'allow' });
    const until = NOW + 6 * HOUR;
    expect(decide(send('spring_sale'), outside({ marketingPausedUntil: until }), waAccount(), NOW)).toMatchObject({
      reason: 'marketing_limit_backoff',
      earliestAt: until,
    });
    expect(decide(send('spring_sale'), outside({ marketingPausedUntil: NOW }), waAccount(), NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('bring no marketing to +1 numbers from 2025-04-01, utility still goes', () => {
    const american = outside({ waId: '15551234567' });
    expect(decide(send('spring_sale'), american, waAccount(), at('2025-03-31T23:59:59Z'))).toMatchObject({ outcome: 'allow' });
    expect(decide(send('spring_sale'), american, waAccount(), at('2025-04-01T00:00:00Z'))).toMatchObject({ reason: 'marketing_to_us_number' });
    expect(decide(send('order_shipped'), american, waAccount(), NOW)).toMatchObject({ outcome: 'allow' });
    expect(decide(send('spring_sale'), outside({ waId: '4915112345678' }), waAccount(), NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('wait out a business-initiated restriction, inside the window too', () => {
    const until = NOW + 2 * HOUR;
    const restricted = waAccount({ businessInitiatedRestrictedUntil: until });
    expect(decide(send('order_shipped'), outside(), restricted, NOW)).toMatchObject({ reason: 'account_restricted', earliestAt: until });
    expect(decide(send('order_shipped'), contact(wrote(HOUR)), restricted, NOW)).toMatchObject({ reason: 'account_restricted' });
    expect(decide(wa(), contact(wrote(HOUR)), restricted, NOW)).toMatchObject({ route: 'whatsapp.free_form' });
  });

  it('are the only thing that goes outside the window', () => {
    expect(decide(wa({ kind: 'proactive_update' }), outside(), waAccount(), NOW)).toMatchObject({ reason: 'window_closed' });
    expect(decide(wa({ kind: 'marketing' }), contact({ ...wrote(HOUR), marketingOptOut: true }), waAccount(), NOW)).toMatchObject({
      reason: 'marketing_opted_out',
    });
  });
});

describe('account and contact gates', () => {
  it('stop everything for a blocked account or a rejected token', () => {
    expect(decide(intent(), contact(wrote(HOUR)), account({ blocked: true }), NOW)).toMatchObject({ reason: 'account_blocked' });
    expect(decide(intent(), contact(wrote(HOUR)), account({ sendingPause: { until: NOW + HOUR, reason: 'token_invalid', code: 190 } }), NOW)).toMatchObject({
      reason: 'token_invalid',
      earliestAt: NOW + HOUR,
    });
  });

  it('wait for an unreachable person when the door is still open then, and not otherwise', () => {
    const until = NOW + 2 * HOUR;
    expect(decide(wa({ content: template('order_shipped') }), contact({ unreachableUntil: until }), waAccount(), NOW)).toMatchObject({
      reason: 'recipient_unreachable',
      earliestAt: until,
    });
    const decision = decide(intent(), contact({ ...wrote(23 * HOUR), unreachableUntil: until }), account(), NOW);
    expect(decision).toMatchObject({ reason: 'recipient_unreachable' });
    expect(refusal(decision)?.earliestAt).toBeUndefined();
  });
});

describe('the rule table', () => {
  it('names a reference file as the source of every rule', () => {
    for (const rule of POLICY_RULES) expect(rule.source).toMatch(/(messenger-platform|whatsapp-cloud-api|meta-and-peers-2026h2)\.md §\d/);
  });

  it('has unique ids and valid, ordered dates', () => {
    expect(new Set(POLICY_RULES.map((rule) => rule.id)).size).toBe(POLICY_RULES.length);
    for (const rule of POLICY_RULES) {
      const from = rule.effectiveFrom === undefined ? -Infinity : Date.parse(rule.effectiveFrom);
      const until = rule.effectiveUntil === undefined ? Infinity : Date.parse(rule.effectiveUntil);
      expect(Number.isNaN(from) || Number.isNaN(until)).toBe(false);
      expect(from).toBeLessThan(until);
    }
  });

  const boundaries = [
    at('2000-01-01'),
    at('2100-01-01'),
    ...POLICY_RULES.flatMap((rule) => [rule.effectiveFrom, rule.effectiveUntil])
      .filter((date): date is string => date !== undefined)
      .flatMap((date) => [Date.parse(date) - 1, Date.parse(date)]),
  ];
  const channels: Channel[] = ['messenger', 'instagram', 'whatsapp'];
  const inForce = (topic: PolicyRule['topic'], channel: Channel, now: number) =>
    POLICY_RULES.filter((rule) => rule.topic === topic && appliesTo(rule, channel) && inEffect(rule, now));

  it('never has two rows of one topic in force for one channel at once', () => {
    for (const topic of new Set(POLICY_RULES.map((rule) => rule.topic))) {
      for (const channel of channels) for (const now of boundaries) expect(inForce(topic, channel, now).length).toBeLessThanOrEqual(1);
    }
  });

  it('always has a window, content and pricing rule for every channel', () => {
    for (const topic of ['window.standard', 'content.channel', 'content.kind', 'pricing', 'marketing.consent'] as const) {
      for (const channel of channels) for (const now of boundaries) expect(inForce(topic, channel, now)).toHaveLength(1);
    }
  });

  it('changes behaviour through data alone: a moved date or a longer country list', () => {
    const now = at('2026-02-15T12:00:00Z');
    const promo = intent({ kind: 'marketing', campaignMessageId: '120210000000000001' });
    const subscriber = contact({ ...wrote(3 * DAY, now), optIns: [token()] });
    const canada = page({ country: 'CA' });
    expect(decide(promo, subscriber, canada, now)).toMatchObject({ reason: 'recurring_notifications_discontinued' });

    const postponed = POLICY_RULES.map((rule): PolicyRule => {
      if (rule.id === 'messenger.recurring_notification.48h') return { ...rule, effectiveUntil: '2026-03-01' };
      if (rule.id === 'messenger.recurring_notification.regional') return { ...rule, effectiveFrom: '2026-03-01' };
      return rule;
    });
    expect(createPolicyEngine(postponed)(promo, subscriber, canada, now)).toMatchObject({ route: 'messenger.recurring_notification' });

    const widened = POLICY_RULES.map((rule): PolicyRule =>
      rule.topic === 'marketing_message_api' ? { ...rule, params: { ...rule.params, businessCountries: ['CA'] } } : rule,
    );
    expect(createPolicyEngine(widened)(promo, subscriber, canada, now)).toMatchObject({ route: 'messenger.marketing_message' });
  });
});

describe('properties', () => {
  const FREE_FORM_ROUTES: RouteName[] = [
    'messenger.response',
    'messenger.update',
    'instagram.response',
    'instagram.update',
    'messenger.opt_in_request',
    'instagram.opt_in_request',
    'whatsapp.free_form',
  ];
  const RECURRING_NOTIFICATION_COUNTRIES = new Set(['AU', 'JP', 'KR', 'GB', 'UK', 'DE', 'FR', 'AT', 'NL', 'IE']);
  const MARKETING_TEMPLATES = new Set(['spring_sale', 'old_promo', 'uncategorised']);

  const duration = fc.oneof(
    fc.integer({ min: 0, max: 10 * DAY }),
    fc.constantFrom(DAY - SECOND, DAY, DAY + SECOND, 2 * DAY, 7 * DAY - SECOND, 7 * DAY, 7 * DAY + SECOND),
  );
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  /** Blockers stay rare so that most scenarios reach the channel's doors. */
  const rare = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });
  const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 });
  const content: fc.Arbitrary<SendContent> = fc.oneof(
    fc.constant(TEXT),
    fc.constantFrom(...Object.keys(TEMPLATES).map((key) => key.split('#')[0] as string), 'missing').map((name) => template(name)),
    fc.constantFrom('Deals', 'News').map(optInContent),
    fc.constant<SendContent>({ type: 'interactive', interactive: {} }),
  );
  const scenario = fc.record({
    now: fc.oneof(
      fc.integer({ min: at('2025-01-01'), max: at('2027-06-01') }),
      fc.constantFrom('2025-04-01', '2025-07-01', '2025-09-01', '2026-02-10', '2026-04-27', '2026-10-01').map(at),
    ),
    channel: fc.constantFrom<Channel>('messenger', 'instagram', 'whatsapp'),
    kind: fc.constantFrom<SendKind>('reply', 'proactive_update', 'marketing', 'utility', 'opt_in_request', 'human_agent_reply'),
    author: fc.constantFrom<'bot' | 'human'>('bot', 'human'),
    content,
    topic: maybe(fc.constantFrom('deals', 'news')),
    inboundAgo: maybe(duration),
    messageAgo: maybe(duration),
    openedBy: maybe(fc.constantFrom('message', 'postback', 'reaction', 'referral', 'ad_referral' as const)),
    optIns: fc.array(
      fc.record({
        token: fc.constantFrom('t1', 't2', 't3'),
        topic: maybe(fc.constantFrom('deals', 'news')),
        status: fc.constantFrom<'active' | 'stopped'>('active', 'stopped'),
        sentAgo: maybe(duration),
      }),
      { maxLength: 3 },
    ),
    marketingOptOut: rarely,
    pausedFor: rare(fc.integer({ min: -DAY, max: 2 * DAY })),
    unreachableFor: rare(fc.integer({ min: -DAY, max: 2 * DAY })),
    waId: maybe(fc.constantFrom('15551234567', '4915112345678', '+12025550123')),
    askedAgo: maybe(duration),
    country: maybe(fc.constantFrom('US', 'CA', 'DE', 'GB', 'AU', 'BR', 'JP', 'FR')),
    contactCountry: maybe(fc.constantFrom('US', 'DE', 'JP')),
    blocked: rarely,
    pausedAccountFor: rare(fc.integer({ min: -DAY, max: 2 * DAY })),
    restrictedFor: rare(fc.integer({ min: -DAY, max: 2 * DAY })),
  });
  type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;
  /** Half of the runs aim at the marketing doors, which uniform scenarios rarely reach. */
  const marketingMix = fc.oneof(
    scenario,
    scenario.map((s) => ({ ...s, channel: 'messenger' as const, kind: 'marketing' as const, content: TEXT })),
    scenario.map((s) => ({ ...s, channel: 'whatsapp' as const, content: template('spring_sale') })),
  );

  const build = (s: Scenario) => {
    const ago = (ms: number | undefined) => (ms === undefined ? undefined : s.now - ms);
    const later = (ms: number | undefined) => (ms === undefined ? undefined : s.now + ms);
    const sendIntent = intent({ channel: s.channel, kind: s.kind, author: s.author, content: s.content, topic: s.topic });
    const state = contact({
      lastInboundAt: ago(s.inboundAgo),
      lastMessageAt: ago(s.messageAgo),
      openedBy: s.openedBy,
      optIns: s.optIns.map((o) => ({ token: o.token, topic: o.topic, status: o.status, lastSentAt: ago(o.sentAgo) })),
      marketingOptOut: s.marketingOptOut,
      marketingPausedUntil: later(s.pausedFor),
      unreachableUntil: later(s.unreachableFor),
      optInRequestsAt: s.askedAgo === undefined ? undefined : { Deals: s.now - s.askedAgo },
      waId: s.waId,
      country: s.contactCountry,
    });
    const business = account({
      channel: s.channel,
      country: s.country,
      blocked: s.blocked,
      sendingPause: s.pausedAccountFor === undefined ? undefined : { until: s.now + s.pausedAccountFor, reason: 'page_restricted', code: 10 },
      businessInitiatedRestrictedUntil: later(s.restrictedFor),
      templates: TEMPLATES,
    });
    return { sendIntent, state, business, decision: decide(sendIntent, state, business, s.now) };
  };
  const allowed = (decision: Decision): RouteName | undefined => (decision.outcome === 'allow' ? decision.route : undefined);

  it('never allows free-form outside the 24 h window', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { state, decision } = build(s);
        const route = allowed(decision);
        if (route === undefined || !FREE_FORM_ROUTES.includes(route)) return;
        expect(state.lastInboundAt).toBeDefined();
        expect(s.now).toBeLessThan((state.lastInboundAt ?? 0) + DAY);
      }),
      { numRuns: 2000 },
    );
  });

  it('never uses HUMAN_AGENT for a bot, on WhatsApp, or after 7 days', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { state, decision } = build(s);
        if (!allowed(decision)?.endsWith('.human_agent')) return;
        expect([s.author, s.kind, s.channel === 'whatsapp']).toEqual(['human', 'human_agent_reply', false]);
        expect(s.now).toBeLessThan((state.lastMessageAt ?? -Infinity) + 7 * DAY);
      }),
      { numRuns: 2000 },
    );
  });

  it('sends nothing marketing to a contact who opted out', () => {
    fc.assert(
      fc.property(marketingMix, (s) => {
        const { sendIntent, state, decision } = build(s);
        if (decision.outcome !== 'allow') return;
        const topical = state.optIns.filter((o) => s.topic === undefined || o.topic === s.topic);
        const isMarketing =
          s.kind === 'marketing' || (s.channel === 'whatsapp' && sendIntent.content.type === 'template' && MARKETING_TEMPLATES.has(sendIntent.content.name));
        if (isMarketing) {
          expect(state.marketingOptOut).toBe(false);
          expect(topical.length > 0 && topical.every((o) => o.status === 'stopped')).toBe(false);
        }
        if (decision.route === 'messenger.marketing_message' || decision.route === 'messenger.recurring_notification') {
          expect(topical.some((o) => o.status === 'active')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('uses no retired route after its date', () => {
    fc.assert(
      fc.property(marketingMix, (s) => {
        const { decision } = build(s);
        const route = allowed(decision);
        if (route === 'messenger.recurring_notification' && s.now >= at('2026-02-10')) {
          expect(RECURRING_NOTIFICATION_COUNTRIES.has(s.country ?? '')).toBe(true);
        }
        if (route === 'messenger.marketing_message') expect(s.now).toBeGreaterThanOrEqual(at('2025-07-01'));
        if (route === 'whatsapp.template' && s.now >= at('2025-04-01') && s.waId?.replace('+', '').startsWith('1')) {
          expect(MARKETING_TEMPLATES.has(s.content.type === 'template' ? s.content.name : '')).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never claims a WhatsApp message free from 2026-10-01', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { decision } = build(s);
        if (decision.outcome === 'allow' && s.channel === 'whatsapp' && s.now >= at('2026-10-01')) expect(decision.pricing).not.toBe('free');
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps its promise: the same intent is allowed at earliestAt', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { sendIntent, state, business, decision } = build(s);
        if (decision.outcome !== 'refuse' || decision.earliestAt === undefined) return;
        expect(decision.earliestAt).toBeGreaterThan(s.now);
        expect(decide(sendIntent, state, business, decision.earliestAt)).toMatchObject({ outcome: 'allow' });
      }),
      { numRuns: 2000 },
    );
  });
});
