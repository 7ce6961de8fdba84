/** Interface under test: decide() on Messenger and Instagram — replies, human agents, updates, utility templates and opt-in requests. */
import { createPolicyEngine, decide } from '../../../../lambdas/domain/send/policy-engine';
import { account, at, contact, DAY, detailOf, earliestOf, HOUR, intent, NOW, optInContent, template, without, withoutEffectiveFrom, wrote } from './policy-fixtures';

const outside = contact(wrote(2 * DAY));
const inside = contact(wrote(HOUR));

describe('human agent replies', () => {
  it("from a bot outside the window are refused under the human_agent rule: only a person may use the tag", () => {
    expect(decide(intent({ kind: 'human_agent_reply', author: 'bot' }), outside, account(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'human_agent_needs_human',
      rule: 'human_agent',
      detail: 'HUMAN_AGENT replies must be written by a person: a bot may only reply inside the 24 h window.',
    });
  });

  it("from a person, more than 7 days after the person's last message, say how long ago they wrote, how long the tag lasts and what to do", () => {
    expect(decide(intent({ kind: 'human_agent_reply', author: 'human' }), contact(wrote(8 * DAY)), account(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'human_agent_window_closed',
      rule: 'human_agent',
      detail:
        "The person last wrote 8 days ago; Messenger lets a human agent answer for 7 days after the person's last message. Ask them to write again, or send an approved UTILITY template.",
    });
    expect(detailOf(decide(intent({ channel: 'instagram', kind: 'human_agent_reply', author: 'human' }), contact(wrote(10 * DAY)), account(), NOW))).toBe(
      "The person last wrote 10 days ago; Instagram lets a human agent answer for 7 days after the person's last message. Ask them to write again: this channel has no templates.",
    );
    // Just past the limit: "7 days ago" beside a 7-day limit would read as still allowed.
    expect(detailOf(decide(intent({ kind: 'human_agent_reply', author: 'human' }), contact(wrote(7 * DAY + 3_600_000)), account(), NOW))).toMatch(
      /^The person last wrote more than 7 days ago; /,
    );
  });

  it('on a table without the HUMAN_AGENT tag, a person can only answer inside the window', () => {
    const engine = createPolicyEngine(without('human_agent'));
    expect(engine(intent({ kind: 'human_agent_reply', author: 'human' }), outside, account(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'human_agent_not_on_channel',
      rule: 'human_agent',
      detail: 'This channel has no HUMAN_AGENT tag: a human can only answer inside the 24 h window.',
    });
  });
});

describe('a reply outside the window', () => {
  it('from a bot says to wait for the person', () => {
    expect(detailOf(decide(intent({ author: 'bot' }), outside, account(), NOW))).toBe('The 24 h window is closed: wait for the person to write again.');
  });

  it('from a person points to the human agent reply while the tag exists', () => {
    expect(detailOf(decide(intent({ author: 'human' }), outside, account(), NOW))).toBe('The 24 h window is closed: a human agent can still answer as a human_agent_reply.');
    const noTag = createPolicyEngine(without('human_agent'));
    expect(detailOf(noTag(intent({ author: 'human' }), outside, account(), NOW))).toBe('The 24 h window is closed: wait for the person to write again.');
  });
});

describe('a proactive update outside the window', () => {
  const update = intent({ kind: 'proactive_update' });

  it('before the tags were retired rests on the window and points to utility templates', () => {
    const now = at('2026-03-01T12:00:00Z');
    expect(decide(update, contact(wrote(2 * DAY, now)), account(), now)).toEqual({
      outcome: 'refuse',
      reason: 'window_closed',
      rule: 'messenger.window.standard',
      detail: 'The 24 h window is closed: send an approved UTILITY template instead.',
    });
  });

  it('after, names the retired tags and the date they went', () => {
    expect(decide(update, outside, account(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'window_closed',
      rule: 'messenger.tags.retired',
      detail: 'The 24 h window is closed and the CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE tags are retired since 2026-04-27: send an approved UTILITY template instead.',
    });
    const undated = createPolicyEngine(withoutEffectiveFrom('messenger.tags.retired'));
    expect(detailOf(undated(update, outside, account(), NOW))).toContain('tags are retired since ever:');
  });

  it('on Instagram, which has no utility templates, says to wait', () => {
    const decision = decide(intent({ channel: 'instagram', kind: 'proactive_update' }), outside, account({ channel: 'instagram' }), NOW);
    expect(detailOf(decision)).toMatch(/: this channel has no utility templates, so wait for the person to write\.$/);
  });
});

describe('Messenger templates', () => {
  it('refuse a marketing send: promotions go as marketing text under an opt-in', () => {
    expect(decide(intent({ kind: 'marketing', content: template('order_shipped') }), outside, account(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'template_category_mismatch',
      rule: 'messenger.utility_template',
      detail: 'Messenger templates are for utility messages only: send promotions as marketing text under an opt-in.',
    });
  });

  it("refuse a template that isn't UTILITY, naming its category or saying it is unknown", () => {
    const utility = (name: string) => decide(intent({ kind: 'utility', content: template(name) }), outside, account(), NOW);
    expect(utility('spring_sale')).toEqual({
      outcome: 'refuse',
      reason: 'template_category_mismatch',
      rule: 'messenger.utility_template',
      detail: 'Template "spring_sale#en" is MARKETING: Messenger only sends UTILITY templates.',
    });
    expect(detailOf(utility('uncategorised'))).toBe('Template "uncategorised#en" is of unknown category: Messenger only sends UTILITY templates.');
    expect(utility('order_shipped')).toMatchObject({ outcome: 'allow', route: 'messenger.utility_template' });
  });
});

describe('opt-in requests', () => {
  const ask = (title: string, channel: 'messenger' | 'instagram' = 'messenger') => intent({ channel, kind: 'opt_in_request', content: optInContent(title) });
  const ig = account({ channel: 'instagram' });

  it('outside the window are refused, saying to wait for the person', () => {
    expect(decide(ask('Deals'), outside, account(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'opt_in_request_outside_window',
      rule: 'messenger.opt_in_request',
      detail: 'Opt-in requests may only be sent inside the 24 h window: wait for the person to write.',
    });
  });

  it('with the same title within a week are refused, naming the title and the week', () => {
    const decision = decide(ask('Deals'), contact({ ...wrote(HOUR), optInRequestsAt: { Deals: NOW - DAY } }), account(), NOW);
    expect(decision).toMatchObject({ outcome: 'refuse', reason: 'opt_in_request_too_soon', rule: 'messenger.opt_in_request' });
    expect(detailOf(decision)).toBe('An opt-in request titled "Deals" was sent less than 7 days ago.');
  });

  it('on Instagram go when none were sent before', () => {
    expect(decide(ask('Deals', 'instagram'), inside, ig, NOW)).toMatchObject({ outcome: 'allow', route: 'instagram.opt_in_request' });
  });

  it('on Instagram stop at 5 a day, counting only the last 24 h, and say when the sixth may go', () => {
    const now = NOW;
    // Sent in no particular order: the cap counts by time, not by the order they were recorded in.
    const sentAt = { a: now - 5 * HOUR, b: now - 2 * HOUR, c: now - 22 * HOUR, d: now - 23 * HOUR, e: now - 3 * HOUR, f: now - 4 * HOUR };
    const person = contact({ ...wrote(0, now), optInRequestsAt: sentAt });
    const decision = decide(ask('Deals', 'instagram'), person, ig, now);
    expect(decision).toMatchObject({ outcome: 'refuse', reason: 'opt_in_request_too_soon', rule: 'instagram.opt_in_request' });
    expect(detailOf(decision)).toBe('5 opt-in requests in 24 h is the most this person may get.');
    // The second oldest of the six leaves the last 24 h at now + 2 h; then four are left.
    expect(earliestOf(decision)).toBe(now + 2 * HOUR);
    expect(decide(ask('Deals', 'instagram'), person, ig, now + 2 * HOUR)).toMatchObject({ outcome: 'allow' });

    const yesterday = { a: now - 25 * HOUR, b: now - 26 * HOUR, c: now - 27 * HOUR, d: now - 28 * HOUR, e: now - 29 * HOUR };
    expect(decide(ask('Deals', 'instagram'), contact({ ...wrote(HOUR), optInRequestsAt: yesterday }), ig, now)).toMatchObject({ outcome: 'allow' });
  });

  it('on Instagram stop at 10 a week, saying so', () => {
    const week = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`t${i}`, NOW - (2 + i * 0.4) * DAY]));
    const decision = decide(ask('Deals', 'instagram'), contact({ ...wrote(HOUR), optInRequestsAt: week }), ig, NOW);
    expect(detailOf(decision)).toBe('10 opt-in requests in 7 days is the most this person may get.');
  });
});
