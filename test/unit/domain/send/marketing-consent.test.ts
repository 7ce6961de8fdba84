/**
 * Interface under test: decide() for marketing to someone who said stop, or whom Meta asked to be
 * left alone for a while — the exact refusal an operator reads, and when to try again. Written for
 * mutants StrykerJS found surviving in marketing-gates.ts (README, "Mutation testing").
 */
import { decide } from '../../../../lambdas/domain/send/policy-engine';
import { account, contact, detailOf, HOUR, intent, iso, NOW, token, wa, waAccount, wrote } from './policy-fixtures';

const promo = intent({ kind: 'marketing', campaignMessageId: 'cm-1' });

describe('marketing to someone who stopped it', () => {
  it('on WhatsApp, after a stop, says only non-promotional messages can be sent', () => {
    expect(decide(wa({ kind: 'marketing', content: { type: 'template', name: 'spring_sale', language: 'en' } }), contact({ ...wrote(HOUR), marketingOptOut: true }), waAccount(), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'marketing_opted_out',
      rule: 'marketing.consent',
      detail: 'This person stopped marketing messages: only non-promotional messages can be sent.',
    });
  });

  it('on Messenger, with every token stopped, names the topic the send asked for, or says every topic', () => {
    const stopped = contact({ ...wrote(HOUR), optIns: [token({ status: 'stopped' }), token({ token: 'tok-2', topic: 'news', status: 'stopped' })] });
    expect(decide({ ...promo, topic: 'deals' }, stopped, account({ country: 'US' }), NOW)).toEqual({
      outcome: 'refuse',
      reason: 'opt_in_stopped',
      rule: 'marketing.consent',
      detail: 'This person stopped the topic "deals": nothing promotional may be sent under it.',
    });
    expect(detailOf(decide(promo, stopped, account({ country: 'US' }), NOW))).toBe('This person stopped every marketing topic: nothing promotional may be sent under it.');
  });

  it('is not refused while one token of the topic is still active, though another was stopped', () => {
    const mixed = contact({ ...wrote(HOUR), optIns: [token({ status: 'stopped' }), token({ token: 'tok-2', status: 'active' })] });
    expect(decide({ ...promo, topic: 'deals' }, mixed, account({ country: 'US' }), NOW).outcome).toBe('allow');
    expect(decide(promo, mixed, account({ country: 'US' }), NOW).outcome).toBe('allow');
  });
});

describe("marketing while Meta's per-person back-off holds", () => {
  it('is refused until the time Meta gave, which the refusal names', () => {
    const until = NOW + 6 * HOUR;
    const decision = decide(promo, contact({ ...wrote(HOUR), optIns: [token()], marketingPausedUntil: until }), account({ country: 'US' }), NOW);
    expect(decision).toEqual({
      outcome: 'refuse',
      reason: 'marketing_limit_backoff',
      rule: 'marketing.per_user_limit',
      detail: `Meta asked to hold marketing to this person until ${iso(until)}.`,
      earliestAt: until,
    });
  });
});
