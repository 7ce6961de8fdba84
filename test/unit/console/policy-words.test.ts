import { pricingWords, refusalSentence, routeWords } from '../../../console/src/pages/sends/policy-words';

// Every code the policy engine (and the sender's limiter, in a preview) can refuse with: README "Refusal reasons".
const REASONS = [
  'window_closed', 'window_closing', 'human_agent_needs_human', 'human_agent_window_closed', 'human_agent_not_on_channel', 'tag_retired',
  'recurring_notifications_discontinued', 'recurring_notification_cooldown', 'marketing_messages_unavailable', 'no_active_opt_in', 'no_marketing_consent',
  'opt_in_stopped', 'marketing_opted_out', 'marketing_limit_backoff', 'marketing_to_us_number', 'marketing_api_required', 'auth_template_to_bsuid',
  'recipient_country_restricted', 'template_unknown', 'template_not_approved', 'template_paused', 'template_disabled', 'template_archived', 'template_deleted',
  'template_category_mismatch', 'opt_in_request_outside_window', 'opt_in_request_too_soon', 'account_blocked', 'account_restricted', 'token_invalid',
  'account_paused', 'recipient_unreachable', 'content_not_supported', 'messaging_limit_reached',
] as const satisfies readonly import('../../../lambdas/domain/send/policy-types').RefusalReason[];

describe('the policy decision in a marketer’s words', () => {
  it('says why a free-form message to someone whose window is closed is refused, and what to send instead', () => {
    expect(refusalSentence({ reason: 'window_closed', detail: 'outside the 24 h window' })).toBe(
      'This person hasn’t written in the last 24 hours (or never has), so a free-form message can’t reach them: send an approved template instead.',
    );
  });

  it('gives every refusal reason a sentence of its own, never the code', () => {
    const sentences = REASONS.map((reason) => refusalSentence({ reason, detail: 'the engine’s detail' }));
    for (const [i, sentence] of sentences.entries()) {
      expect(sentence).not.toContain(REASONS[i]);
      expect(sentence).not.toBe('the engine’s detail');
      expect(sentence).toMatch(/^[A-Z].*\.$/);
    }
    expect(new Set(sentences).size).toBe(REASONS.length);
  });

  it('says when the message may go, when waiting helps', () => {
    expect(refusalSentence({ reason: 'marketing_limit_backoff', detail: 'x', earliestAt: '2026-05-18T09:30:00.000Z' })).toBe(
      'Meta is holding marketing messages to this person for now: try again later. It can be sent from 18 May 2026, 09:30 UTC.',
    );
  });

  it('falls back to the engine’s own sentence for a reason it doesn’t know yet', () => {
    expect(refusalSentence({ reason: 'something_new', detail: 'Meta changed a rule: wait.' })).toBe('Meta changed a rule: wait.');
  });

  it('names the route and the price', () => {
    expect(routeWords('whatsapp.free_form')).toBe('WhatsApp free-form message inside the 24-hour window');
    expect(pricingWords('free')).toBe('free');
    expect(pricingWords('marketing')).toBe('charged by Meta as a marketing message');
    expect(routeWords('whatsapp.new_door')).toBe('whatsapp.new_door');
  });
});
