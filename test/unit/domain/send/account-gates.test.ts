/** Interface under test: decide() — what stops any send before a channel's doors, what it tells the operator, and when it says to try again. */
import { decide } from '../../../../lambdas/domain/send/policy-engine';
import { account, contact, detailOf, earliestOf, HOUR, intent, iso, NOW, template, wa, waAccount, wrote } from './policy-fixtures';

/** The last instant a JS Date can hold. */
const LAST_DATE_MS = 8.64e15;

describe('an account Meta blocked', () => {
  it('is refused with no reason in brackets when Meta gave none, and with it when it did; waiting does not help', () => {
    const bare = decide(intent(), contact(wrote(HOUR)), account({ blocked: true }), NOW);
    expect(bare).toEqual({
      outcome: 'refuse',
      reason: 'account_blocked',
      rule: 'account.blocked',
      detail: 'Meta blocked this account: nothing can be sent until the block is lifted.',
    });
    const said = decide(intent(), contact(wrote(HOUR)), account({ blocked: true, blockReason: 'policy_violation' }), NOW);
    expect(detailOf(said)).toBe('Meta blocked this account (policy_violation): nothing can be sent until the block is lifted.');
  });
});

describe('an account whose sending Meta paused', () => {
  it('after a rejected token, asks for a reconnect and says when sends resume', () => {
    const until = NOW + HOUR;
    const decision = decide(intent(), contact(wrote(HOUR)), account({ sendingPause: { until, reason: 'token_invalid' } }), NOW);
    expect(decision).toEqual({
      outcome: 'refuse',
      reason: 'token_invalid',
      rule: 'account.sending_pause',
      detail: `Meta rejected this account's access token: an operator must reconnect the account (sends resume at ${iso(until)} to try again).`,
      earliestAt: until,
    });
  });

  it("names Meta's error code when there is one, spells the reason out, and says until when", () => {
    const until = NOW + HOUR;
    const paused = (code?: number) =>
      decide(intent(), contact(wrote(HOUR)), account({ sendingPause: { until, reason: 'rate_limit_hit', ...(code === undefined ? {} : { code }) } }), NOW);
    expect(paused(80007)).toEqual({
      outcome: 'refuse',
      reason: 'account_paused',
      rule: 'account.sending_pause',
      detail: `Meta refused a send for the whole account (error 80007), rate limit hit: sends are paused until ${iso(until)}.`,
      earliestAt: until,
    });
    expect(detailOf(paused())).toBe(`Meta refused a send for the whole account, rate limit hit: sends are paused until ${iso(until)}.`);
  });

  it('says "until further notice", and gives no time to try again, for a pause for good', () => {
    const decision = decide(intent(), contact(wrote(HOUR)), account({ sendingPause: { until: Number.MAX_SAFE_INTEGER, reason: 'rate_limit_hit' } }), NOW);
    expect(detailOf(decision)).toBe('Meta refused a send for the whole account, rate limit hit: sends are paused until further notice.');
    expect(earliestOf(decision)).toBeUndefined();
  });
});

describe('a person who cannot be reached', () => {
  it('is refused until the time Meta gave, which the refusal names', () => {
    const until = NOW + HOUR;
    const decision = decide(intent(), contact({ ...wrote(HOUR), unreachableUntil: until }), account(), NOW);
    expect(decision).toEqual({
      outcome: 'refuse',
      reason: 'recipient_unreachable',
      rule: 'contact.unreachable',
      detail: `This person cannot receive messages from the account until ${iso(until)}.`,
      earliestAt: until,
    });
  });

  it("treats the last instant a date can hold as for good: no time to try again, and 'further notice'", () => {
    const decision = decide(intent(), contact({ ...wrote(HOUR), unreachableUntil: LAST_DATE_MS }), account(), NOW);
    expect(decision).toEqual({
      outcome: 'refuse',
      reason: 'recipient_unreachable',
      rule: 'contact.unreachable',
      detail: 'This person cannot receive messages from the account until further notice.',
    });
    // A template needs no window: were that instant a time to try again, the send would be allowed then.
    const utility = decide(wa({ kind: 'utility', content: template('order_shipped') }), contact({ unreachableUntil: LAST_DATE_MS }), waAccount(), NOW);
    expect(utility).toMatchObject({ outcome: 'refuse', reason: 'recipient_unreachable' });
    expect(earliestOf(utility)).toBeUndefined();
  });
});

describe('content the channel or the kind cannot carry', () => {
  it('names the channel and the content type', () => {
    const decision = decide(intent({ content: { type: 'interactive', interactive: {} } }), contact(wrote(HOUR)), account(), NOW);
    expect(decision).toEqual({ outcome: 'refuse', reason: 'content_not_supported', rule: 'messenger.content', detail: 'Messenger cannot send interactive content.' });
  });

  it('names the kind and the content type', () => {
    const decision = decide(wa({ kind: 'human_agent_reply', author: 'human', content: template('order_shipped') }), contact(wrote(HOUR)), waAccount(), NOW);
    expect(decision).toEqual({ outcome: 'refuse', reason: 'content_not_supported', rule: 'content.kind', detail: 'A human_agent_reply cannot be sent as template content.' });
  });
});

describe('earliestAt after a chain of blockers', () => {
  it('follows a pause that ends while the person is still unreachable to the end of the second blocker', () => {
    const pauseEnds = NOW + HOUR;
    const reachableAt = NOW + 3 * HOUR;
    const decision = decide(
      intent(),
      contact({ ...wrote(HOUR), unreachableUntil: reachableAt }),
      account({ sendingPause: { until: pauseEnds, reason: 'rate_limit_hit' } }),
      NOW,
    );
    // The first blocker is reported; the time is when the same send is really allowed.
    expect(decision).toMatchObject({ outcome: 'refuse', reason: 'account_paused', earliestAt: reachableAt });
    expect(decide(intent(), contact({ ...wrote(HOUR), unreachableUntil: reachableAt }), account({ sendingPause: { until: pauseEnds, reason: 'rate_limit_hit' } }), reachableAt)).toMatchObject({
      outcome: 'allow',
    });
  });
});
