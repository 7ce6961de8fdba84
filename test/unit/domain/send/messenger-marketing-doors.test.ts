/** Interface under test: decide() for marketing outside the window on Messenger and Instagram — the paid API, recurring notifications, or why neither. */
import { createPolicyEngine, decide } from '../../../../lambdas/domain/send/policy-engine';
import { account, contact, DAY, detailOf, HOUR, intent, iso, NOW, token, without, wrote } from './policy-fixtures';

const outside = (over = {}) => contact({ ...wrote(2 * DAY), optIns: [token()], ...over });
const promo = intent({ kind: 'marketing', campaignMessageId: 'cm-1' });

describe('marketing outside the window', () => {
  it('on Instagram, which offers no such door, says to promote only while the person writes', () => {
    expect(decide(intent({ channel: 'instagram', kind: 'marketing' }), outside(), account({ channel: 'instagram', country: 'US' }), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'marketing_messages_unavailable',
      rule: 'marketing_message_api',
      detail: 'Instagram offers no marketing messages outside the 24 h window: send promotions only while the person is writing.',
    });
  });

  it('to someone without an opt-in says so, naming the topic when the send has one', () => {
    const none = contact(wrote(2 * DAY));
    expect(decide(promo, none, account({ country: 'US' }), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'no_active_opt_in',
      rule: 'marketing.consent',
      detail: 'This person has not opted in to marketing messages: send an opt-in request while they are writing.',
    });
    expect(detailOf(decide({ ...promo, topic: 'deals' }, none, account({ country: 'US' }), NOW))).toBe(
      'This person has not opted in to marketing messages for the topic "deals": send an opt-in request while they are writing.',
    );
  });

  it("from an account whose country is missing or blank asks for it, instead of guessing Meta's offer", () => {
    for (const country of [undefined, '', '   ']) {
      expect(decide(promo, outside(), account({ country }), NOW)).toEqual({
        outcome: 'refuse',
        reason: 'marketing_messages_unavailable',
        rule: 'messenger.marketing_message_api',
        detail: "The account's country is not set: set it so afterchat knows which marketing messages Meta offers this business.",
      });
    }
  });

  it('from a business where neither door is offered names its country, upper-cased, and the date recurring notifications ended', () => {
    expect(decide(promo, outside(), account({ country: 'ca' }), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'recurring_notifications_discontinued',
      rule: 'messenger.recurring_notification.regional',
      detail: 'Recurring notifications are discontinued for businesses in CA since 2026-02-10, and the Marketing Message API cannot reach this person from there.',
    });
  });

  it('on a table with no recurring notifications at all, gives no date', () => {
    const engine = createPolicyEngine(without('recurring_notification'));
    expect(engine(promo, outside(), account({ country: 'CA' }), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'recurring_notifications_discontinued',
      rule: 'recurring_notification',
      detail: 'Recurring notifications are discontinued for businesses in CA, and the Marketing Message API cannot reach this person from there.',
    });
  });

  it('through the Marketing Message API waits out the 24 h gap per subscription, saying when it ends', () => {
    const gapEnds = NOW + 23 * HOUR;
    const person = outside({ optIns: [token({ lastSentAt: NOW - HOUR })] });
    expect(decide(promo, person, account({ country: 'US' }), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'marketing_limit_backoff',
      rule: 'messenger.marketing_message_api',
      detail: `Meta allows one marketing message per subscription every 24 h; this person's gap ends at ${iso(gapEnds)}.`,
      earliestAt: gapEnds,
    });
    expect(decide(promo, person, account({ country: 'US' }), gapEnds)).toMatchObject({ outcome: 'allow', route: 'messenger.marketing_message' });
  });

  it('through recurring notifications waits out the 2-day cooldown per token, saying when it ends', () => {
    const cooldownEnds = NOW + DAY;
    const person = outside({ optIns: [token({ lastSentAt: NOW - DAY })] });
    expect(decide(promo, person, account({ country: 'FR' }), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'recurring_notification_cooldown',
      rule: 'messenger.recurring_notification.regional',
      detail: `Recurring notifications allow one message per token every 2 days; this person's cooldown ends at ${iso(cooldownEnds)}.`,
      earliestAt: cooldownEnds,
    });
    expect(decide(promo, person, account({ country: 'FR' }), cooldownEnds)).toMatchObject({ outcome: 'allow', route: 'messenger.recurring_notification' });
  });
});
